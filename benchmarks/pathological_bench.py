"""Speed of the extractors on degenerate input (what makes regex engines backtrack): seconds per
megabyte for each extractor on each input, and for every compiled pattern of the effects
extractor alone on 100 kB pieces. Linear code stays near the clean-text rate; a quadratic pattern
shows up as a row far above it. Printed as a table (timings are ratios within this run).

    python benchmarks/pathological_bench.py
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.extract.effects import candidates, parse_effects, patterns
from ingest.extract.glossary import extract_glossary
from ingest.extract.run import extract_findings
from ingest.extract.study import extract_study
from kb.model.schema import Section
from kb.text.sentences import split_sentences
from tests.pathological import MB, pathological_effect_inputs

CLEAN = ("Readmissions fell by a quarter in the navigation arm (RR 0.75, 95% CI 0.61-0.92; "
         "n = 412). Staff turnover slowed referral follow-up. ") * (MB // 130)


def _extractors() -> dict[str, Callable[[str], object]]:
    return {
        "effects": parse_effects,
        "sentences": split_sentences,
        "study": lambda t: extract_study([Section(role="methods", text=t)]),
        "glossary": extract_glossary,
        "findings": lambda t: extract_findings([Section(role="results", text=t)]),
    }


def _seconds_per_mb(run: Callable[[str], object], text: str) -> float:
    started = time.perf_counter()
    run(text)
    return (time.perf_counter() - started) * MB / max(len(text), 1)


def _pattern_table(inputs: dict[str, str]) -> list[tuple[str, str, float]]:
    rows = []
    for module in (patterns, candidates):
        for name, value in vars(module).items():
            found = [value] if isinstance(value, re.Pattern) else (
                list(value) if isinstance(value, tuple) and value and isinstance(value[0], re.Pattern)
                else [])
            for i, pattern in enumerate(found):
                worst = max(((_seconds_per_mb(lambda t, p=pattern: sum(1 for _ in p.finditer(t)),
                                              text[:100_000]), label) for label, text in inputs.items()))
                rows.append((f"{name}[{i}]" if len(found) > 1 else name, worst[1], worst[0]))
    return sorted(rows, key=lambda r: -r[2])


def main() -> None:
    inputs = {"clean abstract text": CLEAN, **pathological_effect_inputs()}
    cut = {k: v[:200_000] for k, v in inputs.items()}
    names = list(_extractors())
    print(f"{'input (200 kB pieces)':<24} | " + " | ".join(f"{n:>9}" for n in names) + "   (s/MB)")
    print("-" * (27 + 12 * len(names)))
    for label, text in cut.items():
        cells = [f"{_seconds_per_mb(run, text):9.2f}" for run in _extractors().values()]
        print(f"{label:<24} | " + " | ".join(cells))
    print("\nslowest effect patterns alone (100 kB pieces, worst input):")
    for name, label, rate in _pattern_table(inputs)[:8]:
        print(f"  {name:<28} {rate:8.3f} s/MB  on {label}")


if __name__ == "__main__":
    main()
