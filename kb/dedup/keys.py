"""What duplicate detection compares, normalised once per record: the DedupKey. Titles lose
exporters' notes (language tags, erratum notes, brackets round translated titles) and keep each
language as a variant; authors become name words per person; venues keep their alternative
names; volume, issue and pages become the numbers that locate an article."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from kb.dedup.tables import (
    MARKERS,
    MONTHS,
    NAME_PARTICLES,
    ROMAN,
    STOPWORDS,
    TITLE_ELLIPSIS,
    TITLE_NOTES,
    TITLE_PARTS,
    VENUE_NOTES,
    VENUE_PARTS,
)
from kb.model.schema import Author, Record
from kb.text.normalize import fold, fold_words

_VERSION = re.compile(r"(?:\.pub\d+|\.v\d+|v\d+)$")
_TAGS = re.compile(r"<(?!original>)[^>]+>", re.I)
_MAX_AUTHORS = 12


@dataclass(frozen=True)
class DedupKey:
    """One record (or one merged-in version of it) as duplicate detection sees it."""

    id: str
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    title: str = ""                               # the main title, folded, notes removed
    titles: tuple[str, ...] = ()                  # every variant: parts and translations
    markers: tuple[str, ...] = ()                 # erratum, reply, comment, … named by the title
    translated: bool = False                      # the title is a bracketed translation
    year: int | None = None
    authors: tuple[str, ...] = ()                 # family names, folded, particles dropped
    names: tuple[tuple[str, ...], ...] = ()       # every name word of each author
    venue: str = ""
    venues: tuple[str, ...] = ()                  # the venue's alternative names
    volume: str = ""
    issue: str = ""
    pages: tuple[str, ...] = ()                   # start page of each range ('e14417', '63')
    abstract_head: str = ""

    @property
    def first_author(self) -> str:
        return self.authors[0] if self.authors else ""

    @property
    def doi_stem(self) -> str | None:
        """The DOI without a version suffix (Cochrane '.pub3', preprint 'v2')."""
        return _VERSION.sub("", self.doi) if self.doi else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DedupKey:
        """The inverse of to_dict (JSON lists back to tuples)."""
        tuples = {"titles", "markers", "authors", "venues", "pages"}
        values = {k: tuple(v) if k in tuples else v for k, v in data.items()}
        values["names"] = tuple(tuple(n) for n in data.get("names", ()))
        return cls(**values)


@lru_cache(maxsize=1 << 17)
def significant(text: str) -> tuple[str, ...]:
    """The words of a folded text that are not stop words (kept per text: a scan of candidate
    pairs asks for the same titles again and again)."""
    return tuple(w for w in text.split() if w not in STOPWORDS)


def _strip_notes(title: str) -> str:
    title = TITLE_ELLIPSIS.sub("", title)
    changed = True
    while changed:
        before = title
        for pattern in TITLE_NOTES:
            title = pattern.sub("", title)
        changed = title != before
    return title.strip()


def _bracketed(title: str) -> str | None:
    """The inside of a title wrapped in brackets (MEDLINE's mark of a translated title)."""
    inner = title.strip().strip('"').strip()
    inner = re.sub(r"\.$", "", inner)
    if inner.startswith("[") and (inner.endswith("]") or "]" not in inner):
        return inner.strip("[]").strip()
    return None


def title_forms(title: str | None, translations: dict[str, str] | None = None
                ) -> tuple[str, tuple[str, ...], tuple[str, ...], bool]:
    """(main title, every variant, markers, translated) of a raw title, all folded."""
    raw = _TAGS.sub(" ", title or "")
    raw = _strip_notes(raw)
    inner = _bracketed(raw)
    translated = inner is not None
    raw = _strip_notes(inner) if inner is not None else raw
    parts = [p for p in TITLE_PARTS.split(raw) if p and p.strip()]
    main = fold_words(raw.replace("<original>", " ").replace("<ORIGINAL>", " "))
    variants = {main}
    if len(parts) > 1:
        variants.update(fold_words(p) for p in parts if len(p.split()) >= 3)
    variants.update(fold_words(t) for t in (translations or {}).values() if t)
    words = main.split()
    markers = sorted({MARKERS[w] for w in words if w in MARKERS})
    return main, tuple(sorted(v for v in variants if v)), tuple(markers), translated


def normalize_title(title: str | None) -> str:
    """Title words for comparison, exporters' notes removed: 'The BMI — of ä! [Spanish]' -> 'the bmi of a'."""
    return title_forms(title)[0]


@lru_cache(maxsize=1 << 17)
def title_numbers(title: str) -> frozenset[str]:
    """The numbers a folded title names ('part ii' counts as 2)."""
    return frozenset(ROMAN.get(w, w) for w in title.split() if w.isdigit() or w in ROMAN)


def _name_words(text: str | None) -> list[str]:
    letters = re.sub(r"[^\w\s-]", "", fold(text or ""))
    return [w for w in re.split(r"[\s_-]+", letters) if w and not w.isdigit()]


def author_forms(author: Author) -> tuple[str, tuple[str, ...]]:
    """(family name without particles, every name word of two letters or more)."""
    if author.collective and not author.family:
        words = [w for w in _name_words(author.collective) if w not in STOPWORDS]
        return " ".join(words[:3]), tuple(words)
    family = [w for w in _name_words(author.family) if w not in NAME_PARTICLES] or _name_words(author.family)
    given = [w for w in _name_words(author.given) if len(w) > 1 and w not in NAME_PARTICLES]
    return "".join(family), tuple(dict.fromkeys(["".join(family), *family, *given]))


def venue_forms(venue: str | None) -> tuple[str, tuple[str, ...]]:
    """(main venue, alternative names) folded: 'Stroke; a journal of cerebral circulation' -> 'stroke'."""
    if not venue:
        return "", ()
    text = VENUE_NOTES.sub(" ", venue)
    parts = [fold_words(p) for p in VENUE_PARTS.split(text)]
    parts = [p for p in parts if p]
    main = parts[0] if parts else fold_words(venue)
    return main, tuple(dict.fromkeys([main, *parts]))


def leading_number(value: str | None) -> str:
    """'12 (3)' -> '12', '30a' -> '30', 'Ph.D.' -> ''."""
    m = re.match(r"\s*0*(\d+)", value or "")
    return m.group(1) if m else ""


def page_starts(pages: str | None) -> tuple[str, ...]:
    """The first page of each range: '230-5, 246-51' -> ('230', '246'); '13-May' (a spreadsheet's
    date for 5-13) -> ('5',); 'P63 [tp 104]' -> ('p63',); 'CD006828' -> ('cd006828',)."""
    if not pages:
        return ()
    text = re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", pages.lower())
    month = re.fullmatch(r"\s*0*(\d+)\s*-\s*([a-z]{3})[a-z]*\s*", text)
    if month and month.group(2) in MONTHS:
        return (str(MONTHS[month.group(2)]),)
    starts = []
    for segment in re.split(r"[,+;]|\band\b", text):
        token = re.match(r"\s*([a-z]*\d[\w.]*)", segment)
        if token:
            start = re.split(r"[-–]", token.group(1))[0].rstrip(".")
            starts.append(re.sub(r"^([a-z]*)0+(?=\d)", r"\1", start))
    return tuple(dict.fromkeys(s for s in starts if s))


def key_of(record: Record, *, key_id: str | None = None) -> DedupKey:
    """The dedup key of a record (key_id: the id to report, e.g. the record a version was merged into)."""
    ids = record.identifiers
    main, titles, markers, translated = title_forms(record.title, record.title_translations)
    people = [author_forms(a) for a in record.authors[:_MAX_AUTHORS]]
    venue, venues = venue_forms(record.venue)
    return DedupKey(
        id=record.id if key_id is None else key_id, doi=ids.doi, pmid=ids.pmid, pmcid=ids.pmcid,
        title=main, titles=titles, markers=markers, translated=translated, year=record.year,
        authors=tuple(p[0] for p in people if p[0]), names=tuple(p[1] for p in people if p[0]),
        venue=venue, venues=venues, volume=leading_number(record.volume),
        issue=leading_number(record.issue),
        pages=page_starts(record.pages or record.article_number),
        abstract_head=fold_words(record.abstract_text())[:600])
