"""Full journal titles from abbreviations ('Health Serv Res' -> 'Health Services Research'), and
the list's casing for a full title NLM writes in sentence case ('Health services research'),
from the journal list shipped in ingest/data/journals.tsv.gz (built from JabRef's list by
benchmarks/journal_list.py; origin in ingest/data/MANIFEST.md). An abbreviation two journals
share is never expanded."""

from __future__ import annotations

import gzip
import re
from functools import cache
from importlib import resources

_KEY = re.compile(r"[^\w&]+")


def key(name: str) -> str:
    """A journal name compared without case, dots, commas or spacing ('Health Serv. Res.' ==
    'Health Serv Res'); a leading 'The' is ignored."""
    text = _KEY.sub(" ", name.casefold()).strip()
    return text.removeprefix("the ")


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(abbreviation key -> full title, full-title key -> full title); ambiguous keys dropped."""
    data = resources.files("ingest").joinpath("data/journals.tsv.gz").read_bytes()
    by_abbrev: dict[str, str | None] = {}
    by_full: dict[str, str] = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        full, _, abbrev = line.partition("\t")
        by_full.setdefault(key(full), full)
        k = key(abbrev)
        by_abbrev[k] = full if by_abbrev.get(k, full) == full else None
    return {k: v for k, v in by_abbrev.items() if v}, by_full


def full_title(venue: str | None) -> str | None:
    """The full title of a journal named by its abbreviation or by its full title in another
    casing; None when the list does not know it (or it is already exactly the full title)."""
    if not venue:
        return None
    by_abbrev, by_full = _tables()
    k = key(venue)
    found = by_full.get(k) or by_abbrev.get(k)
    return found if found and found != venue else None


def is_journal_name(name: str) -> bool:
    """The name is a journal's full title or abbreviation in the list ('The American Journal of
    Managed Care', 'Health Serv Res')."""
    by_abbrev, by_full = _tables()
    k = key(name)
    return bool(k) and (k in by_full or k in by_abbrev)
