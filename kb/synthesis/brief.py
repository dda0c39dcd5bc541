"""Evidence briefs: a question, the sources, findings by theme with inline citations and their
provenance, the effects, and a CSL-formatted reference list; as a model, Markdown or DOCX.

Each finding is shown once, numbered, under its main theme (the first, strongest of its themes
that has a section); the other themes' sections point to it with a short "see also"."""

from __future__ import annotations

from kb.errors import KBError
from kb.model.present import display_title
from kb.model.schema import Record
from kb.model.taxonomy import Taxonomy
from kb.synthesis.cite import Reference, cite
from kb.synthesis.evidence import EffectRow, FindingRef, Frozen, effect_rows, finding_refs
from kb.synthesis.evidence_map import (
    KindGroup,
    ThemeInfo,
    ThemeSynthesis,
    resolve_theme,
    source_info,
    syntheses,
    theme_synthesis,
)

SNIPPET_WORDS = 8
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


class SeeAlso(Frozen):
    """A finding on a theme that is shown under another (its main) theme."""

    number: int
    theme_label: str
    snippet: str
    record_id: str


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
    numbers: dict[str, int] = {}
    see_also: dict[str, tuple[SeeAlso, ...]] = {}

    def cite(self, record_id: str) -> str:
        """The inline citation of a source: '(Chuang et al., 2025)' or '(1)'."""
        return self.citations[record_id]

    def number(self, finding: FindingRef) -> int:
        """The number a finding has in this brief (F1, F2, …)."""
        return self.numbers[_key(finding)]

    def cross_references(self, theme_id: str) -> tuple[SeeAlso, ...]:
        """The findings on a theme that are shown under another theme."""
        return self.see_also.get(theme_id, ())


def _key(finding: FindingRef) -> str:
    return f"{finding.record_id}#{finding.finding_id}"


def snippet(text: str, words: int = SNIPPET_WORDS) -> str:
    """The first words of a finding, with '…' when cut."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


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


def _unthemed(records: list[Record], shown: set[str]) -> ThemeSynthesis | None:
    """The findings no theme section shows, so that a brief drops nothing."""
    refs = [f for r in records for f in finding_refs(r) if not shown.intersection(f.themes)]
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
        other = _unthemed(records, {t.theme.id for t in themes})
        themes += [other] if other else []
    themes, numbers, see_also = _once(themes)
    return Brief(
        title=f"Evidence brief: {question}", question=question, scope=scope, style=style,
        style_name=STYLE_NAMES.get(style, style),
        sources=tuple(_source(r, citations.inline[r.id]) for r in records), themes=tuple(themes),
        effects=tuple(e for r in records for e in effect_rows(r) if e.is_effect_size),
        citations=citations.inline, references=citations.references, numbers=numbers,
        see_also=see_also)


def _main_theme(finding: FindingRef, section_ids: list[str]) -> str:
    """The first (strongest) of a finding's themes that has a section, else the last section
    (the unthemed one, or the only theme of a one-theme brief)."""
    return next((t for t in finding.themes if t in section_ids), section_ids[-1])


def _once(themes: list[ThemeSynthesis]) -> tuple[
        list[ThemeSynthesis], dict[str, int], dict[str, tuple[SeeAlso, ...]]]:
    """Each theme keeping only the findings whose main theme it is, numbered in brief order;
    and per theme the cross-references to its findings shown elsewhere."""
    ids = [t.theme.id for t in themes]
    labels = {t.theme.id: t.theme.label for t in themes}
    numbers: dict[str, int] = {}
    kept = []
    for theme in themes:
        groups = [g.model_copy(update={"findings": tuple(
            f for f in g.findings if _main_theme(f, ids) == theme.theme.id)}) for g in theme.groups]
        groups = [g for g in groups if g.findings]
        for f in (f for g in groups for f in g.findings):
            numbers.setdefault(_key(f), len(numbers) + 1)
        kept.append(theme.model_copy(update={"groups": tuple(groups)}))
    see_also = {}
    for theme in themes:
        refs = [SeeAlso(number=numbers[_key(f)], theme_label=labels[_main_theme(f, ids)],
                        snippet=snippet(f.text), record_id=f.record_id)
                for g in theme.groups for f in g.findings
                if _main_theme(f, ids) != theme.theme.id]
        if refs:
            see_also[theme.theme.id] = tuple(sorted(refs, key=lambda r: r.number))
    return kept, numbers, see_also
