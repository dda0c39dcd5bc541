"""Numbers written as words ("Three pilots", "twenty-five sites"): the one table extraction uses."""

from __future__ import annotations

import re

#: Number words below twenty.
NUMBER_WORDS: dict[str, int] = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split())
}
#: Multiples of ten written as words.
TENS_WORDS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
#: Every single number word (no compounds): its value.
ALL_NUMBER_WORDS: dict[str, int] = NUMBER_WORDS | TENS_WORDS


def word_value(raw: str | None) -> int | None:
    """'Three' -> 3, 'twenty-five' -> 25, 'forty two' -> 42; None when no number word is in it."""
    if not raw:
        return None
    total = 0
    for part in re.split(r"[-\s]{1,4}", raw.lower()):
        total += ALL_NUMBER_WORDS.get(part, 0)
    return total or None
