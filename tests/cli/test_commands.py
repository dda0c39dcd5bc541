"""The kb command line on a temporary knowledge base."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kb.cli import main


def _run(home: Path, *args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["--kb", str(home), *args], input=stdin)


def test_ingest_list_show_check(seeds: list[Path], kb_home: Path) -> None:
    result = _run(kb_home, "ingest", *map(str, seeds))
    assert result.exit_code == 0, result.output
    assert "merged chuang-2025-collaboration-strategies" in result.output
    listing = _run(kb_home, "list")
    assert listing.output.count("\n") == 4
    shown = _run(kb_home, "show", "chuang-2025-collaboration-strategies", "--json")
    assert json.loads(shown.output)["identifiers"]["pmid"] == "39632564"
    text = _run(kb_home, "show", "improve-integration-health").output
    assert "CONCLUSIONS: Our analysis suggests" in text
    assert _run(kb_home, "check").exit_code == 0


def test_failed_file_exits_1_but_others_ingest(seeds: list[Path], kb_home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = _run(kb_home, "ingest", str(empty), str(seeds[3]), str(tmp_path / "missing.txt"))
    assert result.exit_code == 1
    assert f"{empty}: failed: the file is empty" in result.output
    assert "missing.txt: failed: no such file or folder" in result.output
    assert len(list((kb_home / "records").glob("*.json"))) == 1


def test_stdin_and_dry_run(seeds: list[Path], kb_home: Path) -> None:
    text = seeds[3].read_text(encoding="utf-8")
    result = _run(kb_home, "ingest", "--dry-run", "-", stdin=text)
    assert result.exit_code == 0
    assert '"label": "BACKGROUND"' in result.output
    assert not list((kb_home / "records").glob("*.json"))
    assert _run(kb_home, "ingest", "-", stdin=text).exit_code == 0
    assert len(list((kb_home / "records").glob("*.json"))) == 1


def test_show_unknown_id_is_one_line(kb_home: Path) -> None:
    result = _run(kb_home, "show", "nope")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no record with id 'nope' (see `kb list`)"


def test_check_reports_a_broken_record(kb_home: Path) -> None:
    (kb_home / "records" / "bad.json").write_text('{"id": "bad", "year": "soon"}')
    result = _run(kb_home, "check")
    assert result.exit_code == 1 and "bad.json: field 'year'" in result.output


def test_schema_is_json() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert json.loads(result.output)["title"] == "Record"
