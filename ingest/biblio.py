"""Shared rules of the bibliographic-export parsers (RIS, BibTeX, MEDLINE, PubMed XML, CSL-JSON,
CSV): names, dates, pages, titles, abstracts, and validation of one record at a time so a bad
record becomes an IngestError naming it instead of stopping the file."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from ingest.citation import MONTHS, SEASONS
from ingest.limits import MAX_ABSTRACT_CHARS, MAX_RECORD_CHARS, too_large
from ingest.prose import build_abstract
from ingest.shape import Coverage, lines_of
from kb.errors import IngestError
from kb.model.schema import (
    Author,
    Identifiers,
    Record,
    ReviewFlag,
    Section,
    initials_of,
)
from kb.store import describe_validation_error
from kb.text.bilingual import align, detect_language
from kb.text.sections import role_of_label


class ParseNote(BaseModel):
    """Something about the whole file a librarian should know (e.g. CSV columns not imported)."""

    message: str


Item = Record | IngestError | ParseNote

_SPACE = re.compile(r"\s+")
_INITIALS = re.compile(r"^(?:[A-Z]\.?\s*-?\s*){1,4}$")
_COLLECTIVE = re.compile(
    r"\b(?:group|consortium|collaborat\w*|committee|network|investigators|society|association|"
    r"organi[sz]ation|council|task force|working party|team|alliance|initiative|study|trial|"
    r"program(?:me)?|university|institute|department|agency|ministry|foundation|"
    r"centers?|centres?)\b", re.I)
_COMPANY = re.compile(r"^(?:inc|ltd|llc|plc|gmbh|corp|co|s\.?a|ag|b\.?v)\.?$", re.I)
_UNKNOWN = frozenset({"unknown", "anonymous", "anon", "n/a", "na", "none", "[anonymous]"})


def clean(text: object) -> str | None:
    """Whitespace collapsed, stripped; None for empty or non-text values."""
    if text is None or isinstance(text, (dict, list)):
        return None
    value = _SPACE.sub(" ", str(text)).strip()
    return value or None


def clean_title(text: object) -> str | None:
    """Title without the brackets MEDLINE puts round translated titles or a final period."""
    title = clean(text)
    if not title:
        return None
    if title.startswith("[") and title.rstrip(".").endswith("]"):
        title = title.rstrip(".")[1:-1].strip()
    title = title[:-1].rstrip() if title.endswith(".") and not title.endswith("..") else title
    return None if title.lower() in _UNKNOWN else title


def _initials(text: str) -> str:
    return "".join(c for c in text if c.isalpha() and c.isupper())


def person(text: object, *, family_first: bool = True) -> Author | None:
    """An author from 'Family, Given', 'Family GA' (MEDLINE), 'G. A. Family' or a group name."""
    name = clean(text)
    if not name or name.lower() in _UNKNOWN:
        return None
    corporate = name.endswith(",")  # EndNote/RIS mark a corporate author with a final comma
    name = name.strip(" ,;")
    if not name:
        return None
    if corporate:
        return Author(collective=name)
    if "," in name:
        family, given = (p.strip() for p in name.split(",", 1))
        if _COMPANY.match(given) or (family and _COLLECTIVE.search(name) and len(name.split()) > 3):
            return Author(collective=name)
        return _author(family, given) if family else None
    tokens = name.split()
    if len(tokens) > 5 or (_COLLECTIVE.search(name) and len(tokens) > 1):
        return Author(collective=name)
    if len(tokens) == 1:
        return Author(family=tokens[0])
    if _INITIALS.match(tokens[-1]):
        return _author(" ".join(tokens[:-1]), tokens[-1])
    if _INITIALS.match(" ".join(tokens[:-1])) and not _INITIALS.match(tokens[-1]):
        return _author(tokens[-1], " ".join(tokens[:-1]))
    if family_first:
        return _author(tokens[0], " ".join(tokens[1:]))
    return _author(tokens[-1], " ".join(tokens[:-1]))


def _author(family: str, given: str) -> Author:
    given = given.strip()
    if not given:
        return Author(family=family)
    if _INITIALS.match(given) and (len(given) <= 3 or "." in given or " " in given):
        return Author(family=family, initials=_initials(given) or None)
    return Author(family=family, given=given, initials=initials_of(given))


def with_affiliations(author: Author, affiliations: Iterable[str]) -> Author:
    """The author with these affiliations added (each once)."""
    merged = list(dict.fromkeys([*author.affiliations, *(a for a in map(clean, affiliations) if a)]))
    return author.model_copy(update={"affiliations": merged})


def _year(value: str) -> int | None:
    m = re.search(r"\b(1[5-9]\d\d|20\d\d|2100)\b", value)
    return int(m.group(1)) if m else None


def parse_date(text: object) -> tuple[int | None, str | None]:
    """(year, 'YYYY[-MM[-DD]]') from '2019 Oct 4', '2019/10//', '2019-10-04', '20191004',
    '2013 Jan-Feb', '2019 Spring'; (None, None) when there is no plausible year."""
    value = clean(text)
    if not value:
        return None, None
    m = re.match(r"^(\d{4})(\d{2})(\d{2})$", value)
    if m:
        value = f"{m[1]}-{m[2]}-{m[3]}"
    year = _year(value)
    if year is None:
        return None, None
    rest = value[value.index(str(year)) + 4:]
    numeric = re.match(r"^[-/ ](\d{1,2})(?:[-/ ](\d{1,2}))?", rest)
    month = day = None
    if numeric:
        month, day = int(numeric[1]), int(numeric[2]) if numeric[2] else None
    else:
        words = re.findall(r"[A-Za-z]+|\d{1,2}", value.replace(str(year), " ", 1))
        for i, word in enumerate(words):
            key = word.lower()
            if key[:3] in MONTHS and month is None:
                month = MONTHS[key[:3]]
                nxt = words[i + 1] if i + 1 < len(words) else ""
                before = words[i - 1] if i else ""
                day = int(nxt) if nxt.isdigit() else (int(before) if before.isdigit() else None)
            elif key in SEASONS and month is None:
                month = SEASONS[key]
    return year, _iso(year, month, day)


def _iso(year: int, month: int | None, day: int | None) -> str:
    if not month or not 1 <= month <= 12:
        return f"{year:04d}"
    if not day or not 1 <= day <= 31:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def pages(first: object, last: object = None) -> str | None:
    """'947-55' -> '947-955'; ('45', '67') -> '45-67'; a single page stays as it is."""
    start, end = clean(first), clean(last)
    start = start if start and re.search(r"\d", start) else None
    end = end if end and re.search(r"\d", end) else None
    if start and not end and re.search(r"\d\s*[-–]+\s*\w", start):
        start, end = (p.strip() for p in re.split(r"\s*[-–]+\s*", start, maxsplit=1))
    if not start:
        return end
    if not end or end == start:
        return start
    if start.isdigit() and end.isdigit() and len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return f"{start}-{end}"


def landing_url(value: object) -> str | None:
    """A URL worth keeping: not empty and not just the DOI resolver link (the DOI is kept)."""
    url = clean(value)
    return None if not url or re.search(r"^https?://(?:dx\.)?doi\.org/", url, re.I) else url


def split_list(value: object, seps: str = ";") -> list[str]:
    """'a; b;; c' -> ['a', 'b', 'c'] (also accepts a list)."""
    items = value if isinstance(value, list) else re.split(f"[{re.escape(seps)}]", str(value or ""))
    return list(dict.fromkeys(c for v in items if (c := clean(v))))


def keywords(values: Iterable[object], *, mesh: bool = False) -> list[str]:
    """Keywords split on ';', without MeSH major-topic stars; mesh=True keeps the descriptor
    only ('Colitis, Ulcerative/*therapy' -> 'Colitis, Ulcerative'). Each keyword once."""
    out: dict[str, str] = {}
    for value in values:
        for item in split_list(value, ";"):
            word = item.split("/")[0] if mesh else item
            word = clean(word.replace("*", "")) or ""
            if word:
                out.setdefault(word.casefold(), word)
    return list(out.values())


_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH_END = re.compile(r"</(?:jats:)?p>", re.I)


def markup_paragraphs(value: object) -> list[str]:
    """Paragraphs of an abstract given as text with HTML or JATS markup (tags dropped,
    entities decoded, a paragraph at each closing </p>)."""
    if not isinstance(value, str):
        return []
    return [t for p in _PARAGRAPH_END.split(value) if (t := clean(html.unescape(_TAG.sub(" ", p))))]


def abstract_parts(paragraphs: list[str]) -> tuple[str, list[Section], dict[str, list[Section]]]:
    """(language, English sections, aligned translations) of abstract paragraphs."""
    paragraphs = [p for p in (clean(x) for x in paragraphs) if p]
    if not paragraphs:
        return "en", [], {}
    if (size := sum(map(len, paragraphs))) > MAX_ABSTRACT_CHARS:
        raise IngestError("", too_large(size, MAX_ABSTRACT_CHARS, "the abstract"))
    abstract = build_abstract(paragraphs)
    return abstract.language, abstract.sections, abstract.translations


def translation_of(sections: list[Section], paragraphs: list[str]) -> list[Section]:
    """Other-language abstract paragraphs aligned to the English sections."""
    texts = [part for p in (clean(x) for x in paragraphs) if p for part in split_upper_labels(p)]
    if not texts:
        return []
    aligned = [Section(text=t) for t in texts] if not sections else align(sections, texts)
    return [_upper_label(s) for s in aligned]


_LEADING_LABEL = re.compile(r"^(?P<label>[^\W\d_a-z][^\W\da-z]{2,40}(?: [^\W\da-z]{2,40}){0,4})\s?[:：]\s+(?P<rest>\S.*)$",
                            re.S)


def _upper_label(section: Section) -> Section:
    """A translated section whose text opens with an upper-case label gets it as its label."""
    m = _LEADING_LABEL.match(section.text) if section.label is None else None
    return section.model_copy(update={"label": m["label"], "text": m["rest"]}) if m else section


def label_role(label: str) -> str | None:
    """The section role a label names ('Material and methods' -> methods), None if unknown."""
    role = role_of_label(label)
    return None if role == "other" else role


def language_fields(stated: str | None, abstract_language: str, has_abstract: bool) -> dict[str, Any]:
    """`language` is the language of the abstract text (what findings are extracted from);
    a different publication language stated by the export is kept as a facet."""
    if not has_abstract:
        return {"language": stated or abstract_language}
    if stated and stated != abstract_language:
        return {"language": abstract_language, "facets": {"Publication language": [stated]}}
    return {"language": abstract_language}


_UPPER_LABEL = re.compile(r"(?<=[.!?。])\s+(?=[^\W\d_a-z][^\W\da-z]{2,40}(?: [^\W\da-z]{2,40}){0,4}\s?[:：]\s)")


def split_upper_labels(text: str) -> list[str]:
    """'HINTERGRUND: … ZIEL: …' -> paragraphs at upper-case labels of any language."""
    return [p.strip() for p in _UPPER_LABEL.split(text) if p.strip()]


def title_language(title: str) -> str:
    """Language of a (translated) title, for title_translations keys."""
    return detect_language(title)


def _safe_ids(ids: dict[str, Any], flags: list[ReviewFlag]) -> Identifiers:
    good: dict[str, Any] = {}
    for key, value in ids.items():
        if value in (None, ""):
            continue
        try:
            Identifiers(**{key: value})
        except ValidationError:
            flags.append(ReviewFlag(code="bad-identifier", field=key,
                                    message=f"the export's {key} '{value}' is not valid; left empty"))
            continue
        good[key] = value
    return Identifiers(**good)


def finish(data: dict[str, Any], *, source: str, number: int, line: int | None = None) -> Item:
    """Validate one parsed record: invalid identifiers/years are dropped with a review flag;
    anything else wrong makes an IngestError naming the record."""
    flags = [ReviewFlag.model_validate(f) if isinstance(f, dict) else f
             for f in data.pop("flags", [])]
    data["identifiers"] = _safe_ids(data.pop("identifiers", {}), flags)
    year = data.get("year")
    if year is not None and not 1500 <= year <= 2100:
        flags.append(ReviewFlag(code="bad-year", field="year",
                                message=f"the export's year '{year}' is not a plausible year; left empty"))
        data["year"], data["published"] = None, None
    data = {k: v for k, v in data.items() if v not in (None, "", [], {})}
    if not any(data.get(k) for k in ("title", "abstract", "authors")) and not data["identifiers"].doi:
        return IngestError(source, f"record {number}: no title, authors, abstract or DOI", line=line)
    try:
        record = Record.model_validate(data)
    except ValidationError as err:
        return IngestError(source, f"record {number}: {describe_validation_error('', err)[2:]}",
                           line=line)
    record.review.flags.extend(flags)
    return record


def build(fields_of: Callable[..., dict[str, Any]], *args: Any, source: str, number: int,
          line: int | None = None) -> Item:
    """finish() of the fields `fields_of(*args)` makes; a record too large or too deeply nested
    to read becomes an IngestError naming it (the rest of the file goes on)."""
    try:
        data = fields_of(*args)
    except IngestError as err:
        return IngestError(source, f"record {number}: {err.reason}", line=line)
    except RecursionError:
        return IngestError(source, f"record {number}: nested too deeply to read", line=line)
    return finish(data, source=source, number=number, line=line)


def collect(items: Iterable[Item], source: str, what: str) -> list[Record]:
    """The records of a parse; IngestError when none could be read (naming the first problem)."""
    records: list[Record] = []
    first: IngestError | None = None
    for item in items:
        if isinstance(item, Record):
            records.append(item)
        elif first is None and isinstance(item, IngestError):
            first = item
    if not records:
        raise first or IngestError(source, f"no {what} records found")
    return records


def tagged_blocks(text: str, start: re.Pattern[str], end: re.Pattern[str], *, start_tag: str,
                  end_tag: str) -> Iterator[tuple[int, str | None, str]]:
    """(first line number, error or None, block text) of each start … end block of a tagged
    export (RIS 'TY  -' … 'ER  -', Web of Science 'PT' … 'ER'); text between blocks is skipped."""
    lines = lines_of(text)
    first: int | None = None
    for i, line in enumerate(lines):
        if start.match(line):
            if first is not None:
                yield first + 1, f"the record has no '{end_tag}' line before the next '{start_tag}'", ""
            first = i
        elif end.match(line) and first is not None:
            yield first + 1, None, "\n".join(lines[first:i + 1])
            first = None
    if first is not None:
        yield first + 1, f"the file ends before this record's '{end_tag}' line", ""


def skipped_text(coverage: Coverage, source: str, what: str) -> IngestError | None:
    """An IngestError when a parse left most of a sizeable input outside its records (the input
    is probably another format quoting a few of this format's lines), else None."""
    if not coverage.loses_records():
        return None
    return IngestError(
        source, f"{coverage.lines_outside:,} of {coverage.lines:,} non-blank lines (most of the text) "
                f"are outside any {what} record and were not imported; is this really a {what} file?",
        line=coverage.first_outside)


def iter_tagged(text: str, *, source: str, blocks: Iterator[tuple[int, str | None, str]],
                load: Callable[[str], list[dict[str, Any]]],
                fields: Callable[[dict[str, Any]], dict[str, Any]],
                coverage: Callable[[list[str]], Coverage] | None = None,
                what: str = "tagged") -> Iterator[Item]:
    """Records of a tagged export, one block at a time: `load` reads a block into a field dict
    (rispy), `fields` maps it to record fields; a bad block becomes an IngestError, and so does
    text outside any block when it is most of the input (`coverage` measures it)."""
    for number, (line, error, block) in enumerate(blocks, start=1):
        if error:
            yield IngestError(source, f"record {number}: {error}", line=line)
            continue
        if len(block) > MAX_RECORD_CHARS:
            yield IngestError(source, f"record {number}: {too_large(len(block))}", line=line)
            continue
        entries = load(block)
        if not entries:
            yield IngestError(source, f"record {number}: no fields could be read", line=line)
            continue
        yield build(fields, entries[0], source=source, number=number, line=line)
    if coverage is not None and (skipped := skipped_text(coverage(lines_of(text)), source, what)):
        yield skipped
