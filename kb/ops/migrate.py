"""Move a knowledge base between backends (a folder and a PostgreSQL database, either way),
losing nothing: every record (written back byte for byte), every kept source with its hash, and
the curated documents (the duplicate decisions and the merges kept for undo)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from pydantic import BaseModel, Field

from kb.config import DECISIONS_FILE
from kb.dedup.history import document_names
from kb.errors import KBError
from kb.store import RecordStore

log = logging.getLogger(__name__)
DOCUMENTS = (DECISIONS_FILE,)


class MigrateReport(BaseModel):
    """What a migration copied."""

    source: str
    target: str
    records: int = 0
    unchanged: int = 0
    sources: int = 0
    documents: list[str] = Field(default_factory=list)
    already_there: int = 0  # records the target had that the source does not
    failed: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        head = (f"{self.source} → {self.target}: {self.records:,} records written, "
                f"{self.unchanged:,} already identical, {self.sources:,} sources, "
                f"{len(self.documents)} documents")
        if self.already_there:
            head += f"; the target also holds {self.already_there:,} other records"
        if self.failed:
            head += f"; {len(self.failed)} failed"
        return head


def migrate(source: RecordStore, target: RecordStore, *,
            on_record: Callable[[str], None] | None = None) -> MigrateReport:
    """Copy every record, source and document of `source` into `target` (records with the same
    id are replaced; nothing is deleted from the target)."""
    if source.location == target.location:
        raise KBError(f"the source and the target are the same knowledge base ({source.location})")
    report = MigrateReport(source=source.location, target=target.location)
    for sha in source.source_hashes():
        data = source.source_bytes(sha)
        if data is not None:
            target.save_source(data, source.source_suffix(sha) or ".txt")
            report.sources += 1
    ids = source.ids()
    for record_id in ids:
        try:
            if target.save(source.load(record_id)):
                report.records += 1
            else:
                report.unchanged += 1
        except KBError as err:
            report.failed.append(f"{record_id}: {err}")
        if on_record is not None:
            on_record(record_id)
    for name in (*DOCUMENTS, *document_names(source)):
        data = source.read_document(name)
        if data is not None:
            target.write_document(name, data)
            report.documents.append(name)
    report.already_there = len(set(target.ids()) - set(ids))
    return report
