"""Fallback for prose in a layout no specific parser knows: recognise what can be recognised
(the page header's title, authors, citation and date by ingest.header; DOI/PMID anywhere;
labelled sections) and flag it. A header with no plausible title gives no title."""

from __future__ import annotations

import re

from ingest.chrome import strip_chrome
from ingest.citation import MONTHS, PMCID, PMID, find_doi, parse_citation
from ingest.formats.pubmed_text import apply_citation
from ingest.glued import split_glued
from ingest.header import (
    MIN_TITLE_WORDS,
    HeaderLine,
    clean_title,
    header_year,
    is_byline,
    is_section_label,
    joined_wrapped,
    kind_of,
    labelled_value,
    pick_title,
    published_year,
    read_header,
)
from ingest.names import (
    INSTITUTION,
    is_affiliation_line,
    is_author_line,
    is_listed_name,
    letter_keys,
    listed_name,
    parse_author_line,
    without_letter_marks,
)
from ingest.names.vocab import is_degree
from ingest.prose import build_abstract, has_prose, is_sentence, lines_of
from kb.model.schema import Author, Identifiers, Record, ReviewFlag

NAME = "generic_text"
FORMAT = "text"
VERSION = "1.1"
SNIFF_CHARS = 200_000
_INNER_SENTENCE_END = re.compile(r"[a-z0-9)][.!?]\s+[A-Z]")
_ABSTRACT_HEADINGS = frozenset({"abstract", "summary", "resumen", "resumo", "résumé", "zusammenfassung"})


def sniff(text: str, name: str = "") -> float:
    """Low but positive for any text with abstract-like prose (in its first 200,000 characters:
    a huge export must not be scanned sentence by sentence just to rank this fallback)."""
    return 0.1 if has_prose(text[:SNIFF_CHARS]) else 0.0


HEADING_WINDOW = 40  # lines: an 'Abstract' heading this near the top starts the abstract


def page_lines(text: str) -> list[str]:
    """The text's lines as the header is read: chrome dropped, and a byline glued to the line
    before it set on a line of its own (split_glued)."""
    lines = strip_chrome(lines_of(text))
    return [part for n, line in enumerate(lines) for part in (split_glued(line) if n < GLUED_LINES else [line])]


GLUED_LINES = 12  # lines at the top where a title and a byline may have run together


def body_start(lines: list[str]) -> int:
    """Index of the first line of the abstract: after an 'Abstract' heading near the top, else the
    first
    paragraph of prose (two sentences, or a long one: a title can end with a full stop) or
    section label; else the first sentence of any length."""
    for i, line in enumerate(lines[:HEADING_WINDOW]):
        if line.lower().rstrip(":") in _ABSTRACT_HEADINGS and not _table_of_contents(lines, i):
            return i + 1  # what comes before an 'Abstract' heading is the header, prose or not
    for i, line in enumerate(lines):
        if line.lower().rstrip(":") in _ABSTRACT_HEADINGS:
            if _table_of_contents(lines, i):
                continue
            return i + 1
        if (_is_paragraph(line) and not _above_byline(lines, i)) or is_section_label(line):
            return _wrapped_start(lines, i)
        if _labelled_abstract(line):
            return i
    return next((i for i, line in enumerate(lines) if is_sentence(line)), len(lines))


_ABSTRACT_LABEL = re.compile(r"^(?P<label>[^\W\d_]+)\s*[:：.]\s+(?P<text>\S.*)$")


def _labelled_abstract(line: str) -> bool:
    """'Abstract: States contract …' (RePEc, OUCI, library records): the abstract heading and its
    text on one line, the text a sentence."""
    m = _ABSTRACT_LABEL.match(line.strip())
    return bool(m) and m.group("label").lower() in _ABSTRACT_HEADINGS and is_sentence(m.group("text"))


def _above_byline(lines: list[str], i: int) -> bool:
    """The line just before a labelled byline ('Author: …'): a header line (a title with a full
    stop inside: 'Journal policy (2010-2014). Article themes'), not the abstract."""
    return i + 1 < len(lines) and is_byline(lines[i + 1]) and len(lines[i].split()) < 30


def _table_of_contents(lines: list[str], i: int) -> bool:
    """The 'Abstract' heading at i is an entry of a page's table of contents: another one comes
    later with no paragraph of prose between them."""
    for line in lines[i + 1:i + 1 + STACKED_WINDOW]:
        if line.lower().rstrip(":") in _ABSTRACT_HEADINGS:
            return True
        if _is_paragraph(line):
            return False
    return False


def _wrapped_start(lines: list[str], i: int) -> int:
    """Back over the lines of the same hard-wrapped paragraph (PDF or e-mail text): lines of
    about the same length that do not end a sentence."""
    width = len(lines[i])
    while i > 0 and len(lines[i - 1]) >= 60 and abs(len(lines[i - 1]) - width) <= 0.3 * width \
            and not lines[i - 1].rstrip().endswith((".", "?", "!", ":")):
        i -= 1
    return i


_LIST_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s+")


def _is_paragraph(line: str) -> bool:
    """Two sentences or a long one ('1. How …?' is a numbered heading, not two sentences)."""
    inner = _INNER_SENTENCE_END.search(_LIST_NUMBER.sub("", line))
    return is_sentence(line) and (len(line.split()) >= 30 or bool(inner))


def parse(text: str, *, source: str) -> list[Record]:
    """One record with whatever metadata could be recognised."""
    lines = page_lines(text)
    start = body_start(lines)
    top = joined_wrapped(lines[:start])
    lines, start = top + lines[start:], len(top)
    header = read_header(lines[:start])
    record = Record()
    title = pick_title(header, lines)
    if title is not None:
        record.title = clean_title(wrapped_title(title.text, lines)) or None
    elif lines and (tab := page_title_line(lines[0])):
        record.title = tab
    window = lines[:max(start, STACKED_WINDOW)]
    if labelled := labelled_title(window):
        record.title = labelled  # the page's own 'Title:' label outweighs any guess from the header's shape
    if record.title is None:
        record.title = cited_title(window)
    byline = _first_byline(header, title, window) or credited_byline(window) \
        or next((line for line in window if is_byline(line)), None) or cited_authors(window) or short_byline(window)
    if byline:
        byline = without_letter_marks(byline, letter_keys(window))
    # Pages print names given name first unless the list shows otherwise ('Chuang E, Ross R').
    record.authors = parse_author_line(byline, default="given-first") if byline else []
    if not record.authors:
        record.authors = [Author(collective=name) for name in corporate_authors(header, title, window)]
    body: list[str] = []
    for line in lines:
        citation = parse_citation(line) if not is_sentence(line) or "doi" in line.lower() else None
        if citation and record.venue is None:
            apply_citation(record, citation)
    for line in lines[start:]:
        if record.venue and not is_sentence(line) and parse_citation(line):
            continue
        body.append(line)
    if record.year is None:
        record.year = header_year(header) or published_year(window) or cited_year(window) \
            or (byline_date(window, byline) if byline else None) or copyright_year(window)
    if record.venue is None:
        record.venue = labelled_value(header, ("journal", "source title", "published in"))
    _find_ids(record, "\n".join(lines))
    abstract = build_abstract(body)
    record.abstract, record.translations, record.language = (
        abstract.sections, abstract.translations, abstract.language)
    if record.title is None and (shaped := next((h for h in header if h.kind == "title"), None)):
        record.review.flags.append(ReviewFlag(
            code="title-uncertain", field="title",
            message=f"no line of the page header is plainly the title, so none was taken (the first "
                    f"title-shaped line reads {shaped.text[:80]!r}); add the title from the publication"))
    record.review.flags.append(ReviewFlag(
        code="generic-parser",
        message="read by the generic text parser: check the title, authors and sections",
    ))
    return [record]


_BAR = re.compile(r"\s+\|\s+")


def page_title_line(line: str) -> str | None:
    """The title of a pasted browser-tab title that opens the text ('Title | Guidelines | JAMA |
    JAMA Network'): its first part, when it is title-shaped and every later part is a short name."""
    parts = _BAR.split(line.strip())
    if len(parts) < 3 or any(len(p.split()) > 4 for p in parts[1:]) or kind_of(parts[0]) != "title":
        return None
    return clean_title(parts[0]) or None


def wrapped_title(title: str, lines: list[str]) -> str:
    """The title in full when the page heading cut it and the page prints it again wrapped over
    two lines ('Comment les … contribuer' / 'à réduire les inégalités de santé ?')."""
    for first, second in zip(lines, lines[1:], strict=False):
        joined = f"{first} {second}"
        if len(first) < len(title) < len(joined) and joined.startswith(title + " ") and second[:1].islower() \
                and kind_of(joined) == "title":
            return joined
    return title


_TITLE_LABEL = re.compile(r"^(?:title|titre|t[íi]tulo|titel|titolo)\s*[:：]\s*(?P<title>\S.*)$", re.I)


def labelled_title(lines: list[str]) -> str | None:
    """The value of the page's own 'Title: …' line (a poster's or a record's label), when it is
    title-shaped."""
    for line in lines:
        if (m := _TITLE_LABEL.match(line.strip())) and kind_of(m.group("title")) == "title":
            return clean_title(m.group("title")) or None
    return None


def _first_byline(header: list[HeaderLine], title: HeaderLine | None, window: list[str]) -> str | None:
    """The byline that comes first after the title: an author line of the header, or names listed
    one a line (when such a run starts at or before the header's author line, it is the byline and
    the author line is one of its names with an affiliation: 'Ignacio Sierra Maynar. CS El Progreso.')."""
    line = _author_line(header, title)
    stacked = _stacked(window)
    if stacked is None:
        return line
    at = next((h.index for h in header if h.kind == "authors" and h.text == line), None) if line else None
    after_title = title is None or stacked[0] > title.index
    if line is None or (at is not None and after_title and stacked[0] <= at):
        return stacked[1]
    return line


def _author_line(header: list[HeaderLine], title: HeaderLine | None) -> str | None:
    """The first author list after the title (or anywhere in the header when there is none)."""
    after = title.index if title is not None else -1
    found = next((h for h in header if h.kind == "authors" and h.index > after), None)
    found = found or next((h for h in header if h.kind == "authors"), None)
    if found is None:
        return None
    run = [found]  # author lines one after another: a lone name, then the full list — the longest
    while run[-1].index + 1 < len(header) and header[run[-1].index + 1].kind == "authors":
        run.append(header[run[-1].index + 1])
    if len(run) > 1 and all(is_listed_name(h.text) for h in run):
        return ", ".join(listed_name(h.text) for h in run)  # one name a line behind bullets
    others = [h.text for h in header if h.kind == "authors"]
    chosen = _fullest(max(run, key=lambda h: len(h.text)).text, others)
    if not _all_given(chosen):  # a subtitle read as names ('Online-Befragungen von … und Praxisinhabern')
        later = [h.text for h in header if h.kind == "authors" and 0 < h.index - run[-1].index <= NAMES_NEARBY]
        chosen = next((o for o in later if _all_given(o) and len(parse_author_line(o)) >= 2), chosen)
    return chosen


NAMES_NEARBY = 3  # lines: how far below a doubtful author line the real byline may stand


def _all_given(line: str) -> bool:
    """Every name of the line has a given name or initials (a subtitle read as names has a bare word)."""
    authors = parse_author_line(line, default="given-first")
    return bool(authors) and all(a.given or a.initials for a in authors)


def _fullest(byline: str, others: list[str]) -> str:
    """The byline, or another author line of the header that names the same people with their
    given names written out ('Thetsane RM, Mokhethi M' in a citation, 'Regina M. Thetsane,
    Motšelisi Mokhethi' in the byline)."""
    def families_and_given(line: str) -> tuple[list[str], int]:
        authors = parse_author_line(line, default="given-first")
        return [a.family or "" for a in authors], sum(len(a.given or "") for a in authors)
    families, given = families_and_given(byline)
    for other in others:
        other_families, other_given = families_and_given(other)
        if families and other_families == families and other_given > given:
            byline, given = other, other_given
    return byline


_AUTHORS_LABEL = re.compile(r"^(?:authors?|author\(s\)|by|written by|autor(?:es|as?)?|auteurs?|autoren)\s*[:：]?$",
                            re.I)
_ROLE_LABEL = re.compile(r"^[^\W\d_][\w()’' -]{0,30}[:：]$")  # 'Lead:', 'Contributor(s):' between listed names
_NAME_DOT = re.compile(r"^(?P<name>[^.]{3,60}?[^\W\d_]{2})\.\s+(?P<rest>\S.{5,})$")
_MARKS = re.compile(r"[\d,;\-–]+$")
_LEADING_TITLES = re.compile(r"^(?:(?:PD|Prof|Dr|Prof\.\s*Dr|Dr\.\s*med)\.?\s+)+")
MAX_STACKED = 40  # names listed one a line (a byline laid out as a column)
STACKED_WINDOW = 60  # looked for in the page's first lines (a site's blurb may come before the byline)
_LOWER_PARTICLES = frozenset("de da do dos das del della di du la le van von der den ter ten bin al el".split())


def _credited(line: str) -> str:
    """A listed name without its academic titles and degrees: 'PD Dr. P. Berchtold' ->
    'P. Berchtold', 'N. Martinez M.Sc.' -> 'N. Martinez', 'Beatrice D. Probst, MD Loyola University
    Chicago, …' (a name, its degrees, its affiliation on one line) -> 'Beatrice D. Probst', 'Karla
    Cristina Giacomin. Ayuntamiento de …' (a name, a full stop, its affiliation) -> the name."""
    text = _LEADING_TITLES.sub("", line.strip())
    name, comma, rest = text.partition(",")
    degrees = rest.split()
    if comma and degrees and is_degree(_MARKS.sub("", degrees[0])):
        return name.strip()  # 'MS3', 'MPH1-3;': a degree with an affiliation mark or a year of study
    if (dotted := _NAME_DOT.match(text)) and INSTITUTION.search(dotted.group("rest")) \
            and not is_sentence(dotted.group("rest")):
        return dotted.group("name")  # 'Karla Cristina Giacomin. Ayuntamiento de Belo Horizonte (Brasil).'

    words = text.split()
    while len(words) > 2 and is_degree(words[-1]) and "." in words[-1]:
        words.pop()  # 'M.Sc.': dotted, so never initials
    return " ".join(words)


def _one_name(line: str) -> bool:
    text = _credited(listed_name(line)).rstrip(",;").strip()
    words = text.split()
    if not words:
        return False  # a line of markers only ('*', '1 ,')
    capitalised = all(w[:1].isupper() or w in _LOWER_PARTICLES for w in words) and words[0][:1].isupper()
    return 2 <= len(words) <= 5 and capitalised and not any(c.isdigit() for c in text) \
        and is_author_line(text, allow_single=True, default="given-first")


NAME_DETAILS = 5  # lines of one listed author's details ('About Thomas', 'MSc', 'X close', affiliation)


def _name_details(lines: list[str], j: int) -> bool:
    """Line j starts the details a labelled byline prints under a name (its affiliation, its
    degrees, 'About …' and 'close' links) before the next name: short lines or affiliations, then a name."""
    for k in range(j, min(len(lines), j + NAME_DETAILS + 1)):
        if _one_name(lines[k]):
            return k > j
        if not (len(lines[k].split()) <= 3 or is_affiliation_line(lines[k])):
            return False
    return False


def stacked_names(lines: list[str]) -> str | None:
    """The byline of a page that lists its authors one a line: the first run of two or more
    name lines (or of one after a lone 'Authors:' line, role labels such as 'Lead:' between the
    names, or each name's affiliation on the line after it), as one comma-joined list. A listed
    name may carry academic titles and degrees, and its affiliation after its degrees."""
    found = _stacked(lines)
    return found[1] if found else None


def _stacked(lines: list[str]) -> tuple[int, str] | None:
    """(index of the first name line, the comma-joined names) of stacked_names."""
    i = 0
    while i < len(lines):
        labelled = i > 0 and bool(_AUTHORS_LABEL.match(lines[i - 1].strip()))
        j, names = i, []
        while j < len(lines) and j - i < MAX_STACKED:
            if _one_name(lines[j]):
                names.append(_credited(listed_name(lines[j])).rstrip(",;").strip())
            elif names and (dotted := _NAME_DOT.match(lines[j].strip())) and _one_name(dotted.group("name")) \
                    and not is_sentence(dotted.group("rest")):
                names.append(dotted.group("name"))  # in a run of names, 'Name. Its place of work.'
            elif not (j + 1 < len(lines) and _one_name(lines[j + 1]) and (
                    (labelled and _ROLE_LABEL.match(lines[j].strip()))
                    or (names and _institution_line(lines[j])))) \
                    and not (labelled and names and _name_details(lines, j)):
                break  # a role label, or a name's affiliation on its own line, may stand between names
            j += 1
        if len(names) >= 2 or (len(names) == 1 and labelled):
            return i, ", ".join(names)
        i = j + 1
    return None


MAX_INSTITUTION_WORDS = 10


def _institution_line(line: str) -> bool:
    """An affiliation line, or a short line that names only an institution ('Harvard University'
    under a name in a column of names and their places of work)."""
    words = line.split()
    return is_affiliation_line(line) or (bool(INSTITUTION.search(line)) and len(words) <= MAX_INSTITUTION_WORDS
                                         and not is_sentence(line) and words[0][:1].isupper())


def credited_byline(lines: list[str]) -> str | None:
    """A byline anywhere near the top that gives its names with degrees ('Krista D. Hanni, PhD,
    MS, Elsa Mendoza, MPH'): degrees after names are a byline's mark, even below the abstract."""
    for line in lines:
        pieces = [p.strip() for p in line.split(",")]
        degrees = sum(bool(p) and all(is_degree(t) for t in p.split()) for p in pieces[1:])
        if degrees >= 1 and len(line) <= 600 and is_author_line(line, allow_single=True, default="given-first"):
            return line
    return None


# 'Suggested citation for this article: Hanni KD, Mendoza E. A methodology … Prev Chronic Dis 2007;4(4).'
_CITE_AS = re.compile(r"^(?:suggested citation(?: for this article)?|recommended citation|citation|"
                      r"to cite(?: this (?:article|version|paper))?|(?:how to )?cite this (?:article|paper)|"
                      r"how to cite|(?:please )?cite (?:this (?:article|paper|report) )?as)\s*[:：]\s*(?P<rest>\S.*)$", re.I)
# Where the names of a 'cite as' line may end: a full stop before the next part (after initials too:
# 'Smith J. Title …'), or a year in parentheses ('Smith J (2020). Title …', 'Rivera A (2007) …').
_CITED_NAMES_END = re.compile(r"\.\s+(?=[(A-Z\d])|\s\((?P<year>(?:1[89]|20)\d{2})[a-z]?\)\.?")


def _cited(lines: list[str]) -> tuple[str | None, str] | None:
    """(the author part, the rest) of the first 'cite as' line: the first place where the names may
    end and what comes before it is a list of names; the rest keeps a year printed at that place.
    No author part (None) when no such place is found ('Suggested Citation: "Summary." National …')."""
    for line in lines:
        if m := _CITE_AS.match(line.strip()):
            rest = m.group("rest")
            for end in _CITED_NAMES_END.finditer(rest):
                names = rest[:end.start()].strip(" .")
                if names and is_author_line(names, allow_single=True):
                    year = f"({end.group('year')}) " if end.group("year") else ""
                    return names, year + rest[end.end():]
            return None, rest
    return None


#: An organisation's name: its head noun last or before 'of', 'for', 'on', 'and' ('United States
#: Department of Health and Human Services', 'National Academies of Sciences, Engineering, and Medicine').
_ORGANISATION = re.compile(r"\b(?:Department|Ministry|Office|Agency|Administration|Academies|Academy|Council|"
                           r"Commission|Institute|Foundation|Association|Society|Organi[sz]ation|Bureau|Board)\b"
                           r"(?=\s*$|\s*,|\s+(?:of|for|on|and)\b)")
_CITED_ORGANISATION = re.compile(r"^(?:\"[^\"]{1,80}\"\.?\s*)?(?P<name>[^.\d]{8,150}?)\.\s+(?:1[89]|20)\d{2}\.")
_TRAILING_DATE = re.compile(rf",\s*(?:(?:{'|'.join(MONTHS)})\w*\.?\s+)?(?:\d{{1,2}},?\s+)?(?:1[89]|20)\d{{2}}$", re.I)
MAX_ORGANISATION_WORDS = 12


def corporate_authors(header: list[HeaderLine], title: HeaderLine | None, window: list[str]) -> list[str]:
    """Organisations named as a page's authors when it names no person: the part before the year
    of its own 'cite as' line ('Suggested Citation: "Summary." National Academies of …. 2017.
    Title. …'), else the organisation lines just under the title ('United States Department of
    Health and Human Services' / 'Office of the Assistant Secretary …, December 2016') — each one
    name with no place or other comma-joined details, so an author's lost affiliation is not one."""
    found = _cited(window)
    if found and found[0] is None and (m := _CITED_ORGANISATION.match(found[1])) \
            and _ORGANISATION.search(m.group("name")):
        return [m.group("name").strip()]
    if title is None:
        return []
    names = []
    for line in header[title.index + 1:]:
        name = _TRAILING_DATE.sub("", line.text.strip())
        if "," in name or len(name.split()) > MAX_ORGANISATION_WORDS or not _ORGANISATION.search(name) \
                or not all(w[:1].isupper() or w in ("of", "for", "on", "and", "the", "&") for w in name.split()):
            break
        names.append(name)
    return names


def cited_authors(lines: list[str]) -> str | None:
    """The authors of the page's own 'cite as' line, when no byline is printed."""
    found = _cited(lines)
    return found[0] if found else None


_SHORT_BYLINE = re.compile(r"^(?P<names>[^.,;]{3,80}?)\s+et al\.(?:\s+\S.*)?$")


def short_byline(lines: list[str]) -> str | None:
    """The first author of a 'Jacques Donzé et al. JAMA Intern Med.' line (PubMed's short byline)."""
    for line in lines:
        if (m := _SHORT_BYLINE.match(line.strip())) and is_author_line(m.group("names"), allow_single=True,
                                                                         default="given-first"):
            return m.group("names")
    return None


_CITED_YEAR_LEAD = re.compile(r"^\((?:1[89]|20)\d{2}\)\s*\.?\s*")
_CITED_AFTER_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}[a-z]?\)?\.\s+(?P<title>[^.?!]{10,300}[?!]?)(?:\.|(?<=[?!]))(?:\s|$)")
_CITED_FIRST_PART = re.compile(r"^(?P<title>[^.?!]{10,300}[?!]?)(?:\.|(?<=[?!]))(?:\s|$)")


def cited_title(lines: list[str]) -> str | None:
    """The title of the page's own 'cite as' line, for a page whose header shows none: the part
    after its names ('Rivera A, Okafor C. Title. Journal …', 'Rivera A (2007). Title. …') or,
    when its authors are no list of names, the part after its year ('National Academies … 2017.
    Title. Washington, DC: …')."""
    found = _cited(lines)
    if not found:
        return None
    names, rest = found
    m = _CITED_FIRST_PART.match(_CITED_YEAR_LEAD.sub("", rest)) if names else _CITED_AFTER_YEAR.search(rest)
    title = m.group("title").strip() if m else None
    return title if title and len(title.split()) >= MIN_TITLE_WORDS and kind_of(title) == "title" else None


def cited_year(lines: list[str]) -> int | None:
    """The year of the page's own 'cite as' line."""
    found = _cited(lines)
    year = re.search(r"\b(?:1[89]|20)\d{2}\b", found[1]) if found else None
    return int(year.group(0)) if year else None


_COPYRIGHT = re.compile(r"(?:©|\(c\)|\bcopyright\b)\s*:?\s*(?:©\s*)?(?P<year>(?:1[89]|20)\d{2})\b", re.I)


def copyright_year(lines: list[str]) -> int | None:
    """The year of a copyright notice near the top ('© 2014. Elsevier España', 'Copyright: © 2022.
    The Author(s)'), when nothing else dates the publication: an article's notice stands with
    its header, a site's own notice in its footer (cut with the tail)."""
    return next((int(m.group("year")) for line in lines if (m := _COPYRIGHT.search(line))), None)


BYLINE_DATE_LINES = 3  # a page's date stands this near above its byline ('February 18, 2025' / 'Report' / names)


def byline_date(lines: list[str], byline: str) -> int | None:
    """The year of a date line printed just above the byline (a metadata block of date, type and
    names), when the page has no other date for the publication."""
    first = byline.split(",")[0].strip()
    at = next((i for i, line in enumerate(lines) if first and first in line), None)
    if at is None:
        return None
    for line in reversed(lines[max(0, at - BYLINE_DATE_LINES):at]):
        if len(line.split()) <= 5 and kind_of(line) == "date" and (year := header_year([HeaderLine(0, line, "date")])):
            return year
    return None


def _find_ids(record: Record, text: str) -> None:
    ids = record.identifiers
    pmid, pmcid = PMID.search(text), PMCID.search(text)
    record.identifiers = Identifiers(
        doi=ids.doi or find_doi(text), pmid=ids.pmid or (pmid.group(1) if pmid else None),
        pmcid=ids.pmcid or (pmcid.group(1) if pmcid else None), isbn=ids.isbn, url=ids.url,
    )
