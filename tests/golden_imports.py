"""Golden files of the bibliographic importers: tests/data/<format>/<input>.expected.json holds
what importing <input> gives (records as parsed, per-record errors, notes). The input is the
file of that name beside it, else the real fixture of that name in ../shared/data/external.

Regenerate after a deliberate parser change, then review the diff by hand:
    .venv/bin/python -m tests.golden_imports
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.biblio import ParseNote
from ingest.reader import Input, open_input
from kb.errors import IngestError
from kb.model.schema import Record

DATA = Path(__file__).parent / "data"
EXTERNAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external"
FORMATS = ("ris", "bibtex", "medline", "pubmed_xml", "csl_json", "csv_table", "wos")


def golden_files() -> list[Path]:
    """Every expected file, sorted."""
    return sorted(p for f in FORMATS for p in (DATA / f).glob("*.expected.json"))


def input_of(expected: Path) -> Path:
    """The input an expected file describes (own fixture first, then the external one)."""
    name = expected.name.removesuffix(".expected.json")
    own = expected.parent / name
    return own if own.is_file() else EXTERNAL / name


def imported(path: Path) -> dict:
    """What importing a file gives, as plain JSON data."""
    opened = open_input(Input(source=path.name, path=path))
    out: dict = {"parser": opened.parser.NAME, "records": [], "errors": [], "notes": list(opened.notes)}
    for item in opened.items:
        if isinstance(item, Record):
            out["records"].append(item.model_dump(mode="json", exclude_defaults=True))
        elif isinstance(item, IngestError):
            out["errors"].append(str(item))
        elif isinstance(item, ParseNote):
            out["notes"].append(item.message)
    return out


def main() -> None:
    for expected in golden_files():
        data = imported(input_of(expected))
        expected.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{expected.relative_to(DATA)}: {len(data['records'])} records, {len(data['errors'])} errors")


if __name__ == "__main__":
    main()
