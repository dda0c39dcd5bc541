"""Evidence synthesis over a set of records: the theme × source evidence map and, per theme,
the supporting findings grouped by kind, with the sources and designs behind them and gaps."""

from __future__ import annotations

from collections.abc import Iterable

from kb.errors import KBError
from kb.model.present import display_title
from kb.model.schema import FINDING_KINDS, Record
from kb.model.taxonomy import Taxonomy, Theme
from kb.synthesis.evidence import FindingRef, Frozen, finding_refs, source_label

# A theme is a gap when it has findings of these kinds …
GAP_IF_ANY: tuple[str, ...] = ("strategy",)
# … but none of these.
EVIDENCE_KINDS: tuple[str, ...] = ("outcome", "result")


class SourceInfo(Frozen):
    """A source as shown in maps and tables."""

    record_id: str
    label: str
    title: str
    year: int | None = None
    design: tuple[str, ...] = ()


class ThemeInfo(Frozen):
    """A theme as shown in maps: its id, label and how much supports it."""

    id: str
    label: str
    description: str = ""
    n_sources: int = 0
    n_findings: int = 0


class MapCell(Frozen):
    """How much one source says about one theme, and its strongest finding on it."""

    theme: str
    record_id: str
    count: int
    strongest: FindingRef | None = None


class EvidenceMap(Frozen):
    """Theme × source matrix: every listed theme crossed with every source (counts may be 0)."""

    themes: tuple[ThemeInfo, ...]
    sources: tuple[SourceInfo, ...]
    cells: tuple[MapCell, ...]

    def cell(self, theme: str, record_id: str) -> MapCell:
        """The cell of a theme and a source."""
        for cell in self.cells:
            if cell.theme == theme and cell.record_id == record_id:
                return cell
        raise KeyError((theme, record_id))

    def supporting(self, theme: str) -> list[str]:
        """Ids of the sources with at least one finding on a theme, in source order."""
        return [c.record_id for c in self.cells if c.theme == theme and c.count > 0]


class KindGroup(Frozen):
    """The findings of one kind supporting a theme."""

    kind: str
    findings: tuple[FindingRef, ...]


class ThemeSynthesis(Frozen):
    """Everything the records say about one theme."""

    theme: ThemeInfo
    groups: tuple[KindGroup, ...]
    sources: tuple[SourceInfo, ...]
    designs: tuple[str, ...]
    gap: bool
    gap_reason: str = ""

    @property
    def n_sources(self) -> int:
        return len(self.sources)


def source_info(record: Record) -> SourceInfo:
    """The SourceInfo of a record."""
    return SourceInfo(record_id=record.id, label=source_label(record), title=display_title(record),
                      year=record.year, design=tuple(record.study.design))


def resolve_theme(taxonomy: Taxonomy, name: str) -> Theme:
    """A theme by id or label (case-insensitive), or a KBError listing the known ids."""
    key = name.strip().lower()
    for theme in taxonomy.themes:
        if key in (theme.id, theme.label.lower()):
            return theme
    known = ", ".join(t.id for t in taxonomy.themes)
    raise KBError(f"unknown theme '{name}' (known themes: {known})")


def _theme_infos(refs: list[FindingRef], taxonomy: Taxonomy, include_empty: bool) -> list[ThemeInfo]:
    """Themes in taxonomy order (then any unknown tagged theme), with support counts."""
    known = taxonomy.by_id()
    tagged = [t for r in refs for t in r.themes]
    ids = [t.id for t in taxonomy.themes] + sorted(set(tagged) - set(known))
    out = []
    for tid in ids:
        on_theme = [r for r in refs if tid in r.themes]
        if not on_theme and not include_empty:
            continue
        theme = known.get(tid)
        out.append(ThemeInfo(id=tid, label=theme.label if theme else tid,
                             description=theme.description if theme else "",
                             n_sources=len({r.record_id for r in on_theme}),
                             n_findings=len(on_theme)))
    return out


def strongest(refs: Iterable[FindingRef]) -> FindingRef | None:
    """The strongest finding (see FindingRef.strength); the earliest wins a tie."""
    best: FindingRef | None = None
    for ref in refs:
        if best is None or ref.strength() > best.strength():
            best = ref
    return best


def evidence_map(records: list[Record], taxonomy: Taxonomy, *,
                 include_empty: bool = False) -> EvidenceMap:
    """Theme × source matrix of finding counts with the strongest finding per cell."""
    refs = [r for record in records for r in finding_refs(record)]
    themes = _theme_infos(refs, taxonomy, include_empty)
    cells = []
    for theme in themes:
        for record in records:
            on = [r for r in refs if r.record_id == record.id and theme.id in r.themes]
            cells.append(MapCell(theme=theme.id, record_id=record.id, count=len(on),
                                 strongest=strongest(on)))
    return EvidenceMap(themes=tuple(themes), sources=tuple(source_info(r) for r in records),
                       cells=tuple(cells))


def _gap(groups: list[KindGroup]) -> tuple[bool, str]:
    counts = {g.kind: len(g.findings) for g in groups}
    pushing = sum(counts.get(k, 0) for k in GAP_IF_ANY)
    if pushing and not any(counts.get(k) for k in EVIDENCE_KINDS):
        what = " or ".join(EVIDENCE_KINDS)
        return True, f"{pushing} strategy finding(s) but no {what} evidence"
    return False, ""


def theme_synthesis(records: list[Record], theme_id: str, taxonomy: Taxonomy) -> ThemeSynthesis:
    """The findings supporting one theme grouped by kind, with sources, designs and gap flag."""
    theme = resolve_theme(taxonomy, theme_id)
    refs = [r for record in records for r in finding_refs(record) if theme.id in r.themes]
    groups = [KindGroup(kind=k, findings=tuple(r for r in refs if r.kind == k))
              for k in FINDING_KINDS]
    groups = [g for g in groups if g.findings]
    supporting = [rec for rec in records if any(r.record_id == rec.id for r in refs)]
    designs = list(dict.fromkeys(d for rec in supporting for d in rec.study.design))
    gap, reason = _gap(groups)
    info = ThemeInfo(id=theme.id, label=theme.label, description=theme.description,
                     n_sources=len(supporting), n_findings=len(refs))
    return ThemeSynthesis(theme=info, groups=tuple(groups),
                          sources=tuple(source_info(r) for r in supporting),
                          designs=tuple(designs), gap=gap, gap_reason=reason)


def syntheses(records: list[Record], taxonomy: Taxonomy) -> list[ThemeSynthesis]:
    """The synthesis of every theme some finding supports, in taxonomy order."""
    refs = [r for record in records for r in finding_refs(record)]
    return [theme_synthesis(records, t.id, taxonomy)
            for t in _theme_infos(refs, taxonomy, include_empty=False) if t.id in taxonomy.by_id()]


def gaps(records: list[Record], taxonomy: Taxonomy) -> list[ThemeSynthesis]:
    """Themes with strategies but no outcome or result evidence."""
    return [s for s in syntheses(records, taxonomy) if s.gap]
