"""How two dedup keys agree, field by field: title, authors, year, venue, volume, issue, pages,
abstract, and the words that make two similar titles different items (erratum, reply, part 2,
'in children'). Pure functions over DedupKey; kb/dedup/match.py turns the evidence into a verdict."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process

from kb.dedup.keys import DedupKey, significant, title_numbers
from kb.dedup.tables import STOPWORDS, SUBGROUPS

State = Literal["same", "differs", "missing"]
TitleState = Literal["same", "close", "similar", "weak", "different", "missing"]
AuthorState = Literal["same", "partial", "unclear", "different", "missing"]
_ARTICLE_ID = re.compile(r"^(?=.*[a-z])(?=.*\d)[a-z\d]{5,}$")


@dataclass(frozen=True)
class Evidence:
    """Field-by-field agreement of two keys."""

    title: TitleState
    title_score: float
    contained: bool
    translated: bool
    authors: AuthorState
    year_gap: int | None
    venue: State
    volume: State
    issue: State
    pages: State
    article_id: bool        # the same article number ('cd006828', 'e43268')
    abstract: State
    markers_differ: bool
    numbers_differ: bool
    subgroup_differs: bool

    @property
    def located(self) -> bool:
        """Both name the same place in the same periodical: volume and first page, or article number."""
        return self.pages == "same" and (self.volume == "same" or self.article_id)

    @property
    def misplaced(self) -> bool:
        """Volumes or first pages both given and different, or, where no pages are given, one
        volume in two issues (a column such as 'Editor's comments' is in every issue). Issue
        fields alone are weak: some exports fill them with a database's record number."""
        return "differs" in (self.volume, self.pages) or (
            self.volume == "same" and self.issue == "differs" and self.pages == "missing")


@lru_cache(maxsize=1 << 17)
def _squash(text: str) -> str:
    return " ".join(significant(text))


def _similarity(a: str, b: str) -> float:
    return max(fuzz.ratio(a, b), min(fuzz.token_sort_ratio(a, b), fuzz.ratio(a, b) + 10.0))


def _contained(a: str, b: str) -> bool:
    """One title is the other without its subtitle, its first words or its last words."""
    short, long_ = sorted((significant(a), significant(b)), key=len)
    n = len(short)
    return n >= 3 and len(long_) > n and (long_[:n] == short or long_[-n:] == short)


def title_evidence(a: DedupKey, b: DedupKey) -> tuple[TitleState, float, bool]:
    """(state, best similarity 0-100 over the title variants, one contained in the other)."""
    if not a.title or not b.title:
        return "missing", 0.0, False
    best, contained = 0.0, False
    for ta in a.titles or (a.title,):
        for tb in b.titles or (b.title,):
            sa, sb = _squash(ta), _squash(tb)
            if sa.replace(" ", "") == sb.replace(" ", ""):
                return "same", 100.0, False
            best = max(best, _similarity(sa, sb))
            contained = contained or _contained(ta, tb)
    state: TitleState = ("same" if best >= 96 else "close" if best >= 90 or contained
                         else "similar" if best >= 80 else "weak" if best >= 65 else "different")
    return state, round(best, 1), contained


def titles_apart(a: DedupKey, b: DedupKey) -> bool:
    """Both titled, and no title variant of one near any of the other's (state "different",
    none contained in another): without a shared identifier such a pair is never a duplicate or
    a possible one, whatever the other fields say."""
    state, _, contained = title_evidence(a, b)
    return state == "different" and not contained


def _same_word(x: str, y: str) -> bool:
    if x == y:
        return True
    return len(x) >= 4 and len(y) >= 4 and (x.startswith(y) or y.startswith(x) or fuzz.ratio(x, y) >= 80)


def _same_person(family: str, words: tuple[str, ...], other_family: str, other_words: tuple[str, ...]) -> bool:
    return (family in other_words or other_family in words
            or any(_same_word(family, w) for w in other_words if len(w) >= 4))


def author_evidence(a: DedupKey, b: DedupKey) -> tuple[AuthorState, float]:
    """(state, share of the shorter list found in the other list)."""
    if not a.authors or not b.authors:
        return "missing", 0.0
    first = _same_person(a.authors[0], a.names[0], b.authors[0], b.names[0])
    short, long_ = (a, b) if len(a.authors) <= len(b.authors) else (b, a)
    words = {w for n in long_.names for w in n}
    found = 0
    for family, names in zip(short.authors, short.names, strict=True):
        if family in words or any(w in words for w in names if len(w) >= 4) or process.extractOne(family, long_.authors, scorer=fuzz.ratio, score_cutoff=80) is not None:
            found += 1
    share = found / len(short.authors)
    if first and share >= 0.6:
        return "same", share
    if first or share >= 0.5:
        return "partial", share
    return ("different" if share < 0.3 else "unclear"), share


def _abbreviates(short: str, long_: str) -> bool:
    """'dtsch' abbreviates 'deutsche', 'med' 'medicine': same first letter, then a subsequence."""
    if not short or not long_ or short[0] != long_[0]:
        return False
    rest = iter(long_)
    return all(c in rest for c in short)


def _venue_words_match(a: list[str], b: list[str]) -> bool:
    short, long_ = sorted((a, b), key=len)
    words = iter(long_)
    return bool(short) and all(any(_abbreviates(s, w) for w in words) for s in short)


def same_venue_name(a: str, b: str) -> bool:
    """Two spellings of one journal as written ('Health Serv Res', 'Health Services Research'):
    the same words apart from case, punctuation and stopwords, word for word, each word of the
    shorter form the full word or an abbreviation of it. Stricter than venue_match (no word may
    be left over), since a merge keeps one of them without a conflict flag."""
    wa, wb = ([w for w in re.sub(r"[^\w\s]", " ", v.casefold()).split() if w not in STOPWORDS]
              for v in (a, b))
    return bool(wa) and len(wa) == len(wb) and all(
        x == y or _abbreviates(*sorted((x, y), key=len)) for x, y in zip(wa, wb, strict=True))


def venue_match(a: str, b: str) -> bool | None:
    """None when a venue is missing; True for the same venue, also abbreviated ('n engl j med'
    ~ 'the new england journal of medicine', 'dtsch med wochenschr' ~ 'deutsche medizinische
    wochenschrift', 'jthoraccardiovascsurg'); False otherwise."""
    if not a or not b:
        return None
    if a == b or a.replace(" ", "") == b.replace(" ", "") or fuzz.ratio(a, b) >= 90:
        return True
    wa = [w for w in a.split() if w not in STOPWORDS]
    wb = [w for w in b.split() if w not in STOPWORDS]
    if _venue_words_match(wa, wb):
        return True
    squashed = [w for w in (wa, wb) if len(w) == 1]
    if squashed:  # 'jthoraccardiovascsurg': one run-together abbreviation
        other = wb if squashed[0] is wa else wa
        return len(other) > 1 and _abbreviates(squashed[0][0], "".join(other))
    return False


def _venue_state(a: DedupKey, b: DedupKey) -> State:
    if not a.venue or not b.venue:
        return "missing"
    for va in a.venues or (a.venue,):
        for vb in b.venues or (b.venue,):
            if venue_match(va, vb):
                return "same"
    return "differs"


def _state(x: str, y: str) -> State:
    return "missing" if not x or not y else "same" if x == y else "differs"


def _pages_state(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[State, bool]:
    if not a or not b:
        return "missing", False
    shared = set(a) & set(b)
    if shared:
        return "same", any(_ARTICLE_ID.match(p) for p in shared)
    digits_a = {re.sub(r"\D", "", p) for p in a} - {""}
    digits_b = {re.sub(r"\D", "", p) for p in b} - {""}
    return ("same" if digits_a & digits_b else "differs"), False


def _abstract_state(a: str, b: str) -> State:
    if len(a) < 100 or len(b) < 100:
        return "missing"
    score = fuzz.ratio(a[:300], b[:300])
    return "same" if score >= 90 else "differs" if score < 50 else "missing"


def _subgroup_differs(a: str, b: str, contained: bool) -> bool:
    wa, wb = set(a.split()), set(b.split())
    only_a, only_b = (wa - wb) & SUBGROUPS, (wb - wa) & SUBGROUPS
    return bool(only_a and only_b) or (bool(only_a or only_b) and not contained)


def evidence(a: DedupKey, b: DedupKey) -> Evidence:
    """Everything compare() weighs, for one pair."""
    title, score, contained = title_evidence(a, b)
    authors, _ = author_evidence(a, b)
    pages, article_id = _pages_state(a.pages, b.pages)
    return Evidence(
        title=title, title_score=score, contained=contained, translated=a.translated or b.translated,
        authors=authors, year_gap=abs(a.year - b.year) if a.year and b.year else None,
        venue=_venue_state(a, b), volume=_state(a.volume, b.volume), issue=_state(a.issue, b.issue),
        pages=pages, article_id=article_id, abstract=_abstract_state(a.abstract_head, b.abstract_head),
        markers_differ=bool(a.title and b.title) and set(a.markers) != set(b.markers),
        numbers_differ=bool(a.title and b.title) and title_numbers(a.title) != title_numbers(b.title),
        subgroup_differs=title not in ("same", "missing") and _subgroup_differs(a.title, b.title, contained))
