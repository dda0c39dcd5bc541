"""The duplicate review's labels, positions and batch preview line (kb/app/dedup_view.py)."""

from __future__ import annotations

from kb.app.dedup_view import batch_preview, clamp, pair_heading, table_rows
from kb.dedup.side_by_side import FieldRow
from kb.ops.duplicates import DuplicatePair


def _pair(score: float, decision: str = "possible") -> DuplicatePair:
    return DuplicatePair(a="a", b="b", decision=decision, score=score, reason="same DOI", title_a=None, title_b=None)


def test_rows_empty_on_both_sides_are_left_out_and_labels_read() -> None:
    rows = [FieldRow(field="Title", a="X", b="X", agreement="agree"),
            FieldRow(field="Issue", a="", b="", agreement="missing"),
            FieldRow(field="Pages", a="1-2", b="", agreement="missing")]
    shown = table_rows(rows)
    assert [(r.field, r.agreement) for r in shown] == [("Title", "✓ same"), ("Pages", "– one empty")]


def test_heading_and_positions() -> None:
    assert pair_heading(_pair(93.5, "duplicate"), 1, 14) == "Pair 2 of 14 · likely duplicate · score 93.5 · same DOI"
    assert clamp(5, 3) == 2 and clamp(-1, 3) == 0 and clamp(4, 0) == 0


def test_batch_preview_counts_what_would_be_merged() -> None:
    pairs = [_pair(99, "duplicate"), _pair(96), _pair(80)]
    chosen, line = batch_preview(pairs, 95)
    assert [p.score for p in chosen] == [99, 96]
    assert line.startswith("2 of 3 pairs score 95 or more (1 likely duplicates, 1 possible).")
    assert batch_preview(pairs, 100) == ([], "0 of 3 pairs score 100 or more (0 likely duplicates, 0 possible).")
