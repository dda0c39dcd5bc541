"""Terminal rendering of search results (rich text; record text is never read as markup)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group
from rich.text import Text

from kb.search.types import FindingHit, SearchResponse
from kb.text.safe import terminal_text

INDENT = " " * 18  # under the text of a hit: 3 spaces, then the kind in 15 columns ('recommendation ')
KIND_STYLE = {"strategy": "cyan", "barrier": "red", "facilitator": "green", "outcome": "magenta",
              "result": "blue", "recommendation": "yellow", "conclusion": "white"}


def highlighted(text: str, spans: list[tuple[int, int]]) -> Text:
    """Text with the matched spans in bold (control characters shown as '?', so that the spans
    still fit and a record cannot send escape sequences to the terminal)."""
    out = Text(terminal_text(text, "?"))
    for start, end in spans:
        out.stylize("bold underline", start, end)
    return out


def _hit_lines(hit: FindingHit, theme_labels: Mapping[str, str]) -> list[Text]:
    head = Text("   ")
    head.append(f"{hit.kind:<15}", style=KIND_STYLE.get(hit.kind, ""))
    head.append_text(highlighted(hit.text, hit.highlights))
    lines = [head]
    if hit.translation_zh:
        lines.append(Text(INDENT).append_text(
            highlighted(hit.translation_zh, hit.highlights_zh)))
    extra = []
    if hit.effects:
        extra.append("effects: " + "; ".join(e.text for e in hit.effects))
    if hit.themes:
        extra.append("themes: " + ", ".join(theme_labels.get(t, t) for t in hit.themes))
    extra.append(hit.why())
    lines.append(Text(INDENT + " · ".join(extra), style="dim"))
    return lines


def render_response(response: SearchResponse, *, titles: Mapping[str, str] | None = None,
                    theme_labels: Mapping[str, str] | None = None) -> Group:
    """The whole response: a summary line, records by author/title, then groups of findings.
    `titles`: record id -> the title to show where the index has none (a marked stand-in);
    `theme_labels`: theme id -> its label."""
    titles, theme_labels = titles or {}, theme_labels or {}
    parts: list[Text] = []
    if response.notice:
        parts.append(Text(response.notice, style="yellow"))
    summary = (f"{response.total_hits} matching findings, best {response.matched_shown()} in "
               f"{len(response.groups)} records ({response.took_ms:.0f} ms, {response.mode})")
    if response.expansions:
        summary += " · expanded: " + "; ".join(response.expansions)
    parts.append(Text(summary, style="dim"))
    for match in response.record_matches:
        parts.append(Text(f"by {match.matched}: {match.citation} — {match.title or titles.get(match.record_id, '[no title]')} "
                          f"({match.record_id})", style="green"))
    for number, group in enumerate(response.groups, 1):
        title = Text(f"\n{number}. ", style="bold")
        shown = group.title or titles.get(group.record_id, "[no title]")
        title.append(f"{group.citation} — {shown}", style="bold")
        title.append(f"  [{group.resource_type or 'type unknown'}] ({group.record_id})", style="dim")
        parts.append(title)
        for hit in group.hits:
            parts.extend(_hit_lines(hit, theme_labels))
        for context in group.context:
            line = Text("   ")
            line.append(f"{'context':<15}", style="dim italic")
            line.append_text(highlighted(context.text, context.highlights))
            parts.extend([line, Text(INDENT + context.why(), style="dim")])
    return Group(*(_safe(p) for p in parts))


def _safe(text: Text) -> Text:
    """The line without control characters (titles and citations come from records)."""
    safe = text.copy()
    safe.plain = terminal_text(text.plain, "?")
    return safe
