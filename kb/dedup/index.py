"""Duplicate candidates at scale: exact maps for DOI/PMID/PMCID and blocks on title words and
first author + year, so a new record is compared with a handful of keys, never with all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Protocol

from kb.dedup.keys import DedupKey, key_of, significant
from kb.dedup.match import Match, compare, may_match, ranked_matches
from kb.model.schema import Record

MAX_BLOCK = 400  # a block bigger than this ('wang 2020') is too unspecific to scan
BLOCK_WORDS = 3


def block_keys(key: DedupKey) -> set[str]:
    """Blocking keys: the first and the last significant title words of each title variant
    (subtitle, translation), first author + year, and the opening of the abstract for records
    without a title."""
    words = [w for w in significant(key.title) if len(w) > 1]
    keys = set()
    for title in {key.title, *key.titles}:
        variant = [w for w in significant(title) if len(w) > 1]
        if variant:
            keys.add("t^" + " ".join(variant[:BLOCK_WORDS]))
            keys.add("t$" + " ".join(variant[-BLOCK_WORDS:]))
    if key.first_author and key.year:
        keys.add(f"a:{key.first_author}:{key.year}")
    if not words and key.abstract_head:
        keys.add("b:" + " ".join(key.abstract_head.split()[:12]))
    return keys


class DuplicateLookup(Protocol):
    """What an ingest or a preview asks of a dedup index (in memory or in the key cache)."""

    def match(self, key: DedupKey) -> Match | None: ...

    def matches(self, key: DedupKey) -> list[Match]: ...


class DedupIndex:
    """Dedup keys of a knowledge base (and of records added during a batch)."""

    def __init__(self, keys: Iterable[DedupKey] = ()) -> None:
        self.keys: dict[str, DedupKey] = {}
        self._ids: dict[str, dict[str, str]] = {"doi": {}, "pmid": {}, "pmcid": {}}
        self._blocks: dict[str, set[str]] = defaultdict(set)
        self._blocks_of: dict[str, set[str]] = {}  # each indexed key's blocks, computed once
        for key in keys:
            self.add(key)

    @classmethod
    def from_records(cls, records: Iterable[Record]) -> DedupIndex:
        return cls(key_of(r) for r in records)

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, key: DedupKey) -> None:
        """Index a key (replacing an older key with the same id)."""
        if key.id in self.keys:
            self.remove(key.id)
        self.keys[key.id] = key
        for name, value in (("doi", key.doi_stem), ("pmid", key.pmid), ("pmcid", key.pmcid)):
            if value:
                self._ids[name].setdefault(value, key.id)
        blocks = self._blocks_of[key.id] = block_keys(key)
        for block in blocks:
            self._blocks[block].add(key.id)

    def remove(self, record_id: str) -> None:
        """Forget a key (a record merged away or renamed)."""
        key = self.keys.pop(record_id, None)
        if key is None:
            return
        for name, value in (("doi", key.doi_stem), ("pmid", key.pmid), ("pmcid", key.pmcid)):
            if value and self._ids[name].get(value) == record_id:
                del self._ids[name][value]
        for block in self._blocks_of.pop(record_id, set()):
            self._blocks[block].discard(record_id)

    def candidates(self, key: DedupKey, blocks: set[str] | None = None) -> list[DedupKey]:
        """Keys sharing an identifier or a block with `key` (`blocks`: its blocking keys, when
        already known)."""
        ids: set[str] = set()
        for name, value in (("doi", key.doi_stem), ("pmid", key.pmid), ("pmcid", key.pmcid)):
            if value and value in self._ids[name]:
                ids.add(self._ids[name][value])
        for block in block_keys(key) if blocks is None else blocks:
            members = self._blocks.get(block, ())
            if len(members) <= MAX_BLOCK:
                ids.update(members)
        ids.discard(key.id)
        return [self.keys[i] for i in sorted(ids)]

    def matches(self, key: DedupKey) -> list[Match]:
        """Duplicates and possible duplicates of `key` among the indexed keys, best first."""
        return ranked_matches(key, self.candidates(key))

    def match(self, key: DedupKey) -> Match | None:
        """The best duplicate or possible duplicate of `key`, or None."""
        found = self.matches(key)
        return found[0] if found else None

    def pairs(self) -> Iterator[tuple[str, Match]]:
        """Every indexed pair judged duplicate or possible, once each: (id, match on other id)."""
        for record_id in sorted(self.keys):
            key = self.keys[record_id]
            for other in self.candidates(key, self._blocks_of[record_id]):
                if other.id <= record_id or not may_match(key, other):
                    continue
                verdict = compare(key, other)
                if verdict.decision != "distinct":
                    yield record_id, verdict
