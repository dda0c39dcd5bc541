"""Rows of a CORD-19 metadata.csv copied without its header line (one publication a row). The
columns from 'source_x' to 'journal' stand in the same order in every CORD-19 release (source_x,
title, doi, pmcid, pubmed_id, license, abstract, publish_time, authors, journal), while what comes
before them differs (sha; cord_uid, sha; an index column added by a data frame): a row is read
from where its source_x column is, found by its values ('Medline; PMC', 'WHO', 'Elsevier')."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from ingest import biblio
from ingest.biblio import Item
from ingest.citation import find_doi
from ingest.prose import normalize_newlines

NAME = "cord19_row"
FORMAT = "csv"
VERSION = "1.0"
BIBLIOGRAPHIC = True

#: The sources CORD-19 names in its source_x column, joined by '; ' when several hold the paper.
_SOURCE = re.compile(r"^(?:(?:medline|pmc|who|elsevier|czi|arxiv|medrxiv|biorxiv)(?:;\s*|$))+$", re.I)
_FIRST_COLUMNS = 4  # source_x stands among the first columns (after an index, cord_uid and sha)
_COLUMNS = ("title", "doi", "pmcid", "pubmed_id", "license", "abstract", "publish_time", "authors", "journal")
_PMCID = re.compile(r"^PMC\d+$")
_PMID = re.compile(r"^(\d{1,9})(?:\.0)?$")


def _rows(text: str) -> list[list[str]]:
    try:
        return [row for row in csv.reader(io.StringIO(normalize_newlines(text).lstrip("\ufeff"))) if any(row)]
    except csv.Error:
        return []


def _source_column(row: list[str]) -> int | None:
    """Where the source_x column of a row is, when the columns after it can follow."""
    for i, value in enumerate(row[:_FIRST_COLUMNS]):
        if _SOURCE.match(value.strip()) and len(row) >= i + 1 + len(_COLUMNS):
            return i
    return None


def sniff(text: str, name: str = "") -> float:
    """High when the text's first row is a CORD-19 metadata row: a source_x value among the
    first columns, and a title or an abstract after it."""
    rows = _rows(text[:200000].split("\n", 1)[0])
    if not rows or (at := _source_column(rows[0])) is None:
        return 0.0
    values = dict(zip(_COLUMNS, rows[0][at + 1:], strict=False))
    return 0.92 if values["title"].strip() or len(values["abstract"].split()) >= 20 else 0.0


def iter_parse(text: str, *, source: str) -> Iterator[Item]:
    """One record per CORD-19 row (rows without a source_x column are not records)."""
    number = 0
    for row in _rows(text):
        if (at := _source_column(row)) is None:
            continue
        number += 1
        yield biblio.build(_fields, dict(zip(_COLUMNS, (v.strip() for v in row[at + 1:]), strict=False)),
                           source=source, number=number)


def parse(text: str, *, source: str) -> list:
    """All readable rows; IngestError only when none is readable."""
    return biblio.collect(iter_parse(text, source=source), source, "CORD-19 metadata")


def _fields(values: dict[str, str]) -> dict[str, Any]:
    year, published = biblio.parse_date(values["publish_time"]) if values["publish_time"] else (None, None)
    language, sections, translations = biblio.abstract_parts([values["abstract"]] if values["abstract"] else [])
    pmid = _PMID.match(values["pubmed_id"])
    return {
        "resource_type": "journal-article",
        "title": biblio.clean_title(values["title"]),
        "authors": [a for name in values["authors"].split(";") if (a := biblio.person(name))],
        "year": year, "published": published,
        "venue": biblio.clean(values["journal"]),
        "identifiers": {"doi": find_doi(values["doi"]),
                        "pmcid": values["pmcid"] if _PMCID.match(values["pmcid"]) else None,
                        "pmid": pmid.group(1) if pmid else None},
        **biblio.language_fields(None, language, bool(sections)),
        "abstract": sections, "translations": translations,
    }
