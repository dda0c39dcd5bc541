"""Render a Comparison as Markdown, CSV, JSON or rich terminal tables."""

from __future__ import annotations

import csv
import io

from rich.table import Table
from rich.text import Text

from kb.export.markdown import md_cell, md_cell_lines, md_table
from kb.synthesis.compare import Comparison
from kb.synthesis.evidence import EffectRow, FindingRef
from kb.text.safe import spreadsheet_cell, terminal_text

FORMATS: tuple[str, ...] = ("table", "md", "csv", "json")


def _labels(comparison: Comparison) -> list[str]:
    return [s.label for s in comparison.sources]


def _theme_label(comparison: Comparison, theme_id: str) -> str:
    return next((t.label for t in comparison.themes.themes if t.id == theme_id), theme_id)


def _themes(comparison: Comparison, ids: tuple[str, ...]) -> str:
    return ", ".join(_theme_label(comparison, t) for t in ids)


def _theme_counts(comparison: Comparison) -> list[tuple[str, list[int]]]:
    tmap = comparison.themes
    return [(t.label, [tmap.cell(t.id, s.record_id).count for s in comparison.sources])
            for t in tmap.themes]


def _effect_cells(row: EffectRow) -> list[str]:
    return [row.source, row.label, row.estimate(), row.effect.text]


EFFECT_HEADERS = ["Source", "About", "Estimate", "As reported"]


def to_markdown(comparison: Comparison) -> str:
    """The comparison as a Markdown document of pipe tables."""
    labels = _labels(comparison)
    parts = [f"# Comparison: {' vs '.join(labels)}", "", "## Sources", ""]
    parts.append(md_table(["Field", *labels], [[md_cell(m.field), *map(md_cell, m.values)]
                                               for m in comparison.metadata]))
    parts += ["", "## Findings by kind", ""]
    parts.append(md_table(["Kind", *labels], [
        [row.kind, *(md_cell_lines([r.text for r in cell]) for cell in row.cells)]
        for row in comparison.by_kind]))
    parts += ["", f"## Aligned findings (similarity ≥ {comparison.min_similarity} with a shared "
              f"theme, or ≥ {comparison.min_similarity_alone}; model {comparison.model_id})", ""]
    parts.append(md_table(["Score", "Shared themes", "Source", "Finding", "Source", "Finding"], [
        [f"{p.score:.2f}", md_cell(_themes(comparison, p.shared_themes)), md_cell(p.left.source),
         md_cell(p.left.text), md_cell(p.right.source), md_cell(p.right.text)]
        for p in comparison.aligned]))
    parts += ["", "## Findings unique to one source", ""]
    parts.append(md_table(["Source", "Kind", "Finding"], [
        [md_cell(r.source), r.kind, md_cell(r.text)] for r in comparison.unique]))
    parts += ["", "## Themes each source supports (number of findings)", ""]
    parts.append(md_table(["Theme", *labels], [[md_cell(label), *(str(c) for c in counts)]
                                               for label, counts in _theme_counts(comparison)]))
    parts += ["", "## Effects", ""]
    parts.append(md_table(EFFECT_HEADERS, [[md_cell(c) for c in _effect_cells(e)]
                                           for e in comparison.effects]))
    if comparison.notes:
        parts += ["", "## Notes", ""] + [f"- {md_cell(n)}" for n in comparison.notes]
    return "\n".join(parts) + "\n"


def _finding_cell(refs: tuple[FindingRef, ...]) -> str:
    return "\n".join(f"[{r.finding_id}] {r.text}" for r in refs)


class _SafeCsv:
    """csv.writer whose cells are made safe for spreadsheets (kb.text.safe.spreadsheet_cell)."""

    def __init__(self, out: io.StringIO) -> None:
        self.writer = csv.writer(out, lineterminator="\n")

    def writerow(self, cells: list[object]) -> None:
        self.writer.writerow([spreadsheet_cell(c) if isinstance(c, str) else c for c in cells])


def to_csv(comparison: Comparison) -> str:
    """One wide CSV: part, row, score, one column per source (record ids in the header); a cell
    that would start a spreadsheet formula is prefixed with a quote."""
    ids = [s.record_id for s in comparison.sources]
    out = io.StringIO()
    writer = _SafeCsv(out)
    writer.writerow(["part", "row", "score", *ids])
    for m in comparison.metadata:
        writer.writerow(["metadata", m.field, "", *m.values])
    for k in comparison.by_kind:
        writer.writerow(["findings", k.kind, "", *(_finding_cell(c) for c in k.cells)])
    for p in comparison.aligned:
        cells = {p.left.record_id: _finding_cell((p.left,)), p.right.record_id: _finding_cell((p.right,))}
        writer.writerow(["aligned", _themes(comparison, p.shared_themes), f"{p.score:.4f}",
                         *(cells.get(i, "") for i in ids)])
    for r in comparison.unique:
        writer.writerow(["unique", r.kind, "", *(_finding_cell((r,)) if i == r.record_id else ""
                                                 for i in ids)])
    for label, counts in _theme_counts(comparison):
        writer.writerow(["themes", label, "", *counts])
    for e in comparison.effects:
        cell = e.estimate()
        writer.writerow(["effects", e.label, "", *(cell if i == e.record_id else "" for i in ids)])
    for note in comparison.notes:
        writer.writerow(["note", note, "", *("" for _ in ids)])
    return out.getvalue()


def to_json(comparison: Comparison) -> str:
    """The Comparison model as JSON."""
    return comparison.model_dump_json(indent=2) + "\n"


class _Table(Table):
    """A rich table whose cells are plain text: record text is never read as markup."""

    def add_row(self, *cells: str) -> None:  # type: ignore[override]
        super().add_row(*(Text(terminal_text(c)) for c in cells))


def _table(title: str, headers: list[str]) -> _Table:
    table = _Table(title=Text(title), show_lines=True, title_justify="left")
    for header in headers:
        table.add_column(Text(header), overflow="fold")
    return table


def to_rich(comparison: Comparison) -> list[Table]:
    """Terminal tables: sources, findings by kind, aligned, unique, themes, effects."""
    labels = _labels(comparison)
    meta = _table("Sources", ["Field", *labels])
    for m in comparison.metadata:
        meta.add_row(m.field, *(v or "—" for v in m.values))
    kinds = _table("Findings by kind", ["Kind", *labels])
    for k in comparison.by_kind:
        kinds.add_row(k.kind, *("\n".join(f"• {r.text}" for r in c) or "—" for c in k.cells))
    aligned = _table(f"Aligned findings ({comparison.model_id})",
                     ["Score", "Shared themes", "Finding", "Finding"])
    for p in comparison.aligned:
        aligned.add_row(f"{p.score:.2f}", _themes(comparison, p.shared_themes),
                        f"{p.left.source}: {p.left.text}", f"{p.right.source}: {p.right.text}")
    unique = _table("Findings unique to one source", ["Source", "Kind", "Finding"])
    for r in comparison.unique:
        unique.add_row(r.source, r.kind, r.text)
    themes = _table("Themes each source supports (findings)", ["Theme", *labels])
    for label, counts in _theme_counts(comparison):
        themes.add_row(label, *(str(c) if c else "·" for c in counts))
    effects = _table("Effects", EFFECT_HEADERS)
    for e in comparison.effects:
        effects.add_row(*_effect_cells(e))
    return [meta, kinds, aligned, unique, themes, effects]


def render(comparison: Comparison, fmt: str) -> str:
    """The comparison in a text format: md, csv or json."""
    renderers = {"md": to_markdown, "csv": to_csv, "json": to_json}
    return renderers[fmt](comparison)
