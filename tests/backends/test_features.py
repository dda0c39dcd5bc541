"""Every feature on both storage backends (the folder and PostgreSQL): ingest with dedup and
merge, search with filters, compare, the evidence map, briefs, exports and kb check. Each test
runs once per backend (the backend_store fixture); the shipped records are copied in with
kb.ops.migrate, and every answer is checked against the same feature on the shipped folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import main
from kb.model.taxonomy import load_taxonomy
from kb.ops.migrate import migrate
from kb.search.backend import open_search_index
from kb.search.types import SearchFilters
from kb.store import RecordStore, Store
from kb.synthesis.evidence_map import evidence_map

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, ok: bool = True, folder: Path | None = None) -> tuple[str, str]:
    """`kb ARGS` on the backend under test, or on the reference `folder`."""
    env = {"KB_DATABASE_URL": None} if folder else None
    prefix = ["--kb", str(folder)] if folder else []
    result = CliRunner(env=env).invoke(main, [*prefix, *args])
    if ok:
        assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout, result.stderr


@pytest.fixture
def shipped(tmp_path: Path) -> Store:
    """The reference: a folder copy of the repository's shipped records."""
    reference = Store(tmp_path / "reference")
    migrate(Store(ROOT), reference)
    return reference


@pytest.fixture
def loaded(backend_store: RecordStore, shipped: Store) -> RecordStore:
    """The backend under test holding a copy of the shipped records."""
    report = migrate(shipped, backend_store)
    assert report.records == len(shipped.ids()) and not report.failed
    return backend_store


def _ris(path: Path, title: str, doi: str, abstract: str = "") -> Path:
    lines = ["TY  - JOUR", f"TI  - {title}", "AU  - Doe, Jane", "PY  - 2021", f"DO  - {doi}"]
    if abstract:
        lines.append(f"AB  - {abstract}")
    path.write_text("\n".join([*lines, "ER  - ", ""]), encoding="utf-8")
    return path


def test_ingest_dedup_and_merge(backend_store: RecordStore, tmp_path: Path) -> None:
    first_run = _ris(tmp_path / "first.ris", "Care coordination for people experiencing homelessness",
                     "10.1000/first.2021")
    second = _ris(tmp_path / "second.ris", "Braided funding for whole-person care", "10.1000/second.2019")
    out, _ = _run("ingest", str(first_run), str(second))
    ids = backend_store.ids()
    assert len(ids) == 2, out
    out, _ = _run("ingest", str(first_run), str(second))
    assert backend_store.ids() == ids and "unchanged" in out and "new" not in out
    first = next(r for r in backend_store.load_all() if r.identifiers.doi == "10.1000/first.2021")

    abstract = ("Care coordination reduced emergency visits by 20% among 300 adults "
                "experiencing homelessness in two cities over one year.")
    again = _ris(tmp_path / "again.ris", "Care coordination for people experiencing homelessness.",
                 "https://doi.org/10.1000/FIRST.2021", abstract)
    out, _ = _run("ingest", str(again))
    assert "merged" in out and backend_store.ids() == ids
    merged = backend_store.load(first.id)
    assert len(merged.sources) == 2 and any(s.text == abstract for s in merged.abstract)

    other = next(i for i in ids if i != first.id)
    _run("dedup", "--not-duplicate", first.id, other)
    assert b"not_duplicate" in (backend_store.read_document("_decisions.json") or b"")
    _run("dedup", "--merge", first.id, other)
    assert backend_store.ids() == sorted(set(ids) - {other})
    assert len(backend_store.load(first.id).sources) == 3


def _hits(store: RecordStore, query: str, filters: SearchFilters | None = None) -> list[tuple[str, str]]:
    index = open_search_index(store)
    try:
        response = index.search(query, filters=filters, k=10)
    finally:
        index.close()
    # the finding-level answers: the 10 best matched findings (the folder index shows the 10 best
    # records with all their matched findings, and records matched by their other text)
    return [(h.record_id, h.finding_id) for h in response.hits() if h.matched][:10]


QUERIES = [
    ("collaboration between health and social services", SearchFilters()),
    ("barriers to integration", SearchFilters(kinds=["barrier"])),
    ("funding", SearchFilters(year_from=2025, year_to=2025)),
    ("data sharing", SearchFilters(record_ids=["chuang-2025-collaboration-strategies"])),
    ("outcomes", SearchFilters(resource_types=["journal-article"])),
]


@pytest.mark.parametrize(("query", "filters"), QUERIES, ids=[q for q, _ in QUERIES])
def test_search_with_filters_finds_what_the_folder_finds(loaded: RecordStore, shipped: Store,
                                                          query: str, filters: SearchFilters) -> None:
    expected = _hits(shipped, query, filters)
    got = _hits(loaded, query, filters)
    # the keyword arms order ties differently (FTS5's bm25 against ts_rank), so: the same
    # findings, the same best record, and every filter obeyed
    assert got and set(got) == set(expected)
    assert got[0][0] == expected[0][0]
    records = {r.id: r for r in loaded.load_all()}
    for record_id, finding_id in got:
        record = records[record_id]
        finding = next(f for f in record.findings if f.id == finding_id)
        assert not filters.kinds or finding.kind in filters.kinds
        assert filters.year_from is None or record.year == filters.year_from
        assert not filters.record_ids or record_id in filters.record_ids
        assert not filters.resource_types or record.resource_type in filters.resource_types


def test_search_on_the_command_line(loaded: RecordStore) -> None:
    out, _ = _run("search", "collaboration strategies", "--year", "2025", "--json")
    response = json.loads(out)
    assert response["groups"] and all(g["year"] == 2025 for g in response["groups"])


def test_compare(loaded: RecordStore, shipped: Store) -> None:
    a, b = shipped.ids()[:2]
    out, _ = _run("compare", a, b, "--format", "json")
    expected, _ = _run("compare", a, b, "--format", "json", folder=shipped.home)
    assert json.loads(out) == json.loads(expected)
    assert {s["record_id"] for s in json.loads(out)["sources"]} == {a, b}


def test_evidence_map(loaded: RecordStore, shipped: Store) -> None:
    taxonomy = load_taxonomy()
    got, expected = evidence_map(loaded.load_all(), taxonomy), evidence_map(shipped.load_all(), taxonomy)
    assert got == expected
    assert len(got.sources) == len(shipped.ids()) and got.cells


def test_brief(loaded: RecordStore, shipped: Store, tmp_path: Path) -> None:
    ids = shipped.ids()[:2]
    args = ["export", "brief", "--ids", ids[0], "--ids", ids[1], "--question", "What helps integration?"]
    _run(*args, "-o", str(tmp_path / "got.md"))
    _run(*args, "-o", str(tmp_path / "expected.md"), folder=shipped.home)
    got = (tmp_path / "got.md").read_text(encoding="utf-8")
    assert got == (tmp_path / "expected.md").read_text(encoding="utf-8")
    assert "What helps integration?" in got and all(shipped.load(i).title in got for i in ids if shipped.load(i).title)


@pytest.mark.parametrize("fmt", ["ris", "bibtex", "csl-json", "csv"])
def test_exports_equal_the_folders(loaded: RecordStore, shipped: Store, tmp_path: Path, fmt: str) -> None:
    _run("export", "records", "--all", "--format", fmt, "-o", str(tmp_path / "got"))
    _run("export", "records", "--all", "--format", fmt, "-o", str(tmp_path / "expected"), folder=shipped.home)
    got = (tmp_path / "got").read_bytes()
    assert got == (tmp_path / "expected").read_bytes() and len(got) > 100


def test_check_finds_a_changed_source(loaded: RecordStore) -> None:
    out, _ = _run("check")
    assert out.strip() == f"{len(loaded.ids())} records OK"
    record = loaded.load(loaded.ids()[0])
    sha = record.sources[0].sha256
    if isinstance(loaded, Store):
        path = loaded.source_path(sha)
        assert path is not None
        path.write_bytes(b"tampered")
    else:
        with loaded.connection() as conn:  # type: ignore[attr-defined]
            conn.execute("UPDATE sources SET data = 'tampered' WHERE sha256 = %s", (sha,))
    _, err = _run("check", ok=False)
    assert f"{record.id}: source" in err and "was changed" in err


def _facets_of(records: list) -> dict:
    """What the facets must say, counted from the records themselves."""
    designs: dict[str, int] = {}
    for r in records:
        for d in r.study.design:
            designs[d] = designs.get(d, 0) + 1
    years = [r.year for r in records if r.year is not None]
    return {"records": len(records), "findings": sum(len(r.findings) for r in records),
            "kinds": sorted({f.kind for r in records for f in r.findings}),
            "themes": sorted({t for r in records for f in r.findings for t in f.themes}),
            "years": (min(years), max(years)), "designs": designs,
            "languages": sorted({lang for r in records for lang in [r.language, *r.translations]}),
            "types": sorted({r.resource_type for r in records if r.resource_type})}


def test_facets_come_from_the_index(loaded: RecordStore, shipped: Store) -> None:
    from kb.search.live import LiveIndex

    facets = LiveIndex(loaded).facets()
    expected = _facets_of(shipped.load_all())
    assert (facets.records, facets.findings) == (expected["records"], expected["findings"])
    assert sorted(facets.kinds) == expected["kinds"] and facets.themes == expected["themes"]
    assert (facets.year_min, facets.year_max) == expected["years"]
    assert facets.designs == expected["designs"] and facets.languages == expected["languages"]
    assert facets.resource_types == expected["types"]
