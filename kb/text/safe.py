"""Record text made harmless where it goes out: spreadsheet cells (formula injection, prefixed as
OWASP recommends), terminals (control characters that would move the cursor, retitle the window
or hide text are dropped) and line-based formats (line breaks folded into spaces)."""

from __future__ import annotations

import re

# OWASP "CSV Injection": a cell opening with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][-+]?\d+)?%?$")
# C0 controls except tab and newline, DEL, C1 controls (ESC/CSI/OSC sequences start here), and
# the bidirectional overrides that make text display in another order than it is stored.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def spreadsheet_cell(value: str) -> str:
    """A CSV cell a spreadsheet will show as text: a leading '=', '+', '-', '@', tab or carriage
    return gets a single quote before it (plain numbers such as '-0.5' are left as they are)."""
    if value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


def terminal_text(value: str, replacement: str = "") -> str:
    """Text safe to print on a terminal: control characters and bidi overrides removed (or each
    replaced by `replacement`, one character, so that offsets into the text still hold)."""
    return _TERMINAL_UNSAFE.sub(replacement, value)


def one_line(value: str) -> str:
    """Text with every kind of line break replaced by a space (for line-tagged formats)."""
    return _LINE_BREAKS.sub(" ", value)
