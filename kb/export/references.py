"""Write records as RIS, BibTeX or CSL-JSON (what reference managers import)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field

from kb.model.csl import abstract_string, record_to_csl
from kb.model.reftypes import to_bibtex, to_ris
from kb.model.schema import Author, Record
from kb.text.safe import one_line

FORMATS = ("ris", "bibtex", "csl-json", "csv")
SUFFIX = {"ris": ".ris", "bibtex": ".bib", "csl-json": ".json", "csv": ".csv"}
RIS_LIST_TAGS = [*rispy.LIST_TYPE_TAGS, "AD"]


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its numbered header line before each record."""

    def set_header(self, count: int) -> str:
        return ""


def person_name(author: Author, *, corporate_comma: bool = False) -> str:
    """'Family, Given' (or 'Family, I.'), or the collective name (with a final comma, the RIS
    convention for a corporate author, when corporate_comma)."""
    if author.collective and not author.family:
        return f"{author.collective}," if corporate_comma else author.collective
    given = author.given or ".".join(author.initials or "") + ("." if author.initials else "")
    return f"{author.family}, {given}" if given else str(author.family)


def all_affiliations(record: Record) -> list[str]:
    """Affiliations of the record and of its authors, each once, in order."""
    seen: dict[str, None] = dict.fromkeys(record.affiliations)
    for author in record.authors:
        seen.update(dict.fromkeys(author.affiliations))
    return list(seen)


def split_pages(pages: str | None) -> tuple[str | None, str | None]:
    """'45-67' -> ('45', '67'); 'e14417' -> ('e14417', None)."""
    if not pages:
        return None, None
    parts = re.split(r"\s*[-–]+\s*", pages.strip(), maxsplit=1)
    return parts[0] or None, (parts[1] or None) if len(parts) == 2 else None


def _ris_date(record: Record) -> str | None:
    if not record.published:
        return None
    parts = record.published.split("-") + ["", ""]
    return f"{parts[0]}/{parts[1]}/{parts[2]}/"


def record_to_ris(record: Record) -> dict:
    """The rispy entry of a record (tag names as rispy's mapping spells them)."""
    first, last = split_pages(record.pages)
    ids = record.identifiers
    entry: dict = {
        "type_of_reference": to_ris(record.resource_type), "title": record.title,
        "authors": [person_name(a, corporate_comma=True) for a in record.authors] or None,
        "year": str(record.year) if record.year else None, "date": _ris_date(record),
        "secondary_title": record.venue, "volume": record.volume, "number": record.issue,
        "start_page": first, "end_page": last, "custom7": record.article_number,
        "doi": ids.doi, "urls": [ids.url] if ids.url else None, "issn": ids.isbn,
        "accession_number": f"PMID: {ids.pmid}" if ids.pmid else None, "custom2": ids.pmcid,
        "abstract": abstract_string(record.abstract).replace("\n\n", " ") or None,
        "keywords": record.keywords or None, "language": record.language,
        "publisher": record.publisher, "author_address": all_affiliations(record) or None,
        "type_of_work": "; ".join(record.publication_types) or None,
        "translated_title": next(iter(record.title_translations.values()), None),
    }
    return {k: _ris_value(v) for k, v in entry.items() if v}


def _ris_value(value: object) -> object:
    """A value on one RIS line: an embedded line break would start a new tag (even 'ER  -')."""
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, list):
        return [one_line(v) if isinstance(v, str) else v for v in value]
    return value


def to_ris_text(records: Sequence[Record]) -> str:
    """RIS text of records, one TY … ER block each."""
    writer = _RisWriter(list_tags=RIS_LIST_TAGS)
    return writer.formats([record_to_ris(r) for r in records])


_BRACES = re.compile(r"[{}]")


def _bib_value(value: str) -> str:
    """A field value whose braces balance (unbalanced ones are dropped) and without newlines."""
    value = " ".join(value.split())
    depth, out = 0, []
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                continue
            depth -= 1
        out.append(ch)
    text = "".join(out)
    return _BRACES.sub("", text) if depth else text


def bibtex_key(record: Record) -> str:
    """The citation key: the record id (letters, digits and dashes are valid in keys)."""
    return record.id or "record"


def record_to_bibtex(record: Record) -> Entry:
    """A bibtexparser Entry for a record."""
    entry_type = to_bibtex(record.resource_type)
    container = {"article": "journal", "incollection": "booktitle",
                 "inproceedings": "booktitle"}.get(entry_type, "journal")
    month = record.published.split("-")[1] if record.published and "-" in record.published else None
    ids = record.identifiers
    values = {
        "title": record.title, "author": " and ".join(
            f"{{{a.collective}}}" if a.collective and not a.family else person_name(a)
            for a in record.authors),
        "year": str(record.year) if record.year else None, "month": month,
        container: record.venue, "volume": record.volume, "number": record.issue,
        "pages": record.pages.replace("-", "--") if record.pages else None,
        "eid": record.article_number, "doi": ids.doi, "pmid": ids.pmid, "pmcid": ids.pmcid,
        "isbn": ids.isbn, "url": ids.url, "abstract": abstract_string(record.abstract),
        "keywords": "; ".join(record.keywords), "language": record.language,
        "publisher": record.publisher, "affiliation": "; ".join(all_affiliations(record)),
    }
    fields = [Field(k, _bib_value(v)) for k, v in values.items() if v]
    return Entry(entry_type, bibtex_key(record), fields)


def to_bibtex_text(records: Sequence[Record]) -> str:
    """BibTeX text of records."""
    library = bibtexparser.Library()
    taken: set[str] = set()
    for record in records:
        entry = record_to_bibtex(record)
        key, n = entry.key, 2
        while key in taken:  # two records without ids (or a repeated id) still get distinct keys
            key, n = f"{entry.key}-{n}", n + 1
        entry.key = key
        taken.add(key)
        library.add(entry)
    return bibtexparser.write_string(library)


def to_csl_json_text(records: Sequence[Record]) -> str:
    """CSL-JSON (a list of items) with the extended fields kept under "custom"."""
    items = [record_to_csl(r, extended=True) for r in records]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def keep_findings(records: Sequence[Record], hits: Sequence[tuple[str, str]], *,
                  findings_only: bool) -> list[Record]:
    """Records in the order of the hits (record id, finding id); with findings_only, each keeps
    just the findings that were hit (for an evidence table of a search)."""
    wanted: dict[str, set[str]] = {}
    for record_id, finding_id in hits:
        wanted.setdefault(record_id, set()).add(finding_id)
    by_id = {r.id: r for r in records}
    out = []
    for record_id, finding_ids in wanted.items():
        record = by_id.get(record_id)
        if record is None:
            continue
        if findings_only:
            record = record.model_copy(update={"findings": [f for f in record.findings
                                                            if f.id in finding_ids]})
        out.append(record)
    return out


def export_text(records: Sequence[Record], fmt: str) -> str:
    """Records in one of FORMATS as text."""
    if fmt == "ris":
        return to_ris_text(records)
    if fmt == "bibtex":
        return to_bibtex_text(records)
    if fmt == "csl-json":
        return to_csl_json_text(records)
    if fmt == "csv":
        from kb.synthesis.evidence_table import to_csv_text

        return to_csv_text(records)
    raise ValueError(f"unknown export format '{fmt}' (expected one of {', '.join(FORMATS)})")
