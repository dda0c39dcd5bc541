"""What the Record page shows, computed from a record: the abstract by section with its findings
marked (and the aligned translation beside it), the findings table, study facts, glossary and
provenance (the opening of each raw source, never a whole 100 MB file) and the review history."""

from __future__ import annotations

import gzip

from pydantic import BaseModel

from ingest.extract.translate import aligned_translation
from kb.app.ui_text import Mark, kind_badge, marked_md, md_text
from kb.model.present import Field, display_title
from kb.model.schema import Finding, Record, SampleSize
from kb.store import RecordStore, Store
from kb.synthesis.evidence import section_label
from kb.synthesis.evidence_table import effect_text

RAW_PREVIEW_CHARS = 20_000  # of a source's raw text shown on the page (the rest is downloadable)


class SectionView(BaseModel):
    """One abstract section as Markdown, with its translation (if any) beside it."""

    heading: str  # '' when the section continues the previous label (a run of bullets)
    role: str
    bullet: bool = False
    markdown: str
    translation_heading: str = ""
    translation_markdown: str = ""

    def heading_md(self, *, translated: bool = False) -> str:
        """'**DATA SOURCES AND STUDY SETTING** · setting' (the role only when the label does not
        say it), with the translated label after a slash; '' for a continuing bullet."""
        if not self.heading:
            return ""
        out = f"**{md_text(self.heading)}**"
        if self.heading.casefold() != self.role:
            out += f" :gray[· {self.role}]"
        if translated and self.translation_heading:
            out += f" / **{md_text(self.translation_heading)}**"
        return out

    def body_md(self, *, translated: bool = False) -> str:
        """The section's Markdown (a bullet as a list item)."""
        body = self.translation_markdown if translated else self.markdown
        return f"- {body}" if self.bullet and body else body


class FindingRow(BaseModel):
    """One row of the findings table."""

    kind: str
    text: str
    section: str
    themes: str
    effects: str
    origin: str
    confidence: float
    translation: str = ""


class SourceRow(BaseModel):
    """One source file a record was built from."""

    path: str
    format: str
    parser: str
    ingested: str
    sha256: str


def ordered_ids(records: list[Record]) -> list[str]:
    """Record ids for a picker: titled records alphabetically, then the untitled ones."""
    return [r.id for r in sorted(records, key=lambda r: (not r.title, display_title(r).casefold()))]


def _marks(findings: list[Finding]) -> list[Mark]:
    return [Mark(start=f.span[0], end=f.span[1], label=kind_badge(f.kind)) for f in findings]


def _translation_marks(findings: list[Finding], lang: str, text: str) -> list[Mark]:
    marks = []
    for finding in findings:
        translated = finding.translations.get(lang, "")
        at = text.find(translated) if translated and translated != text else -1
        if at >= 0:
            marks.append(Mark(start=at, end=at + len(translated),
                              label=kind_badge(finding.kind, lang)))
    return marks


def section_views(record: Record, lang: str | None = None) -> list[SectionView]:
    """The abstract section by section, findings in bold with their kind, and — when `lang` is
    one of the record's translations — the aligned translated section with the same marks."""
    translated = record.translations.get(lang or "", [])
    views: list[SectionView] = []
    previous = None
    for index, section in enumerate(record.abstract):
        findings = [f for f in record.findings if f.section == index]
        heading = section.label or section.role.capitalize()
        view = SectionView(heading="" if section.bullet and heading == previous else heading,
                           role=section.role, bullet=section.bullet,
                           markdown=marked_md(section.text, _marks(findings)))
        other = aligned_translation(record.abstract, translated, index) if translated else None
        if other is not None:
            view.translation_heading = other.label or ""
            view.translation_markdown = marked_md(
                other.text, _translation_marks(findings, lang or "", other.text))
        previous = heading
        views.append(view)
    return views


def finding_rows(record: Record, theme_labels: dict[str, str]) -> list[FindingRow]:
    """The findings table: kind, text, section, themes, effects, origin, confidence."""
    return [FindingRow(kind=f.kind, text=f.text, section=section_label(record, f.section),
                       themes=", ".join(theme_labels.get(t, t) for t in f.themes),
                       effects="; ".join(effect_text(e) for e in f.effects), origin=f.origin,
                       confidence=f.confidence,
                       translation=" · ".join(f.translations.values()))
            for f in record.findings]


def study_fields(record: Record) -> list[Field]:
    """The study facts that are known, as labelled values."""
    study = record.study
    pairs = [("Design", study.design), ("Methods", study.methods), ("Setting", study.setting),
             ("Period", study.period), ("Population", study.population),
             ("Sample sizes", [_sample(s) for s in study.sample_sizes])]
    return [Field(label=label, value="; ".join(values)) for label, values in pairs if values]


def _sample(size: SampleSize) -> str:
    """'221 interviews (n = 221)': the count, then the source's words once in parentheses."""
    head = f"{size.n:,} {size.unit or ''}".strip()
    said = size.text.strip()
    while said.startswith("(") and said.endswith(")"):
        said = said[1:-1].strip()
    return f"{head} ({said})" if said and said != head else head


# Facet names that repeat a metadata field's label, and that field.
FACET_TWINS: dict[str, str] = {"publication year": "year", "year": "year",
                               "resource type": "resource_type", "language": "language"}


def facet_fields(record: Record) -> tuple[list[Field], list[str]]:
    """The facets the source gives a value for (one named like a metadata field says it is the
    source's classification), and the names of those it leaves empty (not one whose metadata
    field is known: no "Publication year" left empty beside the record's year)."""
    def label(name: str) -> str:
        twin = name.casefold() in FACET_TWINS
        return f"{name} (as the source classifies it)" if twin else name

    filled = [Field(label=label(name), value=", ".join(values))
              for name, values in record.facets.items() if values]
    empty = [name for name, values in record.facets.items() if not values
             and not getattr(record, FACET_TWINS.get(name.casefold(), "-"), None)]
    return filled, empty


def glossary_rows(record: Record) -> list[Field]:
    """Acronyms and their expansions, alphabetical."""
    return [Field(label=k, value=v) for k, v in sorted(record.glossary.items())]


def _when(stamp: str) -> str:
    """'2026-11-23T18:32:07+00:00' -> '2026-11-23 18:32:07 UTC'."""
    text = stamp.replace("T", " ", 1)
    return text.removesuffix("+00:00") + " UTC" if text.endswith("+00:00") else text


def source_rows(record: Record) -> list[SourceRow]:
    """The record's source files: name, format, parser and version, when ingested."""
    return [SourceRow(path=s.path, format=s.format, parser=f"{s.parser} {s.parser_version}",
                      ingested=_when(s.ingested_at),
                      sha256=s.sha256) for s in record.sources]


class SourceHead(BaseModel):
    """The opening of a stored source file, to show without sending the whole file."""

    text: str | None  # None: missing or not text
    size: int = 0  # bytes on disk
    complete: bool = True


def source_head(store: RecordStore, sha: str, limit: int = RAW_PREVIEW_CHARS) -> SourceHead:
    """At most `limit` characters from the start of a kept source (gzip read through); a
    folder's file is read only that far."""
    if isinstance(store, Store):
        path = store.source_path(sha)
        if path is None or not path.is_file():
            return SourceHead(text=None)
        opener = gzip.open if path.suffix == ".gz" else open
        try:
            with opener(path, "rb") as handle:
                data = handle.read(limit * 4 + 1)
        except (OSError, EOFError):
            return SourceHead(text=None, size=path.stat().st_size)
        return _head(data, path.stat().st_size, limit)
    whole = store.source_bytes(sha)
    if whole is None:
        return SourceHead(text=None)
    if (store.source_suffix(sha) or "").endswith(".gz"):
        try:
            whole = gzip.decompress(whole)
        except (OSError, EOFError):
            return SourceHead(text=None, size=len(whole))
    return _head(whole[: limit * 4 + 1], len(whole), limit)


def _head(data: bytes, size: int, limit: int) -> SourceHead:
    text = data[: limit * 4].decode("utf-8-sig", errors="replace")
    if "\x00" in text:
        return SourceHead(text=None, size=size)
    return SourceHead(text=text[:limit], size=size,
                      complete=len(data) <= limit * 4 and len(text) <= limit)


class HistoryRow(BaseModel):
    """One change in a record's review history, for a table."""

    when: str
    who: str
    what: str
    note: str = ""


def history_rows(record: Record) -> list[HistoryRow]:
    """Who changed what when, newest first."""
    return [HistoryRow(when=_when(e.at), who=e.by,
                       what=f"{e.action}: {', '.join(f.replace('_', ' ') for f in e.fields)}"
                       if e.fields else e.action, note=e.note or "")
            for e in reversed(record.review.history)]
