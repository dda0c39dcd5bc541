"""Evidence briefs: a question, the sources, findings by theme with inline citations and their
provenance, the effects, and a CSL-formatted reference list; as a model, Markdown or DOCX."""

from __future__ import annotations

from kb.errors import KBError
from kb.model.present import display_title
from kb.model.schema import Record
from kb.model.taxonomy import Taxonomy
from kb.synthesis.cite import Reference, cite
from kb.synthesis.evidence import EffectRow, Frozen, effect_rows, finding_refs
from kb.synthesis.evidence_map import (
    KindGroup,
    ThemeInfo,
    ThemeSynthesis,
    resolve_theme,
    source_info,
    syntheses,
    theme_synthesis,
)

STYLE_NAMES = {"apa": "APA 7th edition", "vancouver": "Vancouver / NLM Citing Medicine"}
UNTHEMED = ThemeInfo(id="other", label="Other findings (no theme)")


class BriefSource(Frozen):
    """A row of the sources table."""

    record_id: str
    citation: str
    title: str
    year: int | None = None
    resource_type: str = ""
    design: str = ""
    sample: str = ""
    n_findings: int = 0


class Brief(Frozen):
    """Everything an evidence brief says, ready to render."""

    title: str
    question: str
    scope: str
    style: str
    style_name: str
    sources: tuple[BriefSource, ...]
    themes: tuple[ThemeSynthesis, ...]
    effects: tuple[EffectRow, ...]
    citations: dict[str, str]
    references: tuple[Reference, ...]

    def cite(self, record_id: str) -> str:
        """The inline citation of a source: '(Chuang et al., 2025)' or '(1)'."""
        return self.citations[record_id]


def select_theme(records: list[Record], theme: str, taxonomy: Taxonomy) -> list[Record]:
    """The records with findings on a theme, each keeping only those findings."""
    tid = resolve_theme(taxonomy, theme).id
    out = []
    for record in records:
        on = [f for f in record.findings if tid in f.themes]
        if on:
            out.append(record.model_copy(update={"findings": on}))
    return out


def select_findings(records: list[Record], keep: list[tuple[str, str]]) -> list[Record]:
    """Records in the order of `keep` (record id, finding id), each keeping only those findings."""
    by_id = {r.id: r for r in records}
    order = list(dict.fromkeys(rid for rid, _ in keep if rid in by_id))
    wanted = set(keep)
    return [by_id[rid].model_copy(update={"findings": [
        f for f in by_id[rid].findings if (rid, f.id) in wanted]}) for rid in order]


def _source(record: Record, citation: str) -> BriefSource:
    return BriefSource(
        record_id=record.id, citation=citation, title=display_title(record),
        year=record.year, resource_type=record.resource_type or "",
        design="; ".join(record.study.design),
        sample="; ".join(s.text for s in record.study.sample_sizes), n_findings=len(record.findings))


def _unthemed(records: list[Record]) -> ThemeSynthesis | None:
    """The findings no theme was given to, so that a brief drops nothing."""
    refs = [f for r in records for f in finding_refs(r) if not f.themes]
    if not refs:
        return None
    groups = tuple(KindGroup(kind=k, findings=tuple(f for f in refs if f.kind == k))
                   for k in dict.fromkeys(f.kind for f in refs))
    ids = {f.record_id for f in refs}
    return ThemeSynthesis(theme=UNTHEMED, groups=groups,
                          sources=tuple(source_info(r) for r in records if r.id in ids),
                          designs=(), gap=False)


def build_brief(records: list[Record], taxonomy: Taxonomy, *, style: str, question: str,
                scope: str, theme: str | None = None) -> Brief:
    """A brief over the records (and only their findings as given); `theme` limits the theme
    sections to that one theme."""
    if not records:
        raise KBError(f"no records match {scope}; there is nothing to brief")
    citations = cite(records, style)
    if theme is not None:
        themes = [theme_synthesis(records, theme, taxonomy)]
    else:
        themes = syntheses(records, taxonomy)
        other = _unthemed(records)
        themes += [other] if other else []
    return Brief(
        title=f"Evidence brief: {question}", question=question, scope=scope, style=style,
        style_name=STYLE_NAMES.get(style, style),
        sources=tuple(_source(r, citations.inline[r.id]) for r in records), themes=tuple(themes),
        effects=tuple(e for r in records for e in effect_rows(r)),
        citations=citations.inline, references=citations.references)
