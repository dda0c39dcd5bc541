"""Extraction speed: time to extract findings, effects, study facts, glossary and keyword themes
from one abstract (no embeddings), over every gold abstract and seed, printed as a table.

    python benchmarks/extract_bench.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.extract.run import extract
from kb.eval.extraction import gold_sections
from kb.eval.gold import findings_gold
from kb.model.schema import Record
from kb.model.taxonomy import load_taxonomy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    records = [Record(abstract=sections) for _, gold in findings_gold("all")
               if (sections := gold_sections(gold)) is not None]
    for record in records:  # warm up regex caches and pysbd
        extract(record, taxonomy, None)
    times, chars = [], []
    for record in records:
        for _ in range(args.repeat):
            started = time.perf_counter()
            extract(record, taxonomy, None)
            times.append((time.perf_counter() - started) * 1000)
        chars.append(len(record.abstract_text()))
    times.sort()
    print(f"{'abstracts':>10} | {'mean chars':>10} | {'mean ms':>8} | {'p50 ms':>7} | "
          f"{'p95 ms':>7} | {'max ms':>7} | {'abstracts/s':>11}")
    mean = statistics.fmean(times)
    print(f"{len(records):>10} | {statistics.fmean(chars):>10.0f} | {mean:>8.1f} | "
          f"{statistics.median(times):>7.1f} | {times[int(0.95 * (len(times) - 1))]:>7.1f} | "
          f"{times[-1]:>7.1f} | {1000 / mean:>11.0f}")


if __name__ == "__main__":
    main()
