"""Word lists duplicate detection looks up (tables only; kb/dedup/keys.py and match.py hold the logic)."""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    "a an and are as at by for from in into is of on or the to with its their this that".split())

#: name particles left out when family names are compared ('Le Quintrec' ~ 'Quintrec')
NAME_PARTICLES = frozenset("van von der den de del della di da dos das du la le lo jr sr ii iii null".split())

#: words saying what kind of item a title is; two titles differing in them are different items
#: (an erratum and the article it corrects, a reply and the letter it answers)
MARKERS: dict[str, str] = {
    "erratum": "erratum", "errata": "erratum", "corrigendum": "erratum", "correction": "erratum",
    "retraction": "retraction", "retracted": "retraction", "withdrawn": "retraction",
    "reply": "reply", "response": "reply", "rejoinder": "reply",
    "comment": "comment", "commentary": "comment", "protocol": "protocol",
}

#: population or model words: 'X in adults' and 'X in children' are two studies
SUBGROUPS = frozenset(
    "adult adults adolescent adolescents child children childhood pediatric paediatric infant infants "
    "neonatal neonates newborn elderly older women men female male pregnant rats rat mice mouse dogs "
    "cats pigs vitro vivo".split())

#: language names as they are tagged onto translated titles ('… [Spanish]', '… (author's transl)')
LANGUAGES = (
    "afrikaans arabic bulgarian catalan chinese croatian czech danish dutch english estonian finnish "
    "french german greek hebrew hungarian icelandic italian japanese korean latvian lithuanian "
    "norwegian persian polish portuguese romanian russian serbian slovak slovene slovenian spanish "
    "swedish thai turkish ukrainian").split()

MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}

ROMAN = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9"}

_LANG = "|".join(LANGUAGES)
#: notes exporters append to titles: language tags, erratum/comment notes, review markers
TITLE_NOTES = (
    re.compile(rf"[.\s]*[\[(]\s*(?:{_LANG})(?:[\s,;/&]+(?:{_LANG}|abstract|summary|text))*\s*[\])]?\s*\.?\s*$", re.I),
    re.compile(r"[.\s]*\(\s*author'?s'? transl\s*\)\s*\.?\s*$", re.I),
    re.compile(r"[.\s]*\[(?:erratum|comment|retraction|retracted|update|corrected|see|reprint|published)[^\]]*\]?\s*$",
               re.I),
    re.compile(r"[.\s]*\[\s*review\s*\](?:\s*\[\s*\d+\s*refs?\s*\])?\s*\.?\s*$", re.I),
    re.compile(r"[.\s]*\[\s*\d+\s*refs?\s*\]\s*\.?\s*$", re.I),
    re.compile(r"[.\s]*\(\s*multiple letters?\s*\)(?:\s*\[\d+\])?\s*\.?\s*$", re.I),
    re.compile(r"[.\s]*\[\d+\]\s*\.?\s*$"),
)
#: '… syndrome... N Engl J Med. 2009 Jan 29;360(5):544-6' — a citation (it names a year) appended after an ellipsis
TITLE_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*(?:\[[^\]]*\]|\S.*\b(?:1[89]|20)\d\d\b.*)$")
#: '<ORIGINAL> …', ' = ' and ';' join a title and its translation
TITLE_PARTS = re.compile(r"\s*<original>\s*|\s+=\s+|\s*;\s+", re.I)
#: exporters' notes inside venue names: '(00392499)', '(Munich, Germany : 1983)', '[Electronic Resource]'
VENUE_NOTES = re.compile(r"\([^)]*\)|\[[^\]]*\]|\.conference\b.*$|\bconference\s*:.*$", re.I)
VENUE_PARTS = re.compile(r"\s+=\s+|\s*/\s*|\s*;\s*")
