"""Parse NLM-style citation lines: 'Health Serv Res. 2025 May;60 Suppl 3(Suppl 3):e14417. doi: …'."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Month names and their abbreviations (the one table: citations, exports, study periods).
MONTHS: dict[str, int] = {
    name: i for i, names in enumerate((
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
        ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
        ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names
}
SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}

_CORE = re.compile(
    r"(?:^|(?<=\.\s)|(?<=\.)|(?<=[a-z]:\s))\s*(?P<venue>[A-Z][^.;:\n]{0,120}?(?:\([A-Za-z .]+\))?)\.\s+"
    r"(?P<year>(?:1[89]|20)\d{2})"
    r"(?:\s+(?P<month>[A-Z][a-z]{2,8})(?:\s*-\s*[A-Z][a-z]{2,8})?(?:\s+(?P<day>\d{1,2}))?)?"
    r"(?:\s*;\s*(?P<volume>[0-9A-Za-z]+)"
    r"(?:\s+(?P<supplement>(?:Suppl|Spec No|Pt)\.?\s*[0-9A-Za-z]*))?)?"
    r"(?:\s*\((?P<issue>[^()]{1,40})\))?"
    r"(?:\s*:\s*(?P<pages>[A-Za-z]*\d+[A-Za-z0-9]*(?:\s*[-–]\s*[A-Za-z]*\d+[A-Za-z0-9]*)?))?"
)
# A comma ends a DOI: the next field of a CSV row ('10.1234/x,PMC765', '… 10.1234/x, 2020').
DOI = re.compile(r"\b(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s\"<>,]+)", re.I)
PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b")
PMCID = re.compile(r"\bPMCID:?\s*(PMC\d+)\b")
_EPUB = re.compile(r"\bEpub\s+(?P<year>\d{4})(?:\s+(?P<month>[A-Z][a-z]{2})(?:\s+(?P<day>\d{1,2}))?)?")


@dataclass
class Citation:
    """The parts of a journal citation line."""

    venue: str
    year: int
    published: str
    volume: str | None = None
    supplement: str | None = None
    issue: str | None = None
    pages: str | None = None
    article_number: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    epub: str | None = None
    start: int = 0
    end: int = 0  # where the matched venue-date-volume-pages part ends


def iso_date(year: str | int, month: str | None = None, day: str | None = None) -> str:
    """'2024', 'Dec', '4' -> '2024-12-04'; unknown month names give just the year."""
    out = f"{int(year):04d}"
    num = None
    if month:
        key = month.lower()
        num = MONTHS.get(key[:3]) if key[:3] in MONTHS else SEASONS.get(key)
    if num:
        out += f"-{num:02d}"
        if day and month.lower()[:3] in MONTHS and 1 <= int(day) <= 31:
            out += f"-{int(day):02d}"
    return out


def clean_doi(raw: str) -> str:
    """Strip the trailing punctuation a DOI picks up at the end of a sentence, and a link text
    the copied page glued to it ('…/j.jadohealth.2009.07.002Get rights and content')."""
    return _GLUED_WORD.sub("", raw.rstrip(".,;)]"))


_GLUED_WORD = re.compile(r"(?<=\d)[A-Z][a-z]{2,}$")


def find_doi(text: str) -> str | None:
    """The first DOI anywhere in the text."""
    m = DOI.search(text)
    return clean_doi(m.group(1)) if m else None


def parse_citation(line: str) -> Citation | None:
    """The citation found in a line, or None. Needs a volume, pages or DOI after the date."""
    for m in _CORE.finditer(line):
        if not (m.group("volume") or m.group("pages") or DOI.search(line[m.end():])):
            continue
        month = m.group("month")
        if month and month.lower()[:3] not in MONTHS and month.lower() not in SEASONS:
            continue
        pages = m.group("pages")
        article = None
        if pages and "-" not in pages and "–" not in pages and pages[0].isalpha():
            article, pages = pages, None
        rest = line[m.end():]
        epub = _EPUB.search(rest)
        return Citation(
            venue=m.group("venue").strip(), year=int(m.group("year")),
            published=iso_date(m.group("year"), month, m.group("day")),
            volume=m.group("volume"), supplement=_norm_space(m.group("supplement")),
            issue=m.group("issue"), pages=pages, article_number=article,
            doi=find_doi(rest), pmid=_group(PMID, rest), pmcid=_group(PMCID, rest),
            epub=iso_date(epub["year"], epub["month"], epub["day"]) if epub else None,
            start=m.start("venue"), end=m.end(),
        )
    return None


def _group(rx: re.Pattern[str], text: str) -> str | None:
    m = rx.search(text)
    return m.group(1) if m else None


def _norm_space(value: str | None) -> str | None:
    return re.sub(r"\s+", " ", value).strip() if value else None
