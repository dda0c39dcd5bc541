"""Record -> CSL-JSON item (the citation data citeproc-py and reference managers read)."""

from __future__ import annotations

from typing import Any

from kb.model.reftypes import to_csl
from kb.model.schema import Author, Record, Section

CUSTOM_KEY = "custom"


def csl_name(author: Author, *, with_affiliations: bool = False) -> dict[str, Any]:
    """{family, given} for a person, {literal} for a collective author."""
    if author.collective and not author.family:
        name: dict[str, Any] = {"literal": author.collective}
    else:
        name = {"family": author.family}
        given = author.given or _spaced_initials(author.initials)
        if given:
            name["given"] = given
    if with_affiliations and author.affiliations:
        name["affiliation"] = [{"name": a} for a in author.affiliations]
    return name


def _spaced_initials(initials: str | None) -> str | None:
    """'JA' -> 'J. A.' so citation styles can re-initialize it."""
    return " ".join(f"{c}." for c in initials) if initials else None


def date_parts(record: Record) -> list[int] | None:
    """[year, month, day] from the publication date, else [year]; None without a year."""
    if record.published:
        return [int(p) for p in record.published.split("-")]
    return [record.year] if record.year else None


def abstract_string(sections: list[Section]) -> str:
    """Abstract sections as paragraphs, a label kept as 'Label: text'."""
    return "\n\n".join(f"{s.label}: {s.text}" if s.label else s.text for s in sections)


def _put(item: dict[str, Any], key: str, value: object) -> None:
    if value not in (None, "", [], {}):
        item[key] = value


def record_to_csl(record: Record, *, extended: bool = False) -> dict[str, Any]:
    """The CSL-JSON item of a record: only standard CSL variables unless `extended`.

    extended=True (used by `kb export --format csl-json`) also keeps author affiliations and
    a "custom" object with what CSL has no variable for (translations, publication types, …),
    so a KB -> CSL-JSON -> KB round trip loses nothing the record holds bibliographically.
    """
    item: dict[str, Any] = {"id": record.id or "record", "type": to_csl(record.resource_type)}
    _put(item, "title", record.title)
    _put(item, "author", [csl_name(a, with_affiliations=extended) for a in record.authors])
    parts = date_parts(record)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    _put(item, "container-title", record.venue_full or record.venue)
    if record.venue_full and record.venue and record.venue_full != record.venue:
        _put(item, "container-title-short", record.venue)
    for key, value in (("volume", record.volume), ("issue", record.issue), ("page", record.pages),
                       ("number", record.article_number), ("publisher", record.publisher)):
        _put(item, key, value)
    ids = record.identifiers
    for key, value in (("DOI", ids.doi), ("PMID", ids.pmid), ("PMCID", ids.pmcid),
                       ("ISBN", ids.isbn), ("URL", ids.url)):
        _put(item, key, value)
    _put(item, "abstract", abstract_string(record.abstract))
    _put(item, "keyword", ", ".join(record.keywords))
    _put(item, "language", record.language)
    if extended:
        _put(item, CUSTOM_KEY, _custom(record))
    return item


def _custom(record: Record) -> dict[str, Any]:
    custom: dict[str, Any] = {}
    _put(custom, "resource_type", record.resource_type)
    _put(custom, "keywords", record.keywords)
    _put(custom, "publication_types", record.publication_types)
    _put(custom, "epub", record.epub)
    _put(custom, "supplement", record.supplement)
    _put(custom, "affiliations", record.affiliations)
    _put(custom, "funders", record.funders)
    _put(custom, "title_translations", record.title_translations)
    _put(custom, "abstract_sections", [s.model_dump(exclude_defaults=True) for s in record.abstract])
    _put(custom, "translations", {lang: [s.model_dump(exclude_defaults=True) for s in secs]
                                  for lang, secs in record.translations.items()})
    return custom
