"""The running app as the CLI's warm search service: the beacon `kb app` leaves, which apps
`kb search` trusts, the endpoint's answers, and a real `kb app` answering `kb search`."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb.ops import running_app, warmup
from kb.ops.running_app import Beacon, SearchRequest
from kb.search.live import LiveIndex
from kb.search.types import SearchFilters
from kb.store import Store

ROOT = Path(__file__).resolve().parents[2]


def test_a_beacon_is_trusted_only_for_its_knowledge_base_and_while_its_process_lives(
        shipped_copy: Path, tmp_path: Path) -> None:
    store = Store(shipped_copy)
    beacon = Beacon(pid=os.getpid(), port=8123, serves=running_app.store_key(store), token="t")
    running_app.write_beacon(store, beacon)
    assert running_app.running_app(store) == beacon
    assert oct(running_app.beacon_path(store).stat().st_mode & 0o777) == "0o600"
    other = Store(tmp_path / "other")
    assert running_app.running_app(other) is None  # another knowledge base: no beacon of its own
    (Path(other.cache_dir)).mkdir(parents=True, exist_ok=True)
    running_app.beacon_path(other).write_text(beacon.model_dump_json())  # copied across: not its KB
    assert running_app.running_app(other) is None
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    stale = beacon.model_copy(update={"pid": int(dead.stdout)})
    running_app.beacon_path(store).write_text(stale.model_dump_json())
    assert running_app.running_app(store) is None  # its app is gone
    assert running_app.search_running_app(store, SearchRequest(query="x")) is None
    running_app.put_out_beacon(store, beacon)  # not this beacon any more: left alone
    assert running_app.beacon_path(store).exists()
    running_app.put_out_beacon(store, stale)
    assert not running_app.beacon_path(store).exists()


def test_the_endpoint_answers_only_its_token_from_the_warm_index(
        shipped_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warmup, "_SHARED", {})
    store = Store(shipped_copy)
    body = SearchRequest(query="braided funding", k=3,
                         filters=SearchFilters(kinds=["strategy"])).model_dump_json().encode()
    assert running_app.answer(body, "wrong", store, "secret")[0] == 403
    assert running_app.answer(body, None, store, "secret")[0] == 403
    assert running_app.answer(b"{not json", "secret", store, "secret")[0] == 400
    status, payload = running_app.answer(body, "secret", store, "secret")
    here = LiveIndex(store).search("braided funding", k=3, filters=SearchFilters(kinds=["strategy"]))
    got = json.loads(payload)
    assert status == 200 and got["groups"] and {h["kind"] for g in got["groups"] for h in g["hits"]} == {"strategy"}
    assert [g["record_id"] for g in got["groups"]] == [g.record_id for g in here.groups]
    assert [h["text"] for g in got["groups"] for h in g["hits"]] == [h.text for g in here.groups for h in g.hits]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kb(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, KB_HOME=str(home), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", "from kb.cli import main; main()", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


def _json_without_timing(text: str) -> dict:
    data = json.loads(text)
    data.pop("took_ms", None)
    return data


def test_kb_search_is_answered_by_a_running_app_and_alike_without_it(shipped_copy: Path) -> None:
    port = _free_port()
    env = dict(os.environ, KB_HOME=str(shipped_copy), PYTHONPATH=str(ROOT))
    app = subprocess.Popen([sys.executable, "-c", "from kb.cli import main; main()", "app", "--port", str(port)],
                           cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                           start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        for line in app.stdout:  # Streamlit says where it serves once it does
            if re.search(r"URL: http", line) or time.monotonic() > deadline:
                break
        beacon = running_app.running_app(Store(shipped_copy))
        assert isinstance(beacon, Beacon) and beacon.port != port  # its own loopback port
        warm = _kb("-v", "search", "数据共享", "--json", "--limit", "3", home=shipped_copy)
        assert warm.returncode == 0 and f"answered by the app running on port {beacon.port}" in warm.stderr, warm.stderr
    finally:
        os.killpg(app.pid, signal.SIGINT)  # Ctrl-C
        app.wait(timeout=60)
    assert not running_app.beacon_path(Store(shipped_copy)).exists()
    cold = _kb("-v", "search", "数据共享", "--json", "--limit", "3", home=shipped_copy)
    assert cold.returncode == 0 and "answered by the app" not in cold.stderr
    assert _json_without_timing(warm.stdout) == _json_without_timing(cold.stdout)
    assert _json_without_timing(cold.stdout)["groups"]
