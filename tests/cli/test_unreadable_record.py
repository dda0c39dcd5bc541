"""One truncated record file does not stop the knowledge base: kb list, kb ingest and kb dedup
work on every other record and name the bad file once (issue #17, item 5)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import main
from kb.store import Store

RIS = ("TY  - JOUR\nTI  - Care coordination for people experiencing homelessness\nAU  - Doe, Jane\n"
       "PY  - 2021\nDO  - 10.1000/first.2021\nER  - \n")


@pytest.fixture
def damaged(shipped_copy: Path) -> Path:
    """The shipped records plus records/x.json cut off halfway through."""
    first = next(p for p in sorted((shipped_copy / "records").glob("*.json")))
    text = first.read_text(encoding="utf-8").replace(first.stem, "x")
    (shipped_copy / "records" / "x.json").write_text(text[: len(text) // 2], encoding="utf-8")
    return shipped_copy


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_shows_the_other_records_and_names_the_bad_file_once(damaged: Path) -> None:
    code, out, err = _run("list")
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines()] == [i for i in Store(damaged).ids() if i != "x"]
    assert len(out.splitlines()) == 4
    assert err.count("x.json") == 1 and "not valid JSON" in err


def test_ingest_goes_on_and_names_the_bad_file_once(damaged: Path, tmp_path: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    before = set(Store(damaged).ids())
    (tmp_path / "new.ris").write_text(RIS, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        code, out, err = _run("ingest", str(tmp_path / "new.ris"))
    assert code == 0, out + err
    assert "new" in out
    assert set(Store(damaged).ids()) - before == {"doe-2021-care-coordination"}
    named = [r.getMessage() for r in caplog.records if "x.json" in r.getMessage()]
    assert len(named) == 1 and "not valid JSON" in named[0]


def test_dedup_goes_on_and_names_the_bad_file_once(damaged: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        code, _, err = _run("dedup")
    assert code == 0
    named = [r.getMessage() for r in caplog.records if "x.json" in r.getMessage()] + [
        line for line in err.splitlines() if "x.json" in line]
    assert len(named) == 1 and "not valid JSON" in named[0]
    assert "pair(s) to review" in err


def test_check_still_reports_it(damaged: Path) -> None:
    code, _, err = _run("check")
    assert code == 1 and "x.json: not valid JSON" in err
