"""Review flags derived from a record's content (recomputed on every save) and kept parser flags."""

from __future__ import annotations

from kb.model.schema import Record, ReviewFlag

DERIVED_CODES = ("title-missing", "authors-missing", "year-missing", "abstract-missing")


def derived_flags(record: Record) -> list[ReviewFlag]:
    """Flags that follow from what the record lacks; never an invented value."""
    flags = []
    if not record.title:
        flags.append(ReviewFlag(code="title-missing", field="title",
                                message="the source gives no title; add it from the publication"))
    if not record.authors:
        flags.append(ReviewFlag(code="authors-missing", field="authors",
                                message="the source names no authors"))
    if record.year is None:
        flags.append(ReviewFlag(code="year-missing", field="year",
                                message="the source gives no publication year"))
    if not record.abstract:
        flags.append(ReviewFlag(code="abstract-missing", field="abstract",
                                message="no abstract text was found"))
    return flags


def save_blocker(record: Record) -> str | None:
    """Why a record must not be saved or merged, or None: with neither a title nor any abstract
    text, nothing in it says which publication it is (its input was not understood)."""
    if record.title or any(s.text.strip() for s in record.abstract):
        return None
    return ("neither a title nor abstract text was found, so nothing was saved; check how the "
            "text was copied, or add the title")


def refresh_flags(record: Record) -> Record:
    """Replace derived flags with fresh ones, keep other flags (deduplicated, sorted)."""
    kept = {(f.code, f.field, f.message): f for f in record.review.flags
            if f.code not in DERIVED_CODES}
    for flag in derived_flags(record):
        kept[(flag.code, flag.field, flag.message)] = flag
    flags = sorted(kept.values(), key=lambda f: (f.code, f.field or "", f.message))
    status = record.review.status
    if status == "unreviewed" and any(f.code == "merge-conflict" for f in flags):
        status = "needs-review"
    review = record.review.model_copy(update={"flags": flags, "status": status})
    return record.model_copy(update={"review": review})


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def without_removed(record: Record) -> Record:
    """The record without the extracted findings a person deleted (same place or same text):
    re-extraction must not bring them back. Curated findings always stay."""
    removed = record.review.removed_findings
    if not removed:
        return record
    places = {(r.section, tuple(r.span)) for r in removed}
    texts = {_folded(r.text) for r in removed}
    findings = [f for f in record.findings if f.origin == "curated"
                or ((f.section, tuple(f.span)) not in places and _folded(f.text) not in texts)]
    return record.model_copy(update={"findings": findings})
