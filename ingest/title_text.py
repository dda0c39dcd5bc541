"""Text of a title line as pages print it: the article number a listing sets before it, the quotes
a site's template puts around it, and which language it is in (English or not, from its function
words and letters) — for ingest.header, which decides what each header line is."""

from __future__ import annotations

import re

from kb.text.normalize import fold

MIN_TITLE_WORDS = 4  # fewer words make a title only with more evidence (ingest.header)

#: The number a listing prints before an article's title ('3 |Comprendre le refus …').
_NUMBER_LEAD = re.compile(r"^\d{1,4}\s*\|\s*(?=\S)")


def without_number_lead(line: str) -> str:
    """A line without the article number a listing prints before a title ('3 |Title' -> 'Title'),
    when no other bar follows (then the line is a menu)."""
    if (lead := _NUMBER_LEAD.match(line)) and "|" not in line[lead.end():]:
        return line[lead.end():]
    return line


#: A site's template line that quotes the title ("Научная статья на тему 'TITLE'", 'Full text of "TITLE"').
_QUOTED = re.compile(r"^(?P<lead>[^'\"«“‘\d]{3,60}?)\s*['\"«“‘](?P<title>[^'\"«»“”‘’]{10,})['\"»”’]\s*$")
#: Words of such a template's lead: what the page calls the text it shows.
TEMPLATE_WORDS = frozenset("article text topic paper статья статьи текст тему тема работы".split())


def quoted_title(text: str) -> str:
    """The quoted title of a template line whose lead names the text ('… article on the topic
    "Title"'); any other line as it is (a 'Commentary on "…"' keeps its quote)."""
    m = _QUOTED.match(text.strip())
    if not m or len(m.group("lead").split()) > 5 or len(m.group("title").split()) < MIN_TITLE_WORDS:
        return text
    return m.group("title") if any(fold(w) in TEMPLATE_WORDS for w in m.group("lead").split()) else text


#: Function words of the languages the pages print titles in besides English (French, Spanish,
#: Portuguese, Italian, German, Dutch): a title with one of them is not in English.
FOREIGN_WORDS = frozenset(
    """de la le les des du et une un au aux sur dans pour el los las y del una con por para em da do dos
    das com nos nas di il della delle degli per e der die das und von für mit zur zum eine einer im vom
    bei nach een het voor""".split())


def language_hint(line: str) -> str:
    """'foreign' for a line with a function word of another language or a letter outside ASCII,
    'english' for a line of ASCII letters with none, '' when it has no letters."""
    letters = [c for c in line if c.isalpha()]
    if not letters:
        return ""
    words = {fold(w.strip(".,:;()–—-")) for w in line.split()}
    if words & FOREIGN_WORDS or any(not c.isascii() for c in letters):
        return "foreign"
    return "english"
