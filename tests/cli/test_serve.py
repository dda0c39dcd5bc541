"""`kb app` runs Streamlit in its own process after starting the search warm-up of the knowledge
base and importing the app's modules, so the app script (run by that process) finds both; it
passes the same `streamlit run` arguments as before and keeps its exit statuses."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import streamlit.web.cli as streamlit_cli
from click.testing import CliRunner

from kb.cli import main
from kb.config import APP_IMPORTS, APP_SCRIPT, STREAMLIT_OPTIONS
from kb.ops import running_app, warmup
from kb.store import Store


@pytest.fixture
def served(shipped_copy: Path, monkeypatch: pytest.MonkeyPatch):
    """Runs `kb app` with Streamlit's command replaced; what it saw when called."""
    monkeypatch.setattr(warmup, "_SHARED", {})
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # restored after the test (kb app sets both)
    monkeypatch.setenv("KB_HOME", str(shipped_copy))
    seen: dict = {}

    def run(exit_with: int | None = None):
        def streamlit_main(args, prog_name, standalone_mode):
            seen.update(args=args, prog_name=prog_name, standalone=standalone_mode,
                        home=os.environ["KB_HOME"], imported=[m for m in APP_IMPORTS if m in sys.modules],
                        warming=dict(warmup._SHARED),
                        beacon=running_app.running_app(Store(shipped_copy)))
            if exit_with is not None:
                sys.exit(exit_with)  # what Streamlit does when it cannot start

        monkeypatch.setattr(streamlit_cli.main, "main", streamlit_main)
        return CliRunner().invoke(main, ["--kb", str(shipped_copy), "app", "--port", "8765"]), seen

    return run


def test_streamlit_runs_in_process_after_the_warmup_started(served, shipped_copy: Path) -> None:
    result, seen = served()
    assert seen["args"][:2] == ["run", str(APP_SCRIPT)] and seen["prog_name"] == "streamlit"
    assert "--server.port=8765" in seen["args"] and not seen["standalone"]
    assert all(f"--{k}={v}" in seen["args"] for k, v in STREAMLIT_OPTIONS.items())
    assert seen["home"] == str(shipped_copy.resolve()) and seen["imported"] == list(APP_IMPORTS)
    started = warmup.shared_warmup(Store(shipped_copy))  # what the app script will ask for
    assert list(seen["warming"].values()) == [started]
    assert started.wait(120) and started.status().state == "ready", started.status()
    # the server stopped (Ctrl-C): as when Streamlit ran in a child process, "Aborted!" and 1
    assert result.exit_code == 1 and "Aborted!" in result.output, result.output
    assert f"Evidence KB app on {shipped_copy.resolve()}: http://localhost:8765" in result.output
    # while it served, `kb search` could find it; once stopped, the beacon is out
    assert seen["beacon"].port != 8765 and seen["beacon"].token  # its own loopback port
    assert running_app.running_app(Store(shipped_copy)) is None
    assert not running_app.beacon_path(Store(shipped_copy)).exists()


def test_streamlit_own_exit_status_is_kept(served, shipped_copy: Path) -> None:
    result, _ = served(exit_with=3)
    assert result.exit_code == 3, result.output
    assert not running_app.beacon_path(Store(shipped_copy)).exists()
