"""A librarian's duplicate work on a knowledge base: list the pairs that may be the same
publication (best first, each with its fields side by side), merge a pair or every pair above a
score, mark a pair as not duplicates (remembered in records/_decisions.json), or undo a merge
(the merged-away record comes back from records/_merged.<id>.json)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from pydantic import BaseModel

from kb.dedup.cache import KeyCache
from kb.dedup.decisions import load_decisions, save_decisions
from kb.dedup.history import forget_merged, keep_merged, load_merged, record_sha
from kb.dedup.index import DedupIndex
from kb.dedup.match import Match
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
    """Pairs judged duplicate or possible duplicate among `records`, minus those marked not
    duplicates; most likely first. By default among every stored record, found from the dedup key
    cache: only records changed since it was written are read, then the records of the pairs
    (for their titles); an unreadable record is named once in the log."""
    decisions = load_decisions(store)
    if records is None:
        cache = KeyCache(store)
        try:
            found = [(a, m) for a, m in cache.index().pairs() if not decisions.is_not_duplicate(a, m.record_id)]
        finally:
            cache.close()
        return _ordered(found, _titles(store, {i for a, m in found for i in (a, m.record_id)}))
    by_id = {r.id: r for r in records}
    found = [(a, m) for a, m in DedupIndex.from_records(by_id.values()).pairs()
             if not decisions.is_not_duplicate(a, m.record_id)]
    return _ordered(found, {i: r.title for i, r in by_id.items()})


def _ordered(found: list[tuple[str, Match]], titles: dict[str, str | None]) -> list[DuplicatePair]:
    out = [DuplicatePair(a=a, b=m.record_id, decision=m.decision, score=m.score, reason=m.reason,
                         title_a=titles.get(a), title_b=titles.get(m.record_id)) for a, m in found]
    return sorted(out, key=lambda p: (p.decision != "duplicate", -p.score, p.a, p.b))


def _titles(store: RecordStore, ids: set[str]) -> dict[str, str | None]:
    """The titles of the records of the pairs (a record that no longer reads keeps none)."""
    out: dict[str, str | None] = {}
    for record_id in sorted(ids):
        try:
            out[record_id] = store.load(record_id).title
        except KBError:
            out[record_id] = None
    return out


def pairs_from(pairs: Iterable[DuplicatePair], min_score: float) -> list[DuplicatePair]:
    """The pairs a batch merge at `min_score` would take (the preview count is their number)."""
    return [p for p in pairs if p.score >= min_score]


class BatchMerge(BaseModel):
    """What a batch merge did: (kept, merged-away) per merge, and the pairs it passed over."""

    merged: list[tuple[str, str]]
    passed: list[str]


def merge_pairs(store: RecordStore, pairs: Iterable[DuplicatePair], enrich: Enrich) -> BatchMerge:
    """Merge each pair in order, the second record into the first. A record already merged away
    by an earlier pair of the batch is followed to the record that holds it, so chains (a~b,
    b~c) become one record; a pair whose ends are already one record, or that was marked not
    duplicates meanwhile, is passed over. Call under the store lock."""
    holder: dict[str, str] = {}
    merged: list[tuple[str, str]] = []
    passed: list[str] = []

    def current(rid: str) -> str:
        while rid in holder:
            rid = holder[rid]
        return rid

    for pair in pairs:
        keep, other = current(pair.a), current(pair.b)
        if keep == other:
            passed.append(f"{pair.a} / {pair.b}: already one record")
            continue
        if load_decisions(store).is_not_duplicate(keep, other):
            passed.append(f"{pair.a} / {pair.b}: marked not duplicates")
            continue
        merge_pair(store, keep, other, enrich)
        holder[other] = keep
        merged.append((keep, other))
    return BatchMerge(merged=merged, passed=passed)


def merge_pair(store: RecordStore, keep: str, other: str, enrich: Enrich) -> Record:
    """Fold record `other` into record `keep` (fields filled, sources appended, conflicts
    flagged), save it, move `other` to records/_merged.<id>.json (for undo) and remember the decision.
    Call under the store lock."""
    if keep == other:
        raise KBError("give two different record ids")
    kept, gone = store.load(keep), store.load(other)
    merged = merge(kept, gone)
    if (merged.abstract, merged.translations) != (kept.abstract, kept.translations):
        merged = enrich(merged)
    merged = refresh_flags(merged)
    store.save(merged)
    keep_merged(store, kept, gone, merged, "merged by hand")
    decisions = load_decisions(store)
    decisions.add_merge(keep, other)
    save_decisions(store, decisions)
    store.delete(other)  # last: a crash before it leaves both records, never a lost decision
    return merged


class Undone(BaseModel):
    """What an undo restored."""

    restored: str
    kept: str
    kept_restored: bool  # False: the kept record changed after the merge and stays as it is


def undo_merge(store: RecordStore, merged_id: str, enrich: Enrich) -> Undone:
    """Bring back the record `merged_id` folded into another (by hand or at import): it is saved
    again as it was, the kept record goes back to its state before the merge unless it changed
    since, and the pair is remembered as not duplicates. A record merged at import was never
    extracted on its own: `enrich` extracts it now. Call under the store lock."""
    snapshot = load_merged(store, merged_id)
    if merged_id in store.ids():
        raise KBError(f"'{merged_id}' exists as a record already; nothing to undo")
    current = store.load(snapshot.kept_id)
    unchanged = record_sha(current) == snapshot.kept_sha
    if unchanged:
        if snapshot.kept_before.id != current.id:
            store.delete(current.id)
        store.save(snapshot.kept_before)
    restored = snapshot.merged
    if restored.abstract and not restored.findings:
        restored = enrich(restored)
    store.save(refresh_flags(restored))
    kept = snapshot.kept_before.id if unchanged else current.id
    decisions = load_decisions(store)
    decisions.merged = [m for m in decisions.merged if m.merged != merged_id]
    decisions.add_not_duplicate(kept, merged_id)
    save_decisions(store, decisions)
    forget_merged(store, merged_id)
    return Undone(restored=merged_id, kept=kept, kept_restored=unchanged)


Action = Literal["merge", "merge-into-b", "not-duplicate"]


class Decided(BaseModel):
    """What one review-queue decision did, said for the librarian."""

    message: str
    merged_away: str | None = None


def decide_pair(store: RecordStore, a: str, b: str, action: Action, enrich: Enrich) -> Decided:
    """One decision of the review queue (CLI and app), under the store lock: merge b into a,
    merge a into b, or remember the pair as not duplicates."""
    with store.lock():
        if action == "not-duplicate":
            mark_not_duplicate(store, a, b)
            return Decided(message=f"remembered: {a} and {b} are not duplicates")
        keep, other = (a, b) if action == "merge" else (b, a)
        merge_pair(store, keep, other, enrich)
    return Decided(message=f"merged {other} into {keep}", merged_away=other)


def undo_pair(store: RecordStore, merged_id: str, enrich: Enrich) -> Decided:
    """Undo the merge of `merged_id` under the store lock; the message says what came back."""
    with store.lock():
        done = undo_merge(store, merged_id, enrich)
    return Decided(message=f"restored {done.restored}; {done.kept} "
                           + ("is back as it was before the merge" if done.kept_restored
                              else "changed after the merge and stays as it is"))


def mark_not_duplicate(store: RecordStore, a: str, b: str) -> None:
    """Remember that two records are different publications. Call under the store lock."""
    if a == b:
        raise KBError("give two different record ids")
    store.load(a), store.load(b)  # both must exist
    decisions = load_decisions(store)
    decisions.add_not_duplicate(a, b)
    save_decisions(store, decisions)
