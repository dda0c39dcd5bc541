"""Duplicates on bib-dedupe's own labelled benchmark, scored as bib-dedupe scores itself.

    .venv/bin/python benchmarks/dedup_bench.py DATA_DIR [--datasets a,b] [--baseline CHECKOUT]
        [--no-bib-dedupe] [--bib-dedupe-python PATH] [--details FILE.json]

DATA_DIR holds one folder per dataset with records_pre_merged.csv and merged_record_ids.csv:
the files data/<dataset>/ of the public repository CoLRev-Environment/bib-dedupe at commit
c66515a6537c666926b20a1b9a395632c472fb5b, copied unchanged (cytology_screening 1,856 records,
digital_work 7,159, haematology 1,415, respiratory 1,988, stroke 1,292). Nothing is fetched.
Per dataset, as a new user would: the records are written as one CSV table, imported with
`kb ingest` into a temporary knowledge base (confident duplicates merge at import), then every
pair `kb dedup` lists is taken. Scored per record as in bib-dedupe's benchmark (TP / FP / FN / TN,
its EVALUATION.md); "false" counts predicted records joining two labelled publications:

  import          the knowledge base right after the import (automatic merges only)
  + review        import, then a reviewer who merges the listed pairs that are truly duplicates
                  (the sensitivity the review queue makes reachable; its size is "review")
  + merge all     import, then every listed pair merged without looking
  bib-dedupe      bib-dedupe's prep/block/match/cluster on the same CSV in the same run, in its
                  own venv (`python -m venv V && V/bin/pip install bib-dedupe==0.11.0`, passed as
                  --bib-dedupe-python V/bin/python or $BIB_DEDUPE_PYTHON), "maybe" pairs not merged; "+ review" merges
                  the true maybe pairs

Rows labelled "this" measure this checkout; with --baseline (e.g. an export of main) the same
rows for that checkout, labelled "base", in the same run (each KB run is a child process).
The split was fixed by dataset before any failure was looked at: tune = haematology,
respiratory, stroke; held-out = cytology_screening, digital_work.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TUNE = ("haematology", "respiratory", "stroke")
HELD_OUT = ("cytology_screening", "digital_work")
BIB_DEDUPE_PYTHON = os.environ.get("BIB_DEDUPE_PYTHON")


def bib_dedupe_child(csv_path: str) -> None:
    """(run by bib-dedupe's own interpreter) prep -> block -> match -> cluster; prints JSON."""
    import pandas as pd
    from bib_dedupe.bib_dedupe import block, cluster, match, prep

    records = pd.read_csv(csv_path, dtype=str)
    records["ID"] = records["ID"].astype(str)
    started = time.perf_counter()
    matched = match(block(prep(records, verbosity_level=0), verbosity_level=0), verbosity_level=0)
    sets = cluster(matched, verbosity_level=0)
    seconds = time.perf_counter() - started
    maybe = matched[matched["duplicate_label"] == "maybe"][["ID_1", "ID_2"]].astype(str)
    print(json.dumps({"sets": [sorted(map(str, s)) for s in sets if len(s) > 1],
                      "maybe": maybe.values.tolist(), "seconds": seconds}))


def run_bib_dedupe(python: Path, folder: Path) -> dict | None:
    out = subprocess.run([str(python), __file__, "--bib-dedupe-child", str(folder / "records_pre_merged.csv")],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print(f"bib-dedupe failed on {folder.name}: {out.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def kb_child(table: str, home: str, trace: str) -> None:
    """(run with the checkout to measure first on sys.path) import the CSV table into an empty
    KB at `home`, list the review queue; prints JSON: dataset IDs per record, queue, times."""
    from kb.ops.duplicates import candidate_pairs
    from kb.ops.enrich import Enricher
    from kb.ops.pipeline import ingest_paths
    from kb.store import Store

    Path(home, "records").mkdir(parents=True)
    store = Store(Path(home))
    started = time.perf_counter()
    report = ingest_paths([Path(table)], store, enrich=Enricher(Path(home), use_embeddings=False))[0]
    imported = time.perf_counter() - started
    started = time.perf_counter()
    queue = candidate_pairs(store)
    listed = time.perf_counter() - started
    members = {r.id: sorted(k.removeprefix(trace) for k in r.keywords if k.startswith(trace))
               for r in store.load_all()}
    print(json.dumps({"members": members, "queue": [(p.a, p.b, p.decision, p.score, p.reason) for p in queue],
                      "failed": report.counts().get("failed", 0), "import_s": imported, "queue_s": listed}))


def run_kb(root: Path, folder: Path, tmp: Path, label: str) -> dict:
    """Evidence KB of checkout `root` on one dataset, in a child process (so two checkouts can
    be measured in one run)."""
    from kb.eval.dedup_benchmark import TRACE, converted_csv, read_dataset

    table = tmp / f"{folder.name}.csv"
    if not table.is_file():
        table.write_text(converted_csv(read_dataset(folder)), encoding="utf-8")
    home = tmp / f"{label}-{folder.name}"
    env = {**os.environ, "PYTHONPATH": str(root), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, __file__, "--kb-child", str(table), str(home), TRACE],
                         capture_output=True, text=True, check=False, env=env, cwd=root)
    if out.returncode != 0:
        raise SystemExit(f"Evidence KB ({root}) failed on {folder.name}: {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def score_dataset(folder: Path, kbs: dict[str, dict], bd: dict | None) -> dict:
    """Every row of the table for one dataset (kbs: run label -> Evidence KB result), plus the
    lists behind this checkout's rows."""
    from kb.eval.dedup_benchmark import components, entity_of, pairs_of, read_dataset, read_truth

    ids = [r["ID"] for r in read_dataset(folder)]
    truth = read_truth(folder)
    entity = entity_of(ids, truth)
    rows: dict[str, dict] = {}
    for label, kb in kbs.items():
        rows.update(_kb_rows(label, kb, ids, truth, entity))
    if bd is not None:
        maybe_true = [(a, b) for a, b in bd["maybe"] if entity[a] == entity[b]]
        rows["bib-dedupe"] = _row(ids, truth, entity, bd["sets"], len(bd["maybe"]), bd["seconds"])
        rows["bib-dedupe + review"] = _row(
            ids, truth, entity, [list(g) for g in components(ids, [*pairs_of(bd["sets"]), *maybe_true])],
            len(bd["maybe"]), bd["seconds"])
    rows["_lists"] = _lists(ids, truth, entity, kbs["this"]["members"], kbs["this"]["queue"])
    rows["_failed"] = {label: kb["failed"] for label, kb in kbs.items()}
    return rows


def _row(ids: list[str], truth: list[list[str]], entity: dict, clusters: list[list[str]], review: int,
         seconds: float) -> dict:
    from kb.eval.dedup_benchmark import impure, record_level

    c = record_level(ids, clusters, truth)
    return {"c": c.__dict__, "sens": c.sensitivity, "spec": c.specificity, "prec": c.precision,
            "f1": c.f1, "false": len(impure(clusters, entity)), "review": review, "seconds": seconds}


def _kb_rows(label: str, kb: dict, ids: list[str], truth: list[list[str]], entity: dict) -> dict:
    """import / + review / + merge all rows of one Evidence KB run."""
    from kb.eval.dedup_benchmark import components

    members, queue = kb["members"], kb["queue"]

    def same(a: str, b: str) -> bool:
        return bool({entity[i] for i in members[a]} & {entity[i] for i in members[b]})

    def joined(edges: list[tuple[str, str]]) -> list[list[str]]:
        return [[i for r in g for i in members[r]] for g in components(members, edges)]

    seconds = kb["import_s"] + kb["queue_s"]
    true_edges = [(a, b) for a, b, *_ in queue if same(a, b)]
    return {f"{label} import": _row(ids, truth, entity, [m for m in members.values() if m], len(queue),
                                    kb["import_s"]),
            f"{label} + review": _row(ids, truth, entity, joined(true_edges), len(queue), seconds),
            f"{label} + merge all": _row(ids, truth, entity, joined([(a, b) for a, b, *_ in queue]),
                                         len(queue), seconds)}


def _lists(ids: list[str], truth: list[list[str]], entity: dict, members: dict, queue: list) -> dict:
    """Missed true pairs (with whether the review queue has them) and false merges at import."""
    from kb.eval.dedup_benchmark import pairs_of

    record_of = {i: rid for rid, m in members.items() for i in m}
    queued = {tuple(sorted((a, b))): (d, s, why) for a, b, d, s, why in queue}
    missed = []
    for a, b in sorted(pairs_of(truth)):
        ra, rb = record_of.get(a), record_of.get(b)
        if ra and rb and ra != rb:
            missed.append({"ids": [a, b], "records": [ra, rb], "queue": queued.get(tuple(sorted((ra, rb))))})
    false = [{"record": rid, "ids": m} for rid, m in members.items() if len({entity[i] for i in m}) > 1]
    return {"missed": missed, "false_merges": false}


def fmt_row(name: str, split: str, label: str, r: dict) -> str:
    c = r["c"]
    return (f"{name:<19} {split:<8} {label:<20} {c['tp']:>5} {c['fp']:>3} {c['fn']:>4} {c['tn']:>6} "
            f"{r['sens']:>7.4f} {r['spec']:>8.5f} {r['prec']:>7.4f} {r['f1']:>7.4f} {r['false']:>6} "
            f"{r['review']:>6} {r['seconds']:>7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", nargs="?", type=Path)
    parser.add_argument("--datasets", default=",".join(TUNE + HELD_OUT))
    parser.add_argument("--baseline", type=Path, help="another checkout of the project (e.g. main) to measure too")
    parser.add_argument("--no-bib-dedupe", action="store_true", help="skip bib-dedupe's own run")
    parser.add_argument("--bib-dedupe-python", type=Path, default=BIB_DEDUPE_PYTHON,
                        help="bib-dedupe's own interpreter (default: $BIB_DEDUPE_PYTHON)")
    parser.add_argument("--details", type=Path, help="write missed pairs and false merges as JSON")
    parser.add_argument("--bib-dedupe-child", help=argparse.SUPPRESS)
    parser.add_argument("--kb-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bib_dedupe_child:
        bib_dedupe_child(args.bib_dedupe_child)
        return
    if args.kb_child:
        kb_child(*args.kb_child)
        return
    if args.data_dir is None:
        parser.error("give DATA_DIR (the folder holding the bib-dedupe datasets)")
    sys.path.insert(0, str(ROOT))
    use_bd = (not args.no_bib_dedupe and args.bib_dedupe_python is not None
              and args.bib_dedupe_python.is_file())
    if not use_bd:
        print(f"note: bib-dedupe rows skipped ({'--no-bib-dedupe' if args.no_bib_dedupe else f'{args.bib_dedupe_python} not found'})")
    checkouts = {"this": ROOT, **({"base": args.baseline.resolve()} if args.baseline else {})}
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="kb-dedup-bench-") as tmp:
        for name in [n for n in args.datasets.split(",") if n]:
            folder = args.data_dir / name
            kbs = {label: run_kb(root, folder, Path(tmp), label) for label, root in checkouts.items()}
            bd = run_bib_dedupe(args.bib_dedupe_python, folder) if use_bd else None
            results[name] = score_dataset(folder, kbs, bd)
            print(f"… {name} done", file=sys.stderr, flush=True)
    print_table(results)
    if args.baseline:
        print(f"base = {args.baseline}; this = {ROOT}")
    failed = {n: r["_failed"] for n, r in results.items() if any(r["_failed"].values())}
    if failed:
        print(f"rows the importer refused (kept out, never merged): {failed}")
    if args.details:
        args.details.write_text(json.dumps({n: r["_lists"] for n, r in results.items()}, indent=1))


def print_table(results: dict[str, dict]) -> None:
    """Per dataset, then per split and overall."""
    from kb.eval.dedup_benchmark import Confusion

    print(f"{'dataset':<19} {'split':<8} {'run':<20} {'TP':>5} {'FP':>3} {'FN':>4} {'TN':>6} {'sens':>7} "
          f"{'spec':>8} {'prec':>7} {'F1':>7} {'false':>6} {'review':>6} {'time s':>7}")
    labels = [k for k in next(iter(results.values())) if not k.startswith("_")]
    for name, rows in results.items():
        split = "tune" if name in TUNE else "held-out" if name in HELD_OUT else "other"
        for label in labels:
            print(fmt_row(name, split, label, rows[label]))
    for group, members in (("tune", TUNE), ("held-out", HELD_OUT), ("overall", tuple(results))):
        chosen = [results[n] for n in members if n in results]
        for label in labels if chosen else ():
            parts = [r[label] for r in chosen]
            c = sum((Confusion(**p["c"]) for p in parts), Confusion())
            total = {"c": c.__dict__, "sens": c.sensitivity, "spec": c.specificity, "prec": c.precision,
                     "f1": c.f1, "false": sum(p["false"] for p in parts),
                     "review": sum(p["review"] for p in parts), "seconds": sum(p["seconds"] for p in parts)}
            print(fmt_row(f"[{group}]", "", label, total))
    print("false = records joining two or more labelled publications (false merges); review = pairs listed "
          "for a librarian (kb dedup) or bib-dedupe's 'maybe' pairs; '+ review' = a reviewer merges the "
          "true listed pairs; 'this' = this checkout, 'base' = --baseline")


if __name__ == "__main__":
    main()
