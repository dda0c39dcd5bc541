"""Editing a stored record: a person's metadata, facet and finding edits applied (edited findings
become curated), the findings deleted or replaced remembered so re-extraction leaves them out,
and who changed what when kept in the record's review history; saved under the writer lock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import BaseModel

from kb.config import current_user
from kb.model.review import refresh_flags
from kb.model.schema import Finding, Record, RemovedFinding, ReviewEvent, ReviewStatus
from kb.model.taxonomy import Taxonomy
from kb.ops.curation import FindingEdit, MetadataEdit, apply_findings, apply_metadata
from kb.store import RecordStore

# The fields a person can edit, in the order the history names them.
EDITABLE = ("title", "authors", "venue", "venue_full", "year", "identifiers", "resource_type", "keywords",
            "facets")


class RecordEdit(BaseModel):
    """Everything the edit form of a stored record sends."""

    metadata: MetadataEdit
    findings: list[FindingEdit] | None = None  # None: the findings are not edited
    status: ReviewStatus | None = None
    note: str = ""


def now_utc() -> str:
    """The current time as ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def changed_fields(before: Record, after: Record) -> list[str]:
    """The editable fields (and 'findings', 'status') that differ between two versions."""
    names = [name for name in EDITABLE if getattr(before, name) != getattr(after, name)]
    if before.findings != after.findings:
        names.append("findings")
    if before.review.status != after.review.status:
        names.append("status")
    return names


def removed_findings(before: Sequence[Finding], after: Sequence[Finding], *, at: str,
                     by: str) -> list[RemovedFinding]:
    """The findings of `before` whose place in the abstract no finding of `after` holds: deleted,
    or replaced by an edited text elsewhere."""
    kept = {(f.section, f.span) for f in after}
    return [RemovedFinding(kind=f.kind, text=f.text, section=f.section, span=f.span, at=at, by=by)
            for f in before if (f.section, f.span) not in kept]


def apply_edit(record: Record, edit: RecordEdit, taxonomy: Taxonomy, *, by: str,
               at: str) -> Record:
    """The edited record with a history entry; the same record when nothing changed.
    RecordError names the field or finding row that is wrong."""
    edited = apply_metadata(record, edit.metadata)
    if edit.findings is not None:
        edited = apply_findings(edited, edit.findings, taxonomy)
    if edit.status is not None:
        edited = edited.model_copy(update={
            "review": edited.review.model_copy(update={"status": edit.status})})
    fields = changed_fields(record, edited)
    note = edit.note.strip() or None
    if not fields and note is None:
        return record
    gone = removed_findings(record.findings, edited.findings, at=at, by=by)
    known = {(r.section, r.span, r.text) for r in record.review.removed_findings}
    review = edited.review.model_copy(update={
        "history": [*record.review.history,
                    ReviewEvent(at=at, by=by, action="edited", fields=fields, note=note)],
        "removed_findings": [*record.review.removed_findings,
                             *(r for r in gone if (r.section, r.span, r.text) not in known)]})
    return refresh_flags(edited.model_copy(update={"review": review}))


def save_edit(store: RecordStore, record_id: str, edit: RecordEdit, taxonomy: Taxonomy, *,
              by: str | None = None, at: str | None = None) -> Record:
    """Apply an edit to the stored record and save it, as one step no other writer interleaves
    with (LockTimeout when another process holds the folder's lock too long). Returns the
    record as stored."""
    who, when = (by or "").strip() or current_user(), at or now_utc()
    with store.lock():
        record, _ = store.update(record_id, lambda r: apply_edit(r, edit, taxonomy, by=who, at=when))
    return record
