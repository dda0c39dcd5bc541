"""PubMed XML (efetch / baseline `PubmedArticleSet`, also gzipped), streamed with defusedxml's
iterparse so a file of any size needs little memory; entity declarations and external
references (XML bombs, XXE) are refused."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from ingest import biblio
from ingest.biblio import Item
from ingest.citation import MONTHS
from ingest.languages import language_code
from ingest.limits import MAX_XML_RECORD_BYTES, MB
from kb.errors import IngestError
from kb.model.schema import Author, Section

NAME = "pubmed_xml"
FORMAT = "pubmed-xml"
VERSION = "1.0"
BIBLIOGRAPHIC = True

RECORD_TAGS = frozenset({"PubmedArticle", "PubmedBookArticle"})
_ROOTS = re.compile(r"<(?:PubmedArticleSet|PubmedArticle|PubmedBookArticleSet|MedlineCitationSet)\b")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_ROLES = {"BACKGROUND": "background", "OBJECTIVE": "objective", "METHODS": "methods",
          "RESULTS": "results", "CONCLUSIONS": "conclusions"}


def sniff(text: str, name: str = "") -> float:
    """High for XML whose root is a PubMed article set."""
    head = text[:5000].lstrip("\ufeff \n\r\t")
    return 0.97 if head.startswith("<") and _ROOTS.search(head) else 0.0


def sniff_bytes(head: bytes) -> float:
    """sniff() on the first bytes of a (decompressed) file, before decoding it."""
    return sniff(head[:5000].decode("utf-8", "replace"))


_OTHER_ROOT = re.compile(rb"<(?!\?|!)([A-Za-z_][\w.:-]*)")


def other_xml_root(head: bytes) -> str | None:
    """The root element name of an XML document that is not PubMed XML (e.g. PMC/JATS)."""
    text = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if not text.startswith(b"<?xml") or sniff_bytes(head) > 0:
        return None
    body = re.sub(rb"<!--.*?-->|<!DOCTYPE[^>]*>|<\?.*?\?>", b"", text, flags=re.S)
    m = _OTHER_ROOT.search(body)
    return m.group(1).decode("ascii", "replace") if m else "?"


def parse(text: str, *, source: str) -> list:
    """All readable records; IngestError only when none is readable."""
    return biblio.collect(iter_parse(text, source=source), source, "PubMed XML")


def iter_parse(text: str, *, source: str) -> Iterator[Item]:
    """iter_parse_stream() over decoded text (the XML declaration's encoding no longer applies)."""
    body = _XML_DECL.sub("", text.lstrip("\ufeff"), count=1)
    return iter_parse_stream(io.BytesIO(body.encode("utf-8")), source=source)


def iter_parse_stream(stream: IO[bytes], *, source: str) -> Iterator[Item]:
    """Records one at a time; a malformed or unsafe file ends with one IngestError saying why."""
    number = 0
    root: Element | None = None
    budget = _Budget(stream, source)
    try:
        for event, elem in iterparse(budget, events=("start", "end"), forbid_dtd=False,
                                     forbid_entities=True, forbid_external=True):
            if root is None and event == "start":
                root = elem
            if event != "end" or not _is_record(elem, root):
                continue
            number += 1
            budget.record_done(number)
            yield biblio.build(_fields, elem, source=source, number=number)
            elem.clear()
            if root is not None:
                root.clear()
    except IngestError as err:  # a record over the size limit: the file cannot go on
        yield err
    except DefusedXmlException as err:
        yield IngestError(source, f"unsafe XML refused ({type(err).__name__}: entity declarations "
                                  "and external references are not allowed)")
    except ParseError as err:
        line, column = getattr(err, "position", (None, None))
        kept = f"; the {number} record(s) before it were read" if number else ""
        yield IngestError(source, f"the XML is cut off or malformed at line {line}, column {column}"
                                  f"{kept}", line=line)
    if number == 0 and root is not None and root.tag not in (
            "PubmedArticleSet", "PubmedBookArticleSet", "MedlineCitationSet"):
        yield IngestError(source, f"<{root.tag}> is not a PubMed article set")


class _Budget(io.RawIOBase):
    """The XML stream, read through a per-record allowance: one record (or the text before the
    first) of more than MAX_XML_RECORD_BYTES stops the parse before it fills memory (a text node
    is held whole until it ends, so the limit must act while reading, not per element)."""

    def __init__(self, inner: IO[bytes], source: str) -> None:
        self.inner, self.source, self.since, self.number = inner, source, 0, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        chunk = self.inner.read(size)
        self.since += len(chunk)
        if self.since > MAX_XML_RECORD_BYTES:
            kept = f"; the {self.number} record(s) before it were read" if self.number else ""
            raise IngestError(self.source, f"record {self.number + 1} is more than "
                                           f"{MAX_XML_RECORD_BYTES // MB} MB of XML, more than one "
                                           f"record can hold{kept}")
        return chunk

    def record_done(self, number: int) -> None:
        self.since, self.number = 0, number


def _is_record(elem: Element, root: Element | None) -> bool:
    if elem.tag in RECORD_TAGS:
        return True
    return elem.tag == "MedlineCitation" and root is not None and root.tag == "MedlineCitationSet"


def _text(elem: Element | None) -> str | None:
    """All text inside an element (inline markup such as <i> or <sup> flattened)."""
    return biblio.clean("".join(elem.itertext())) if elem is not None else None


def _find_text(elem: Element, path: str) -> str | None:
    return _text(elem.find(path))


def _date(elem: Element | None) -> tuple[int | None, str | None]:
    """(year, ISO date) of a PubDate/ArticleDate element (Year/Month/Day or MedlineDate)."""
    if elem is None:
        return None, None
    medline = elem.findtext("MedlineDate")
    if medline:
        return biblio.parse_date(medline)
    year = elem.findtext("Year")
    if not year:
        return None, None
    month = (elem.findtext("Month") or "").strip()
    month_num = int(month) if month.isdigit() else MONTHS.get(month[:3].lower())
    if month_num is None and elem.findtext("Season"):
        return biblio.parse_date(f"{year} {elem.findtext('Season')}")
    day = elem.findtext("Day")
    parts = [year] + ([f"{month_num:02d}"] if month_num else [])
    parts += [f"{int(day):02d}"] if month_num and day and day.strip().isdigit() else []
    return biblio.parse_date("-".join(parts))


def _author(elem: Element) -> Author | None:
    collective = _find_text(elem, "CollectiveName")
    family = _find_text(elem, "LastName")
    affiliations = [t for a in elem.findall("AffiliationInfo/Affiliation") if (t := _text(a))]
    orcid = next((re.sub(r"^https?://orcid\.org/", "", i.text.strip()) for i in elem.findall("Identifier")
                  if i.get("Source") == "ORCID" and i.text), None)
    if family:
        given = _find_text(elem, "ForeName")
        suffix = _find_text(elem, "Suffix")
        author = Author(family=f"{family} {suffix}" if suffix else family, given=given,
                        initials=_find_text(elem, "Initials"), affiliations=affiliations, orcid=orcid)
    elif collective:
        author = Author(collective=collective, affiliations=affiliations)
    else:
        return None
    return author


def _sections(abstract: Element | None) -> list[Section]:
    if abstract is None:
        return []
    sections = []
    for part in abstract.findall("AbstractText"):
        text = _text(part)
        if not text:
            continue
        label = biblio.clean(part.get("Label"))
        category = (part.get("NlmCategory") or "").upper()
        role = _ROLES.get(category)
        if role is None and label:
            role = biblio.label_role(label)
        sections.append(Section(role=role or "other", label=label, text=text))
    return sections


def _abstract(article: Element | None, citation: Element) -> tuple[str, list[Section], dict[str, list[Section]]]:
    abstract = article.find("Abstract") if article is not None else None
    sections = _sections(abstract)
    if sections and not any(s.label for s in sections):
        language, sections, translations = biblio.abstract_parts([s.text for s in sections])
    else:
        language, translations = "en", {}
        if sections:
            language = biblio.title_language(" ".join(s.text for s in sections)[:2000])
    for other in citation.findall("OtherAbstract"):
        code = language_code(other.get("Language"))
        texts = [f"{s.label}: {s.text}" if s.label else s.text for s in _sections(other)]
        if code and code != language and code not in translations and texts:
            translations[code] = biblio.translation_of(sections, texts)
    return language, sections, translations


def _ids(node: Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in node.iter("ArticleId"):
        kind = item.get("IdType") or ""
        if item.text and kind not in out:
            out[kind] = item.text.strip()
    return out


def _fields(record: Element) -> dict[str, Any]:
    citation = record.find("MedlineCitation") if record.tag == "PubmedArticle" else (
        record.find("BookDocument") if record.tag == "PubmedBookArticle" else record)
    citation = citation if citation is not None else record
    article = citation.find("Article")
    book = citation.find("Book") if record.tag == "PubmedBookArticle" else None
    holder = article if article is not None else citation
    journal = holder.find("Journal")
    year, published = _date(journal.find("JournalIssue/PubDate") if journal is not None
                            else (book.find("PubDate") if book is not None else None))
    ids = _ids(record.find("PubmedData/ArticleIdList") if record.find("PubmedData/ArticleIdList")
               is not None else citation)
    elocations = {e.get("EIdType"): (e.text or "").strip() for e in holder.findall("ELocationID")}
    language, sections, translations = _abstract(holder, citation)
    pub_language = language_code(holder.findtext("Language") or citation.findtext("Language"))
    vernacular = biblio.clean_title(_find_text(holder, "VernacularTitle"))
    types = biblio.split_list([_text(t) for t in holder.findall("PublicationTypeList/PublicationType")])
    pages = _find_text(holder, "Pagination/MedlinePgn") or biblio.pages(
        _find_text(holder, "Pagination/StartPage"), _find_text(holder, "Pagination/EndPage"))
    epub = next((_date(d)[1] for d in holder.findall("ArticleDate") if d.get("DateType") == "Electronic"),
                None)
    mesh = [_text(d) for d in citation.findall("MeshHeadingList/MeshHeading/DescriptorName")]
    keywords = [_text(k) for k in citation.findall("KeywordList/Keyword")]
    venue = (_find_text(citation, "MedlineJournalInfo/MedlineTA") or
             (_find_text(journal, "ISOAbbreviation") or _find_text(journal, "Title")
              if journal is not None else None) or (_find_text(book, "BookTitle") if book is not None else None))
    return {
        "resource_type": "book-chapter" if book is not None and citation.find("ArticleTitle") is not None
        else ("book" if book is not None else "journal-article"),
        "title": biblio.clean_title(_find_text(holder, "ArticleTitle") or (
            _find_text(book, "BookTitle") if book is not None else None)),
        "title_translations": {pub_language or biblio.title_language(vernacular): vernacular}
        if vernacular else {},
        "authors": [a for e in holder.findall("AuthorList/Author") if (a := _author(e))],
        "year": year, "published": published, "epub": epub, "venue": venue,
        "venue_full": _find_text(journal, "Title") if journal is not None else None,
        "volume": _find_text(journal, "JournalIssue/Volume") if journal is not None else None,
        "issue": _find_text(journal, "JournalIssue/Issue") if journal is not None else None,
        "pages": biblio.pages(pages) if pages else None,
        "article_number": elocations.get("pii") if not pages and re.fullmatch(
            r"[A-Za-z]?\d{1,9}", elocations.get("pii") or "") else None,
        "publisher": _find_text(book, "Publisher/PublisherName") if book is not None else None,
        "identifiers": {"doi": ids.get("doi") or elocations.get("doi"),
                        "pmid": _find_text(citation, "PMID") or ids.get("pubmed"),
                        "pmcid": ids.get("pmc"),
                        "isbn": _find_text(book, "Isbn") if book is not None else None},
        "funders": biblio.split_list([_text(g) for g in holder.findall("GrantList/Grant/Agency")]),
        "keywords": biblio.keywords([*(m for m in mesh if m), *(k for k in keywords if k)]),
        "publication_types": types, **biblio.language_fields(pub_language, language, bool(sections)),
        "abstract": sections, "translations": translations,
    }
