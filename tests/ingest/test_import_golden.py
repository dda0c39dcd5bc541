"""Golden files of the importers: each input in tests/data/<format>/ (own fixtures) or in
../shared/data/external (real exports, read in place) gives exactly its expected records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden_imports import golden_files, imported, input_of

GOLDEN = golden_files()


def test_every_format_has_golden_files() -> None:
    assert {p.parent.name for p in GOLDEN} == {"ris", "bibtex", "medline", "pubmed_xml", "csl_json",
                                                "csv_table", "wos"}


@pytest.mark.parametrize("expected", GOLDEN, ids=lambda p: f"{p.parent.name}/{p.name[:50]}")
def test_import_matches_golden(expected: Path) -> None:
    source = input_of(expected)
    if not source.is_file():
        pytest.skip(f"{source.name} is not present (../shared/data/external missing)")
    want = json.loads(expected.read_text(encoding="utf-8"))
    got = imported(source)
    assert got["parser"] == want["parser"] == expected.parent.name
    assert got["errors"] == want["errors"]
    assert got["notes"] == want["notes"]
    assert len(got["records"]) == len(want["records"])
    for mine, theirs in zip(got["records"], want["records"], strict=True):
        assert mine == theirs, f"record '{theirs.get('title')}' differs"
