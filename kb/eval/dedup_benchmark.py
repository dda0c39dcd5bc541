"""bib-dedupe's labelled benchmark datasets (records_pre_merged.csv + merged_record_ids.csv): the
conversion a new user would make (one CSV the importer reads, authors separated by ';'), and the
scoring bib-dedupe uses for itself (one decision per record: which records survive; see
EVALUATION.md in bib-dedupe's repository), with pair-level counts beside it.

Each converted row carries its dataset ID in the Keywords column as `bench-id:<ID>`; keywords are
never looked at by duplicate detection and merges keep the union of them, so every record of the
knowledge base names the dataset rows it was built from."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from kb.errors import KBError
from kb.eval.metrics import PRF

RECORDS_FILE = "records_pre_merged.csv"
TRUTH_FILE = "merged_record_ids.csv"
TRACE = "bench-id:"
EMPTY = frozenset({"", "unknown", "#name?", "n/a", "na", "nan"})
#: the project's CSV header for each dataset column (first non-empty wins)
COLUMNS: dict[str, tuple[str, ...]] = {
    "Title": ("title",), "Authors": ("author",), "Year": ("year",),
    "Journal": ("journal", "booktitle"), "Volume": ("volume",), "Issue": ("number",),
    "Pages": ("pages",), "DOI": ("doi",), "Abstract": ("abstract",), "Publisher": ("publisher",),
    "ISBN": ("isbn",), "Type": ("ENTRYTYPE",),
}


def _value(row: Mapping[str, str | None], names: Sequence[str]) -> str:
    for name in names:
        value = (row.get(name) or "").strip()
        if value.casefold() not in EMPTY:
            return value
    return ""


def _authors(value: str) -> str:
    """BibTeX 'Zuber, J and Le Quintrec, M' -> 'Zuber, J; Le Quintrec, M' (what CSV exports use)."""
    return "; ".join(p.strip() for p in value.replace(" AND ", " and ").split(" and ") if p.strip())


def read_dataset(folder: Path) -> list[dict[str, str]]:
    """The rows of a dataset's records_pre_merged.csv (KBError when absent)."""
    path = folder / RECORDS_FILE
    if not path.is_file():
        raise KBError(f"{path} is missing (see benchmarks/README.md for how to get the datasets)")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_truth(folder: Path) -> list[list[str]]:
    """The labelled duplicate sets (each 2 or more dataset IDs; sets never overlap)."""
    path = folder / TRUTH_FILE
    if not path.is_file():
        raise KBError(f"{path} is missing")
    with path.open(encoding="utf-8", newline="") as handle:
        sets = [[i.strip() for i in (row.get("merged_ids") or "").split(";") if i.strip()]
                for row in csv.DictReader(handle)]
    sets = [s for s in sets if len(s) > 1]
    flat = [i for s in sets for i in s]
    if len(flat) != len(set(flat)):
        raise KBError(f"{path}: labelled duplicate sets overlap")
    return sets


def converted_csv(rows: Iterable[Mapping[str, str | None]]) -> str:
    """The dataset as one CSV table in the column names the importer reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "Keywords"])
    for row in rows:
        cells = {name: _value(row, fields) for name, fields in COLUMNS.items()}
        cells["Authors"] = _authors(cells["Authors"])
        writer.writerow([*cells.values(), TRACE + (row.get("ID") or "")])
    return out.getvalue()


def traced_ids(keywords: Iterable[str]) -> list[str]:
    """The dataset IDs a record was built from (its `bench-id:` keywords)."""
    return sorted(k.removeprefix(TRACE) for k in keywords if k.startswith(TRACE))


@dataclass
class Confusion:
    """bib-dedupe's per-record counts: TP duplicates removed, FN duplicates kept, TN real-world
    records that kept a copy, FP records wrongly removed (TP + FN + TN + FP = records)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def __add__(self, other: Confusion) -> Confusion:
        return Confusion(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.tn + other.tn)

    @property
    def sensitivity(self) -> float:
        return PRF(self.tp, self.fp, self.fn).recall

    @property
    def precision(self) -> float:
        return PRF(self.tp, self.fp, self.fn).precision

    @property
    def f1(self) -> float:
        return PRF(self.tp, self.fp, self.fn).f1

    @property
    def specificity(self) -> float:
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else 1.0


def survivors(clusters: Iterable[Iterable[str]]) -> set[str]:
    """The ID kept of each predicted cluster (the first in sorted order, as bib-dedupe's merge)."""
    return {min(c) for c in clusters if c}


def record_level(all_ids: Sequence[str], clusters: Iterable[Iterable[str]],
                 truth: Sequence[Sequence[str]]) -> Confusion:
    """bib-dedupe's scoring (compare_dedupe_id): per true singleton, TN if it survives else FP;
    per true set with k survivors, k >= 1: TN 1, FN k-1, TP |S|-k; k = 0: FP 1, TP |S|-1.
    `clusters` must cover every record (a record in no cluster survives)."""
    grouped = [list(c) for c in clusters]
    covered = {i for c in grouped for i in c}
    kept = survivors(grouped) | (set(all_ids) - covered)
    in_sets = {i for s in truth for i in s}
    out = Confusion()
    for record_id in all_ids:
        if record_id not in in_sets:
            out.tn, out.fp = (out.tn + 1, out.fp) if record_id in kept else (out.tn, out.fp + 1)
    for group in truth:
        k = sum(1 for i in group if i in kept)
        if k:
            out.tn, out.fn, out.tp = out.tn + 1, out.fn + k - 1, out.tp + len(group) - k
        else:
            out.fp, out.tp = out.fp + 1, out.tp + len(group) - 1
    return out


def pairs_of(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    """Every unordered pair inside each group, as sorted tuples."""
    return {(a, b) for g in groups for a, b in combinations(sorted(set(g)), 2)}


def entity_of(all_ids: Iterable[str], truth: Sequence[Sequence[str]]) -> dict[str, str]:
    """Each record's true real-world entity (the first ID of its labelled set, else itself)."""
    entity = {i: i for i in all_ids}
    for group in truth:
        for i in group:
            entity[i] = group[0]
    return entity


def impure(clusters: Iterable[Iterable[str]], entity: Mapping[str, str]) -> list[list[str]]:
    """Predicted clusters that join records of two or more true entities (false merges)."""
    return [sorted(c) for c in clusters if len({entity[i] for i in c}) > 1]


def components(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components (union-find) of `nodes` joined by `edges`."""
    parent = {n: n for n in nodes}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for n in parent:
        groups.setdefault(root(n), []).append(n)
    return sorted(sorted(g) for g in groups.values())
