"""Two records that may be one publication, field by field as a librarian compares them: the
value on each side and whether they agree. Agreement comes from the same evidence the matcher
weighs (kb/dedup/evidence.py), so the table shows why a pair was proposed, not a second opinion."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from rapidfuzz import fuzz

from kb.dedup.evidence import Evidence, evidence
from kb.dedup.keys import key_of
from kb.model.present import authors_line
from kb.model.schema import Record

Agreement = Literal["agree", "close", "differ", "missing"]

_TITLE: dict[str, Agreement] = {"same": "agree", "close": "close", "similar": "close",
                                "weak": "differ", "different": "differ", "missing": "missing"}
_AUTHORS: dict[str, Agreement] = {"same": "agree", "partial": "close", "unclear": "close",
                                  "different": "differ", "missing": "missing"}
_STATE: dict[str, Agreement] = {"same": "agree", "differs": "differ", "missing": "missing"}
ABSTRACT_CHARS = 160


class FieldRow(BaseModel):
    """One field of a pair: both values (empty when absent) and their agreement."""

    field: str
    a: str
    b: str
    agreement: Agreement


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _plain(field: str, a: str, b: str) -> FieldRow:
    """Values compared as written (case and spaces aside)."""
    if not a or not b:
        agreement: Agreement = "missing"
    else:
        agreement = "agree" if " ".join(a.lower().split()) == " ".join(b.lower().split()) else "differ"
    return FieldRow(field=field, a=a, b=b, agreement=agreement)


def _year(a: Record, b: Record, ev: Evidence) -> FieldRow:
    gap = ev.year_gap
    agreement: Agreement = "missing" if gap is None else "agree" if gap == 0 else "close" if gap == 1 else "differ"
    return FieldRow(field="Year", a=_text(a.year), b=_text(b.year), agreement=agreement)


def _abstract_head(record: Record) -> str:
    text = " ".join(record.abstract_text().split())
    return text if len(text) <= ABSTRACT_CHARS else text[:ABSTRACT_CHARS].rsplit(" ", 1)[0] + " …"


def _abstract(a: Record, b: Record, ev: Evidence) -> FieldRow:
    """The matcher calls abstracts too short to judge 'missing'; shown here, two present
    abstracts are graded by how much of their opening they share."""
    head_a, head_b = _abstract_head(a), _abstract_head(b)
    agreement = _STATE[ev.abstract]
    if agreement == "missing" and head_a and head_b:
        score = fuzz.ratio(a.abstract_text()[:300].lower(), b.abstract_text()[:300].lower())
        agreement = "agree" if score >= 90 else "differ" if score < 50 else "close"
    return FieldRow(field="Abstract", a=head_a, b=head_b, agreement=agreement)


def side_by_side(a: Record, b: Record) -> list[FieldRow]:
    """Title, authors, year, venue, volume, issue, pages, DOI, PMID, PMCID and the abstract's
    opening, in that order; identifiers are left out when neither record has one."""
    ev = evidence(key_of(a), key_of(b))
    ids_a, ids_b = a.identifiers, b.identifiers
    rows = [
        FieldRow(field="Title", a=_text(a.title), b=_text(b.title), agreement=_TITLE[ev.title]),
        FieldRow(field="Authors", a=authors_line(a), b=authors_line(b), agreement=_AUTHORS[ev.authors]),
        _year(a, b, ev),
        FieldRow(field="Venue", a=_text(a.venue), b=_text(b.venue), agreement=_STATE[ev.venue]),
        FieldRow(field="Volume", a=_text(a.volume), b=_text(b.volume), agreement=_STATE[ev.volume]),
        FieldRow(field="Issue", a=_text(a.issue), b=_text(b.issue), agreement=_STATE[ev.issue]),
        FieldRow(field="Pages", a=_text(a.pages or a.article_number), b=_text(b.pages or b.article_number),
                 agreement="agree" if ev.article_id else _STATE[ev.pages]),
    ]
    for name, va, vb in (("DOI", ids_a.doi, ids_b.doi), ("PMID", ids_a.pmid, ids_b.pmid),
                         ("PMCID", ids_a.pmcid, ids_b.pmcid)):
        if va or vb:
            rows.append(_plain(name, _text(va), _text(vb)))
    rows.append(_abstract(a, b, ev))
    return rows
