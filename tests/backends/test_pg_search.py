"""The PostgreSQL search's own machinery: the meaning arm reads the search's exported snapshot on
its second connection, the keyword arm's word counts and its too-common guard, and the vacuum
after a bulk re-index that lets keyword counts skip the table's pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.model.schema import Finding, Record, Section
from kb.search import pg_index, pg_search
from kb.search.pg_index import PgIndex
from kb.search.types import SearchFilters
from kb.store.postgres import PostgresStore

TEXTS = {
    "alpha-2020-ferries": ["Ferry vouchers raised clinic attendance among island residents.",
                           "Ferry timetables limited evening appointments."],
    "beta-2021-ferries": ["Ferry crews distributed leaflets about screening."],
    "gamma-2022-buses": ["Bus passes raised attendance at dental clinics."],
}


def _record(rid: str, texts: list[str]) -> Record:
    findings, start = [], 0
    for i, text in enumerate(texts):
        findings.append(Finding(id=f"f{i + 1}", kind="outcome", text=text, section=0, role="results",
                                span=(start, start + len(text))))
        start += len(text) + 1
    return Record(id=rid, title=f"Transport study number {len(texts)}", year=2020,
                  abstract=[Section(role="results", text=" ".join(texts))], findings=findings)


@pytest.fixture
def index(pg_url: str, kb_home: Path):
    store = PostgresStore(pg_url, kb_home)
    opened = PgIndex.open(store)
    for rid, texts in TEXTS.items():
        store.insert(_record(rid, texts))
    yield opened
    opened.close()
    store.close()


def test_the_meaning_arm_reads_the_snapshot_of_its_search(index: PgIndex) -> None:
    space = index.main
    where, params = pg_search.filter_sql(SearchFilters())
    with index.store.connection() as conn, pg_search.snapshot(conn) as snapshot_id:
        assert snapshot_id
        # committed after the search's snapshot was taken: the search's arms must not see it
        index.store.insert(_record("delta-2023-ferries", ["Ferry subsidies cut missed appointments."]))
        rows = index.in_background(pg_search.meaning_job, index, space, "ferry attendance", snapshot_id,
                                   where, params, False).result().findings
        keyword = conn.execute("SELECT DISTINCT record_id FROM findings").fetchall()
    assert {r for _, r, _, _ in rows} == set(TEXTS)
    assert {r for (r,) in keyword} == set(TEXTS)
    later = index.search("ferry subsidies", k=10)  # a new search takes a new snapshot
    assert "delta-2023-ferries" in [g.record_id for g in later.groups]


def test_word_counts_are_read_with_the_words_stems(index: PgIndex) -> None:
    with index.store.connection() as conn:
        lex = pg_search.Lexemes(conn, {})
        lex.load(["ferries", "attendance", "the", "zeppelin"])
        assert lex.of("ferries") == "'ferri'"
        assert lex.of("the") == ""  # a stopword has no lexeme
        assert [lex.df(lex.of(w)) for w in ("ferries", "attendance", "the", "zeppelin")] == [3, 2, 0, 0]


def test_an_expression_matching_too_many_findings_is_not_ranked(index: PgIndex,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg_search, "RANK_BUDGET", 2)
    with index.store.connection() as conn:
        common = pg_search._ranked(conn, "'ferri'", "TRUE", [], check=True)  # 3 findings
        rare = pg_search._ranked(conn, "'bus'", "TRUE", [], check=True)      # 1 finding
        unchecked = pg_search._ranked(conn, "'ferri'", "TRUE", [])
    assert common == []
    assert [key for _, key in rare] == [("gamma-2022-buses", "f1")]
    assert sorted(key for _, key in unchecked) == [("alpha-2020-ferries", "f1"), ("alpha-2020-ferries", "f2"),
                                                   ("beta-2021-ferries", "f1")]


@pytest.mark.parametrize("after", [3, 4])
def test_a_bulk_reindex_vacuums_and_analyzes_the_index_tables(pg_url: str, kb_home: Path, after: int,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """(VACUUM marks pages all-visible, so a keyword count skips them; with asynchronous commit
    only pages whose commit is flushed, so this checks that it ran rather than what it set.)"""
    store = PostgresStore(pg_url, kb_home)
    try:
        for rid, texts in TEXTS.items():
            store.insert(_record(rid, texts))  # no index attached: refresh catches up
        monkeypatch.setattr(pg_index, "VACUUM_AFTER", after)
        index = PgIndex.open(store)
        assert index.last_report.added == len(TEXTS)
        with store.connection() as conn:
            ran = conn.execute("SELECT relname, last_vacuum IS NOT NULL, last_analyze IS NOT NULL "
                               "FROM pg_stat_user_tables WHERE relname IN ('findings', 'search_records') "
                               "ORDER BY relname").fetchall()
        index.close()
    finally:
        store.close()
    done = after <= len(TEXTS)
    assert ran == [("findings", done, done), ("search_records", done, done)]


def test_a_change_that_leaves_the_findings_as_they_were_keeps_their_rows(index: PgIndex) -> None:
    store = index.store

    def rows() -> tuple[list[tuple], tuple]:
        with store.connection() as conn:
            findings = conn.execute("SELECT fid, finding_id FROM findings WHERE record_id = %s ORDER BY fid",
                                    ("alpha-2020-ferries",)).fetchall()
            record = conn.execute("SELECT s.version = r.version, s.venue FROM search_records s "
                                  "JOIN records r ON r.id = s.id WHERE s.id = %s", ("alpha-2020-ferries",)).fetchone()
        return findings, record

    before, _ = rows()
    store.update("alpha-2020-ferries", lambda r: r.model_copy(update={"venue": "Island Health Journal"}))
    kept, record = rows()
    assert kept == before and record == (True, "Island Health Journal")  # the same rows, the row updated
    assert [g.record_id for g in index.search("vouchers", k=5, mode="lexical").groups] == ["alpha-2020-ferries"]
    store.update("alpha-2020-ferries", lambda r: r.model_copy(update={"year": 2019}))  # findings carry the year
    replaced, record = rows()
    assert len(replaced) == len(before) and not {f for f, _ in replaced} & {f for f, _ in before}
    assert record == (True, "Island Health Journal")
    assert not index.refresh().changed  # nothing left for a refresh to catch up on


def test_a_batch_of_writes_loads_the_models_before_its_first_transaction(pg_url: str, kb_home: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from kb.search.backend import index_writes

    loaded: list[list[str]] = []
    real = PgIndex.load_models
    monkeypatch.setattr(PgIndex, "load_models", lambda self: (loaded.append([s.name for s in self.spaces]),
                                                              real(self)))
    store = PostgresStore(pg_url, kb_home)
    try:
        index_writes(store)
        assert store.indexer is not None and len(loaded) == 1 and loaded[0][0] == "main"
        index_writes(store)  # attached already: nothing again
        assert len(loaded) == 1
    finally:
        store.close()


def test_an_index_of_the_previous_schema_is_upgraded_and_backfilled(pg_url: str, kb_home: Path) -> None:
    """A database indexed before m005 and m006 (findings rows only: no whole-record tsvector, no
    sentences, no library rows) keeps answering through its findings after the migrations, and a
    writer's next open re-indexes every record with its record-level rows and library row."""
    from kb.store.pg_schema import LATEST

    store = PostgresStore(pg_url, kb_home)
    index = PgIndex.open(store)
    for rid, texts in TEXTS.items():
        store.insert(_record(rid, texts))
    findingless = Record(id="zeta-2024-braided", title="Braided funding for housing navigation", year=2024,
                         abstract=[Section(role="setting", text="Counties braided Medicaid and housing funds.")])
    store.insert(findingless)
    index.close()
    with store.connection() as conn:  # what the previous version left: its schema and its rows
        conn.execute("DROP TABLE search_sentences")
        conn.execute("ALTER TABLE search_records DROP COLUMN tsv")
        conn.execute("ALTER TABLE search_records DROP COLUMN listing")
        conn.execute("DELETE FROM kb_migrations WHERE version IN (5, 6)")
    store.close()
    assert LATEST == 6

    store = PostgresStore(pg_url, kb_home)  # migrates
    try:
        with store.connection() as conn:
            assert conn.execute("SELECT max(version) FROM kb_migrations").fetchone() == (6,)
            assert conn.execute("SELECT count(*) FROM search_sentences").fetchone() == (0,)
        stale = PgIndex.open(store, refresh=False)  # before the backfill: the findings still answer
        assert [g.record_id for g in stale.search("vouchers", k=5).groups] == ["alpha-2020-ferries"]
        stale.close()
        index = PgIndex.open(store)
        assert index.last_report.updated == len(TEXTS) + 1
        with store.connection() as conn:
            assert conn.execute("SELECT count(*) FROM search_records WHERE tsv IS NULL").fetchone() == (0,)
            sentences = conn.execute("SELECT count(*), count(emb) FROM search_sentences").fetchone()
            assert conn.execute("SELECT count(*) FROM search_records WHERE listing = ''").fetchone() == (0,)
        assert sentences is not None and sentences[0] == sentences[1] >= 2 * (len(TEXTS) + 1)
        assert [g.record_id for g in index.search("braided funding", k=5).groups][0] == "zeta-2024-braided"
        assert not index.refresh().changed
        index.close()
    finally:
        store.close()


def test_a_record_keyword_score_weighs_rare_terms_above_common_ones() -> None:
    from kb.search.pg_records import idf

    assert idf(1000, 1) > idf(1000, 100) > idf(1000, 499) > 0
    assert idf(1000, 900) == 1e-6  # FTS5's floor for a term in most records
