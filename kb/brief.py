"""Evidence briefs: a question, the sources, findings by theme with inline citations and their
provenance, the effects, and a CSL-formatted reference list; as a model, Markdown or DOCX."""

from __future__ import annotations

from kb.cite import Citations, Reference, cite
from kb.errors import KBError
from kb.evidence import EffectRow, FindingRef, Frozen, effect_rows, finding_refs
from kb.schema import Record
from kb.synthesis import ThemeInfo, ThemeSynthesis, resolve_theme, syntheses, theme_synthesis
from kb.taxonomy import Taxonomy

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


class BriefFinding(Frozen):
    """A finding as the brief states it: text, inline citation and where it came from."""

    finding: FindingRef
    citation: str

    def provenance(self) -> str:
        return f"From {self.finding.provenance()}"


class BriefKindGroup(Frozen):
    """The findings of one kind under a theme."""

    kind: str
    findings: tuple[BriefFinding, ...]


class BriefTheme(Frozen):
    """One theme section of the brief."""

    theme: ThemeInfo
    groups: tuple[BriefKindGroup, ...]
    n_sources: int
    designs: tuple[str, ...] = ()
    gap: bool = False
    gap_reason: str = ""


class BriefEffect(Frozen):
    """A row of the effects table."""

    effect: EffectRow
    citation: str


class Brief(Frozen):
    """Everything an evidence brief says, ready to render."""

    title: str
    question: str
    scope: str
    style: str
    style_name: str
    sources: tuple[BriefSource, ...]
    themes: tuple[BriefTheme, ...]
    effects: tuple[BriefEffect, ...]
    references: tuple[Reference, ...]


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
        record_id=record.id, citation=citation, title=record.title or "[no title in the source]",
        year=record.year, resource_type=record.resource_type or "",
        design="; ".join(record.study.design),
        sample="; ".join(s.text for s in record.study.sample_sizes), n_findings=len(record.findings))


def _theme(synthesis: ThemeSynthesis, inline: dict[str, str]) -> BriefTheme:
    groups = tuple(BriefKindGroup(kind=g.kind, findings=tuple(
        BriefFinding(finding=f, citation=inline[f.record_id]) for f in g.findings))
        for g in synthesis.groups)
    return BriefTheme(theme=synthesis.theme, groups=groups, n_sources=synthesis.n_sources,
                      designs=synthesis.designs, gap=synthesis.gap, gap_reason=synthesis.gap_reason)


def _unthemed(records: list[Record], inline: dict[str, str]) -> BriefTheme | None:
    refs = [f for r in records for f in finding_refs(r) if not f.themes]
    if not refs:
        return None
    kinds = list(dict.fromkeys(f.kind for f in refs))
    groups = tuple(BriefKindGroup(kind=k, findings=tuple(
        BriefFinding(finding=f, citation=inline[f.record_id]) for f in refs if f.kind == k))
        for k in kinds)
    return BriefTheme(theme=UNTHEMED, groups=groups, n_sources=len({f.record_id for f in refs}))


def build_brief(records: list[Record], taxonomy: Taxonomy, *, style: str, question: str,
                scope: str, theme: str | None = None) -> Brief:
    """A brief over the records (and only their findings as given); `theme` limits the theme
    sections to that one theme."""
    if not records:
        raise KBError(f"no records match {scope}; there is nothing to brief")
    citations: Citations = cite(records, style)
    inline = citations.inline
    if theme is not None:
        themes = [_theme(theme_synthesis(records, theme, taxonomy), inline)]
    else:
        themes = [_theme(s, inline) for s in syntheses(records, taxonomy)]
        other = _unthemed(records, inline)
        themes += [other] if other else []
    effects = [BriefEffect(effect=e, citation=inline[e.record_id])
               for r in records for e in effect_rows(r)]
    return Brief(
        title=f"Evidence brief: {question}", question=question, scope=scope, style=style,
        style_name=STYLE_NAMES.get(style, style),
        sources=tuple(_source(r, inline[r.id]) for r in records), themes=tuple(themes),
        effects=tuple(effects), references=citations.references)
