"""Readable, stable record ids: first author, year and the first words of the title."""

from __future__ import annotations

import re
from collections.abc import Container

from slugify import slugify

from kb.model.schema import Record

STOPWORDS = frozenset(
    """a an and are as at be by for from has have in into is it its of on or our that the their
    this these those to was were what which with within we us how why when does do did using use
    among between across toward towards versus vs via""".split()
)
MAX_WORDS = 3


def _words(text: str, limit: int) -> list[str]:
    tokens = [slugify(t) for t in text.split()]
    keep = [t for t in tokens if t and t not in STOPWORDS and not t.replace("-", "").isdigit()]
    return keep[:limit]


def _author_part(record: Record) -> str | None:
    if not record.authors:
        return None
    first = record.authors[0]
    if first.family:
        return slugify(first.family) or None
    words = _words(first.collective or "", 2)
    return "-".join(words) or None


def _topic_text(record: Record) -> str:
    if record.title:
        return record.title
    for section in record.abstract:
        if section.text:
            return section.text.split(". ")[0]
    return ""


def base_id(record: Record) -> str:
    """The id a record would get before collision handling, e.g. 'chuang-2025-collaboration-strategies'."""
    parts: list[str] = []
    author = _author_part(record)
    if author:
        parts.append(author)
    if record.year:
        parts.append(str(record.year))
    limit = 2 if parts else MAX_WORDS
    parts.extend(_words(_topic_text(record), limit))
    slug = "-".join(p for p in parts if p)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")[:80].strip("-")
    return slug or "record"


def unique_id(base: str, taken: Container[str]) -> str:
    """base, or base-2, base-3 … whichever is not taken."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
