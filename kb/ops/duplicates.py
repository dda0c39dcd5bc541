"""A librarian's duplicate work on a knowledge base: list the pairs that may be the same
publication, merge a pair, or mark it as not duplicates (remembered in records/_decisions.json)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import BaseModel

from kb.dedup.decisions import load_decisions, save_decisions
from kb.dedup.index import DedupIndex
from kb.dedup.merge import merge
from kb.errors import KBError
from kb.model.review import refresh_flags
from kb.model.schema import Record
from kb.store import RecordStore

Enrich = Callable[[Record], Record]


class DuplicatePair(BaseModel):
    """Two records that may be one publication."""

    a: str
    b: str
    decision: str
    score: float
    reason: str
    title_a: str | None
    title_b: str | None


def candidate_pairs(store: RecordStore, records: Iterable[Record] | None = None) -> list[DuplicatePair]:
    """Pairs judged duplicate or possible duplicate among `records` (default: all of the store),
    minus those marked not duplicates; most likely first."""
    by_id = {r.id: r for r in (store.load_all() if records is None else records)}
    decisions = load_decisions(store)
    index = DedupIndex.from_records(by_id.values())
    out = []
    for a, match in index.pairs():
        if decisions.is_not_duplicate(a, match.record_id):
            continue
        out.append(DuplicatePair(a=a, b=match.record_id, decision=match.decision, score=match.score,
                                 reason=match.reason, title_a=by_id[a].title,
                                 title_b=by_id[match.record_id].title))
    return sorted(out, key=lambda p: (p.decision != "duplicate", -p.score, p.a, p.b))


def merge_pair(store: RecordStore, keep: str, other: str, enrich: Enrich) -> Record:
    """Fold record `other` into record `keep` (fields filled, sources appended, conflicts
    flagged), save it, delete `other` and remember the decision. Call under the store lock."""
    if keep == other:
        raise KBError("give two different record ids")
    kept, gone = store.load(keep), store.load(other)
    merged = merge(kept, gone)
    if (merged.abstract, merged.translations) != (kept.abstract, kept.translations):
        merged = enrich(merged)
    merged = refresh_flags(merged)
    store.save(merged)
    decisions = load_decisions(store)
    decisions.add_merge(keep, other)
    save_decisions(store, decisions)
    store.delete(other)  # last: a crash before it leaves both records, never a lost decision
    return merged


def mark_not_duplicate(store: RecordStore, a: str, b: str) -> None:
    """Remember that two records are different publications. Call under the store lock."""
    if a == b:
        raise KBError("give two different record ids")
    store.load(a), store.load(b)  # both must exist
    decisions = load_decisions(store)
    decisions.add_not_duplicate(a, b)
    save_decisions(store, decisions)
