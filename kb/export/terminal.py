"""Terminal rendering of search results (rich text; record text is never read as markup)."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from kb.search.types import FindingHit, SearchResponse
from kb.text.safe import terminal_text

KIND_STYLE = {"strategy": "cyan", "barrier": "red", "facilitator": "green", "outcome": "magenta",
              "result": "blue", "recommendation": "yellow", "conclusion": "white"}


def highlighted(text: str, spans: list[tuple[int, int]]) -> Text:
    """Text with the matched spans in bold (control characters shown as '?', so that the spans
    still fit and a record cannot send escape sequences to the terminal)."""
    out = Text(terminal_text(text, "?"))
    for start, end in spans:
        out.stylize("bold underline", start, end)
    return out


def _hit_lines(hit: FindingHit) -> list[Text]:
    head = Text("   ")
    head.append(f"{hit.kind:<14}", style=KIND_STYLE.get(hit.kind, ""))
    head.append_text(highlighted(hit.text, hit.highlights))
    lines = [head]
    if hit.translation_zh:
        lines.append(Text("                 ").append_text(
            highlighted(hit.translation_zh, hit.highlights_zh)))
    extra = []
    if hit.effects:
        extra.append("effects: " + "; ".join(e.text for e in hit.effects))
    if hit.themes:
        extra.append("themes: " + ", ".join(hit.themes))
    extra.append(hit.why())
    lines.append(Text("                 " + " · ".join(extra), style="dim"))
    return lines


def render_response(response: SearchResponse) -> Group:
    """The whole response: a summary line, records by author/title, then groups of findings."""
    parts: list[Text] = []
    if response.notice:
        parts.append(Text(response.notice, style="yellow"))
    summary = (f"{response.total_hits} matching findings, best {len(response.hits())} in "
               f"{len(response.groups)} records ({response.took_ms:.0f} ms, {response.mode})")
    if response.expansions:
        summary += " · expanded: " + "; ".join(response.expansions)
    parts.append(Text(summary, style="dim"))
    for match in response.record_matches:
        parts.append(Text(f"by {match.matched}: {match.citation} — {match.title or '[no title]'} "
                          f"({match.record_id})", style="green"))
    for number, group in enumerate(response.groups, 1):
        title = Text(f"\n{number}. ", style="bold")
        title.append(f"{group.citation} — {group.title or '[no title]'}", style="bold")
        title.append(f"  [{group.resource_type or 'type unknown'}] ({group.record_id})", style="dim")
        parts.append(title)
        for hit in group.hits:
            parts.extend(_hit_lines(hit))
        for context in group.context:
            line = Text("   ")
            line.append(f"{'context':<14}", style="dim italic")
            line.append_text(highlighted(context.text, context.highlights))
            parts.extend([line, Text("                 " + context.why(), style="dim")])
    return Group(*(_safe(p) for p in parts))


def _safe(text: Text) -> Text:
    """The line without control characters (titles and citations come from records)."""
    safe = text.copy()
    safe.plain = terminal_text(text.plain, "?")
    return safe
