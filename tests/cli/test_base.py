"""What every command shares: the spinner on stderr while a slow step runs, on a terminal only."""

from __future__ import annotations

import io

import pytest

from kb.cli.base import waiting


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_waiting_shows_its_message_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    err = _Terminal()
    monkeypatch.setattr("sys.stderr", err)
    with waiting("Opening the search index…"):
        pass
    assert "Opening the search index…" in err.getvalue()


def test_waiting_writes_nothing_when_stderr_is_not_a_terminal(
        monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    with waiting("Opening the search index…"):
        pass
    assert err.getvalue() == ""
