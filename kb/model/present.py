"""Plain-text and table views of records shared by the CLI and the app."""

from __future__ import annotations

import re

from pydantic import BaseModel

from kb.model.schema import Record

STAND_IN_MARK = "[no title]"


def stand_in_title(record: Record, width: int = 90) -> str:
    """A readable stand-in for a missing title, marked as not a title: the first words of the
    objective (else of the first section, else the keywords, authors or venue) — never an id."""
    sections = [s for s in record.abstract if s.role == "objective"] or record.abstract
    opening = " ".join(sections[0].text.split()) if sections else "; ".join(record.keywords)
    if not opening:
        opening = ", ".join(a.display() for a in record.authors[:2]) or record.venue or "no text"
    if len(opening) > width:
        opening = opening[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"{STAND_IN_MARK} {opening}"


def display_title(record: Record) -> str:
    """The title, or — clearly marked as not a title — the opening words of the objective."""
    return record.title or stand_in_title(record)


def authors_line(record: Record, limit: int = 6) -> str:
    """'Chuang E, Ross R, … Pourat N' (or collective names)."""
    names = [a.display() for a in record.authors]
    if len(names) > limit:
        names = names[: limit - 1] + ["…", names[-1]]
    return ", ".join(names)


def citation_line(record: Record) -> str:
    """'Health Serv Res. 2025;60 Suppl 3(Suppl 3):e14417. doi:10.1111/…' from what is known."""
    parts = []
    if record.venue:
        parts.append(f"{record.venue}.")
    date = str(record.year) if record.year else ""
    vol = record.volume or ""
    if record.supplement:
        vol = f"{vol} {record.supplement}".strip()
    if record.issue:
        vol += f"({record.issue})"
    loc = record.pages or record.article_number
    if date or vol:
        parts.append(f"{date};{vol}" + (f":{loc}" if loc else "") + "." if vol else f"{date}.")
    if record.identifiers.doi:
        parts.append(f"doi:{record.identifiers.doi}")
    return " ".join(parts)


def reference_line(record: Record) -> str:
    """'Chuang E, Ross R, Smith J, et al. Title. Health Serv Res. 2025;60(3):e14417. doi:…': the
    first three authors and the title before the citation line ('n.d.' when it has no date)."""
    names = [a.display() for a in record.authors]
    who = ", ".join(names[:3]) + (", et al" if len(names) > 3 else "")
    head = ". ".join(p.rstrip(".") for p in (who, record.title) if p)
    where = citation_line(record)
    if not record.year:
        where = f"{where} n.d." if where else "n.d."
    return f"{head}. {where}" if head else where


class LibraryRow(BaseModel):
    """One row of the library table."""

    id: str
    title: str
    authors: str
    year: int | None
    venue: str
    resource_type: str
    languages: str
    sections: int
    findings: int
    status: str
    flags: str


def library_row(record: Record) -> LibraryRow:
    """A record's row in the library table (the search index keeps it too: kb.search.catalog)."""
    return LibraryRow(
        id=record.id, title=display_title(record), authors=authors_line(record, 3), year=record.year,
        venue=record.venue or "", resource_type=record.resource_type or "",
        languages=", ".join([record.language, *record.translations]), sections=len(record.abstract),
        findings=len(record.findings), status=record.review.status,
        flags=", ".join(f.code for f in record.review.flags))


def library_order(rows: list[LibraryRow]) -> list[LibraryRow]:
    """Newest first, then by id."""
    return sorted(rows, key=lambda row: (-(row.year or 0), row.id))


def library_rows(records: list[Record]) -> list[LibraryRow]:
    """Rows for the library table, newest first then by id."""
    return library_order([library_row(r) for r in records])


def record_text(record: Record) -> str:
    """A readable plain-text rendering of a record for the terminal."""
    lines = [display_title(record), authors_line(record, 20), citation_line(record)]
    lines.append(f"id: {record.id}   type: {record.resource_type or '-'}   "
                 f"language: {record.language}")
    for section in record.abstract:
        label = section.label or section.role.upper()
        prefix = "  • " if section.bullet else f"\n{label}: "
        lines.append(f"{prefix}{section.text}")
    for lang, sections in record.translations.items():
        lines.append(f"\n[{lang}]")
        lines.extend(f"{s.label + ': ' if s.label else ''}{s.text}" for s in sections)
    if record.facets:
        lines.append("")
        lines.extend(f"{name}: {', '.join(values) or '-'}" for name, values in record.facets.items())
    if record.review.flags:
        lines.append("\nreview: " + "; ".join(f.message for f in record.review.flags))
    return "\n".join(line for line in lines if line)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md_escape(text: str) -> str:
    """Escape Markdown and HTML so record text is shown literally."""
    return _MD_SPECIAL.sub(r"\\\1", text)


class Field(BaseModel):
    """A labelled metadata value for display."""

    label: str
    value: str


def metadata_fields(record: Record) -> list[Field]:
    """The record's bibliographic metadata as (label, value) pairs, only what is known."""
    ids = record.identifiers
    pairs = [
        ("Authors", authors_line(record, 50)),
        ("Affiliations", "; ".join(record.affiliations)),
        ("Citation", citation_line(record)),
        ("Year", str(record.year) if record.year else ""),
        ("Published", record.published or ""), ("Epub", record.epub or ""),
        ("Resource type", record.resource_type or ""),
        ("DOI", ids.doi or ""), ("PMID", ids.pmid or ""), ("PMCID", ids.pmcid or ""),
        ("URL", ids.url or ""),
        ("Partners", "; ".join(record.partners)), ("Funders", "; ".join(record.funders)),
        ("Keywords", "; ".join(record.keywords)),
        ("Language", ", ".join([record.language, *record.translations])),
    ]
    pairs += [(f"Framework: {f.name}", "; ".join(f.elements)) for f in record.frameworks]
    return [Field(label=k, value=v) for k, v in pairs if v]
