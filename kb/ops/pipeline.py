"""Ingest inputs into a knowledge base: open and parse (ingest.reader), find duplicates in the
KB and within the batch (kb.dedup.index), merge or add, extract, save. Records stream in chunks
(CHUNK): a chunk is prepared at once (the records to add extracted, their search-index vectors
embedded in one call per model), then each record is stored on its own, as one at a time; one
bad record or file is reported and never stops the batch."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Container, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, Field

from ingest.biblio import ParseNote
from ingest.reader import Input, Opened, failure, open_input
from ingest.sniff import BY_NAME
from kb.dedup.cache import KeyCache
from kb.dedup.decisions import Decisions, load_decisions
from kb.dedup.history import MergeHistory
from kb.dedup.match import Match, key_of
from kb.dedup.merge import merge
from kb.dedup.stored import StoredDedupIndex
from kb.errors import IdentifierTaken, IngestError, KBError, RecordError, RecordExists, RecordNotFound
from kb.model.ids import base_id, unique_id
from kb.model.review import refresh_flags, save_blocker
from kb.model.schema import Provenance, Record
from kb.ops.enrich import Enricher
from kb.search.backend import index_writes, prepare_writes
from kb.store import RecordStore, synced_together

log = logging.getLogger(__name__)
T = TypeVar("T")
Status = Literal["new", "merged", "unchanged", "failed", "parsed"]
Enrich = Callable[[Record], Record]
MAX_LISTED = 3  # a file with more outcomes than this is summarised as counts
ID_TRIES = 20  # new ids tried when concurrent writers keep taking the chosen one
CHUNK = 64  # records of an input prepared together (extracted, their vectors embedded in one call)


class RecordOutcome(BaseModel):
    """What happened to one record of an input."""

    status: Status
    record_id: str | None = None
    message: str = ""


class FileReport(BaseModel):
    """What happened to one input file."""

    source: str
    format: str | None = None
    outcomes: list[RecordOutcome] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    error: str | None = None
    records: list[Record] = Field(default_factory=list)  # filled for dry runs

    @property
    def ok(self) -> bool:
        return self.error is None and all(o.status != "failed" for o in self.outcomes)

    def counts(self) -> dict[str, int]:
        """Outcomes per status."""
        return dict(Counter(o.status for o in self.outcomes))

    def summary(self) -> str:
        """'merged chuang-2025-…' for a few records; counts and failure reasons for many."""
        if self.error and not self.outcomes:
            return f"failed: {self.error}"
        if len(self.outcomes) <= MAX_LISTED:
            parts = [f"{o.status} {o.record_id}" if o.record_id else f"{o.status}: {o.message}"
                     for o in self.outcomes]
        else:
            parts = [", ".join(f"{n} {status}" for status, n in sorted(self.counts().items()))]
        if self.error:
            parts.append(f"then failed: {self.error}")
        return ", ".join(parts) or "no records"

    def details(self, limit: int = 20) -> list[str]:
        """Indented lines under the summary: notes, then failed records with their reasons
        (only for files summarised as counts; at most `limit`)."""
        lines = [f"  note: {n}" for n in self.notes]
        if len(self.outcomes) > MAX_LISTED:
            failed = [o.message for o in self.outcomes if o.status == "failed"]
            lines += [f"  failed: {m}" for m in failed[:limit]]
            if len(failed) > limit:
                lines.append(f"  … and {len(failed) - limit} more failed records")
        return lines


def totals(reports: list[FileReport]) -> str:
    """'12 files, 9,990 records: 9,950 new, 30 merged, 8 unchanged, 2 failed; 1 file failed'."""
    counts = Counter(o.status for r in reports for o in r.outcomes)
    records = sum(counts.values())
    parts = ", ".join(f"{counts[s]:,} {s}" for s in ("new", "merged", "unchanged", "parsed", "failed")
                      if counts[s])
    bad = sum(1 for r in reports if r.error)
    tail = f"; {bad} file{'s' if bad != 1 else ''} failed" if bad else ""
    return f"{len(reports)} file{'s' if len(reports) != 1 else ''}, {records:,} records: {parts or 'none'}{tail}"


def parse_input(data: bytes, source: str) -> tuple[str, list[Record]]:
    """Decode, sniff and parse; records come back without id or provenance (IngestError if none)."""
    opened = open_input(Input(source=source, data=data))
    items = list(opened.items)
    records = [i for i in items if isinstance(i, Record)]
    if not records:
        raise next((i for i in items if isinstance(i, IngestError)),
                   IngestError(source, f"the {opened.parser.NAME} parser found no record in this input"))
    return opened.parser.NAME, records


def provenance(source: str, sha: str, parser_name: str) -> Provenance:
    """Where a record came from: the input's name and hash, the parser, now (UTC)."""
    parser = BY_NAME[parser_name]
    return Provenance(
        path=Path(source).name, sha256=sha, format=parser.FORMAT, parser=parser.NAME,
        parser_version=parser.VERSION,
        ingested_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
    )


def merged_record(old: Record, new: Record, enrich: Enrich) -> Record:
    """`new` merged into `old` (kb.dedup.merge), with findings: the stored ones (plus the new record's
    curated ones) when the text did not change, else extracted afresh around the curated
    findings that still fit the merged text."""
    merged = merge(old, new)
    if (merged.abstract, merged.translations) == (old.abstract, old.translations):
        curated = [f for f in new.findings if f.origin == "curated"] if new.abstract == old.abstract else []
        places = {(f.section, f.span) for f in curated}
        findings = sorted([f for f in old.findings if (f.section, f.span) not in places] + curated,
                          key=lambda f: (f.section, f.span))
        return merged.model_copy(update={"findings": findings, "study": old.study,
                                         "glossary": old.glossary})
    keep = [f for r in (new, old) if merged.abstract == r.abstract
            for f in r.findings if f.origin == "curated"]
    return enrich(merged.model_copy(update={"findings": list({f.id: f for f in keep}.values())}))


class Batch:
    """The state of one ingest run: the store, its dedup index (built once), the extractor."""

    def __init__(self, store: RecordStore, enrich: Enrich, *,
                 on_outcome: Callable[[RecordOutcome], None] | None = None) -> None:
        self.store = store
        self.enrich = enrich
        self.on_outcome = on_outcome
        self._index: StoredDedupIndex | None = None
        self.cache = KeyCache(store)
        self._touched: set[str] = set()  # records added or merged during this run
        self._decisions: Decisions | None = None
        self.history = MergeHistory(store)  # merged-away versions kept for undo

    @property
    def index(self) -> StoredDedupIndex:
        """Dedup keys of every stored record, opened on first use (record files changed since
        the key cache was written are read again; the others are not read)."""
        if self._index is None:
            self._index = self.cache.index()
        return self._index

    @property
    def decisions(self) -> Decisions:
        """The librarian's decisions (records/_decisions.json), read on first use."""
        if self._decisions is None:
            self._decisions = load_decisions(self.store)
        return self._decisions

    def _remember(self, record: Record) -> None:
        """Index a record just saved (for duplicates later in this batch)."""
        self._touched.add(record.id)
        self.index.add(key_of(record))
        self.cache.refresh(record)

    def close(self) -> None:
        """Keep the dedup keys for the next batch (.kb/dedup_keys.sqlite) and the list of merges
        kept for undo."""
        self.history.flush()
        if self._index is not None and self._touched:
            self.cache.save()
        self.cache.close()
        self._index = None  # its tables' connection is closed: a later use opens them again

    def _forget(self, record_id: str) -> None:
        self.index.remove(record_id)
        self.cache.forget(record_id)

    def store_one(self, record: Record, sha: str, *, choice: str = "auto",
                  merge_into: str | None = None, extract: bool = True,
                  extracted: Record | Exception | None = None) -> RecordOutcome:
        """The one add-or-merge decision (CLI, batch import and the app's save all come here):
        `auto` merges a sure duplicate and adds anything else (a possible duplicate is noted);
        `new` always adds; `merge` folds the record into `merge_into`. A record already ingested
        from the same source file is left unchanged. `extract` is False for curated previews.
        A record with neither title nor abstract text is refused (RecordError). `extracted`
        is what self.enrich made of it ahead (Batch.prepare): used (or raised) if it is added."""
        if (why := save_blocker(record)) is not None:
            raise RecordError(why)
        if choice == "merge":
            if not merge_into or merge_into not in self.index.keys:
                raise RecordError(f"cannot merge into '{merge_into}': no such record")
            return self.merge(self.store.load(merge_into), record, f"merged into {merge_into} as chosen")
        again, match = self._route(record, sha, choice)
        if again:
            return RecordOutcome(status="unchanged", record_id=again.record_id,
                                 message="already ingested from this file")
        if match is not None and match.decision == "duplicate":
            return self.merge(self.store.load(match.record_id), record, match.reason)
        return self.add(record, match, extract=extract, extracted=extracted)

    def _route(self, record: Record, sha: str, choice: str = "auto") -> tuple[Match | None, Match | None]:
        """Where a record goes as the batch knows the store now: (a stored record it was
        already ingested into from this same file, else None; its best match, else None)."""
        found = self.decisions.curate(self.index.matches(key_of(record))) if choice == "auto" else []
        again = next((m for m in found if sha in self.cache.sources(m.record_id)
                      and m.record_id not in self._touched), None)
        return again, found[0] if found else None

    def _adds(self, record: Record, sha: str) -> bool:
        """Whether store_one would add this record as new, as the batch knows the store now."""
        if save_blocker(record) is not None:
            return False
        again, match = self._route(record, sha)
        return again is None and (match is None or match.decision != "duplicate")

    def add(self, record: Record, possible: Match | None, *, extract: bool = True,
            extracted: Record | Exception | None = None) -> RecordOutcome:
        """Save a record as new (extracted first unless `extract` is False: a curated preview;
        `extracted`: what self.enrich made of it already in a chunk's prepare step, the record
        or the error it raised, raised again here)."""
        if extract:
            if isinstance(extracted, Exception):
                raise extracted
            record = extracted if extracted is not None else self.enrich(record)
        record = refresh_flags(record)
        taken: set[str] = set()
        for _ in range(ID_TRIES):  # a database may see another writer take the id meanwhile
            keys = self.index.keys.keys()  # a view: no copy per record
            record.id = unique_id(base_id(record), _Either(keys, taken))
            try:
                self.store.insert(record)
                break
            except RecordExists:
                taken.add(record.id)
            except IdentifierTaken as err:  # another writer stored the same DOI meanwhile
                return self.merge(self.store.load(err.record_id), record,
                                  f"same {err.field.upper()} as {err.record_id}, added meanwhile")
        else:
            raise RecordError(f"no free record id near '{base_id(record)}'")
        self._remember(record)
        note = (f"possible duplicate of {possible.record_id}: {possible.reason} (see `kb dedup`)"
                if possible else "")
        return RecordOutcome(status="new", record_id=record.id, message=note)

    def merge(self, old: Record, record: Record, reason: str) -> RecordOutcome:
        """Merge a record into the stored `old` one ("unchanged" when nothing was new and `old`
        was not itself written by this batch)."""
        touched = old.id in self._touched

        def change(current: Record) -> Record:  # the stored record as it is now (row-locked)
            merged = refresh_flags(merged_record(current, record, self.enrich))
            if not current.title and merged.title:  # a provisional id: name it after the title
                merged.id = unique_id(base_id(merged), set(self.index.keys) - {current.id})
            return merged

        try:
            merged, changed = self.store.update(old.id, change)
        except RecordNotFound:  # another writer merged it away meanwhile: keep this one as new
            self._forget(old.id)
            return self.add(record, None)
        if merged.id != old.id:
            self._forget(old.id)
        self._remember(merged)
        if changed:
            kept = self.history.keep(old, record, merged, reason, taken=self.index.keys)
            reason = f"{reason} (undo: kb dedup --undo {kept})"
        return RecordOutcome(status="merged" if changed or touched else "unchanged",
                             record_id=merged.id,
                             message=reason if changed else f"{reason}; nothing new")

    def run(self, inp: Input, *, dry_run: bool = False) -> FileReport:
        """Ingest one input; failures are reported, never raised."""
        report = FileReport(source=inp.source)
        try:
            opened = open_input(inp)
            report.format = opened.parser.NAME
            report.notes.extend(opened.notes)
            if dry_run:
                self._dry(opened, report)
            else:
                self._ingest(opened, inp, report)
        except KBError as err:
            report.error = str(err).removeprefix(f"{inp.source}: ")
        except OSError as err:
            report.error = f"cannot read the file ({err.strerror or err})"
        if not report.outcomes and report.error is None:
            report.error = f"the {report.format} parser found no record in this input"
        return report

    def _report(self, report: FileReport, outcome: RecordOutcome) -> None:
        report.outcomes.append(outcome)
        if self.on_outcome:
            self.on_outcome(outcome)

    def _items(self, opened: Opened, report: FileReport) -> Iterator[Record | RecordOutcome]:
        """The input's records, and a failed outcome in place of each record it could not parse."""
        for item in opened.items:
            if isinstance(item, ParseNote):
                report.notes.append(item.message)
            elif isinstance(item, IngestError):
                yield RecordOutcome(status="failed", message=_reason(item))
            else:
                yield item

    def _dry(self, opened: Opened, report: FileReport) -> None:
        for item in self._items(opened, report):
            if isinstance(item, RecordOutcome):
                self._report(report, item)
                continue
            report.records.append(refresh_flags(self.enrich(item)))
            self._report(report, RecordOutcome(status="parsed"))

    def _ingest(self, opened: Opened, inp: Input, report: FileReport) -> None:
        """Records in chunks of CHUNK: each chunk prepared at once (Batch.prepare), then each
        record stored in its own step, exactly as one at a time."""
        sha = inp.sha256()
        source = provenance(inp.source, sha, opened.parser.NAME)
        source_saved = False
        for chunk in _chunks(self._items(opened, report), CHUNK):
            records = [item.model_copy(update={"sources": [source]}) for item in chunk
                       if isinstance(item, Record)]
            if records and not source_saved:
                self._save_source(inp, sha)
                source_saved = True
            prepared = iter(zip(records, self.prepare(records, sha), strict=True))
            outcomes = []
            with synced_together():  # the chunk's records durable together, then reported
                for item in chunk:  # in input order, a parse failure in its place
                    if isinstance(item, RecordOutcome):
                        outcomes.append(item)
                    else:
                        record, extracted = next(prepared)
                        outcomes.append(self._store_reported(record, sha, extracted, inp.source))
            for outcome in outcomes:
                self._report(report, outcome)

    def _store_reported(self, record: Record, sha: str, extracted: Record | Exception | None,
                        source: str) -> RecordOutcome:
        """store_one, with a failure turned into the record's one-line outcome."""
        try:
            return self.store_one(record, sha, extracted=extracted)
        except KBError as err:
            return RecordOutcome(status="failed", message=f"{record.title or 'a record'}: {err}")
        except (RecursionError, MemoryError) as err:  # extraction on a pathological record
            return RecordOutcome(status="failed", message=f"{record.title or 'a record'}: "
                                 f"{failure(source, err).reason}")

    def prepare(self, records: list[Record], sha: str) -> list[Record | Exception | None]:
        """Ahead of storing a chunk of records: learn the stored records another writer added
        meanwhile with the chunk's DOIs (so their duplicates merge at once, never extracted
        first); extract the records that will be added; embed their vectors for the search
        index in one call per model (kb.search.backend.prepare_writes). Returns each
        record's extracted form, or the error its extraction raised (reported if the record
        is added after all), or None where it will not be added."""
        self._learn_meanwhile(records)
        out: list[Record | Exception | None] = []
        for record in records:
            extracted: Record | Exception | None = None
            if self._adds(record, sha):
                try:
                    extracted = self.enrich(record)
                except (KBError, RecursionError, MemoryError) as err:  # not extracted twice
                    extracted = err
            out.append(extracted)
        prepare_writes(self.store, [r for r in out if isinstance(r, Record)])
        return out

    def _learn_meanwhile(self, records: list[Record]) -> None:
        """Index the records other writers stored with these DOIs since this batch read the
        store (a database's; a folder's writers take turns)."""
        dois = {d for r in records if (d := r.identifiers.doi)}
        if not dois:
            return
        try:
            found = self.store.stored_meanwhile(dois, known=self.index.keys)
        except RecordError as err:  # an unreadable record: storing meets it and says so
            log.debug("cannot look ahead for stored duplicates: %s", err)
            return
        for stored in found:
            self.index.add(key_of(stored))
            self.cache.refresh(stored)

    def _save_source(self, inp: Input, sha: str) -> None:
        if inp.data is not None:
            self.store.save_source(inp.data, inp.suffix)
        elif inp.path is not None:
            self.store.save_source_file(inp.path, sha, inp.suffix)


class _Either:
    """Membership in either of two collections (the batch's ids and ids found taken)."""

    def __init__(self, first: Container[str], second: Container[str]) -> None:
        self.first, self.second = first, second

    def __contains__(self, item: object) -> bool:
        return item in self.first or item in self.second


def _chunks(items: Iterator[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of up to `size` items (the parser is read lazily, chunk by chunk)."""
    while chunk := list(islice(items, size)):
        yield chunk


def _reason(err: IngestError) -> str:
    return f"line {err.line}: {err.reason}" if err.line else err.reason


@contextmanager
def _locked(store: RecordStore, dry_run: bool) -> Iterator[None]:
    """The store's writer lock (a folder's; a database needs none), and on a database the search
    index attached, so each record is indexed in the transaction that stores it."""
    if dry_run:
        yield
        return
    with store.lock():
        index_writes(store)
        yield


def ingest_bytes(data: bytes, source: str, store: RecordStore, *, dry_run: bool = False,
                 enrich: Enrich | None = None) -> FileReport:
    """Ingest one input given as bytes; failures are reported, never raised."""
    batch = Batch(store, enrich or Enricher(store.home))
    with _locked(store, dry_run):
        report = batch.run(Input(source=source, data=data), dry_run=dry_run)
        batch.close()
    return report


def iter_inputs(paths: Sequence[Path | str]) -> list[Path]:
    """Files of the given paths; folders are walked (hidden files and _sources skipped)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()
                                and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)))
        else:
            files.append(path)
    return files


def ingest_paths(paths: Sequence[Path | str], store: RecordStore, *, dry_run: bool = False,
                 enrich: Enrich | None = None,
                 on_outcome: Callable[[RecordOutcome], None] | None = None) -> list[FileReport]:
    """Ingest files and folders under one writer lock; one bad file never stops the batch.

    on_outcome is called after every record (e.g. to advance a progress bar).
    """
    batch = Batch(store, enrich or Enricher(store.home), on_outcome=on_outcome)
    reports = []
    with _locked(store, dry_run):
        for path in iter_inputs(paths):
            if not path.is_file():
                reports.append(FileReport(source=str(path), error="cannot read the file"))
                continue
            reports.append(batch.run(Input(source=str(path), path=path), dry_run=dry_run))
        batch.close()
    return reports
