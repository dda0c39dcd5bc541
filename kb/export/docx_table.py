"""Word tables that fit their page: column widths from the cells' words (no word wider than its
column, so Word never breaks one mid-word), a small table font, and landscape sections."""

from __future__ import annotations

import logging
import re

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.section import Section
from docx.shared import Emu, Inches, Pt

log = logging.getLogger(__name__)

TABLE_FONT = Pt(9)
# A generous average advance of a Calibri character (bold included), in ems.
CHAR_EM = 0.58
# Word's default left + right cell margins (0.08 inch each).
CELL_MARGINS = Inches(0.16)
# Word stores widths in twips (635 EMU); rounding down keeps a table inside its page.
TWIP = 635
# Where Word may break a line: spaces, and after a hyphen or a slash.
_BREAKS = re.compile(r"\s+|(?<=[-/–])")


def words(text: str) -> list[str]:
    """The pieces of a cell Word keeps on one line."""
    return [w for w in _BREAKS.split(text) if w]


def text_width(chars: int, font: Pt = TABLE_FONT) -> int:
    """Estimated width (EMU) of `chars` characters in the table font."""
    return int(chars * CHAR_EM * font)


def column_widths(headers: list[str], rows: list[list[str]], total: int,
                  font: Pt = TABLE_FONT) -> list[int]:
    """Widths (EMU) summing to `total`: each column at least as wide as its longest word (plus
    the cell margins), the rest shared by how much text a column holds."""
    columns = list(zip(headers, *rows, strict=True))
    least = [-(-(text_width(max((len(w) for c in col for w in words(c)), default=1), font)
                  + CELL_MARGINS) // TWIP) * TWIP for col in columns]
    if sum(least) > total:
        log.warning("a table's longest words need %.1f in. but the page has %.1f in.",
                    Emu(sum(least)).inches, Emu(total).inches)
        return [int(w * total / sum(least)) // TWIP * TWIP for w in least]
    # Share the room left by each column's longest cell beyond its least width.
    want = [max(text_width(max(len(c) for c in col), font) + CELL_MARGINS - lo, 0)
            for col, lo in zip(columns, least, strict=True)]
    spare = total - sum(least)
    if sum(want) <= spare:
        extra = [w + (spare - sum(want)) // len(want) for w in want]
    else:
        extra = [int(spare * w / sum(want)) for w in want]
    return [lo + ex // TWIP * TWIP for lo, ex in zip(least, extra, strict=True)]


def usable_width(section: Section) -> int:
    """The width between a section's margins (EMU)."""
    return int(section.page_width or 0) - int(section.left_margin or 0) - int(
        section.right_margin or 0)


def set_orientation(section: Section, landscape: bool) -> None:
    """Turn a section's page to landscape or portrait, keeping the paper size."""
    width, height = int(section.page_width or 0), int(section.page_height or 0)
    if landscape != (width > height):
        section.page_width, section.page_height = Emu(height), Emu(width)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT


def new_section(doc: DocxDocument, *, landscape: bool) -> Section:
    """A section starting on a new page, in the given orientation."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    set_orientation(section, landscape)
    return section


def fitted_table(doc: DocxDocument, headers: list[str], rows: list[list[str]]) -> None:
    """A bordered table with a bold header row, its columns sized to fit the current section."""
    widths = column_widths(headers, rows, usable_width(doc.sections[-1]))
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Emu(width)
    for cells, bold in [(headers, True), *((row, False) for row in rows)]:
        row_cells = table.rows[0].cells if bold else table.add_row().cells
        for cell, value, width in zip(row_cells, cells, widths, strict=True):
            cell.width = Emu(width)
            cell.text = ""
            run = cell.paragraphs[0].add_run(value)
            run.bold, run.font.size = bold or None, TABLE_FONT
