"""Precision and recall of duplicate detection on labelled pairs from real fixtures: the
bib-dedupe test cases (split into tune and held-out halves) and ASReview's duplicate_records.csv."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from bibtexparser.model import Entry, Field
from pydantic import BaseModel

from ingest import biblio
from ingest.formats import bibtex, csv_table, ris
from kb.dedup.match import DUPLICATE_SCORE, DedupKey, compare, key_of
from kb.errors import KBError
from kb.eval.gold import EXTERNAL
from kb.eval.metrics import PRF
from kb.model.schema import Identifiers, Record

BIB_DEDUPE = "bib-dedupe__tests__test_cases.json"
ASREVIEW = "asreview__tests__demo_data__duplicate_records.csv"
# ASReview deduplicates rows with the same DOI or the same title and abstract: rows 1 and 3
# (0-based) repeat rows 0 and 2; every other pair is distinct.
ASREVIEW_DUPLICATES = frozenset({(0, 1), (2, 3)})
# The same six Embase records exported as RIS and as CSV, in the same order.
EMBASE = ("asreview__tests__demo_data__embase.ris", "asreview__tests__demo_data__embase.csv")
THRESHOLDS = (80.0, 85.0, 88.0, 90.0, 93.0, 95.0, 97.0, 99.0)


class Pair(BaseModel):
    """A labelled pair and the verdict on it."""

    case: str
    split: str
    expected: bool
    decision: str = ""
    score: float = 0.0
    reason: str = ""


@dataclass
class Scores(PRF):
    """Precision / recall / F1 of 'duplicate' verdicts (possible duplicates count as not merged)."""

    pairs: int = 0
    possible: int = 0


def split_of(case_id: str) -> str:
    """A stable half: 'tune' or 'heldout' by a hash of the case id."""
    return "tune" if zlib.crc32(case_id.encode()) % 2 == 0 else "heldout"


def bibtex_record(fields: dict[str, object], number: int) -> Record:
    """A record read through the BibTeX importer from a dict of BibTeX fields."""
    entry = Entry(str(fields.get("ENTRYTYPE") or "misc"), str(fields.get("ID") or number),
                  [Field(k, str(v)) for k, v in fields.items()
                   if k not in ("ENTRYTYPE", "ID") and isinstance(v, (str, int)) and str(v).strip()])
    item = biblio.finish(bibtex.entry_fields(entry), source=BIB_DEDUPE, number=number)
    if not isinstance(item, Record):
        raise KBError(str(item))
    return item


def _judge(case: str, split: str, expected: bool, a: DedupKey, b: DedupKey,
           duplicate_at: float = DUPLICATE_SCORE) -> Pair:
    match = compare(a, b, duplicate_at=duplicate_at)
    return Pair(case=case, split=split, expected=expected, decision=match.decision,
                score=match.score, reason=match.reason)


def bib_dedupe_pairs(folder: Path = EXTERNAL, duplicate_at: float = DUPLICATE_SCORE) -> list[Pair]:
    """Verdicts on the bib-dedupe labelled pairs."""
    cases = json.loads((folder / BIB_DEDUPE).read_text(encoding="utf-8"))["cases"]
    out = []
    for case in cases:
        a = key_of(bibtex_record(case["record_a"], 1).model_copy(update={"id": "a"}))
        b = key_of(bibtex_record(case["record_b"], 2).model_copy(update={"id": "b"}))
        out.append(_judge(case["id"], split_of(case["id"]), bool(case["expected_duplicate"]), a, b,
                          duplicate_at))
    return out


def asreview_pairs(folder: Path = EXTERNAL) -> tuple[list[Pair], int]:
    """Verdicts on all pairs of importable rows of ASReview's duplicate_records.csv, and the
    number of rows the importer refused (no title, no abstract, no valid DOI)."""
    text = (folder / ASREVIEW).read_text(encoding="utf-8")
    rows: dict[int, DedupKey] = {}
    refused = 0
    items = [i for i in csv_table.iter_parse(text, source=ASREVIEW) if not isinstance(i, biblio.ParseNote)]
    for row, item in enumerate(items):
        if isinstance(item, Record):
            rows[row] = key_of(item.model_copy(update={"id": f"row-{row}"}))
        else:
            refused += 1
    pairs = [_judge(f"asreview rows {i}-{j}", "asreview", (i, j) in ASREVIEW_DUPLICATES, rows[i], rows[j])
             for i, j in combinations(sorted(rows), 2)]
    return pairs, refused


def embase_pairs(folder: Path = EXTERNAL, *, without_ids: bool = False) -> list[Pair]:
    """Every RIS record against every CSV record of the same Embase export; without_ids drops
    the CSV side's identifiers so only title, authors, year, venue and pages can match."""
    parsed = []
    for module, name in ((ris, EMBASE[0]), (csv_table, EMBASE[1])):
        items = module.iter_parse((folder / name).read_text(encoding="utf-8-sig"), source=name)
        parsed.append([r for r in items if isinstance(r, Record)])
    left = [key_of(r.model_copy(update={"id": f"ris-{i}"})) for i, r in enumerate(parsed[0])]
    right = [key_of(r.model_copy(update={"id": f"csv-{i}", "identifiers": Identifiers() if without_ids
                                         else r.identifiers})) for i, r in enumerate(parsed[1])]
    label = "embase ris x csv" + (" (no ids)" if without_ids else "")
    return [_judge(f"{label} {i}-{j}", "embase", i == j, a, b)
            for i, a in enumerate(left) for j, b in enumerate(right)]


def tuning_line(folder: Path = EXTERNAL) -> str:
    """F1 on the tune half for each candidate duplicate threshold (how DUPLICATE_SCORE was set)."""
    cells = []
    for threshold in THRESHOLDS:
        tune = [p for p in bib_dedupe_pairs(folder, threshold) if p.split == "tune"]
        cells.append(f"{threshold:g}: {score(tune).f1:.2f}")
    return f"tune-half F1 by duplicate threshold: {', '.join(cells)}  (shipped: {DUPLICATE_SCORE:g})"


def score(pairs: list[Pair]) -> Scores:
    """Counts over pairs: a 'duplicate' verdict is a positive."""
    tp = sum(p.expected and p.decision == "duplicate" for p in pairs)
    fp = sum(not p.expected and p.decision == "duplicate" for p in pairs)
    fn = sum(p.expected and p.decision != "duplicate" for p in pairs)
    return Scores(pairs=len(pairs), tp=tp, fp=fp, fn=fn,
                  possible=sum(p.decision == "possible" for p in pairs))


def dedup_report(folder: Path = EXTERNAL) -> str:
    """The text printed by `kb eval dedup`."""
    if not (folder / BIB_DEDUPE).is_file():
        raise KBError(f"{folder / BIB_DEDUPE} is missing (the labelled pairs live in ../shared/data/external)")
    pairs = bib_dedupe_pairs(folder)
    lines = ["duplicate detection vs labelled pairs ('possible' = left to a librarian, counted as not merged)",
             tuning_line(folder), ""]
    groups = [(f"bib-dedupe [{s}]", [p for p in pairs if p.split == s]) for s in ("tune", "heldout")]
    if all((folder / name).is_file() for name in EMBASE):
        groups.append(("embase.ris x embase.csv (same 6 records)", embase_pairs(folder)))
        groups.append(("embase.ris x embase.csv, CSV ids removed (fuzzy only)",
                       embase_pairs(folder, without_ids=True)))
    if (folder / ASREVIEW).is_file():
        extra, refused = asreview_pairs(folder)
        groups.append((f"asreview duplicate_records.csv ({refused} rows refused on import)", extra))
    for name, group in groups:
        s = score(group)
        lines.append(f"{name}: {s.pairs} pairs  P {s.precision:.2f}  R {s.recall:.2f}  F1 {s.f1:.2f}"
                     f"   (tp {s.tp}, fp {s.fp}, fn {s.fn}, possible {s.possible})")
        for p in group:
            if p.expected != (p.decision == "duplicate"):
                lines.append(f"    {'missed' if p.expected else 'false merge'}: {p.case} -> {p.decision} "
                             f"{p.score:g} ({p.reason})")
    return "\n".join(lines)
