"""CSL-JSON (Zotero, Crossref, Manubot, citeproc exports, and our own `kb export --format
csl-json`, whose "custom" object carries what CSL has no variable for)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

from ingest import biblio
from ingest.biblio import Item
from ingest.languages import language_code
from kb.errors import IngestError
from kb.model.reftypes import from_csl
from kb.model.schema import Author, Section

NAME = "csl_json"
FORMAT = "csl-json"
VERSION = "1.0"
BIBLIOGRAPHIC = True

_CSL_KEYS = re.compile(r'"(?:container-title|issued|author|DOI|URL|title)"\s*:')
_TAG = re.compile(r"<[^>]+>")


def sniff(text: str, name: str = "") -> float:
    """High for a JSON array or object with CSL variables ("type", "title", "issued", …)."""
    head = text[:200000].lstrip("\ufeff \n\r\t")
    if not head.startswith(("[", "{")) or '"type"' not in head:
        return 0.0
    return 0.9 if len(set(_CSL_KEYS.findall(head))) >= 2 else 0.0


def items_of(data: object) -> list[object]:
    """The CSL items of a loaded JSON document (a list, one item, or a Crossref 'message')."""
    if isinstance(data, dict) and isinstance(data.get("message"), (dict, list)):
        data = data["message"]
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    return data if isinstance(data, list) else [data]


def iter_parse(text: str, *, source: str) -> Iterator[Item]:
    """Records of a CSL-JSON text; an item that is not a CSL object is reported."""
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as err:
        raise IngestError(source, f"not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})",
                          line=err.lineno) from err
    except RecursionError as err:
        raise IngestError(source, "the JSON is nested too deeply to read (arrays or objects "
                                  "inside each other thousands of times)") from err
    except ValueError as err:  # e.g. a number of more than 4,300 digits (Python's safety limit)
        raise IngestError(source, f"the JSON holds a value that cannot be read ({err})") from None
    for number, item in enumerate(items_of(data), start=1):
        if not isinstance(item, dict):
            yield IngestError(source, f"item {number}: expected a CSL object, found {type(item).__name__}")
            continue
        yield biblio.build(_fields, item, source=source, number=number)


def parse(text: str, *, source: str) -> list:
    """All readable records; IngestError only when none is readable."""
    return biblio.collect(iter_parse(text, source=source), source, "CSL-JSON")


def _str(value: object) -> str | None:
    """A CSL string variable (Crossref sometimes gives a list of one string)."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, (str, int, float))), None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return biblio.clean(html.unescape(_TAG.sub("", value))) if isinstance(value, str) else None


def _date(value: object) -> tuple[int | None, str | None]:
    """(year, ISO date) of a CSL date: date-parts (empty, null or too many parts), raw or literal."""
    if not isinstance(value, dict):
        return biblio.parse_date(value) if isinstance(value, str) else (None, None)
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list):
        nums = [p for p in parts[0][:3] if isinstance(p, (int, str)) and str(p).strip().isdigit()]
        if nums:
            return biblio.parse_date("-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(nums)))
    return biblio.parse_date(value.get("raw") or value.get("literal"))


def _author(value: object) -> Author | None:
    if not isinstance(value, dict):
        return None
    affiliations = [a.get("name") if isinstance(a, dict) else a
                    for a in value.get("affiliation") or [] if a]
    orcid = _str(value.get("ORCID"))
    if value.get("literal") and not value.get("family"):
        author = Author(collective=_str(value["literal"]))
    else:
        family = " ".join(p for p in (_str(value.get("non-dropping-particle")),
                                      _str(value.get("family")), _str(value.get("suffix"))) if p)
        given = " ".join(p for p in (_str(value.get("given")), _str(value.get("dropping-particle"))) if p)
        author = biblio.person(f"{family}, {given}" if given else family) if family else None
    if author is None:
        return None
    author = biblio.with_affiliations(author, [a for a in affiliations if isinstance(a, str)])
    return author.model_copy(update={"orcid": re.sub(r"^https?://orcid\.org/", "", orcid)}) if orcid else author


def _custom(item: dict[str, Any]) -> dict[str, Any]:
    custom = item.get("custom")
    return custom if isinstance(custom, dict) else {}


def _sections(value: object) -> list[Section]:
    return [Section.model_validate(s) for s in value if isinstance(s, dict)] if isinstance(value, list) else []


def _text_fields(item: dict[str, Any], custom: dict[str, Any]) -> dict[str, Any]:
    """Abstract, translations and language: from our own "custom" sections when present."""
    sections = _sections(custom.get("abstract_sections"))
    if sections:
        translations = {str(k): _sections(v) for k, v in (custom.get("translations") or {}).items()
                        if isinstance(v, list)}
        return {"abstract": sections, "translations": translations,
                "language": language_code(_str(item.get("language"))) or "en"}
    language, sections, translations = biblio.abstract_parts(biblio.markup_paragraphs(item.get("abstract")))
    return {"abstract": sections, "translations": translations,
            **biblio.language_fields(language_code(_str(item.get("language"))), language, bool(sections))}


def _fields(item: dict[str, Any]) -> dict[str, Any]:
    custom = _custom(item)
    year, published = _date(item.get("issued") or item.get("published-print")
                            or item.get("published"))
    funders = [f.get("name") for f in item.get("funder") or [] if isinstance(f, dict)]
    keyword = item.get("keyword")
    keywords = custom.get("keywords") if isinstance(custom.get("keywords"), list) else (
        re.split(r"[;,]", keyword) if isinstance(keyword, str) else [])
    isbn = item.get("ISBN")
    return {
        "resource_type": custom.get("resource_type") if "custom" in item else from_csl(_str(item.get("type"))),
        "title": biblio.clean_title(_str(item.get("title"))),
        "title_translations": {str(k): str(v) for k, v in (custom.get("title_translations") or {}).items()},
        "authors": [a for v in item.get("author") or [] if (a := _author(v))],
        "year": year, "published": published,
        "epub": custom.get("epub") or _date(item.get("published-online"))[1],
        # as MEDLINE's TA and JT: the short form is the venue, the full title is kept beside it
        "venue": _str(item.get("container-title-short")) or _str(item.get("container-title")),
        "venue_full": _str(item.get("container-title")) if _str(item.get("container-title-short")) else None,
        "volume": _str(item.get("volume")), "issue": _str(item.get("issue")),
        "supplement": custom.get("supplement"), "pages": biblio.pages(_str(item.get("page"))),
        "article_number": _str(item.get("number")) or _str(item.get("article-number")),
        "publisher": _str(item.get("publisher")),
        "identifiers": {"doi": _str(item.get("DOI")), "pmid": _str(item.get("PMID")),
                        "pmcid": _str(item.get("PMCID")), "isbn": _str(isbn),
                        "url": biblio.landing_url(_str(item.get("URL")))},
        "affiliations": biblio.split_list(custom.get("affiliations") or []),
        "funders": biblio.split_list(custom.get("funders") or [f for f in funders if f]),
        "keywords": biblio.keywords(keywords),
        "publication_types": biblio.split_list(custom.get("publication_types") or []),
        **_text_fields(item, custom),
    }
