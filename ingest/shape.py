"""How much of an input a bibliographic format's structure explains: the share of non-blank lines
inside tagged records (RIS, Web of Science, MEDLINE) and of text inside BibTeX entries.

Sniffing weighs the whole input with it (a CSV whose cell quotes a few 'TY  - ' lines stays a
CSV), and a parse that would skip most of its input reports it instead of dropping it quietly.
Every function here is one linear pass over the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_SHARE = 0.5  # below this share a format does not explain the input
MIN_SKIPPED_LINES = 5  # fewer skipped lines than this are a preamble, not lost records
_WHITESPACE = " \t\r\n\f\v"


@dataclass(frozen=True)
class Coverage:
    """How much of the input lies inside the format's records: by characters (what weighs: one
    long CSV row outweighs a short tag line) and by non-blank lines (what a librarian reads)."""

    covered: int  # characters (not whitespace) inside records
    total: int  # characters (not whitespace) in the input
    lines_outside: int = 0
    lines: int = 0
    first_outside: int | None = None  # 1-based line number of the first line left outside

    @property
    def share(self) -> float:
        return self.covered / self.total if self.total else 0.0

    def explains(self) -> bool:
        """True when the format's records hold most of the input."""
        return self.share >= MIN_SHARE

    def loses_records(self) -> bool:
        """True when a parse would silently skip most of a sizeable input."""
        return self.lines_outside >= MIN_SKIPPED_LINES and not self.explains()


class _Tally:
    """Counts lines and characters inside and outside records, one line at a time."""

    def __init__(self) -> None:
        self.covered = self.total = self.lines = self.outside = 0
        self.first_outside: int | None = None

    def add(self, number: int, line: str, inside: bool) -> None:
        solid = _solid(line)
        self.total += solid
        self.lines += 1
        if inside:
            self.covered += solid
        else:
            self.outside += 1
            if self.first_outside is None:
                self.first_outside = number

    def coverage(self) -> Coverage:
        return Coverage(self.covered, self.total, self.outside, self.lines, self.first_outside)


def lines_of(text: str) -> list[str]:
    """The input's lines with any newline convention."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def tagged(lines: list[str], start: re.Pattern[str], end: re.Pattern[str]) -> Coverage:
    """Lines from a start tag to its end tag (or to the next start tag) count as covered."""
    tally = _Tally()
    inside = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        inside = inside or bool(start.match(line))
        tally.add(number, line, inside)
        if inside and end.match(line):
            inside = False
    return tally.coverage()


def line_based(lines: list[str], tag: re.Pattern[str], continuation: str) -> Coverage:
    """Lines that open with a tag, or continue the previous tagged line, count as covered."""
    tally = _Tally()
    previous_tagged = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            previous_tagged = False
            continue
        previous_tagged = bool(tag.match(line)) or (previous_tagged and line.startswith(continuation))
        tally.add(number, line, previous_tagged)
    return tally.coverage()


def _solid(text: str) -> int:
    """Characters that are not whitespace."""
    return len(text) - sum(text.count(c) for c in _WHITESPACE)


_BRACE = re.compile(r"[{}()]")


def _entry_end(text: str, opened_at: int) -> int:
    """Index just past the brace (or parenthesis) closing the entry opened at `opened_at`."""
    opener = text[opened_at]
    closer = "}" if opener == "{" else ")"
    depth = 0
    for m in _BRACE.finditer(text, opened_at):
        if m.group() == opener:
            depth += 1
        elif m.group() == closer:
            depth -= 1
            if depth == 0:
                return m.end()
    return len(text)


def entry_spans(text: str, entry: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, end) of each '@type{ … }' entry with balanced braces; `entry` must match up to
    and including the opening brace or parenthesis."""
    spans = []
    position = 0
    while m := entry.search(text, position):
        end = _entry_end(text, m.end() - 1)
        spans.append((m.start(), end))
        position = max(end, m.end())
    return spans


def entries(text: str, entry: re.Pattern[str]) -> Coverage:
    """Non-blank lines that lie (at least partly) inside a BibTeX entry count as covered."""
    spans = entry_spans(text, entry)
    tally = _Tally()
    offset, span = 0, 0
    for number, line in enumerate(text.split("\n"), start=1):
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        while span < len(spans) and spans[span][1] <= start:
            span += 1
        tally.add(number, line, span < len(spans) and spans[span][0] < offset - 1)
    return tally.coverage()
