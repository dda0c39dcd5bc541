"""Find the stored record a new one duplicates: DOI, PMID, PMCID, then fuzzy title+year+author."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from kb.schema import Record

TITLE_THRESHOLD = 93.0
ABSTRACT_THRESHOLD = 95.0


@dataclass(frozen=True)
class Match:
    """A stored record judged to be the same publication, and why."""

    record_id: str
    reason: str
    score: float


def normalize_title(title: str | None) -> str:
    """Lower-case ASCII words only, for fuzzy comparison."""
    if not title:
        return ""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _first_family(record: Record) -> str:
    return record.authors[0].ascii_family() if record.authors else ""


def _compatible(a: Record, b: Record) -> bool:
    """Years and first authors do not contradict each other, and no identifier disagrees."""
    if a.year and b.year and abs(a.year - b.year) > 1:
        return False
    fa, fb = _first_family(a), _first_family(b)
    if fa and fb and fuzz.ratio(fa, fb) < 80:
        return False
    for key in ("doi", "pmid", "pmcid"):
        va, vb = getattr(a.identifiers, key), getattr(b.identifiers, key)
        if va and vb and va != vb:
            return False
    return True


def _abstract_head(record: Record) -> str:
    return " ".join(record.abstract_text().split())[:600].lower()


def find_duplicate(new: Record, stored: list[Record]) -> Match | None:
    """The first stored record that is the same publication as `new`, or None."""
    for key in ("doi", "pmid", "pmcid"):
        value = getattr(new.identifiers, key)
        if value:
            for rec in stored:
                if getattr(rec.identifiers, key) == value:
                    return Match(rec.id, f"same {key.upper()}", 100.0)
    title = normalize_title(new.title)
    best: Match | None = None
    for rec in stored:
        if not _compatible(new, rec):
            continue
        other = normalize_title(rec.title)
        if title and other:
            score = fuzz.token_sort_ratio(title, other)
            if score >= TITLE_THRESHOLD and (best is None or score > best.score):
                best = Match(rec.id, "similar title, year and first author", score)
        head, rec_head = _abstract_head(new), _abstract_head(rec)
        if len(head) > 200 and len(rec_head) > 200:
            score = fuzz.ratio(head, rec_head)
            if score >= ABSTRACT_THRESHOLD and (best is None or score > best.score):
                best = Match(rec.id, "same abstract text", score)
    return best
