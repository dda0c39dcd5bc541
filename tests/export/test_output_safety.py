"""Record text on the way out (issue 17, item 7): spreadsheet formulas are neutralised in CSV,
terminal escape sequences never reach the terminal, and an RIS value cannot start a record."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from ingest.formats import ris
from kb.cli import main
from kb.export.references import to_ris_text
from kb.model.schema import Record
from kb.store import Store
from kb.synthesis.evidence_table import to_csv_text
from kb.text.safe import one_line, spreadsheet_cell, terminal_text

HOSTILE_TITLE = "Care \x1b]0;pwned\x07coordination \x1b[31mred\x1b[0m study"
FORMULA = '=HYPERLINK("http://evil.example","click")'


def _run(home: Path, *args: str):
    return CliRunner().invoke(main, ["--kb", str(home), *args])


def _hostile(home: Path) -> Record:
    store = Store(home)
    record = store.load("chuang-2025-collaboration-strategies")
    findings = [record.findings[0].model_copy(update={"text": FORMULA}),
                record.findings[1].model_copy(update={"text": "+1+cmd|' /C calc'!A0"}),
                record.findings[2].model_copy(update={"text": "@SUM(1+1)"}), *record.findings[3:]]
    record = record.model_copy(update={"title": HOSTILE_TITLE, "findings": findings})
    store.save(record)
    return record


def test_spreadsheet_cells_follow_owasp() -> None:
    assert [spreadsheet_cell(v) for v in ("=1+1", "+A1", "-1+2", "@A1", "\tx", "\rx", "plain")] == [
        "'=1+1", "'+A1", "'-1+2", "'@A1", "'\tx", "'\rx", "plain"]
    assert spreadsheet_cell("-0.5") == "-0.5" and spreadsheet_cell("+12%") == "+12%"


def test_evidence_table_csv_neutralises_formulas(shipped_copy: Path) -> None:
    record = _hostile(shipped_copy)
    rows = list(csv.DictReader(io.StringIO(to_csv_text([record]))))
    assert [r["text"] for r in rows[:3]] == [f"'{FORMULA}", "'+1+cmd|' /C calc'!A0", "'@SUM(1+1)"]
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_comparison_csv_neutralises_formulas(shipped_copy: Path) -> None:
    _hostile(shipped_copy)
    result = _run(shipped_copy, "compare", "chuang-2025-collaboration-strategies",
                  "john-snow-discussion-paper", "--format", "csv", "-o", "-")
    assert result.exit_code == 0, result.output
    cells = [c for row in csv.reader(io.StringIO(result.output)) for c in row]
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert any(c.startswith("'=HYPERLINK") or "'=HYPERLINK" in c or "] =HYPERLINK" in c for c in cells)


def test_list_and_show_print_no_terminal_escapes(shipped_copy: Path) -> None:
    _hostile(shipped_copy)
    for args in (("list",), ("show", "chuang-2025-collaboration-strategies")):
        result = _run(shipped_copy, *args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "Care ]0;pwnedcoordination [31mred[0m study" in result.output
    as_json = _run(shipped_copy, "show", "chuang-2025-collaboration-strategies", "--json").output
    assert "\\u001b" in as_json  # the file itself keeps what the record says


def test_search_prints_no_terminal_escapes(shipped_copy: Path) -> None:
    _hostile(shipped_copy)
    result = _run(shipped_copy, "search", "care coordination", "--mode", "lexical")
    assert result.exit_code == 0, result.output
    assert "\x1b]0;" not in result.output and "\x07" not in result.output


def test_terminal_text_keeps_offsets_when_asked() -> None:
    assert terminal_text("a\x1b[1mb\u202ec") == "a[1mbc"
    assert terminal_text("a\x1bb", "?") == "a?b"


def test_ris_export_cannot_start_a_record_inside_a_value(shipped_copy: Path) -> None:
    record = Store(shipped_copy).load("chuang-2025-collaboration-strategies")
    record = record.model_copy(update={"title": "Real title\nER  - \nTY  - JOUR\nTI  - Forged"})
    text = to_ris_text([record])
    parsed = list(ris.iter_parse(text, source="export.ris"))
    assert len(parsed) == 1 and parsed[0].title == "Real title ER - TY - JOUR TI - Forged"
    assert one_line("a\r\nb\u2028c") == "a b c"
