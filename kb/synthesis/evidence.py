"""Findings and effects lifted out of their records with a short citation: the rows that
compare, synthesis, plots and briefs show, each traceable to its record, section and span."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from kb.model.present import stand_in_title
from kb.model.schema import Effect, Finding, Record
from kb.synthesis.evidence_table import effect_text

# Measures on a ratio scale that can share one log axis (forest plots).
RATIO_MEASURES: tuple[str, ...] = ("OR", "AOR", "RR", "IRR", "HR")
# Effect sizes a brief lists under "Effects": ratios and differences between groups (counts,
# percents, correlations, coefficients and accuracy figures stay with their finding).
EFFECT_SIZE_MEASURES: tuple[str, ...] = (*RATIO_MEASURES, "DOR", "MD", "SMD", "d", "g")
# Evidence weight of a finding kind: results and outcomes are observed, strategies, barriers
# and facilitators are reported, conclusions and recommendations are the authors' reading.
KIND_WEIGHT: dict[str, int] = {
    "result": 3, "outcome": 3, "barrier": 2, "facilitator": 2, "strategy": 2,
    "conclusion": 1, "recommendation": 1,
}
CONTEXT_WORDS = 6
# Words after which the thing an effect is about starts ("associated with | pilot participation").
LINK_WORDS = frozenset({"with", "and", "of", "for", "between", "being", "versus", "vs"})


class Frozen(BaseModel):
    """Base of the read-only views built here."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class FindingRef(Frozen):
    """A finding together with where it came from."""

    record_id: str
    source: str
    finding_id: str
    kind: str
    text: str
    themes: tuple[str, ...] = ()
    section: int
    section_label: str
    span: tuple[int, int]
    effects: tuple[Effect, ...] = ()
    confidence: float = 0.5

    def provenance(self) -> str:
        """'chuang-2025-…, section 3 (RESULTS), characters 404–422'."""
        return (f"{self.record_id}, section {self.section} ({self.section_label}), "
                f"characters {self.span[0]}–{self.span[1]}")

    def strength(self) -> tuple[int, int, int, float]:
        """Sort key, larger is stronger: an effect with a CI, then kind, any effect, confidence."""
        with_ci = any(e.ci_low is not None and e.ci_high is not None for e in self.effects)
        return (int(with_ci), KIND_WEIGHT.get(self.kind, 0), int(bool(self.effects)),
                self.confidence)


class EffectRow(Frozen):
    """One quantitative effect with its source and what it is about."""

    record_id: str
    source: str
    finding_id: str
    label: str
    effect: Effect

    @property
    def is_range(self) -> bool:
        """A range over models ('OR 2.28 to 4.97'), not an estimate with a confidence interval."""
        return self.effect.value_high is not None

    @property
    def is_effect_size(self) -> bool:
        """A ratio or difference between groups with both ends of its confidence interval."""
        eff = self.effect
        return (eff.measure in EFFECT_SIZE_MEASURES and eff.value is not None
                and eff.ci_low is not None and eff.ci_high is not None)

    def estimate(self) -> str:
        """'OR 0.47 (95% CI 0.24–0.95)'; a range over models says so."""
        text = effect_text(self.effect)
        return f"{text} — range over models, not a CI" if self.is_range else text


def source_label(record: Record) -> str:
    """Short label of a source: 'Chuang et al., 2025', else a shortened title (or the marked
    stand-in of a missing one), never the id."""
    if record.authors:
        return record.citation_short()
    title = record.title or stand_in_title(record, width=40)
    if len(title) > 40:
        title = title[:40].rsplit(" ", 1)[0] + "…"
    return f"{title}, {record.year or 'n.d.'}"


def section_label(record: Record, index: int) -> str:
    """The section's label as printed in the source, else its role in capitals."""
    if 0 <= index < len(record.abstract):
        section = record.abstract[index]
        return section.label or section.role.upper()
    return "UNKNOWN"


def finding_ref(record: Record, finding: Finding) -> FindingRef:
    """One finding of a record as a FindingRef."""
    return FindingRef(
        record_id=record.id, source=source_label(record), finding_id=finding.id,
        kind=finding.kind, text=finding.text, themes=tuple(finding.themes),
        section=finding.section, section_label=section_label(record, finding.section),
        span=finding.span, effects=tuple(finding.effects), confidence=finding.confidence)


def finding_refs(record: Record) -> list[FindingRef]:
    """All findings of a record, in text order."""
    return [finding_ref(record, f) for f in record.findings]


def effect_context(finding_text: str, effect: Effect) -> str:
    """What an effect is about: its subgroup, else the words just before it in the finding."""
    if effect.subgroup:
        return effect.subgroup
    at = finding_text.find(effect.text)
    if at <= 0:
        return ""
    before = re.sub(r"[\s(\[,;:]+$", "", finding_text[:at])
    words = before.split()[-CONTEXT_WORDS:]
    links = [i for i, w in enumerate(words) if w.lower() in LINK_WORDS]
    if links and len(words) - links[-1] - 1 >= 2:
        words = words[links[-1] + 1:]
    return " ".join(words)


def effect_rows(record: Record, measures: tuple[str, ...] | None = None) -> list[EffectRow]:
    """The effects of a record in text order, optionally only the given measures."""
    rows = []
    label = source_label(record)
    for finding in record.findings:
        for eff in finding.effects:
            if measures is not None and eff.measure not in measures:
                continue
            rows.append(EffectRow(record_id=record.id, source=label, finding_id=finding.id,
                                  label=effect_context(finding.text, eff), effect=eff))
    return rows
