"""Choose the ranking parameters (kb.search.tuning.Tuning) on the TRAIN claims of a BEIR dataset,
one parameter at a time over a small grid (coordinate ascent on nDCG@10, recall@100 as the tie
breaker), printing every configuration tried. Never run it on test: the test split is reported
by benchmarks/beir_bench.py with the defaults that ship.

    nice -n 10 python benchmarks/beir_tune.py DATA/beir/scifact --work DATA/beir/scifact-kb

Data and its origin: see benchmarks/beir_bench.py.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import kb.search.spaces
from kb.embed import FakeEmbedder
from kb.eval.beir import ArmScores, beir_home, build_home, load_beir, product_runs, score_runs
from kb.search.hybrid import rank_records
from kb.search.index import Index
from kb.search.tuning import Tuning

GRID: dict[str, list] = {
    "record_fusion": ["scores", "rrf"],
    "record_expansions": [False, True],
    "record_keyword_share": [0.4, 0.45, 0.5, 0.55, 0.6],
    "record_findings_bonus": [0.0, 0.1, 0.2, 0.4],
    "title_weight": [1.0, 2.0, 3.0],
    "body_weight": [1.0],
    "record_lexical_weight": [0.5, 1.0, 1.5, 2.0],
    "record_dense_weight": [0.5, 1.0, 1.5, 2.0],
    "record_findings_weight": [0.0, 0.25, 0.5, 1.0],
    "record_rrf_k": [10, 30, 60, 100],
    "sentence_candidates": [300, 1000, 3000],
    "record_candidates": [100, 200],
    "dense_floor": [0.0, 0.2, 0.3],
    "rrf_k": [30, 60],
}


def run(index: Index, data, tuning: Tuning, mode: str = "hybrid") -> ArmScores:
    runs = product_runs(lambda q: rank_records(index, q, k=100, mode=mode, tuning=tuning), data)
    return score_runs(runs, data.qrels)


def better(a: ArmScores, b: ArmScores) -> bool:
    return (round(a.ndcg_at_10, 4), a.recall_at_100) > (round(b.ndcg_at_10, 4), b.recall_at_100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--split", default="train")
    parser.add_argument("--mode", default="hybrid")
    parser.add_argument("--params", nargs="*", default=list(GRID))
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--keywords-only", action="store_true",
                        help="tune the keyword arm without an embedding model (mode lexical)")
    args = parser.parse_args()
    if args.split == "test":
        sys.exit("tune on train only; test is for reporting")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.WARNING)
    kb.search.spaces.QUERY_CACHE = 100_000  # every claim is embedded once for the whole run
    data = load_beir(args.data, args.split)
    with beir_home(args.work) as home:
        build_home(data, home)
        index = (Index.open(home, FakeEmbedder(), multilingual=False) if args.keywords_only
                 else Index.open(home))
        best = Tuning()
        best_scores = run(index, data, best, args.mode)
        print(f"start {best_scores.short()}")
        for _ in range(args.rounds):
            for name in args.params:
                for value in GRID[name]:
                    if getattr(best, name) == value:
                        continue
                    trial = best.model_copy(update={name: value})
                    scores = run(index, data, trial, args.mode)
                    mark = ""
                    if better(scores, best_scores):
                        best, best_scores, mark = trial, scores, "  *"
                    print(f"{name}={value}: {scores.short()}{mark}", flush=True)
        index.close()
    changed = {k: v for k, v in best.model_dump().items() if v != Tuning().model_dump()[k]}
    print(f"best on {args.split}: {best_scores.short()} with {changed}")


if __name__ == "__main__":
    main()
