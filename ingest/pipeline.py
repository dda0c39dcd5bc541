"""Ingest inputs into a knowledge base: read, sniff, parse, merge with duplicates, save."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from collections.abc import Callable

from ingest.enrich import Enricher
from ingest.sniff import choose_parser
from ingest.textfile import decode
from kb.dedup import find_duplicate
from kb.errors import IngestError, KBError
from kb.ids import base_id, unique_id
from kb.merge import merge
from kb.review import refresh_flags
from kb.schema import Provenance, Record
from kb.store import Store

log = logging.getLogger(__name__)
Status = Literal["new", "merged", "unchanged", "failed", "parsed"]


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
    error: str | None = None
    records: list[Record] = Field(default_factory=list)  # filled for dry runs

    @property
    def ok(self) -> bool:
        return self.error is None and all(o.status != "failed" for o in self.outcomes)

    def summary(self) -> str:
        """'merged chuang-2025-…' / 'failed: reason' — one line per file."""
        if self.error:
            return f"failed: {self.error}"
        parts = [f"{o.status} {o.record_id}" if o.record_id else f"{o.status}: {o.message}"
                 for o in self.outcomes]
        return ", ".join(parts) or "no records"


def parse_input(data: bytes, source: str) -> tuple[str, list[Record]]:
    """Decode, sniff and parse; records come back without id or provenance."""
    text = decode(data, source)
    parser = choose_parser(text, source)
    records = parser.parse(text, source=source)
    if not records:
        raise IngestError(source, f"the {parser.NAME} parser found no record in this input")
    return parser.NAME, records


def _provenance(source: str, sha: str, parser_name: str) -> Provenance:
    from ingest.sniff import BY_NAME

    parser = BY_NAME[parser_name]
    return Provenance(
        path=Path(source).name, sha256=sha, format=parser.FORMAT, parser=parser.NAME,
        parser_version=parser.VERSION,
        ingested_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    )


Enrich = Callable[[Record], Record]


def ingest_bytes(data: bytes, source: str, store: Store, *, dry_run: bool = False,
                 enrich: Enrich | None = None) -> FileReport:
    """Ingest one input; failures are reported, never raised, and leave records/ untouched.

    enrich: the extraction step (default: an Enricher on this store's taxonomy and embeddings).
    """
    enrich = enrich or Enricher(store.home)
    report = FileReport(source=source)
    try:
        parser_name, records = parse_input(data, source)
    except KBError as err:
        report.error = str(err) if str(err).startswith(source) else f"{source}: {err}"
        report.error = report.error.removeprefix(f"{source}: ")
        return report
    report.format = parser_name
    sha = hashlib.sha256(data).hexdigest()
    if dry_run:
        report.records = [refresh_flags(enrich(r)) for r in records]
        report.outcomes = [RecordOutcome(status="parsed") for _ in records]
        return report
    with store.lock():
        stored = store.load_all()
        if any(s.sha256 == sha for r in stored for s in r.sources):
            report.outcomes = [RecordOutcome(status="unchanged", record_id=r.id, message="already ingested")
                               for r in stored if any(s.sha256 == sha for s in r.sources)]
            return report
        store.save_source(data, Path(source).suffix or ".txt")
        provenance = _provenance(source, sha, parser_name)
        for record in records:
            record = record.model_copy(update={"sources": [provenance]})
            report.outcomes.append(_store_one(record, stored, store, enrich))
    return report


def _store_one(record: Record, stored: list[Record], store: Store, enrich: Enrich) -> RecordOutcome:
    match = find_duplicate(record, stored)
    taken = {r.id for r in stored}
    if match is None:
        record = refresh_flags(enrich(record))
        record.id = unique_id(base_id(record), taken)
        store.save(record)
        stored.append(record)
        return RecordOutcome(status="new", record_id=record.id)
    index = next(i for i, r in enumerate(stored) if r.id == match.record_id)
    old = stored[index]
    merged = refresh_flags(enrich(merge(old, record)))
    if not old.title and merged.title:  # the id was provisional: name it after the real title
        merged.id = unique_id(base_id(merged), taken - {old.id})
    store.save(merged)
    if merged.id != old.id:
        store.delete(old.id)
    stored[index] = merged
    return RecordOutcome(status="merged", record_id=merged.id, message=match.reason)


def iter_inputs(paths: list[Path]) -> list[Path]:
    """Files of the given paths; folders are walked (hidden files and _sources skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()
                                and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)))
        else:
            files.append(path)
    return files


def ingest_paths(paths: list[Path], store: Store, *, dry_run: bool = False,
                 enrich: Enrich | None = None) -> list[FileReport]:
    """Ingest files and folders; one bad file never stops the batch."""
    enrich = enrich or Enricher(store.home)
    reports = []
    for path in iter_inputs(paths):
        try:
            data = path.read_bytes()
        except OSError as err:
            reports.append(FileReport(source=str(path), error=f"cannot read the file ({err.strerror})"))
            continue
        reports.append(ingest_bytes(data, str(path), store, dry_run=dry_run, enrich=enrich))
    return reports
