"""The CSV evidence table: one row per finding."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kb.model.present import reference_line
from kb.model.schema import Effect
from kb.store import Store
from kb.synthesis.evidence_table import COLUMNS, effect_text, to_csv_text


def test_one_row_per_finding_with_citation_and_effects(shipped_copy: Path) -> None:
    records = Store(shipped_copy).load_all()
    rows = list(csv.DictReader(io.StringIO(to_csv_text(records))))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == sum(len(r.findings) for r in records)
    chuang = [r for r in rows if r["record_id"] == "chuang-2025-collaboration-strategies"]
    assert chuang[0]["citation"].startswith("Chuang E, Ross R, Safaeinili N, et al. Collaboration strategies")
    assert chuang[0]["citation"].endswith("Health Serv Res. 2025;60 Suppl 3(Suppl 3):e14417. doi:10.1111/1475-6773.14417")
    record = next(r for r in records if r.id == "chuang-2025-collaboration-strategies")
    assert [r["text"] for r in chuang] == [f.text for f in record.findings]
    assert reference_line(next(r for r in records if r.id == "john-snow-discussion-paper")) == "John Snow, Inc. n.d."


def test_effect_text() -> None:
    effect = Effect(measure="OR", value=6.4, ci_low=2.5, ci_high=16.4, ci_level=95, p=0.001, p_relation="<",
                    text="OR 6.4 (95% CI 2.5-16.4)")
    assert effect_text(effect) == "OR 6.4 (95% CI 2.5–16.4; p<0.001)"
    assert effect_text(Effect(measure="count", text="n = 221")) == "n = 221"
