"""MEDLINE / PubMed .nbib exports ('PMID- …', 'TI  - …' tagged lines), read with Bio.Medline;
authors keep their own affiliations (AD after FAU/AU) and ORCIDs (AUID)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from Bio import Medline

from ingest import biblio, shape
from ingest.biblio import Item
from ingest.languages import language_code
from ingest.prose import normalize_newlines
from kb.errors import IngestError
from kb.model.schema import Author

NAME = "medline"
FORMAT = "medline"
VERSION = "1.0"
BIBLIOGRAPHIC = True

_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3})\s*-\s?(.*)$")
_MEDLINE_ONLY = re.compile(r"^(?:PMID|FAU |STAT|OWN |DCOM|JT  |TA  |PST |SO  |EDAT|LID |AID )-",
                           re.M)
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")
_ID_KIND = re.compile(r"(?P<value>[^\s\[\]]+(?: [^\s\[\]]+)*?)\s*\[(?P<kind>[a-z]+)\]")


def sniff(text: str, name: str = "") -> float:
    """High when MEDLINE-only tags (PMID-, FAU -, STAT-, JT  - …) open lines, no RIS TY, and
    tagged lines make up most of the input."""
    head = normalize_newlines(text[:200000])
    if re.search(r"^TY  -", head, re.M):
        return 0.0
    hits = len(_MEDLINE_ONLY.findall(head))
    if hits < 2 or not coverage(shape.lines_of(head)).explains():
        return 0.0
    if re.search(r"^PMID- ?\d+", head, re.M):
        return 0.95
    return 0.9 if hits >= 4 else 0.0


def coverage(lines: list[str]) -> shape.Coverage:
    """How much of the input is tagged MEDLINE lines and their continuations."""
    return shape.line_based(lines, _TAG, "      ")


def chunks(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, lines) of each record: blocks separated by empty lines."""
    block: list[str] = []
    start = 0
    for i, line in enumerate(normalize_newlines(text).split("\n")):
        if line.strip() == "" and not line.startswith("      "):
            if block:
                yield start + 1, block
            block = []
            continue
        if not block:
            start = i
        block.append(line)
    if block:
        yield start + 1, block


def iter_parse(text: str, *, source: str) -> Iterator[Item]:
    """Records of a MEDLINE text; an IngestError for each block that is not a MEDLINE record."""
    number = 0
    for line, block in chunks(text):
        if not _TAG.match(block[0]):
            continue  # text between records (a header, a note) is not a record
        number += 1
        fields = Medline.read(line_ + "\n" for line_ in block)
        if not fields:
            yield IngestError(source, f"record {number}: no MEDLINE fields could be read", line=line)
            continue
        yield biblio.build(_fields, fields, block, source=source, number=number, line=line)
    if (skipped := biblio.skipped_text(coverage(shape.lines_of(text)), source, "MEDLINE")) is not None:
        yield skipped


def parse(text: str, *, source: str) -> list:
    """All readable records; IngestError only when none is readable."""
    return biblio.collect(iter_parse(text, source=source), source, "MEDLINE")


def authors_in_order(block: list[str]) -> tuple[list[Author], list[str]]:
    """Authors with the AD/AUID lines that follow each of them (Bio.Medline loses that order),
    and the affiliations given before any author (older records)."""
    people: list[dict[str, Any]] = []
    before: list[str] = []
    last_tag = ""
    for raw in block:
        if raw.startswith("      ") and last_tag == "AD":
            target = people[-1]["ad"] if people else before
            if target:
                target[-1] += " " + raw.strip()
            continue
        m = _TAG.match(raw)
        if not m:
            continue
        tag, value = m.group(1), m.group(2).strip()
        last_tag = tag
        if tag == "FAU" or (tag == "AU" and not (people and people[-1]["fau"] and not people[-1]["au"])):
            people.append({"fau": value if tag == "FAU" else None, "au": value if tag == "AU" else None,
                           "ad": [], "orcid": None, "cn": None})
        elif tag == "AU":
            people[-1]["au"] = value
        elif tag == "CN":
            people.append({"fau": None, "au": None, "ad": [], "orcid": None, "cn": value})
        elif tag == "AD":
            (people[-1]["ad"] if people else before).append(value)
        elif tag == "AUID" and people and (orcid := _ORCID.search(value)):
            people[-1]["orcid"] = orcid.group(1)
    return [a for p in people if (a := _person(p))], before


def other_abstracts(block: list[str]) -> list[tuple[str, str | None]]:
    """(text, language) of each OAB with its continuation lines and the OABL after it."""
    found: list[list[Any]] = []
    last_tag = ""
    for raw in block:
        if raw.startswith("      "):
            if last_tag == "OAB" and found:
                found[-1][0] += " " + raw.strip()
            continue
        m = _TAG.match(raw)
        if not m:
            continue
        last_tag = m.group(1)
        if last_tag == "OAB":
            found.append([m.group(2).strip(), None])
        elif last_tag == "OABL" and found and found[-1][1] is None:
            found[-1][1] = m.group(2).strip()
    return [(text, lang) for text, lang in found]


def _person(p: dict[str, Any]) -> Author | None:
    if p["cn"]:
        author: Author | None = Author(collective=biblio.clean(p["cn"]))
    else:
        author = biblio.person(p["fau"] or p["au"])
        short = biblio.person(p["au"]) if p["au"] and p["fau"] else None
        if author and short and short.initials:
            author = author.model_copy(update={"initials": short.initials})
    if author is None:
        return None
    author = biblio.with_affiliations(author, p["ad"])
    return author.model_copy(update={"orcid": p["orcid"]}) if p["orcid"] else author


def _ids(fields: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, str] = {}
    for value in _as_list(fields.get("LID")) + _as_list(fields.get("AID")):
        for m in _ID_KIND.finditer(value):
            found.setdefault(m.group("kind"), m.group("value").strip())
    isbn = next(iter(_as_list(fields.get("ISBN"))), None)
    return {"doi": found.get("doi"), "pmid": fields.get("PMID"),
            "pmcid": fields.get("PMC") or found.get("pmc"), "isbn": isbn}, found.get("pii")


def _text(fields: dict[str, Any], key: str) -> str | None:
    """A field as one string (Bio.Medline keeps some tags as lists of lines)."""
    value = fields.get(key)
    return biblio.clean(" ".join(value) if isinstance(value, list) else value)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _resource_type(types: list[str], fields: dict[str, Any]) -> str:
    lowered = [t.lower() for t in types]
    if "book chapter" in lowered or fields.get("BTI") and fields.get("TI"):
        return "book-chapter"
    if "book" in lowered or fields.get("BTI"):
        return "book"
    if "preprint" in lowered:
        return "preprint"
    return "journal-article"


def _funders(grants: list[str]) -> list[str]:
    """'R01 HL123/HL/NHLBI NIH HHS/United States' -> 'NHLBI NIH HHS'."""
    out = []
    for grant in grants:
        parts = [p.strip() for p in grant.split("/")]
        out.append(parts[2] if len(parts) >= 3 and parts[2] else parts[0])
    return biblio.split_list(out)


def _fields(fields: dict[str, Any], block: list[str]) -> dict[str, Any]:
    ids, pii = _ids(fields)
    types = biblio.split_list(_as_list(fields.get("PT")))
    year, published = biblio.parse_date(fields.get("DP"))
    language, sections, translations = biblio.abstract_parts([fields.get("AB") or ""])
    for text, lang in other_abstracts(block):
        code = language_code(lang)
        if code and code != language and (aligned := biblio.translation_of(sections, [text])):
            translations[code] = aligned
    vernacular = biblio.clean_title(_text(fields, "TT"))
    pub_language = language_code(next(iter(_as_list(fields.get("LA"))), None))
    venue = _text(fields, "TA") or _text(fields, "JT") or _text(fields, "BTI")
    authors, affiliations = authors_in_order(block)
    mesh = biblio.keywords(_as_list(fields.get("MH")), mesh=True)
    return {
        "resource_type": _resource_type(types, fields), "title": biblio.clean_title(fields.get("TI")),
        "title_translations": {pub_language or biblio.title_language(vernacular): vernacular}
        if vernacular else {},
        "authors": authors, "affiliations": biblio.split_list(affiliations), "year": year, "published": published,
        "epub": biblio.parse_date(fields.get("DEP"))[1], "venue": biblio.clean(venue),
        "venue_full": biblio.clean(_text(fields, "JT")) if _text(fields, "TA") else None,
        "volume": biblio.clean(fields.get("VI")), "issue": biblio.clean(fields.get("IP")),
        "pages": biblio.pages(fields.get("PG")),
        "article_number": pii if not fields.get("PG") and pii and re.fullmatch(r"[A-Za-z]?\d{1,9}", pii)
        else None,
        "publisher": _text(fields, "PB"), "identifiers": ids,
        "funders": _funders(_as_list(fields.get("GR"))),
        "keywords": biblio.keywords([*mesh, *_as_list(fields.get("OT"))]),
        "publication_types": types, **biblio.language_fields(pub_language, language, bool(sections)),
        "abstract": sections, "translations": translations,
    }
