"""A saved web page (.html/.htm, or HTML pasted into the app): the record from the metadata
publishers embed — Highwire `citation_*` tags, Dublin Core `DC.*`, PRISM, JSON-LD
ScholarlyArticle, Open Graph — and the abstract from the tags or from the element of the page
marked as the abstract. A page without such metadata raises PageText with its visible text,
which the reader then reads as pasted text."""

from __future__ import annotations

import re
from typing import Any

from ingest import biblio
from ingest.citation import find_doi
from ingest.languages import language_code
from ingest.names import parse_author_line
from ingest.prose import is_sentence
from ingest.webpage import Page, read_page
from kb.errors import IngestError
from kb.model.schema import Author, Record

NAME = "html_page"
FORMAT = "html"
VERSION = "1.0"
SNIFF_CHARS = 4096
_HTML = re.compile(r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s)", re.I)
_ANY_TAG = re.compile(r"<(?:p|div|span|a|h[1-6]|table|section|article|title|br)\b[^>]*>", re.I)
_PMID = re.compile(r"^\d{1,9}$")
_PMCID = re.compile(r"^PMC\d+$", re.I)
MIN_DESCRIPTION_WORDS = 40  # a <meta description> shorter than this is a teaser, not the abstract


class PageText(IngestError):
    """A page with no embedded citation metadata; `text` is its visible text, one block a line."""

    def __init__(self, source: str, text: str, fields: dict[str, Any]) -> None:
        super().__init__(source, "the page has no citation metadata (citation_*, Dublin Core or JSON-LD tags)")
        self.text, self.fields = text, fields


def sniff(text: str, name: str = "") -> float:
    """High for an HTML document (a doctype, <html>, <head>, <meta>), or for tagged text in a
    file named .html/.htm."""
    head = text[:SNIFF_CHARS].lstrip("\ufeff \n\r\t")
    if _HTML.search(head):
        return 0.95
    return 0.95 if name.lower().endswith((".html", ".htm")) and _ANY_TAG.search(head) else 0.0


def parse(text: str, *, source: str) -> list[Record]:
    """One record from the page's embedded metadata; PageText when it has none, IngestError
    when it cannot be read."""
    page = read_page(text, source)
    fields = metadata(page)
    identified = bool(fields["identifiers"].get("doi") or fields["identifiers"].get("pmid"))
    if not fields.get("title") and not identified:
        if not page.lines:
            raise IngestError(source, "the page has no text, no abstract and no citation metadata")
        raise PageText(source, "\n".join(page.lines), fields)
    paragraphs = _abstract_paragraphs(page)
    if not paragraphs and not identified:
        raise PageText(source, "\n".join(page.lines), fields)
    language, sections, translations = biblio.abstract_parts(paragraphs)
    fields.update(abstract=sections, translations=translations,
                  **biblio.language_fields(fields.pop("stated_language"), language, bool(sections)))
    item = biblio.finish(fields, source=source, number=1)
    if isinstance(item, IngestError):
        raise IngestError(source, item.reason.removeprefix("record 1: "))
    assert isinstance(item, Record)
    return [item]


def fill(record: Record, fields: dict[str, Any]) -> Record:
    """A record read from a page's visible text, with what the page's tags told filled in."""
    ids = fields.get("identifiers", {})
    update: dict[str, Any] = {}
    if not record.identifiers.doi and ids.get("doi"):
        update["identifiers"] = record.identifiers.model_copy(update={"doi": ids["doi"]})
    for key in ("venue", "year", "published", "publisher"):
        if getattr(record, key) is None and fields.get(key) is not None:
            update[key] = fields[key]
    return record.model_copy(update=update) if update else record


def metadata(page: Page) -> dict[str, Any]:
    """Record fields from the page's tags (the first of several conventions that has each)."""
    ld = page.json_ld
    year, published = biblio.parse_date(page.first(
        "citation_publication_date", "citation_date", "dc.date.issued", "dcterms.issued", "dc.date",
        "prism.publicationdate", "citation_online_date") or _ld_str(ld.get("datePublished"))
        or page.first("article:published_time"))
    epub = biblio.parse_date(page.first("citation_online_date"))[1]
    first, last = page.first("citation_firstpage", "prism.startingpage"), page.first(
        "citation_lastpage", "prism.endingpage")
    keywords = page.all("citation_keywords", "dc.subject") or _ld_list(ld.get("keywords"))
    return {
        "title": biblio.clean_title(page.first("citation_title", "dc.title", "dcterms.title", "prism.title")
                                    or _ld_str(ld.get("headline") or ld.get("name")) or _og_title(page)),
        "authors": _authors(page),
        "affiliations": biblio.split_list(page.all("citation_author_institution")),
        "year": year, "published": published, "epub": epub if epub != published else None,
        "venue": page.first("citation_journal_title", "prism.publicationname", "citation_conference_title")
        or _periodical(ld) or _dc_source(page) or page.first("citation_journal_abbrev"),
        "volume": page.first("citation_volume", "prism.volume") or _ld_number(ld, "volumeNumber"),
        "issue": page.first("citation_issue", "prism.number") or _ld_number(ld, "issueNumber"),
        "pages": biblio.pages(first, last),
        "publisher": page.first("citation_publisher", "dc.publisher", "dcterms.publisher")
        or _ld_name(ld.get("publisher")),
        "identifiers": _identifiers(page),
        "keywords": biblio.keywords(k for value in keywords for k in re.split(r"[;,]", value)),
        "stated_language": language_code(page.first("citation_language", "dc.language", "dcterms.language")
                                         or _ld_str(ld.get("inLanguage"))),
    }


def _og_title(page: Page) -> str | None:
    """og:title of an article page, without the ' | Site' its page title may carry."""
    if (page.first("og:type") or "article").lower() not in ("article", "scholarlyarticle"):
        return None
    title, site = page.first("og:title"), page.first("og:site_name")
    if title and site:
        title = re.sub(rf"\s*[|–—-]\s*{re.escape(site)}\s*$", "", title)
    return title


def _identifiers(page: Page) -> dict[str, str | None]:
    doi_text = " ".join(page.all("citation_doi", "prism.doi", "dc.identifier", "dcterms.identifier", "bepress_citation_doi"))
    ld = page.json_ld
    ld_ids = " ".join(v for key in ("identifier", "sameAs", "@id", "url") for v in _ld_list(ld.get(key)))
    doi = find_doi(doi_text) or (find_doi(doi_text.replace("doi:", "doi: ")) if doi_text else None) \
        or find_doi(ld_ids)
    pmid = page.first("citation_pmid", "dc.identifier.pmid")
    pmcid = page.first("citation_pmcid")
    return {"doi": doi, "pmid": pmid if pmid and _PMID.match(pmid) else None,
            "pmcid": pmcid.upper() if pmcid and _PMCID.match(pmcid) else None,
            "url": biblio.landing_url(page.first("citation_abstract_html_url", "citation_public_url", "og:url"))}


def _authors(page: Page) -> list[Author]:
    names = page.all("citation_author", "dc.creator", "dcterms.creator", "citation_authors")
    if len(names) == 1 and ";" in names[0]:
        names = biblio.split_list(names[0])
    authors = [a for n in names if (a := person(n))]
    return authors or _ld_authors(page.json_ld.get("author"))


def person(name: str) -> Author | None:
    """One author tag: 'Family, Given', or a name in either order ('Chuang E', 'Maria de la
    Cruz Lopez'), or an organisation."""
    if "," not in name:
        found = parse_author_line(name, default="given-first")
        if len(found) == 1:
            return found[0]
    return biblio.person(name, family_first=False)


def _ld_authors(value: object) -> list[Author]:
    out: list[Author] = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, str):
            author = person(entry)
        elif isinstance(entry, dict):
            family, given = _ld_str(entry.get("familyName")), _ld_str(entry.get("givenName"))
            name = _ld_str(entry.get("name"))
            if "organization" in str(entry.get("@type", "")).lower() and name:
                author = Author(collective=name)
            elif family:
                author = biblio.person(f"{family}, {given}" if given else family)
            else:
                author = person(name) if name else None
        else:
            author = None
        if author is not None:
            out.append(author)
    return out


def _ld_str(value: object) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, (str, int, dict))), None)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("value") or value.get("@id")
    return biblio.clean(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _ld_list(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [s for v in items if (s := _ld_str(v))]


def _ld_name(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return _ld_str(value.get("name")) if isinstance(value, dict) else _ld_str(value)


def _part_of(ld: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue, volume and periodical a JSON-LD article is part of (nearest first)."""
    chain: list[dict[str, Any]] = []
    node: object = ld.get("isPartOf")
    for _ in range(4):
        if isinstance(node, list):
            node = node[0] if node else None
        if not isinstance(node, dict):
            break
        chain.append(node)
        node = node.get("isPartOf")
    return chain


def _periodical(ld: dict[str, Any]) -> str | None:
    """The journal of a JSON-LD article (isPartOf, possibly through its issue and volume)."""
    return next((_ld_str(n.get("name")) for n in _part_of(ld) if "periodical" in str(n.get("@type", "")).lower()),
                None)


def _ld_number(ld: dict[str, Any], key: str) -> str | None:
    return _ld_str(ld.get(key)) or next((v for n in _part_of(ld) if (v := _ld_str(n.get(key)))), None)


def _dc_source(page: Page) -> str | None:
    """The journal a Dublin Core record names (dc.source or is-part-of), when it is not a URL."""
    value = page.first("dc.relation.ispartof", "dcterms.ispartof", "dc.source", "dcterms.source")
    return value if value and not value.lower().startswith(("http", "www.", "doi:", "urn:")) else None


def _abstract_paragraphs(page: Page) -> list[str]:
    """The abstract: from the tags, else the page's abstract element, else a long description."""
    for value in (page.first("citation_abstract", "dcterms.abstract"), _ld_str(page.json_ld.get("abstract"))):
        if value and (paragraphs := biblio.markup_paragraphs(value)):
            return paragraphs
    if page.abstract:
        return page.abstract
    description = page.first("dc.description", "dcterms.description", "description", "og:description") \
        or _ld_str(page.json_ld.get("description"))
    if description and len(description.split()) >= MIN_DESCRIPTION_WORDS and is_sentence(description) \
            and not description.rstrip().endswith(("…", "...")):
        return biblio.markup_paragraphs(description)
    return []
