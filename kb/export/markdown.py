"""Markdown escaping and pipe tables: record text is always shown literally."""

from __future__ import annotations

import re

CELL_BREAK = "<br>"
_MD_INLINE = str.maketrans({**{c: "\\" + c for c in "\\`*_[]"}, "<": "&lt;", ">": "&gt;"})
_ENTITY = re.compile(r"&(?=#?\w+;)")


def md_inline(text: str) -> str:
    """Running text: tags, entities and the emphasis, code and link characters escaped."""
    return _ENTITY.sub("&amp;", str(text)).translate(_MD_INLINE)


def md_cell(text: str) -> str:
    """One table cell: HTML escaped, pipes escaped, line breaks flattened."""
    return " ".join(md_inline(text).split()).replace("|", "\\|")


def md_cell_lines(lines: list[str]) -> str:
    """Several lines in one cell, separated by <br>."""
    return CELL_BREAK.join(md_cell(line) for line in lines)


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    """A pipe table; cells must already be escaped with md_cell / md_cell_lines."""
    lines = ["| " + " | ".join(md_cell(h) for h in headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell or "—" for cell in row) + " |" for row in rows]
    return "\n".join(lines)
