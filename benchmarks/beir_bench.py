"""BEIR benchmark: the product's search (hybrid, keyword arm, meaning arm) against plain BM25
(bm25s, k1 1.2, b 0.75, English stemmer and stop words) on a BEIR-format dataset, at record level,
all in the same run: nDCG@10, recall@10, recall@100, MRR per split, as a table (and the ratio of
each system's nDCG@10 to BM25's).

    nice -n 10 python benchmarks/beir_bench.py DATA/beir/scifact --work DATA/beir/scifact-kb
    python benchmarks/beir_bench.py DATA/beir/scifact --splits train test --json

The corpus becomes a knowledge base of its own (`--work`, kept so a second run reuses the
records and the embedding cache; by default a temporary folder): each document is a record whose
abstract is split and whose findings are extracted as on any import (themes by keyword rules),
then indexed by kb.search.index and ranked by kb.search.hybrid.rank_records, the order of the
groups `kb search` shows. The ranking parameters were chosen on the train split only
(benchmarks/beir_tune.py); report test.

Data: BEIR SciFact (5,183 abstracts; 1,109 claims; qrels train 919 pairs / 809 claims, test 339
pairs / 300 claims), rebuilt from public repository snapshots:
  - corpus.jsonl from sumithra-p-v/claimverifier, commit b42f1c3444b28884ddcfadffafbfe223646c6c37,
    data/scifact.zip → corpus_train.csv (the allenai/scifact corpus as CSV: doc_id, title,
    abstract sentences), one line per document {"_id", "title", "text": sentences joined by a
    space, "metadata": {}} in the CSV's order;
  - queries.jsonl and qrels/train.tsv from Kirloxious/CSI4107_Assignment2, commit
    640c17fd9b4a27f3962d702351016bb677d74305, scifact/ (BEIR's files); train.tsv equals the
    (claim, cited doc) pairs of claims_train.csv;
  - qrels/test.tsv written from claims_validation.csv of the same zip (BEIR's test split is
    SciFact's dev set): one line per distinct (claim id, cited doc id), score 1, 339 pairs.
  benchmarks/beir_scifact_data.py rebuilds the folder from the two snapshots. sha256:
  corpus.jsonl d289bf5d711d1d6b0c9fba52b90e45a76e0b0e9f173fd3ff49cd098588de2581,
  queries.jsonl 8ff84a7c903f722981cd8d595c022660140c51867b27608a6d4910db86080313,
  qrels/train.tsv ac0902d9b1cb717df182aaff1306175877fdb8f55bb5c3e8597ad694fc8e539f,
  qrels/test.tsv 68c0ac63f1c24b9e8ce497649694f09b2d0850bab7ec2b103cc66996f5f8b3a3.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb.eval.beir import beir_scores, beir_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="a BEIR dataset folder")
    parser.add_argument("--splits", nargs="+", default=["train", "test"])
    parser.add_argument("--work", type=Path, help="a folder kept for the benchmark's own KB")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keywords-only", action="store_true",
                        help="the keyword arm and BM25 only (no embedding model)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    out = {}
    for split in args.splits:
        started = time.perf_counter()
        scores = beir_scores(args.data, split, args.work, keywords_only=args.keywords_only)
        out[split] = {name: s.short() for name, s in scores.items()}
        if not args.json:
            print(beir_table(scores, f"\n{args.data.name} {split} ({time.perf_counter() - started:.0f} s)"))
            base = scores["bm25"].ndcg_at_10 or 1.0
            print("nDCG@10 / BM25: " + ", ".join(f"{n} {s.ndcg_at_10 / base:.3f}"
                                                 for n, s in scores.items()))
    if args.json:
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
