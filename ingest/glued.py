"""Header lines that a copy ran together, set apart again: a reference printed as a header line
('Smith J, Lee K (2020). Title. Journal …'), a PDF's first page flattened onto one line ('Title *
Names … Abstract …'), a running head ('Names: Title') and a title glued to its byline."""

from __future__ import annotations

import re

from ingest.citation import MONTHS
from ingest.header import MIN_TITLE_WORDS, kind_of
from ingest.names import is_author_line, read_author_list
from ingest.prose import is_sentence

_RUNNING_HEAD = re.compile(r"^(?P<names>[^:]{3,120}):\s+(?P<title>\S.+)$")
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_TRAILING_DATE = re.compile(rf"\s+(?:(?:{'|'.join(MONTHS)})\s+)?(?:1[89]|20)\d{{2}}\b.*$", re.I)


_APA_REFERENCE = re.compile(r"^(?P<names>[^()]{3,300}?)\s+\((?P<year>(?:1[89]|20)\d{2})[a-z]?\)\.?\s+"
                           r"(?P<title>[^.?!]{10,300}?[.?!])(?:\s+(?P<rest>\S.*))?$")
_NAMES_STOP = re.compile(r"\.\s+(?=[A-Z\d])")


def split_reference(line: str) -> list[str] | None:
    """A reference printed as a header line, as [title, names, the rest]: 'Smith J, Lee K (2020).
    Title. Journal, 12(3), 45-52.' (the year on a line of its own: '(2020)'), or 'Smith J, Lee K.
    Title. Journal. 2020;12(3):45-52.' (names in 'Family Initials' form, and a year after the
    title); None for any other line."""
    if (apa := _APA_REFERENCE.match(line.strip())) and is_author_line(apa.group("names"), allow_single=True):
        parts = [apa.group("title").rstrip("."), apa.group("names"), f"({apa.group('year')})"]
        return parts + ([apa.group("rest")] if apa.group("rest") else [])
    stop = _NAMES_STOP.search(line)
    if stop is None or not re.search(r"\b(?:1[89]|20)\d{2}\b", line[stop.end():]):
        return None
    found = read_author_list(line[:stop.start()], default="family-first")
    if found is None or not found.authors or found.looked_like != found.names \
            or not all(a.initials and not a.given for a in found.authors):
        return None
    title, dot, rest = line[stop.end():].partition(". ")
    if len(title.split()) < MIN_TITLE_WORDS or not rest:
        return None
    return [title.rstrip("."), line[:stop.start()].strip(), rest]


_ABSTRACT_WORD = re.compile(r"\s(?:Abstract|ABSTRACT)[:.]?\s+(?=[A-Z])")
_FOOTNOTE = re.compile(r"\s?[*†‡§]\s+(?=[A-Z])")
_HEAD_DATE = re.compile(rf"\s+(?:(?:{'|'.join(MONTHS)})\s+(?:\d{{1,2}},?\s+)?|\d{{1,2}}\s+(?:{'|'.join(MONTHS)})\s+)"
                        r"(?:1[89]|20)\d{2}$", re.I)
MAX_PAGE_HEAD = 800  # characters before the word 'Abstract' on a flattened first page


def split_first_page(line: str) -> list[str] | None:
    """A PDF's first page flattened onto one line, as [title, names, (date,) 'Abstract', text]:
    'Title * Timothy J. Layton Nicole Maestas April 2, 2019 Abstract Public health …' (the title
    ends at the footnote mark after it); None for any other line."""
    if len(line) < 200 or not (word := _ABSTRACT_WORD.search(line[:MAX_PAGE_HEAD])):
        return None
    head, text = line[:word.start()], line[word.end():]
    mark = _FOOTNOTE.search(head)
    if mark is None or not is_sentence(text):
        return None
    title, names = head[:mark.start()].strip(), head[mark.end():].strip()
    if len(title.split()) < MIN_TITLE_WORDS or kind_of(title) != "title" or not names:
        return None
    date = _HEAD_DATE.search(names)
    if date:
        names, when = names[:date.start()].strip(), date.group(0).strip()
        return [title, names, when, "Abstract", text] if names else [title, when, "Abstract", text]
    return [title, names, "Abstract", text]


def split_glued(line: str) -> list[str]:
    """A title and its byline that the copy ran into one line, as two lines: a running head
    'Shin, Han, Choi, Kim, and Lee: Title' -> [title, names]; a PDF line break lost between them
    ('… international evidenceSusan Baxter*, Maxine Johnson, …', '… JohannesburgMaruma, Thabang
    Wellington January 2018 (has links)') -> [title, names(, the date after them)]."""
    if reference := split_reference(line) or split_first_page(line):
        return reference
    if (head := _RUNNING_HEAD.match(line)) and is_author_line(head.group("names")) \
            and kind_of(head.group("title")) == "title":
        return [head.group("title"), head.group("names")]
    for glue in _GLUE.finditer(line):
        title, rest = line[:glue.start()], line[glue.start():]
        names = _TRAILING_DATE.sub("", rest)
        if len(title.split()) >= MIN_TITLE_WORDS and kind_of(title) == "title" \
                and is_author_line(names, allow_single=True, default="given-first"):
            return [title, names] + ([rest[len(names):].strip()] if rest[len(names):].strip() else [])
    return [line]
