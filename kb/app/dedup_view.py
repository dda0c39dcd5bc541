"""What the Library page's duplicate review shows, computed outside Streamlit: the queue's rows
as table rows with readable agreement labels, the position in the queue after a decision, and the
preview line of a batch merge. The decisions themselves are kb/ops/duplicates.py's."""

from __future__ import annotations

from pydantic import BaseModel

from kb.dedup.side_by_side import FieldRow
from kb.ops.duplicates import DuplicatePair, pairs_from

AGREEMENT_LABELS = {"agree": "✓ same", "close": "≈ close", "differ": "✗ differs", "missing": "– one empty"}


class TableRow(BaseModel):
    """One line of the side-by-side table."""

    field: str
    agreement: str
    a: str
    b: str


def table_rows(rows: list[FieldRow]) -> list[TableRow]:
    """The side-by-side rows as the page's table shows them (rows empty on both sides left out)."""
    return [TableRow(field=r.field, agreement=AGREEMENT_LABELS[r.agreement], a=r.a, b=r.b)
            for r in rows if r.a or r.b]


def pair_heading(pair: DuplicatePair, position: int, total: int) -> str:
    """'Pair 2 of 14 · possible duplicate · score 93 · similar titles but pages differ'."""
    decision = "likely duplicate" if pair.decision == "duplicate" else "possible duplicate"
    return f"Pair {position + 1} of {total} · {decision} · score {pair.score:g} · {pair.reason}"


def clamp(position: int, total: int) -> int:
    """A queue position that exists (the queue shrinks as pairs are decided)."""
    return max(0, min(position, total - 1)) if total else 0


def batch_preview(pairs: list[DuplicatePair], min_score: float) -> tuple[list[DuplicatePair], str]:
    """The pairs a batch merge at `min_score` takes, and the line that says how many."""
    chosen = pairs_from(pairs, min_score)
    likely = sum(p.decision == "duplicate" for p in chosen)
    line = (f"{len(chosen)} of {len(pairs)} pairs score {min_score:g} or more "
            f"({likely} likely duplicates, {len(chosen) - likely} possible).")
    if chosen:
        line += " Each merge can be undone under Merges."
    return chosen, line
