"""Exports of the shipped records: RIS, BibTeX, CSL-JSON text and the `kb export` command."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import click
import rispy
from click.testing import CliRunner

from kb.cli import export, main
from kb.export.references import export_text, record_to_ris, split_pages
from kb.model.csl import record_to_csl
from kb.model.schema import Author, Record, Section
from kb.store import Store

CHUANG = "chuang-2025-collaboration-strategies"


def _run(home: Path, *args: str):
    return CliRunner().invoke(main, ["--kb", str(home), *args])


def test_split_pages() -> None:
    assert split_pages("45-67") == ("45", "67")
    assert split_pages("9848--9853") == ("9848", "9853")
    assert split_pages("e14417") == ("e14417", None)
    assert split_pages(None) == (None, None)


def test_default_subcommand_and_room_for_others(shipped_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.ris"
    result = _run(shipped_copy, "export", "--format", "ris", CHUANG, "-o", str(out))
    assert result.exit_code == 0, result.output
    entries = rispy.loads(out.read_text(encoding="utf-8"))
    assert [e["doi"] for e in entries] == ["10.1111/1475-6773.14417"]
    assert entries[0]["authors"][0] == "Chuang, Emmeline"
    # an explicitly named subcommand still resolves, and others can attach their own
    assert _run(shipped_copy, "export", "records", "--format", "ris", CHUANG, "-o", "-").exit_code == 0

    @export.command("probe-subcommand")
    def _probe() -> None:
        click.echo("probe ran")

    try:
        assert _run(shipped_copy, "export", "probe-subcommand").output == "probe ran\n"
    finally:
        del export.commands["probe-subcommand"]


def test_export_needs_ids_or_all(shipped_copy: Path) -> None:
    result = _run(shipped_copy, "export", "--format", "ris", "-o", "-")
    assert result.exit_code == 2 and "give record IDS, --all or --query" in result.output
    missing = _run(shipped_copy, "export", "--format", "ris", "nope", "-o", "-")
    assert missing.exit_code == 1 and "no record with id 'nope'" in missing.output


def test_every_format_of_all_records(shipped_copy: Path) -> None:
    records = Store(shipped_copy).load_all()
    bib = bibtexparser.parse_string(export_text(records, "bibtex"))
    assert sorted(e.key for e in bib.entries) == sorted(r.id for r in records)
    assert not bib.failed_blocks
    csl = json.loads(export_text(records, "csl-json"))
    assert [i["id"] for i in csl] == [r.id for r in records]
    csv_text = export_text(records, "csv")
    assert csv_text.count(f"\n{CHUANG},") == len(Store(shipped_copy).load(CHUANG).findings)


def test_csl_item_shape() -> None:
    record = Record(id="x-2020-t", title="T", year=2020, published="2020-03-04",
                    authors=[Author(family="Smith", initials="JA"), Author(collective="WHO")],
                    abstract=[Section(role="results", label="RESULTS", text="It worked.")])
    item = record_to_csl(record)
    assert item["author"] == [{"family": "Smith", "given": "J. A."}, {"literal": "WHO"}]
    assert item["issued"] == {"date-parts": [[2020, 3, 4]]}
    assert item["abstract"] == "RESULTS: It worked."
    assert item["type"] == "article" and "custom" not in item


def test_ris_entry_skips_empty_fields() -> None:
    entry = record_to_ris(Record(title="Only a title"))
    assert entry == {"type_of_reference": "GEN", "title": "Only a title", "language": "en"}
