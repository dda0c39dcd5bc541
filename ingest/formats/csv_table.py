"""CSV/TSV exports (PubMed, Scopus, Web of Science, Embase, Zotero, ASReview): one record per
row; the header is mapped through csv_headers.py and columns that are not imported are reported."""

from __future__ import annotations

import ast
import csv
import io
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from ingest import biblio
from ingest.biblio import Item, ParseNote
from ingest.citation import find_doi
from ingest.formats.csv_headers import ALIASES, FIELD_OF, IGNORED, header_key
from ingest.languages import language_code
from ingest.prose import normalize_newlines
from kb.errors import IngestError
from kb.model import reftypes

NAME = "csv_table"
FORMAT = "csv"
VERSION = "1.0"
BIBLIOGRAPHIC = True

DELIMITERS = ",;\t|"
MAX_FIELD = 10 * 1024 * 1024
_SOURCE = re.compile(  # Embase 'Source': 'Cancer (2004) 102:4 (253-258). Date of Publication: 25 Aug 2004'
    r"^(?P<venue>.+?)\s*\((?P<year>\d{4})\)\s*(?P<volume>[^:\s(]+)?(?::(?P<issue>[^\s(]+))?"
    r"\s*(?:\((?P<pages>[^)]*)\))?\.?(?:\s*Date of Publication:\s*(?P<date>.+))?$")


def _header(text: str) -> tuple[list[str], str] | None:
    first = normalize_newlines(text.lstrip("\ufeff")).split("\n", 1)[0]
    counts = {d: first.count(d) for d in DELIMITERS}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        return None
    names = next(csv.reader([first], delimiter=delimiter))
    return names, delimiter


def sniff(text: str, name: str = "") -> float:
    """High when the first line is a delimited header naming known bibliographic columns."""
    found = _header(text[:20000])
    if not found:
        return 0.0
    names, _ = found
    known = [n for n in names if header_key(n) in FIELD_OF]
    if len(names) >= 2 and (any(FIELD_OF.get(header_key(n)) == "title" for n in names) or len(known) >= 2):
        return 0.9
    return 0.0


def _columns(names: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """field -> the columns naming it (in order), and the columns neither imported nor ignored."""
    columns: dict[str, list[str]] = {}
    unknown = []
    for name in names:
        key = header_key(name)
        field = FIELD_OF.get(key)
        if field:
            columns.setdefault(field, []).append(name)
        elif key not in IGNORED and key:
            unknown.append(name)
    return columns, unknown


def iter_parse(text: str, *, source: str) -> Iterator[Item]:
    """Records of a CSV text; a file without a title column is refused (IngestError)."""
    found = _header(text)
    if not found:
        raise IngestError(source, "not a delimited table (no ',', ';', tab or '|' in the header line)")
    names, delimiter = found
    columns, unknown = _columns(names)
    if "title" not in columns:
        titles = ", ".join(ALIASES["title"][:4])
        raise IngestError(source, f"no title column (expected one of: {titles}, …); "
                                  f"columns found: {', '.join(names)}")
    if unknown:
        yield ParseNote(message=f"columns not imported: {', '.join(unknown)}")
    csv.field_size_limit(MAX_FIELD)
    reader = csv.DictReader(io.StringIO(normalize_newlines(text.lstrip("\ufeff"))), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            line = reader.line_num
            if None in row:
                yield IngestError(source, f"row {number}: more cells than header columns", line=line)
                continue
            yield biblio.build(_fields, row, columns, source=source, number=number, line=line)
    except csv.Error as err:
        yield IngestError(source, f"the table cannot be read past line {reader.line_num} ({err})",
                          line=reader.line_num)


def parse(text: str, *, source: str) -> list:
    """All readable records; IngestError only when none is readable."""
    return biblio.collect(iter_parse(text, source=source), source, "CSV")


def _cell(row: dict[str, Any], columns: dict[str, list[str]], field: str) -> str | None:
    """The first non-empty cell of the columns mapped to a field."""
    return next((v for name in columns.get(field, []) if (v := biblio.clean(row.get(name)))), None)


def _items(value: str | None, seps: str = ";") -> list[str]:
    """A list cell: a Python/JSON list literal ("['a', 'b']") or text split on separators."""
    if not value:
        return []
    if value.startswith("[") and value.endswith("]"):
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            parsed = None
        if isinstance(parsed, list):
            return [str(v) for v in parsed if str(v).strip()]
    sep = ";" if ";" in value else seps
    pattern = rf"[{re.escape(sep)}](?![^()]*\))"  # a separator inside (…) does not split
    return [p for p in (biblio.clean(x) for x in re.split(pattern, value)) if p]


def _authors(value: str | None) -> list:
    """'A; B', "['A', 'B']", 'Smith J, Doe A' (PubMed, Scopus) or one 'Family, Given'."""
    if not value:
        return []
    names = _items(value, "\x00")
    if len(names) == 1 and "," in value:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        names = parts if all(len(p.split()) >= 2 for p in parts) else [value]
    return [a for n in names if (a := biblio.person(n))]


def _source_parts(value: str | None) -> dict[str, Any]:
    m = _SOURCE.match(value or "")
    if not m:
        return {"venue": value}
    year, published = biblio.parse_date(m["date"] or m["year"])
    return {"venue": m["venue"], "volume": m["volume"], "issue": m["issue"],
            "pages": m["pages"], "year": year, "published": published}


def _fields(row: dict[str, Any], columns: dict[str, list[str]]) -> dict[str, Any]:
    cell = lambda field: _cell(row, columns, field)  # noqa: E731
    cited = _source_parts(cell("source")) if cell("source") and not cell("venue") else {}
    year, published = biblio.parse_date(cell("date") or cell("year"))
    year_text = cell("year")
    year, published = (year, published) if year else (cited.get("year"), cited.get("published"))
    flags = [] if year or not year_text else [{
        "code": "bad-year", "field": "year", "message": f"the export's year '{year_text}' could not be read"}]
    language, sections, translations = biblio.abstract_parts([cell("abstract") or ""])
    translated = cell("abstract_translation")
    lang_of = language_code(cell("language"))
    if translated and (code := biblio.title_language(translated)) != language:
        translations.setdefault(code, biblio.translation_of(sections, [translated]))
    title_tr = biblio.clean_title(cell("title_translation"))
    open_url = re.search(r"\bid=doi:([^&\s]+)", unquote(cell("open_url") or ""))
    kind = cell("resource_type")
    return {
        "resource_type": reftypes.from_ris(kind) or reftypes.from_bibtex(kind) or reftypes.from_csl(
            kind) or _zotero_type(kind),
        "title": biblio.clean_title(cell("title")),
        "title_translations": {biblio.title_language(title_tr): title_tr} if title_tr else {},
        "authors": _authors(cell("authors")), "year": year, "published": published,
        "venue": cell("venue") or cited.get("venue"), "volume": cell("volume") or cited.get("volume"),
        "issue": cell("issue") or cited.get("issue"),
        "pages": biblio.pages(cell("pages") or cell("start_page") or cited.get("pages"), cell("end_page")),
        "article_number": cell("article_number"), "publisher": cell("publisher"),
        "identifiers": {"doi": find_doi(cell("doi") or "") or (open_url[1] if open_url else None),
                        "pmid": cell("pmid"), "pmcid": cell("pmcid"), "isbn": cell("isbn"),
                        "url": biblio.landing_url((_items(cell("url")) or [None])[0])},
        "affiliations": _items(cell("affiliations")),
        "keywords": biblio.keywords(
            [k for name in columns.get("keywords", []) for k in _items(biblio.clean(row.get(name)), ",")]),
        **biblio.language_fields(lang_of, language, bool(sections)), "abstract": sections, "translations": translations,
        "flags": flags,
    }


def _zotero_type(value: str | None) -> str | None:
    """Zotero's camelCase item types and Scopus/WoS document types ('journalArticle', 'Article')."""
    key = header_key(re.sub(r"([a-z])([A-Z])", r"\1 \2", value or ""))
    table = {"journal article": "journal-article", "article": "journal-article", "review": "journal-article",
             "book section": "book-chapter", "book chapter": "book-chapter", "book": "book",
             "conference paper": "conference-paper", "report": "report", "thesis": "thesis",
             "web page": "webpage", "blog post": "blog-summary", "preprint": "preprint"}
    return table.get(key)
