"""Are two records the same publication? Exact DOI/PMID/PMCID, else rapidfuzz similarity of the
normalized title with year, first author, venue, pages and numbers in the title as evidence.
Verdicts: "duplicate" (merge without asking), "possible" (a librarian decides), "distinct"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from kb.model.schema import Record
from kb.text.normalize import fold_words

Decision = Literal["duplicate", "possible", "distinct"]
DUPLICATE_SCORE = 93.0   # tuned on the labelled pairs (see kb/dedup_eval.py)
POSSIBLE_SCORE = 80.0
ABSTRACT_SCORE = 95.0
STOPWORDS = frozenset("a an and are as at by for from in into is of on or the to with".split())
_VERSION = re.compile(r"(?:\.pub\d+|\.v\d+|v\d+)$")


@dataclass(frozen=True)
class Match:
    """A stored record judged to be the same publication as another, and why."""

    record_id: str
    reason: str
    score: float
    decision: Decision = "duplicate"


@dataclass(frozen=True)
class DedupKey:
    """What duplicate detection looks at, normalized once per record."""

    id: str
    doi: str | None
    pmid: str | None
    pmcid: str | None
    title: str
    year: int | None
    authors: tuple[str, ...]
    venue: str
    pages: str
    abstract_head: str

    @property
    def first_author(self) -> str:
        return self.authors[0] if self.authors else ""

    @property
    def doi_stem(self) -> str | None:
        """The DOI without a version suffix (Cochrane '.pub3', preprint 'v2')."""
        return _VERSION.sub("", self.doi) if self.doi else None


def normalize_title(title: str | None) -> str:
    """Title words for fuzzy comparison: 'The BMI — of ä!' -> 'the bmi of a'."""
    return fold_words(re.sub(r"<[^>]+>", " ", title or ""))


def _start_page(pages: str | None) -> str:
    return re.split(r"\s*[-–]\s*", pages.strip())[0].lower().lstrip("0") if pages else ""


def key_of(record: Record) -> DedupKey:
    """The dedup key of a record."""
    ids = record.identifiers
    return DedupKey(
        id=record.id, doi=ids.doi, pmid=ids.pmid, pmcid=ids.pmcid,
        title=normalize_title(record.title), year=record.year,
        authors=tuple(fold_words(a.family or a.collective) for a in record.authors),
        venue=fold_words(record.venue), pages=_start_page(record.pages or record.article_number),
        abstract_head=fold_words(record.abstract_text())[:600])


def venue_match(a: str, b: str) -> bool | None:
    """None when a venue is missing; True for the same venue, also abbreviated
    ('brief bioinform' ~ 'briefings in bioinformatics'); False otherwise."""
    if not a or not b:
        return None
    if a == b or fuzz.ratio(a, b) >= 90:
        return True
    short, long_ = sorted(([w for w in a.split() if w not in STOPWORDS],
                           [w for w in b.split() if w not in STOPWORDS]), key=len)
    words = iter(long_)  # each word of the shorter name starts a later word of the longer one
    return bool(short) and all(any(w.startswith(s) for w in words) for s in short)


def _numbers(title: str) -> set[str]:
    return set(re.findall(r"\d+", title))


def title_similarity(a: str, b: str) -> float:
    """0-100: order-insensitive token similarity, never above plain similarity + 10."""
    if not a or not b:
        return 0.0
    return min(fuzz.token_sort_ratio(a, b), fuzz.ratio(a, b) + 10.0)


def _author_penalty(a: DedupKey, b: DedupKey) -> float:
    if not a.authors or not b.authors:
        return 0.0
    if fuzz.ratio(a.first_author, b.first_author) < 80:
        return 40.0
    shared = len(set(a.authors) & set(b.authors)) / max(len(set(a.authors)), len(set(b.authors)))
    return 0.0 if shared >= 0.5 else 8.0


def _year_penalty(a: DedupKey, b: DedupKey, title: float) -> float:
    if a.year is None or b.year is None or a.year == b.year:
        return 0.0
    if abs(a.year - b.year) == 1:  # online-first vs print issue, or a new version
        same_people = len(a.authors) == len(b.authors) and bool(a.authors)
        return 5.0 if title >= 97 and same_people else 20.0
    return 40.0


def _corroborated(a: DedupKey, b: DedupKey) -> bool:
    """Same first author and same year."""
    return bool(a.authors and b.authors and a.first_author == b.first_author and a.year and a.year == b.year)


def _truncated(a: DedupKey, b: DedupKey) -> bool:
    """One title is the other without its subtitle or last words (five words at least)."""
    short, long_ = sorted((a.title, b.title), key=len)
    return len(short.split()) >= 5 and (long_.startswith(short) or long_.endswith(short))


def fuzzy_score(a: DedupKey, b: DedupKey) -> tuple[float, str]:
    """Title similarity lowered by contradicting year, authors, venue, pages or numbers."""
    title = title_similarity(a.title, b.title)
    if _corroborated(a, b) and _truncated(a, b):
        title = max(title, 98.0)  # a subtitle or a last word lost in one export
    score = title - _year_penalty(a, b, title) - _author_penalty(a, b)
    why = "similar title, year and first author"
    if _numbers(a.title) != _numbers(b.title):
        score -= 30.0
    venue = venue_match(a.venue, b.venue)
    if venue is False:
        score -= 12.0
        why = "similar title and authors but different venues"
    if a.pages and b.pages and a.pages != b.pages and a.year == b.year:
        score -= 8.0
    if (len(a.title.split()) < 4 or len(b.title.split()) < 4) and not _corroborated(a, b):
        score -= 10.0  # 'Book review', 'Editorial': a short title alone proves little
    return max(score, 0.0), why


def _identifier(a: DedupKey, b: DedupKey) -> tuple[str | None, bool]:
    """(the identifier both share, whether some identifier contradicts)."""
    shared = None
    conflict = False
    for name, va, vb in (("DOI", a.doi_stem, b.doi_stem), ("PMID", a.pmid, b.pmid),
                         ("PMCID", a.pmcid, b.pmcid)):
        if va and vb:
            if va == vb:
                shared = shared or name
            else:
                conflict = True
    return shared, conflict


def compare(a: DedupKey, b: DedupKey, *, duplicate_at: float = DUPLICATE_SCORE) -> Match:
    """The verdict on a pair of keys (record_id is b's); duplicate_at: the fuzzy-score
    threshold of a confident duplicate."""
    shared, conflict = _identifier(a, b)
    title = title_similarity(a.title, b.title)
    if shared and not conflict:
        if not a.title or not b.title or title >= 70 or (
                not _author_penalty(a, b) and a.year == b.year):
            return Match(b.id, f"same {shared}", 100.0, "duplicate")
        return Match(b.id, f"same {shared} but different titles", 60.0 + title / 5, "possible")
    if conflict and not shared:
        return Match(b.id, "different identifiers", 0.0, "distinct")
    if a.title and a.title == b.title and a.abstract_head and a.abstract_head == b.abstract_head:
        return Match(b.id, "same title and abstract", 100.0, "duplicate" if not conflict else "possible")
    if a.title and b.title:
        score, why = fuzzy_score(a, b)
    elif not a.title and not b.title and a.abstract_head and a.abstract_head == b.abstract_head:
        return Match(b.id, "same abstract text", 100.0, "duplicate" if not conflict else "possible")
    elif not a.title and not b.title and len(a.abstract_head) > 200 and len(b.abstract_head) > 200:
        score, why = fuzz.ratio(a.abstract_head, b.abstract_head), "same abstract text"
        score = score if score >= ABSTRACT_SCORE else min(score, POSSIBLE_SCORE - 1)
    else:
        return Match(b.id, "nothing to compare", 0.0, "distinct")
    decision: Decision = ("duplicate" if score >= duplicate_at and not conflict
                          else "possible" if score >= POSSIBLE_SCORE else "distinct")
    return Match(b.id, why if decision != "distinct" else "not similar enough", round(score, 1), decision)


def ranked_matches(key: DedupKey, others: list[DedupKey]) -> list[Match]:
    """Duplicates and possible duplicates of `key` among `others`, best first."""
    found = [m for other in others if not (other.id == key.id and key.id)
             if (m := compare(key, other)).decision != "distinct"]
    return sorted(found, key=lambda m: (m.decision != "duplicate", -m.score, m.record_id))


def best_match(key: DedupKey, others: list[DedupKey]) -> Match | None:
    """The most similar of `others` that is a duplicate or a possible duplicate."""
    found = ranked_matches(key, others)
    return found[0] if found else None


def find_duplicate(new: Record, stored: list[Record]) -> Match | None:
    """The stored record that is confidently the same publication as `new`, or None
    (a linear scan for short lists; imports use kb.dedup.index.DedupIndex)."""
    match = best_match(key_of(new), [key_of(r) for r in stored])
    return match if match and match.decision == "duplicate" else None
