"""The evidence table: one CSV row per finding, with its record, citation, kind, themes and effects."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from kb.model.present import reference_line
from kb.model.schema import Effect, Finding, Record
from kb.text.safe import spreadsheet_cell

COLUMNS = ("record_id", "finding_id", "citation", "year", "doi", "kind", "section_role", "text",
           "themes", "effects")


def effect_text(effect: Effect) -> str:
    """'OR 6.4 (95% CI 2.5–16.4; p<0.001)' from the effect's parts; the source text if no value."""
    if effect.value is None:
        return effect.text
    value = f"{effect.value:g}" + (f" to {effect.value_high:g}" if effect.value_high is not None else "")
    extras = []
    if effect.ci_low is not None and effect.ci_high is not None:
        level = f"{effect.ci_level:g}% " if effect.ci_level else ""
        extras.append(f"{level}CI {effect.ci_low:g}–{effect.ci_high:g}")
    if effect.p is not None:
        extras.append(f"p{effect.p_relation or '='}{effect.p:g}")
    subgroup = f" [{effect.subgroup}]" if effect.subgroup else ""
    return f"{effect.measure} {value}" + (f" ({'; '.join(extras)})" if extras else "") + subgroup


def _row(record: Record, citation: str, finding: Finding) -> dict[str, str]:
    return {
        "record_id": record.id, "finding_id": finding.id, "citation": citation,
        "year": str(record.year or ""), "doi": record.identifiers.doi or "",
        "kind": finding.kind, "section_role": finding.role, "text": finding.text,
        "themes": "; ".join(finding.themes),
        "effects": " | ".join(effect_text(e) for e in finding.effects),
    }


def evidence_rows(records: Sequence[Record]) -> Iterator[dict[str, str]]:
    """One row per finding, records in the given order, findings in text order."""
    for record in records:
        citation = reference_line(record)
        for finding in record.findings:
            yield _row(record, citation, finding)


def to_csv_text(records: Sequence[Record]) -> str:
    """The evidence table as CSV text (header row first, RFC 4180 quoting; a cell that would
    start a spreadsheet formula is prefixed with a quote)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_cell(v) for k, v in row.items()} for row in evidence_rows(records))
    return out.getvalue()
