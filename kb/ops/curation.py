"""A librarian's edits of a record before it is saved: bibliographic metadata, and findings
(kind, text, themes; added or deleted). Edited and added findings become `curated`; a finding
must quote the abstract, so its section and character span are found, never invented."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from ingest.extract.effects import parse_effects
from ingest.extract.translate import translate_finding
from ingest.names import looks_like_name, parse_name
from kb.errors import RecordError
from kb.export.references import person_name
from kb.model.review import refresh_flags
from kb.model.schema import FINDING_KINDS, Author, Finding, Identifiers, Record
from kb.model.taxonomy import Taxonomy

_INITIALS = re.compile(r"^(?:[A-Z]\.?\s*-?){1,4}$")


class MetadataEdit(BaseModel):
    """The editable bibliographic fields, as a form shows them."""

    title: str = ""
    authors: str = ""  # one per line: 'Family, Given' (or 'Family, I.'), or an organisation
    year: int | None = None
    venue: str = ""
    doi: str = ""
    pmid: str = ""
    resource_type: str = ""
    keywords: str = ""  # separated by semicolons
    # None leaves the stored value as it is (a form that does not show the field)
    pmcid: str | None = None
    isbn: str | None = None
    url: str | None = None
    venue_full: str | None = None  # the journal's full title ('Health Services Research')
    facets: str | None = None  # one per line: 'Name: value; value' (a name alone: an empty facet)


class FindingEdit(BaseModel):
    """One row of the findings editor; `id` is empty for a finding the librarian added."""

    id: str = ""
    kind: str = ""
    text: str = ""
    themes: list[str] = Field(default_factory=list)


# -- metadata ------------------------------------------------------------------------------------
def metadata_of(record: Record) -> MetadataEdit:
    """The form values of a record."""
    return MetadataEdit(
        title=record.title or "", authors="\n".join(person_name(a) for a in record.authors),
        year=record.year, venue=record.venue or "", venue_full=record.venue_full or "", doi=record.identifiers.doi or "",
        pmid=record.identifiers.pmid or "", pmcid=record.identifiers.pmcid or "",
        isbn=record.identifiers.isbn or "", url=record.identifiers.url or "",
        resource_type=record.resource_type or "", keywords="; ".join(record.keywords),
        facets=facets_text(record.facets))


def facets_text(facets: Mapping[str, Sequence[str]]) -> str:
    """'Name: value; value' lines of a record's facets."""
    return "\n".join(f"{name}: {'; '.join(values)}".rstrip() for name, values in facets.items())


def parse_facets(text: str) -> dict[str, list[str]]:
    """Facets from 'Name: value; value' lines; RecordError names a line without a name."""
    facets: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, _, values = line.partition(":")
        if not name.strip():
            raise RecordError(f"facets, line {number}: give the facet's name before ':'")
        facets[" ".join(name.split())] = [v.strip() for v in values.split(";") if v.strip()]
    return facets


def parse_author(line: str) -> Author:
    """'Chuang, Emmeline' / 'Chuang, E.' / 'Chuang E' / 'California Health Care Foundation'."""
    line = " ".join(line.split())
    if "," in line:
        family, given = (p.strip() for p in line.split(",", 1))
        if not given:
            return Author(family=family)
        if _INITIALS.match(given):
            return Author(family=family, initials=re.sub(r"[.\s-]", "", given))
        return Author(family=family, given=given)
    if looks_like_name(line):
        return parse_name(line)
    return Author(collective=line)


def parse_authors(text: str, previous: Sequence[Author] = ()) -> list[Author]:
    """Authors from the form's lines; a line left as shown keeps its stored author unchanged
    (an organisation with a comma stays one), an author already known keeps affiliations and ORCID."""
    shown = {" ".join(person_name(a).split()): a for a in previous}
    known = {(a.family or a.collective or "").casefold(): a for a in previous}
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if (same := shown.get(" ".join(line.split()))) is not None:
            out.append(same)
            continue
        author = parse_author(line)
        before = known.get((author.family or author.collective or "").casefold())
        if before is not None:
            author = author.model_copy(update={"affiliations": before.affiliations,
                                               "orcid": before.orcid})
        out.append(author)
    return out


def apply_metadata(record: Record, edit: MetadataEdit) -> Record:
    """The record with the form's metadata; RecordError names the field that is wrong."""
    try:
        ids = record.identifiers.model_dump()
        ids.update({name: value.strip() or None for name in ("doi", "pmid", "pmcid", "isbn", "url")
                    if (value := getattr(edit, name)) is not None})
        identifiers = Identifiers.model_validate(ids)
        authors = parse_authors(edit.authors, record.authors)
    except ValidationError as err:
        raise RecordError(_field_error(err, "authors")) from err
    data = record.model_dump()
    data.update(
        title=edit.title.strip() or None, year=edit.year, venue=edit.venue.strip() or None,
        venue_full=_venue_full(record, edit),
        resource_type=edit.resource_type.strip() or None, identifiers=identifiers.model_dump(),
        authors=[a.model_dump() for a in authors],
        keywords=[k.strip() for k in edit.keywords.split(";") if k.strip()],
        facets=record.facets if edit.facets is None else parse_facets(edit.facets))
    try:
        return refresh_flags(Record.model_validate(data))
    except ValidationError as err:
        raise RecordError(_field_error(err, "record")) from err


def _venue_full(record: Record, edit: MetadataEdit) -> str | None:
    """The full journal title after an edit: the one typed; a venue the librarian changed no
    longer has the full title read with the old one (unless a new one is typed)."""
    kept = record.venue_full if (edit.venue.strip() or None) == record.venue else None
    if edit.venue_full is None:
        return kept
    typed = edit.venue_full.strip() or None
    return kept if typed == record.venue_full else typed


def _field_error(err: ValidationError, default: str) -> str:
    """'year: Input should be greater than or equal to 1500' from a pydantic error."""
    first = err.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or default
    return f"{field}: {first['msg'].removeprefix('Value error, ')}"


# -- findings ------------------------------------------------------------------------------------
def finding_edits(record: Record) -> list[FindingEdit]:
    """The editor rows of a record's findings."""
    return [FindingEdit(id=f.id, kind=f.kind, text=f.text, themes=list(f.themes))
            for f in record.findings]


def edits_from_rows(rows: Sequence[Mapping[str, Any]]) -> list[FindingEdit]:
    """Editor rows (dicts from a table editor; new rows have empty cells) as FindingEdits."""
    out = []
    for row in rows:
        themes = row.get("themes")
        listed = [] if themes is None or isinstance(themes, str) else [str(t) for t in themes]
        out.append(FindingEdit(id=str(row.get("id") or ""), kind=str(row.get("kind") or ""),
                               text=str(row.get("text") or ""), themes=listed))
    return out


def locate(record: Record, text: str) -> tuple[int, tuple[int, int]] | None:
    """(section index, character span) of `text` in the abstract: exact first, then ignoring
    case and runs of whitespace."""
    for index, section in enumerate(record.abstract):
        at = section.text.find(text)
        if at >= 0:
            return index, (at, at + len(text))
    pattern = re.compile(r"\s+".join(re.escape(w) for w in text.split()), re.IGNORECASE)
    for index, section in enumerate(record.abstract):
        match = pattern.search(section.text)
        if match:
            return index, match.span()
    return None


def _check(row: int, edit: FindingEdit, themes: set[str]) -> None:
    if edit.kind not in FINDING_KINDS:
        raise RecordError(f"finding {row}: kind '{edit.kind}' is not one of {', '.join(FINDING_KINDS)}")
    unknown = [t for t in edit.themes if t not in themes]
    if unknown:
        raise RecordError(f"finding {row}: theme '{unknown[0]}' is not in the taxonomy")


def _placed(record: Record, row: int, edit: FindingEdit) -> tuple[int, tuple[int, int], str]:
    """Section, span and the verbatim text of an edited finding."""
    found = locate(record, edit.text)
    if found is None:
        raise RecordError(f"finding {row}: the text was not found in the abstract (a finding "
                          "quotes the source; copy the sentence from the abstract)")
    section, span = found
    return section, span, record.abstract[section].text[span[0]:span[1]]


def _curated(record: Record, row: int, edit: FindingEdit, before: Finding | None) -> Finding:
    kept = before is not None and " ".join(before.text.split()) == edit.text
    if kept and before is not None:
        section, span, text = before.section, before.span, before.text
    else:
        section, span, text = _placed(record, row, edit)
    finding = Finding(
        id=before.id if before else f"c{section}-{span[0]}", kind=edit.kind, text=text,
        section=section, role=before.role if kept and before else record.abstract[section].role,
        span=span, sentence_span=before.sentence_span if kept and before else None,
        themes=list(dict.fromkeys(edit.themes)),
        effects=before.effects if kept and before else parse_effects(text),
        translations=before.translations if kept and before else {},
        origin="curated", confidence=1.0)
    if not finding.translations:
        finding.translations = {lang: t for lang, sections in record.translations.items()
                                if (t := translate_finding(finding, record.abstract, sections))}
    return finding


def apply_findings(record: Record, edits: Sequence[FindingEdit], taxonomy: Taxonomy) -> Record:
    """The record with the editor's findings: unchanged rows stay as they were, changed and
    new rows become curated, rows left out are deleted, blank rows are ignored."""
    before = {f.id: f for f in record.findings}
    themes = {t.id for t in taxonomy.themes}
    findings: list[Finding] = []
    for row, edit in enumerate(edits, start=1):
        edit = edit.model_copy(update={"text": " ".join(edit.text.split())})
        if not edit.text:
            continue
        _check(row, edit, themes)
        old = before.get(edit.id) if edit.id else None
        if old is not None and (old.kind, " ".join(old.text.split()), list(old.themes)) == (
                edit.kind, edit.text, list(edit.themes)):
            findings.append(old)
        else:
            findings.append(_curated(record, row, edit, old))
    ids = [f.id for f in findings]
    if len(ids) != len(set(ids)):
        raise RecordError("two findings start at the same place in the abstract; delete one")
    findings.sort(key=lambda f: (f.section, f.span))
    return record.model_copy(update={"findings": findings})
