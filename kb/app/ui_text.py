"""Record text as safe Markdown for the app: every character of record text escaped, chosen
character spans in bold, and the short labels (kind badges, effects, result counts) pages show."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from pydantic import BaseModel

from kb.model.present import md_escape
from kb.model.schema import Effect
from kb.search.types import RecordGroup
from kb.synthesis.evidence_table import effect_text

KIND_COLORS: dict[str, str] = {
    "strategy": "blue", "barrier": "red", "facilitator": "green", "outcome": "violet",
    "result": "orange", "recommendation": "primary", "conclusion": "gray",
}
# Finding kinds in the reader's language, for badges inside a translated text.
KIND_NAMES: dict[str, dict[str, str]] = {
    "zh": {"strategy": "策略", "barrier": "障碍", "facilitator": "促进因素", "outcome": "结局",
           "result": "结果", "recommendation": "建议", "conclusion": "结论"},
}
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English", "zh": "中文", "es": "Español", "fr": "Français", "de": "Deutsch",
    "ja": "日本語", "ko": "한국어", "pt": "Português",
}
# Characters md_escape leaves alone that Streamlit's Markdown would still read: emoji and icon
# shortcodes (':smile:', ':material/home:'), setext underlines ('==='), entities ('&lt;').
_EXTRA = re.compile(r"([:=&])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LINE_EDGE = re.compile(r"[ \t]*\n[ \t]*")


class Mark(BaseModel):
    """A span of text to show in bold, optionally followed by a trusted Markdown label."""

    start: int
    end: int
    label: str = ""


def md_text(text: str) -> str:
    """Record text as Markdown that shows literally: escaped, paragraphs and line breaks kept."""
    return _plain(text.strip())


def _escape(text: str) -> str:
    return _EXTRA.sub(r"\\\1", md_escape(text))


def _is_edge(char: str) -> bool:
    """Whitespace, punctuation and symbols cannot sit just inside '**' (CommonMark flanking)."""
    return char.isspace() or unicodedata.category(char)[0] in "PS"


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span clipped to the text and shrunk to start and end on a letter or digit."""
    start, end = max(0, start), min(len(text), end)
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]):
        end -= 1
    return (start, end) if start < end else None


def _line_pieces(text: str, mark: Mark) -> list[Mark]:
    """A mark split at line breaks (emphasis cannot cross them), each piece trimmed; the label
    goes after the last piece."""
    pieces: list[Mark] = []
    pos = mark.start
    for line in text[mark.start:mark.end].split("\n"):
        span = trim_span(text, pos, pos + len(line))
        if span:
            pieces.append(Mark(start=span[0], end=span[1]))
        pos += len(line) + 1
    if pieces and mark.label:
        pieces[-1] = pieces[-1].model_copy(update={"label": mark.label})
    return pieces


def merge_marks(marks: Iterable[Mark], *, touching: bool = True) -> list[Mark]:
    """Marks sorted, overlapping (and, with `touching`, adjacent) ones joined, labels in order."""
    out: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        if out and (mark.start < out[-1].end or (touching and mark.start == out[-1].end)):
            last = out[-1]
            repeated = not mark.label or mark.label in last.label  # one badge per kind
            label = last.label if repeated else " ".join(x for x in (last.label, mark.label) if x)
            out[-1] = Mark(start=last.start, end=max(last.end, mark.end), label=label)
        else:
            out.append(mark)
    return out


def marked_md(text: str, marks: Sequence[Mark]) -> str:
    """Escaped Markdown of `text` with each mark in bold, its label after it."""
    pieces = merge_marks(p for m in merge_marks(marks, touching=False) for p in _line_pieces(text, m))
    out: list[str] = []
    pos = 0
    for mark in pieces:
        out.append(_plain(text[pos:mark.start]))
        out.append(f"**{_escape(text[mark.start:mark.end])}**" + (f" {mark.label}" if mark.label else ""))
        pos = mark.end
    out.append(_plain(text[pos:]))
    return "".join(out).strip()


def _plain(text: str) -> str:
    """Escaped text; a blank line stays a paragraph break, a single newline a line break."""
    paragraphs = _PARAGRAPH_BREAK.split(_LINE_EDGE.sub("\n", text))
    return "\n\n".join(_escape(p).replace("\n", "  \n") for p in paragraphs)


def highlight_md(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Escaped Markdown of `text` with the character spans (e.g. matched words) in bold."""
    return marked_md(text, [Mark(start=s, end=e) for s, e in spans])


def kind_badge(kind: str, lang: str = "en") -> str:
    """A coloured Markdown badge for a finding kind (kinds are a fixed vocabulary), named in
    `lang` when there are names for it ('策略' inside Chinese text), else in English."""
    safe = re.sub(r"[^a-z-]", "", kind.lower()) or "finding"
    name = KIND_NAMES.get(lang, {}).get(safe, safe)
    return f":{KIND_COLORS.get(safe, 'gray')}-badge[{name}]"


def effects_md(effects: Sequence[Effect]) -> str:
    """'IRR 0.78 (95% CI 0.66–0.92)' for each effect, escaped, separated by semicolons."""
    return _escape("; ".join(effect_text(e) for e in effects))


def labels_md(ids: Sequence[str], labels: dict[str, str]) -> str:
    """Theme ids as their labels (unknown ids as given), escaped, comma separated."""
    return _escape(", ".join(labels.get(i, i) for i in ids))


def language_name(code: str) -> str:
    """'zh' -> '中文'; unknown codes as given."""
    return LANGUAGE_NAMES.get(code, code)


def meta_line(*parts: object) -> str:
    """Known parts joined with ' · ', escaped ('Chuang E, Ross R · 2025 · Health Serv Res')."""
    return " · ".join(_escape(str(p)) for p in parts if p not in (None, "", []))


def small_md(markdown: str) -> str:
    """Markdown shown small and grey, as a caption is, inside a larger Markdown block."""
    return f":small[:gray[{markdown}]]" if markdown else ""


def group_md(number: int, title: str, group: RecordGroup, labels: dict[str, str]) -> str:
    """One search result's text as a single Markdown block: the numbered title, the citation
    line, each matching finding (kind badge, matched words in bold, its Chinese translation
    when that matched) with its themes, effects and why it matched, then the record's context
    sentences. One block, not one element per line, so a page of results draws quickly."""
    lines = [f"**{number}. {md_text(title)}**",
             small_md(meta_line(group.authors, group.year, group.venue, group.resource_type,
                                "; ".join(group.designs[:3])))]
    for hit in group.hits:
        lines.append(f"{kind_badge(hit.kind)} {highlight_md(hit.text, hit.highlights)}")
        if hit.highlights_zh:
            lines.append(highlight_md(hit.translation_zh, hit.highlights_zh))
        details = [f"themes: {labels_md(hit.themes, labels)}" if hit.themes else "",
                   f"effects: {effects_md(hit.effects)}" if hit.effects else "",
                   md_text(hit.why())]
        lines.append(small_md(" · ".join(d for d in details if d)))
    for context in group.context:
        lines.append(f"*context:* {highlight_md(context.text, context.highlights)}")
        lines.append(small_md(md_text(context.why())))
    return "\n\n".join(line for line in lines if line)


def count_line(n_hits: int, n_shown: int, n_records: int, took_ms: float) -> str:
    """'12 matching findings · best 10 in 4 records · 35 ms'."""
    noun = "finding" if n_hits == 1 else "findings"
    records = "record" if n_records == 1 else "records"
    return (f"{n_hits} matching {noun} · best {n_shown} in {n_records} {records} · "
            f"{took_ms:.0f} ms")


def picker_key(name: str, labels: list[str]) -> str:
    """A widget key that changes whenever the labels a picker shows change (a browser keeps
    drawing a keyed picker's old label while its value stays the same)."""
    digest = hashlib.sha1("\n".join(labels).encode("utf-8")).hexdigest()[:10]
    return f"{name}_{digest}"
