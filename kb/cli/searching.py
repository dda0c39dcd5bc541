"""Search and the index: kb search, kb reindex."""

from __future__ import annotations

import click

from kb.cli.base import main, open_index, store_of, waiting
from kb.errors import KBError
from kb.model.schema import FINDING_KINDS
from kb.model.taxonomy import load_taxonomy
from kb.search.types import MODES, SearchResponse
from kb.store import RecordStore


def _year_range(value: str | None) -> tuple[int | None, int | None]:
    """'2020-2025', '2020-', '-2019' or '2021' as (from, to)."""
    if not value:
        return None, None
    low, _, high = value.partition("-") if "-" in value else (value, "", value)
    try:
        return (int(low) if low else None), (int(high) if high else None)
    except ValueError as err:
        raise click.BadParameter(f"'{value}' is not a year or a range like 2020-2025",
                                 param_hint="--year") from err


@main.command()
@click.argument("query")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(FINDING_KINDS),
              help="Only findings of this kind (repeatable).")
@click.option("--theme", "themes", multiple=True, help="Only findings tagged with this theme id.")
@click.option("--year", help="Publication years, e.g. 2020-2025, 2021- or 2019.")
@click.option("--design", "designs", multiple=True, help="Study design contains this (e.g. qualitative).")
@click.option("--population", "populations", multiple=True, help="Population contains this.")
@click.option("--language", "languages", multiple=True, help="Records with text in this language (en, zh).")
@click.option("--type", "resource_types", multiple=True, help="Resource type (journal-article, report…).")
@click.option("--record", "record_ids", multiple=True, help="Only within this record id.")
@click.option("-k", "--limit", default=10, show_default=True, type=click.IntRange(1, 200),
              help="How many findings to return.")
@click.option("--mode", type=click.Choice(MODES), default="hybrid", show_default=True,
              help="Meaning + keywords (hybrid), or one of them alone.")
@click.option("--json", "as_json", is_flag=True, help="The response as JSON.")
@click.pass_context
def search(ctx: click.Context, query: str, kinds: tuple[str, ...], themes: tuple[str, ...],
           year: str | None, designs: tuple[str, ...], populations: tuple[str, ...],
           languages: tuple[str, ...], resource_types: tuple[str, ...],
           record_ids: tuple[str, ...], limit: int, mode: str, as_json: bool) -> None:
    """Search findings by meaning and keywords; results grouped by record.

    Acronyms are expanded (WPC <-> Whole Person Care); Chinese queries find records through
    their translations; the index in .kb/ is brought up to date first.

    Example:
        kb search "barriers to sustaining whole person care pilots" --kind barrier
        kb search "braided funding" --year 2020-2025 --json
    """
    from rich.console import Console

    from kb.export.terminal import render_response
    from kb.search.types import SearchFilters

    year_from, year_to = _year_range(year)
    filters = SearchFilters(kinds=list(kinds), themes=list(themes), year_from=year_from,
                            year_to=year_to, designs=list(designs), populations=list(populations),
                            languages=list(languages), resource_types=list(resource_types),
                            record_ids=list(record_ids))
    from kb.ops.running_app import SearchRequest, search_running_app

    # the app serving this knowledge base, if one runs, answers from its warm index
    response = search_running_app(store_of(ctx), SearchRequest(query=query, filters=filters,
                                                               k=limit, mode=mode))
    if response is None:
        index = open_index(store_of(ctx))
        with waiting("Searching (loading the embedding model the first time)…"):
            response = index.search(query, filters=filters, k=limit, mode=mode)
    if as_json:
        click.echo(response.model_dump_json(indent=2))
    else:
        titles = _stand_in_titles(store_of(ctx), response)
        labels = {t.id: t.label for t in load_taxonomy().themes}
        Console(highlight=False, soft_wrap=False).print(
            render_response(response, titles=titles, theme_labels=labels))


def _stand_in_titles(store: RecordStore, response: SearchResponse) -> dict[str, str]:
    """The marked stand-in title of each shown record that has no title (from its record)."""
    from kb.model.present import display_title

    untitled = {g.record_id for g in response.groups if not g.title}
    untitled |= {m.record_id for m in response.record_matches if not m.title}
    out = {}
    for rid in sorted(untitled):
        try:
            out[rid] = display_title(store.load(rid))
        except KBError:  # removed or unreadable since the search: the plain mark stays
            continue
    return out


@main.command()
@click.option("--full", is_flag=True, help="Rebuild everything instead of only what changed.")
@click.pass_context
def reindex(ctx: click.Context, full: bool) -> None:
    """Bring the search index (.kb/) up to date with records/, or rebuild it with --full.

    Example:
        kb reindex --full
    """
    index = open_index(store_of(ctx), full=full)
    click.echo(index.last_report.summary())
