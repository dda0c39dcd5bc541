"""What the PostgreSQL backend leaves to the database: a DOI stored once however many processes
try at the same moment, roles that may only read, and schema migrations applied once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import psycopg
import pytest

from kb.errors import IdentifierTaken, ReadOnlyError
from kb.model.schema import Identifiers, Record
from kb.ops.migrate import migrate
from kb.search.backend import open_search_index
from kb.store import Store
from kb.store.pg_schema import LATEST, READER_ROLE
from kb.store.postgres import PostgresStore

ROOT = Path(__file__).resolve().parents[2]
RACERS = 6


def _record(rid: str, doi: str | None = "10.5555/one") -> Record:
    return Record(id=rid, title=f"A study called {rid}", year=2020, identifiers=Identifiers(doi=doi))


def _race(url: str, home: str, rid: str, start: object, out: object) -> None:
    """One process: wait for the start signal, then insert a record with the shared DOI."""
    store = PostgresStore(url, Path(home))
    start.wait()  # type: ignore[attr-defined]
    try:
        store.insert(_record(rid))
        out.put((rid, "inserted"))  # type: ignore[attr-defined]
    except IdentifierTaken as err:
        out.put((rid, f"taken by {err.record_id}"))  # type: ignore[attr-defined]
    finally:
        store.close()


def test_one_doi_one_record_however_many_insert_at_once(pg_url: str, tmp_path: Path) -> None:
    PostgresStore(pg_url, tmp_path).close()  # the schema exists before the race
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_race, args=(pg_url, str(tmp_path), f"racer-{i}", start, out))
             for i in range(RACERS)]
    for proc in procs:
        proc.start()
    start.set()
    results = dict(out.get(timeout=120) for _ in procs)
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    winners = [rid for rid, what in results.items() if what == "inserted"]
    assert len(winners) == 1
    assert all(what == f"taken by {winners[0]}" for rid, what in results.items() if rid != winners[0])
    store = PostgresStore(pg_url, tmp_path)
    try:
        assert store.ids() == winners
    finally:
        store.close()


def test_a_researcher_may_read_and_search_but_not_write(pg_url: str, tmp_path: Path) -> None:
    owner = PostgresStore(pg_url, tmp_path)
    try:
        migrate(Store(ROOT), owner)
        open_search_index(owner).close()  # a librarian's search builds the index
        ids = owner.ids()
    finally:
        owner.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS kb_test_reader")
        conn.execute(f"CREATE ROLE kb_test_reader LOGIN IN ROLE {READER_ROLE}")
    reader = PostgresStore(psycopg.conninfo.make_conninfo(pg_url, user="kb_test_reader"), tmp_path)
    try:
        assert reader.can_write() is False
        assert reader.ids() == ids and reader.load(ids[0]).id == ids[0]
        index = open_search_index(reader)
        try:
            hits = index.search("collaboration between health and social services", k=5).hits()
        finally:
            index.close()
        assert hits and {h.record_id for h in hits} <= set(ids)
        with pytest.raises(ReadOnlyError, match="may not"):
            reader.save(_record("new", doi=None))
        with pytest.raises(ReadOnlyError):
            reader.delete(ids[0])
        assert reader.ids() == ids
    finally:
        reader.close()
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("DROP ROLE kb_test_reader")


def test_migrations_are_recorded_once(pg_url: str, tmp_path: Path) -> None:
    for _ in range(2):
        PostgresStore(pg_url, tmp_path).close()
    with psycopg.connect(pg_url) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM kb_migrations ORDER BY version")]
    assert versions == list(range(1, LATEST + 1))
