"""A search on PostgreSQL while a writer replaces a record's findings sees the record's old
findings or its new ones, never a mix and never a record without findings: a writer thread swaps
one record between two sets of findings again and again (each swap one store.update, the index
rows written in the same transaction) while the test, on its own connections, searches for
the word every finding holds and checks each answer against the two sets. A record is stored
with its index rows or not at all."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kb.model.schema import Finding, Identifiers, Record, Section
from kb.search.pg_index import PgIndex
from kb.store.postgres import PostgresStore

SWAPS = 40
OLD = [f"Zebrafish screening in clinic {i} reduced waiting times for families." for i in range(6)]
NEW = [f"Zebrafish outreach by team {i} raised enrolment among older adults." for i in range(3)]


def _findings(texts: list[str]) -> list[Finding]:
    out, start = [], 0
    for i, text in enumerate(texts):
        out.append(Finding(id=f"f{i + 1}", kind="outcome", text=text, section=0, role="results",
                           span=(start, start + len(text))))
        start += len(text) + 1
    return out


def _record(texts: list[str]) -> Record:
    return Record(id="swapped-2021-zebrafish", title="Programmes for families", year=2021,
                  identifiers=Identifiers(doi="10.5555/kb.snapshot"),
                  abstract=[Section(role="results", text=" ".join(texts))], findings=_findings(texts))


def _other() -> Record:
    texts = ["Zebrafish were not mentioned by the steering group of the housing pilot."]
    return Record(id="bystander-2020-housing", title="A housing pilot", year=2020,
                  abstract=[Section(role="results", text=texts[0])], findings=_findings(texts))


def test_a_search_during_writes_sees_old_or_new_findings_of_a_record(pg_url: str, kb_home: Path) -> None:
    writer_store, reader_store = PostgresStore(pg_url, kb_home), PostgresStore(pg_url, kb_home)
    try:
        PgIndex.open(writer_store).close()  # attaches the index to the writer's store
        writer_store.insert(_record(OLD))
        writer_store.insert(_other())
        reader = PgIndex.open(reader_store, refresh=False)
        done = threading.Event()
        failures: list[BaseException] = []
        progress = threading.Condition()
        counts = {"started": 0, "finished": 0}

        def swap() -> None:
            """SWAPS swaps at full speed, except that every fourth waits for one whole search
            to run after it (so both states are surely seen, whatever the scheduling)."""
            try:
                for n in range(SWAPS):
                    texts = NEW if n % 2 == 0 else OLD
                    writer_store.update("swapped-2021-zebrafish",
                                        lambda r, t=texts: r.model_copy(update={
                                            "abstract": [Section(role="results", text=" ".join(t))],
                                            "findings": _findings(t)}))
                    if n % 4 in (0, 1):
                        with progress:
                            target = counts["started"] + 1
                            progress.wait_for(lambda t=target: counts["finished"] >= t, timeout=120)
            except BaseException as err:  # reported by the test below
                failures.append(err)
            finally:
                done.set()

        writer = threading.Thread(target=swap)
        writer.start()
        seen: list[frozenset[str]] = []
        while not done.is_set():
            for mode in ("hybrid", "lexical"):
                with progress:
                    counts["started"] += 1
                response = reader.search("zebrafish", k=20, mode=mode)
                with progress:
                    counts["finished"] += 1
                    progress.notify_all()
                groups = {g.record_id: {h.text for h in g.hits} for g in response.groups}
                assert groups.get("bystander-2020-housing") == set(_other_texts())
                seen.append(frozenset(groups.get("swapped-2021-zebrafish", set())))
        writer.join()
        reader.close()
    finally:
        writer_store.close()
        reader_store.close()
    assert not failures, failures
    states = set(seen)
    assert states <= {frozenset(OLD), frozenset(NEW)}, [sorted(s) for s in states - {frozenset(OLD), frozenset(NEW)}]
    assert states == {frozenset(OLD), frozenset(NEW)}  # both were seen (the writer waited for that)


def _other_texts() -> list[str]:
    return [f.text for f in _other().findings]


def test_a_record_is_stored_with_its_index_rows_or_not_at_all(pg_url: str, kb_home: Path) -> None:
    store = PostgresStore(pg_url, kb_home)
    try:
        index = PgIndex.open(store)
        store.insert(_record(OLD))  # indexed in the insert's own transaction: no refresh needed
        with store.connection() as conn:
            version = conn.execute("SELECT version FROM records WHERE id = %s", ("swapped-2021-zebrafish",)).fetchone()
            indexed = conn.execute("SELECT s.version, count(f.fid) FROM search_records s JOIN findings f "
                                   "ON f.rid = s.rid GROUP BY s.version").fetchall()
        assert version is not None and indexed == [(version[0], len(OLD))]

        class Failing:
            def index_record(self, conn: object, record: Record, version: int, *, fresh: bool = False) -> None:
                raise RuntimeError("the index could not be written")

            def prepare(self, records: list[Record]) -> None:
                pass

        store.indexer = Failing()
        with pytest.raises(RuntimeError, match="could not be written"):
            store.update("swapped-2021-zebrafish", lambda r: r.model_copy(update={"findings": _findings(NEW)}))
        assert [f.text for f in store.load("swapped-2021-zebrafish").findings] == OLD  # the change rolled back
        store.indexer = index
        assert not index.refresh().changed  # nothing was left half-written for a refresh to repair
        index.close()
    finally:
        store.close()
