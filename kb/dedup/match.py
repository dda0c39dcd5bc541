"""Are two records the same publication? The field-by-field evidence of kb/dedup/evidence.py
turned into a verdict with its reason: "duplicate" (merged without asking), "possible" (a
librarian decides in `kb dedup`), "distinct". A duplicate needs agreement and no contradiction:
a shared DOI/PMID/PMCID not contradicted by years, pages or item kind (erratum, reply), or a
close title with the same authors and year that the venue, volume, pages or abstract confirm."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kb.dedup.evidence import Evidence, evidence, titles_apart, venue_match
from kb.dedup.keys import DedupKey, key_of, normalize_title, significant
from kb.dedup.tables import STOPWORDS
from kb.model.schema import Record

__all__ = ["DUPLICATE_SCORE", "STOPWORDS", "DedupKey", "Match", "best_match", "compare",
           "find_duplicate", "key_of", "may_match", "normalize_title", "ranked_matches", "venue_match"]

Decision = Literal["duplicate", "possible", "distinct"]
#: the title similarity (0-100) a duplicate without a shared identifier needs at least
DUPLICATE_SCORE = 90.0
SHORT_TITLE = 4  # fewer significant words than this: 'Editorial', 'Book review' prove little


@dataclass(frozen=True)
class Match:
    """A stored record judged to be the same publication as another, and why."""

    record_id: str
    reason: str
    score: float
    decision: Decision = "duplicate"


def _identifier(a: DedupKey, b: DedupKey) -> tuple[str | None, bool, bool]:
    """(the identifier both share, whether some identifier contradicts, whether the DOIs are
    only versions of one another: '.pub2' and '.pub3')."""
    shared, conflict, versions = None, False, False
    for name, va, vb in (("DOI", a.doi_stem, b.doi_stem), ("PMID", a.pmid, b.pmid),
                         ("PMCID", a.pmcid, b.pmcid)):
        if va and vb:
            if va == vb:
                shared = shared or name
                versions = versions or (name == "DOI" and a.doi != b.doi)
            else:
                conflict = True
    return shared, conflict, versions


def _contradiction(ev: Evidence) -> str | None:
    """What says two similar records are two items, or None."""
    if ev.markers_differ:
        return "one is an erratum, reply or comment of the other"
    if ev.numbers_differ:
        return "the titles name different numbers"
    if ev.subgroup_differs:
        return "the titles name different populations"
    if ev.year_gap is not None and ev.year_gap > 1:
        return "years differ"
    if ev.misplaced and ev.abstract != "same":
        return "volumes, issues or pages differ"
    if ev.abstract == "differs":
        return "abstracts differ"
    return None


def _confirmed(ev: Evidence, a: DedupKey, b: DedupKey) -> bool:
    """Something beyond title and authors places both at one publication."""
    if ev.venue == "differs":  # two periodicals (or a name no rule relates): more than a number
        return ev.abstract == "same" or (ev.volume == "same" and ev.pages == "same")
    if ev.year_gap == 1:  # online first and print: the same place and the same title
        return ev.title == "same" and (ev.located or ev.abstract == "same")
    if ev.located or ev.abstract == "same":
        return True
    short = min(len(significant(a.title)), len(significant(b.title)))
    if ev.year_gap == 0:
        return ev.venue != "differs" and (short >= SHORT_TITLE or ev.venue == "same")
    return False


def _identified(a: DedupKey, b: DedupKey, ev: Evidence, shared: str, versions: bool) -> Match:
    """A shared identifier: the same publication unless the rest says an erratum, a reply or
    another version (even a junk title from a web capture does not outweigh a DOI)."""
    if ev.markers_differ:
        return Match(b.id, f"same {shared} but {_contradiction(ev)}", 85.0, "possible")
    if ev.year_gap is not None and ev.year_gap > 1:
        return Match(b.id, f"same {shared} but years differ", 85.0, "possible")
    if ev.title in ("weak", "different"):  # a junk title alone does not outweigh the identifier
        other = ("pages" if ev.pages == "differs" else "authors" if ev.authors == "different"
                 else "years" if ev.year_gap and not versions else None)
        if other:
            return Match(b.id, f"same {shared} but different titles and {other}", 80.0, "possible")
    return Match(b.id, f"same {shared}", 100.0, "duplicate")


def _score(ev: Evidence) -> float:
    """0-100 for ranking a pair in the review queue: the title similarity, raised by each
    agreeing field and lowered by each contradicting one."""
    score = ev.title_score
    score += {"same": 4, "partial": 0, "unclear": -8, "different": -25, "missing": -4}[ev.authors]
    score += 2 if ev.year_gap == 0 else -6 if ev.year_gap == 1 else -20 if ev.year_gap else 0
    score += 3 if ev.located else -8 if ev.misplaced else 0
    score += 3 if ev.abstract == "same" else -15 if ev.abstract == "differs" else 0
    score -= 10 if ev.venue == "differs" else 0
    score -= 20 if (ev.markers_differ or ev.numbers_differ or ev.subgroup_differs) else 0
    return round(max(0.0, min(score, 100.0)), 1)


def _reviewable(ev: Evidence) -> bool:
    """Whether a contradiction can be an exporter's slip worth a librarian's look: a year more
    than one apart never is; different volumes or pages only with the same title, people and
    periodical (a conference abstract indexed twice)."""
    if ev.year_gap is not None and ev.year_gap > 1:
        return False
    if ev.misplaced and ev.abstract != "same":
        return (ev.title in ("same", "close") and ev.authors in ("same", "partial")
                and ev.venue != "differs")
    return True


def _fuzzy(a: DedupKey, b: DedupKey, ev: Evidence, duplicate_at: float) -> Match:
    """No shared identifier: title, authors, year and the rest."""
    score = _score(ev)
    contradiction = _contradiction(ev)
    close = ev.title_score >= duplicate_at or (ev.contained and ev.title != "weak")
    if close and not contradiction and ev.authors == "same" and _confirmed(ev, a, b):
        return Match(b.id, "same title, authors and year" if ev.year_gap == 0
                     else "same title and authors, same volume and pages", score, "duplicate")
    if close and not contradiction and ev.authors in ("partial", "missing") and ev.year_gap == 0 \
            and (ev.located or ev.abstract == "same"):
        return Match(b.id, "same title, year, volume and pages", score, "duplicate")
    if not _reviewable(ev):
        return Match(b.id, contradiction or "not similar enough", score, "distinct")
    similar = ev.title in ("same", "close", "similar") or (ev.title == "weak" and ev.located)
    if similar and ev.authors != "different":
        why = (f"similar titles but {contradiction}" if contradiction
               else f"similar titles, authors {ev.authors}")
        return Match(b.id, why, score, "possible")
    return Match(b.id, "not similar enough", score, "distinct")


def _untitled(a: DedupKey, b: DedupKey, ev: Evidence) -> Match:
    """One or both titles missing: the abstract, or authors with volume and pages."""
    same_text = ev.abstract == "same" or bool(a.abstract_head and a.abstract_head == b.abstract_head)
    if same_text and ev.authors != "different" and not (ev.year_gap or 0) > 1:
        return Match(b.id, "same abstract text", 100.0 if not (a.title or b.title) else 90.0,
                     "duplicate" if not (a.title or b.title) else "possible")
    if ev.authors == "same" and ev.located and not ev.year_gap:
        return Match(b.id, "a title is missing; same authors, year, volume and pages", 85.0, "possible")
    return Match(b.id, "nothing to compare", 0.0, "distinct")


def compare(a: DedupKey, b: DedupKey, *, duplicate_at: float = DUPLICATE_SCORE) -> Match:
    """The verdict on a pair of keys (record_id is b's); duplicate_at: the title similarity a
    duplicate without a shared identifier needs."""
    shared, conflict, versions = _identifier(a, b)
    ev = evidence(a, b)
    if shared and not conflict:
        return _identified(a, b, ev, shared, versions)
    if ev.title == "missing":
        match = _untitled(a, b, ev)
    else:
        match = _fuzzy(a, b, ev, duplicate_at)
    if conflict and match.decision != "distinct":
        pmids_differ = bool(a.pmid and b.pmid and a.pmid != b.pmid)  # PubMed keeps one per item
        if shared or (ev.title == "same" and ev.authors == "same" and ev.located and not pmids_differ):
            return Match(b.id, f"{match.reason}, but identifiers differ", match.score, "possible")
        return Match(b.id, "different identifiers", 0.0, "distinct")
    return match


def may_match(a: DedupKey, b: DedupKey) -> bool:
    """False only where compare() (at the default duplicate_at) says "distinct": no shared
    identifier and titles far apart. The cheap test that lets a scan of many candidate pairs
    skip gathering the rest of the evidence."""
    shared, _, _ = _identifier(a, b)
    return shared is not None or not titles_apart(a, b)


def ranked_matches(key: DedupKey, others: list[DedupKey]) -> list[Match]:
    """Duplicates and possible duplicates of `key` among `others`, best first."""
    found = [m for other in others if not (other.id == key.id and key.id) and may_match(key, other)
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
