"""Column names of common CSV/TSV exports (PubMed, Scopus, Web of Science, Embase, Zotero,
ASReview, rispy-style names) mapped to record fields. Tables only; csv_table.py holds the logic."""

from __future__ import annotations

import re

# field -> aliases, compared after header_key() (lower-case, letters and digits only)
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "article title", "document title", "primary title", "ti", "t1",
              "title of article", "publication title article"),
    "title_translation": ("original title", "translated title", "tt", "vernacular title"),
    "abstract": ("abstract", "abstract note", "ab", "n2", "notes abstract", "summary"),
    "abstract_translation": ("original abstract", "other abstract"),
    "authors": ("authors", "author", "author names", "au", "a1", "first authors",
                "author full names", "author s", "creators", "full author names"),
    "year": ("year", "publication year", "py", "y1", "pub year", "published year"),
    "date": ("date", "publication date", "date of publication", "da", "create date", "pd"),
    "doi": ("doi", "di", "do", "doi link", "digital object identifier"),
    "pmid": ("pmid", "pubmed id", "pm", "pubmed"),
    "pmcid": ("pmcid", "pmc id", "pmc"),
    "isbn": ("isbn",),
    "url": ("url", "link", "ur", "urls", "uri"),
    "venue": ("journal", "source title", "publication title", "journal book", "journal title",
              "secondary title", "journal name", "t2", "jo", "jf", "so", "container title",
              "venue", "periodical", "alternate title3"),
    "source": ("source",),
    "volume": ("volume", "vl", "vol"),
    "issue": ("issue", "number", "is", "no"),
    "pages": ("pages", "page", "pagination", "pg"),
    "start_page": ("start page", "page start", "sp", "beginning page", "bp"),
    "end_page": ("end page", "page end", "ep"),
    "article_number": ("article number", "art no", "ar", "eid", "article no"),
    "keywords": ("keywords", "author keywords", "index keywords", "kw", "manual tags",
                 "automatic tags", "mesh terms", "mesh", "keywords plus", "de", "id keywords",
                 "emtree medical index terms", "emtree drug index terms"),
    "language": ("language", "language of original document", "la", "lang"),
    "publisher": ("publisher", "pb", "pu"),
    "affiliations": ("affiliations", "affiliation", "addresses", "correspondence address",
                     "author address", "ad", "c1"),
    "resource_type": ("type", "item type", "document type", "type of reference", "ty",
                      "publication type", "pt", "dt"),
    "open_url": ("open url link",),
}
# Columns that are understood and deliberately not imported (screening labels, ids, notes).
IGNORED = frozenset({
    "id", "record id", "label", "label included", "included", "label abstract screening",
    "asreview ranking", "note", "notes", "n1", "issn", "place published", "secondary authors",
    "editors", "copyright", "key", "citation", "first author", "nihms id", "journal abbreviation",
    "alternate title1", "alternate title2", "file attachments1", "file attachments2",
    "emtree drug index terms major focus", "emtree medical index terms major focus",
    "drug tradenames", "drug manufacturer", "device tradenames", "device manufacturer",
    "clinical trial numbers", "cited by", "times cited", "access date", "date added",
    "date modified", "extra", "rights", "library catalog", "archive", "call number",
    "abbreviation", "short title", "series", "source database", "ut unique wos id",
})


def header_key(name: str) -> str:
    """'Author Full Names' / 'author_full_names' / 'AU' -> 'author full names' / 'au'."""
    return " ".join(re.findall(r"[a-z0-9]+", name.lstrip("\ufeff").lower()))


FIELD_OF: dict[str, str] = {alias: field for field, aliases in ALIASES.items() for alias in aliases}
