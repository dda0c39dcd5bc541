"""Degenerate inputs for the extractors (shared by their tests and benchmarks/pathological_bench.py)."""

from __future__ import annotations

import random

MB = 1_000_000


def pathological_effect_inputs() -> dict[str, str]:
    """About a megabyte each of what makes regex engines backtrack."""
    rng = random.Random(7)
    digits_parens = "".join(rng.choice("0123456789()") for _ in range(100_000))
    return {
        "digits and parentheses": digits_parens * 10,
        "open parentheses": "(" * MB,
        "1-1-1-1": "1-" * (MB // 2),
        "OR OR OR": "OR " * (MB // 3),
        "digits": "1" * MB,
        "thousands": "1" + ",000" * (MB // 4),
        "spaces after OR": "OR" + " " * MB + "1",
        "brackets": "[(" * (MB // 2),
        "p = p = ": "p = " * (MB // 4),
        "CI CI": "95% CI " * (MB // 7),
        "words": "The mean rate was higher in those patients than in others. " * (MB // 60),
    }
