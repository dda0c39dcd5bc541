"""Adding publications from the app: preview an input (parsed and extracted, nothing saved) with
the stored record each parsed record duplicates, then save the records — possibly edited — as
new records or merged into the duplicate the librarian chose, with the input kept as source."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ingest.pipeline import Enrich, FileReport, RecordOutcome, ingest_bytes
from ingest.reader import Input
from ingest.sniff import BY_NAME
from kb.dedup import key_of
from kb.dedup_cache import KeyCache
from kb.dedup_index import DedupIndex
from kb.errors import KBError, RecordError
from kb.ids import base_id, unique_id
from kb.merge import merge
from kb.present import display_title
from kb.review import refresh_flags
from kb.schema import Provenance, Record
from kb.store import Store

log = logging.getLogger(__name__)
SaveChoice = Literal["auto", "new", "merge"]
MAX_UPLOAD_MB = 100
MAX_PASTE_CHARS = 200_000
UPLOAD_TYPES: tuple[str, ...] = ("txt", "text", "md", "ris", "bib", "nbib", "medline", "xml",
                                 "json", "csv", "tsv", "gz")
PASTED_NAME = "pasted.txt"


class Duplicate(BaseModel):
    """A stored record a parsed record looks like, and why."""

    record_id: str
    title: str
    reason: str
    decision: Literal["duplicate", "possible"]
    score: float


class Preview(BaseModel):
    """One input parsed and extracted, nothing saved."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    source: str
    data: bytes
    parser: str | None = None
    records: list[Record] = Field(default_factory=list)
    duplicates: list[Duplicate | None] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    failed: list[str] = Field(default_factory=list)
    error: str | None = None


class Pending(BaseModel):
    """A previewed record to save, and where: automatic (merge a sure duplicate, else add),
    always as a new record, or merged into `merge_into`."""

    record: Record
    choice: SaveChoice = "auto"
    merge_into: str | None = None


def _duplicate(store: Store, dedup: DedupIndex, record: Record) -> Duplicate | None:
    match = dedup.match(key_of(record))
    if match is None or match.decision == "distinct":
        return None
    try:
        title = display_title(store.load(match.record_id))
    except KBError:
        title = match.record_id
    return Duplicate(record_id=match.record_id, title=title, reason=match.reason,
                     decision=match.decision, score=match.score)


def dedup_index(store: Store) -> DedupIndex:
    """Dedup keys of every stored record (from the key cache in .kb/; changed files re-read)."""
    keys, _ = KeyCache(store).load()
    return DedupIndex(keys.values())


def preview(data: bytes, source: str, store: Store, enrich: Enrich,
            dedup: DedupIndex | None = None) -> Preview:
    """Parse and extract an input without saving, and find each record's stored duplicate."""
    report = ingest_bytes(data, source, store, dry_run=True, enrich=enrich)
    dedup = dedup if dedup is not None else dedup_index(store)
    return Preview(
        source=source, data=data, parser=report.format, records=report.records,
        duplicates=[_duplicate(store, dedup, r) for r in report.records], notes=report.notes,
        failed=[o.message for o in report.outcomes if o.status == "failed"], error=report.error)


def provenance(source: str, sha: str, parser_name: str) -> Provenance:
    """Where a record came from: the input's name and hash, the parser, now (UTC)."""
    parser = BY_NAME[parser_name]
    return Provenance(path=source.rsplit("/", 1)[-1], sha256=sha, format=parser.FORMAT,
                      parser=parser.NAME, parser_version=parser.VERSION,
                      ingested_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat())


class _Saver:
    """Saves records into a store, keeping the dedup keys current as records are added."""

    def __init__(self, store: Store, dedup: DedupIndex, enrich: Enrich) -> None:
        self.store, self.dedup, self.enrich = store, dedup, enrich

    def taken(self) -> set[str]:
        return set(self.dedup.keys) | set(self.store.ids())

    def add(self, record: Record, possible: str | None) -> RecordOutcome:
        record = refresh_flags(record)
        record.id = unique_id(base_id(record), self.taken())
        self.store.save(record)
        self.dedup.add(key_of(record))
        note = f"possible duplicate of {possible}" if possible else ""
        return RecordOutcome(status="new", record_id=record.id, message=note)

    def merge(self, old: Record, record: Record, reason: str) -> RecordOutcome:
        merged = _merged_findings(old, record, merge(old, record), self.enrich)
        merged = refresh_flags(merged)
        if not old.title and merged.title:  # the id was provisional: name it after the title
            merged.id = unique_id(base_id(merged), self.taken() - {old.id})
        changed = self.store.save(merged)
        if merged.id != old.id:
            self.store.delete(old.id)
            self.dedup.remove(old.id)
        self.dedup.add(key_of(merged))
        return RecordOutcome(status="merged" if changed else "unchanged", record_id=merged.id,
                             message=reason if changed else f"{reason}; nothing new")

    def save(self, pending: Pending) -> RecordOutcome:
        record = pending.record
        if pending.choice == "merge":
            if not pending.merge_into or pending.merge_into not in self.dedup.keys:
                raise RecordError(f"cannot merge into '{pending.merge_into}': no such record")
            return self.merge(self.store.load(pending.merge_into), record,
                              f"merged into {pending.merge_into} as chosen")
        match = self.dedup.match(key_of(record)) if pending.choice == "auto" else None
        if match is not None and match.decision == "duplicate":
            return self.merge(self.store.load(match.record_id), record, match.reason)
        possible = match.record_id if match is not None and match.decision == "possible" else None
        return self.add(record, possible)


def _merged_findings(old: Record, new: Record, merged: Record, enrich: Enrich) -> Record:
    """Findings for a merged record: the stored ones (plus the new record's curated ones) when
    the text did not change, else extracted afresh around the curated findings that still fit."""
    if (merged.abstract, merged.translations) == (old.abstract, old.translations):
        curated = [f for f in new.findings if f.origin == "curated"] if new.abstract == old.abstract else []
        places = {(f.section, f.span) for f in curated}
        findings = sorted([f for f in old.findings if (f.section, f.span) not in places] + curated,
                          key=lambda f: (f.section, f.span))
        return merged.model_copy(update={"findings": findings, "study": old.study})
    keep = [f for r in (new, old) if merged.abstract == r.abstract
            for f in r.findings if f.origin == "curated"]
    return enrich(merged.model_copy(update={"findings": list({f.id: f for f in keep}.values())}))


def save_preview(store: Store, item: Preview, pending: Sequence[Pending], enrich: Enrich, *,
                 on_outcome: Callable[[RecordOutcome], None] | None = None) -> FileReport:
    """Save the pending records of one previewed input under the writer lock; the input is kept
    in records/_sources/. One failing record is reported and never stops the others."""
    report = FileReport(source=item.source, format=item.parser)
    if item.parser is None:
        report.error = item.error or "nothing was parsed from this input"
        return report
    with store.lock():
        saver = _Saver(store, dedup_index(store), enrich)
        inp = Input(source=item.source, data=item.data)
        sha = store.save_source(item.data, inp.suffix)
        source = provenance(item.source, sha, item.parser)
        for entry in pending:
            record = entry.record.model_copy(update={"sources": [source], "id": ""})
            try:
                outcome = saver.save(entry.model_copy(update={"record": record}))
            except KBError as err:
                outcome = RecordOutcome(status="failed",
                                        message=f"{display_title(record)}: {err}")
            report.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
    return report
