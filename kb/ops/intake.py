"""Adding publications from the app: preview an input (parsed and extracted, nothing saved) with
the stored record each parsed record duplicates, then save the records — possibly edited — as
new records or merged into the duplicate the librarian chose, with the input kept as source."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ingest.reader import Input
from kb.config import MAX_UPLOAD_MB  # noqa: F401 (the app shows it)
from kb.dedup.cache import KeyCache
from kb.dedup.index import DuplicateLookup
from kb.dedup.match import key_of
from kb.dedup.stored import StoredDedupIndex
from kb.errors import KBError
from kb.model.present import display_title
from kb.model.review import save_blocker  # noqa: F401 (the app asks it before offering Save)
from kb.model.schema import Record
from kb.ops.pipeline import (
    Batch,
    Enrich,
    FileReport,
    RecordOutcome,
    ingest_bytes,
    provenance,
)
from kb.store import RecordStore

log = logging.getLogger(__name__)
SaveChoice = Literal["auto", "new", "merge"]

MAX_PASTE_CHARS = 200_000
UPLOAD_TYPES: tuple[str, ...] = ("txt", "text", "md", "ris", "bib", "nbib", "medline", "xml",
                                 "json", "csv", "tsv", "gz", "html", "htm", "pdf", "docx")
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

    def duplicate_summary(self) -> list[str]:
        """One line per parsed record that looks like a stored one: 'Title — already stored as
        ID (reason)' or '… possibly …', in input order."""
        lines = []
        for number, (record, dup) in enumerate(zip(self.records, self.duplicates, strict=False), 1):
            if dup is not None:
                how = "already stored" if dup.decision == "duplicate" else "possibly stored"
                lines.append(f"{number}. {display_title(record)} — {how} as {dup.record_id} "
                             f"({dup.reason})")
        return lines


class Pending(BaseModel):
    """A previewed record to save, and where: automatic (merge a sure duplicate, else add),
    always as a new record, or merged into `merge_into`."""

    record: Record
    choice: SaveChoice = "auto"
    merge_into: str | None = None


def _duplicate(store: RecordStore, dedup: DuplicateLookup, record: Record) -> Duplicate | None:
    match = dedup.match(key_of(record))
    if match is None or match.decision == "distinct":
        return None
    try:
        title = display_title(store.load(match.record_id))
    except KBError:
        title = match.record_id
    return Duplicate(record_id=match.record_id, title=title, reason=match.reason,
                     decision=match.decision, score=match.score)


def dedup_index(store: RecordStore) -> StoredDedupIndex:
    """Duplicate lookup over every stored record (the key cache in .kb/; changed files re-read)."""
    return KeyCache(store).index()


def preview(data: bytes, source: str, store: RecordStore, enrich: Enrich,
            dedup: DuplicateLookup | None = None) -> Preview:
    """Parse and extract an input without saving, and find each record's stored duplicate."""
    report = ingest_bytes(data, source, store, dry_run=True, enrich=enrich)
    dedup = dedup if dedup is not None else dedup_index(store)
    return Preview(
        source=source, data=data, parser=report.format, records=report.records,
        duplicates=[_duplicate(store, dedup, r) for r in report.records], notes=report.notes,
        failed=[o.message for o in report.outcomes if o.status == "failed"], error=report.error)


def save_preview(store: RecordStore, item: Preview, pending: Sequence[Pending], enrich: Enrich, *,
                 on_outcome: Callable[[RecordOutcome], None] | None = None) -> FileReport:
    """Save the pending records of one previewed input under the writer lock; the input is kept
    in records/_sources/. One failing record is reported and never stops the others."""
    report = FileReport(source=item.source, format=item.parser)
    if item.parser is None:
        report.error = item.error or "nothing was parsed from this input"
        return report
    with store.lock():
        batch = Batch(store, enrich)
        inp = Input(source=item.source, data=item.data)
        sha = store.save_source(item.data, inp.suffix)
        source = provenance(item.source, sha, item.parser)
        for entry in pending:
            record = entry.record.model_copy(update={"sources": [source], "id": ""})
            try:
                outcome = batch.store_one(record, sha, choice=entry.choice,
                                          merge_into=entry.merge_into, extract=False)
            except KBError as err:
                outcome = RecordOutcome(status="failed",
                                        message=f"{display_title(record)}: {err}")
            report.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
        batch.close()
    return report
