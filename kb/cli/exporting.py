"""Writing out: kb export (records, brief) and kb compare."""

from __future__ import annotations

from pathlib import Path

import click

from kb.cli.base import (
    main,
    open_index,
    select,
    store_of,
    write_text,
)
from kb.errors import KBError


class DefaultGroup(click.Group):
    """A group that runs its default subcommand when the first argument names no subcommand,
    so `kb export --format ris ID…` and `kb export brief …` both work."""

    def __init__(self, *args: object, default_command: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.default_command = default_command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple:
        if args and args[0] not in self.commands:
            args = [self.default_command, *args]
        return super().resolve_command(ctx, args)


@main.group(cls=DefaultGroup, default_command="records")
def export() -> None:
    """Export records: `kb export --format ris|bibtex|csl-json|csv (IDS…|--all|--query Q) -o FILE`.

    Without a subcommand name the `records` export runs (see `kb export records --help`).

    Example:
        kb export --format ris chuang-2025-collaboration-strategies -o refs.ris
        kb export --format csv --all -o evidence.csv
    """


@export.command("records")
@click.argument("ids", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["ris", "bibtex", "csl-json", "csv"]),
              required=True, help="ris, bibtex, csl-json, or csv (evidence table: one row per finding).")
@click.option("--all", "everything", is_flag=True, help="Export every record.")
@click.option("--query", help="Export the records a search finds (the CSV keeps only the found findings).")
@click.option("-k", "--limit", default=50, show_default=True, type=click.IntRange(1, 1000),
              help="With --query: how many findings to take.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write ('-' for standard output).")
@click.pass_context
def export_records(ctx: click.Context, ids: tuple[str, ...], fmt: str, everything: bool,
                   query: str | None, limit: int, output: str) -> None:
    """Write the given records (or --all, or --query) as RIS, BibTeX, CSL-JSON or a CSV
    evidence table.

    Example:
        kb export records --format bibtex --all -o library.bib
        kb export --format csv --query "care coordination barriers" -o evidence.csv
    """
    from kb.export.references import export_text, keep_findings
    from kb.store import atomic_write

    if sum(map(bool, (ids, everything, query))) != 1:
        raise click.UsageError("give record IDS, --all or --query (exactly one)")
    store = store_of(ctx)
    if query:
        response = open_index(store).search(query, k=limit)
        if response.notice:
            raise click.ClickException(response.notice)
        hits = [(h.record_id, h.finding_id) for h in response.hits()]
        records = keep_findings(select(store, tuple(dict.fromkeys(r for r, _ in hits))), hits,
                                findings_only=fmt == "csv")
    else:
        records = select(store, ids)
    text = export_text(records, fmt)
    if output == "-":
        click.echo(text, nl=False)
        return
    atomic_write(Path(output), text.encode("utf-8"))
    click.echo(f"{len(records)} record(s) written to {output} ({fmt})", err=True)


@export.command("brief")
@click.option("--ids", "ids", multiple=True,
              help="Record ids (repeat the option or separate with commas).")
@click.option("--theme", help="A theme id or label: the records with findings on it.")
@click.option("--query", help="A search: the findings it finds and their records.")
@click.option("--question", help="The question the brief answers (default: from the selection).")
@click.option("--format", "fmt", type=click.Choice(["md", "docx"]), default="md", show_default=True,
              help="Markdown or Word.")
@click.option("--style", type=click.Choice(["apa", "vancouver"]), default="apa", show_default=True,
              help="Citation style of inline citations and references.")
@click.option("-k", "--limit", default=20, show_default=True, type=click.IntRange(1, 200),
              help="With --query: how many findings to take.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write ('-' for standard output, Markdown only).")
@click.pass_context
def export_brief(ctx: click.Context, ids: tuple[str, ...], theme: str | None, query: str | None,
                 question: str | None, fmt: str, style: str, limit: int, output: str) -> None:
    """Write an evidence brief: sources, findings by theme with citations and provenance,
    effects and a formatted reference list.

    Example:
        kb export brief --ids chuang-2025-collaboration-strategies,safaeinili-2025-assess-multi-level -o brief.md
        kb export brief --theme contracting --format docx --style vancouver -o brief.docx
        kb export brief --query "braided funding" -o funding.md
    """
    from kb.export.brief import brief_docx, brief_markdown
    from kb.model.taxonomy import load_taxonomy
    from kb.store import atomic_write
    from kb.synthesis.brief import build_brief

    id_list = [i.strip() for value in ids for i in value.split(",") if i.strip()]
    if sum(map(bool, (id_list, theme, query))) != 1:
        raise click.UsageError("choose the records with exactly one of --ids, --theme or --query")
    if fmt == "docx" and output == "-":
        raise click.UsageError("a DOCX brief needs a file name (-o brief.docx)")
    taxonomy = load_taxonomy()
    records, scope, default_question = _brief_selection(ctx, id_list, theme, query, limit,
                                                        taxonomy)
    brief = build_brief(records, taxonomy, style=style, question=question or default_question,
                        scope=scope, theme=theme)
    if fmt == "docx":
        atomic_write(Path(output), brief_docx(brief))
        click.echo(f"brief on {len(records)} source(s) written to {output}", err=True)
        return
    write_text(brief_markdown(brief), output)


def _brief_selection(ctx: click.Context, ids: list[str], theme: str | None, query: str | None,
                     limit: int, taxonomy) -> tuple[list, str, str]:
    """(records, scope line, default question) for `kb export brief`."""
    from kb.synthesis.brief import select_findings, select_theme
    from kb.synthesis.evidence_map import resolve_theme

    store = store_of(ctx)
    if ids:
        records = [store.load(i) for i in dict.fromkeys(ids)]
        return records, f"records {', '.join(r.id for r in records)}", \
            f"What do these {len(records)} sources report?"
    if theme:
        label = resolve_theme(taxonomy, theme).label
        return (select_theme(store.load_all(), theme, taxonomy), f"theme '{label}'",
                f"What does the evidence say about {label.lower()}?")
    response = open_index(store).search(query or "", k=limit)
    if response.notice:
        raise KBError(response.notice)
    keep = [(h.record_id, h.finding_id) for h in response.hits()]
    return (select_findings(store.load_all(), keep), f"search '{query}'",
            f"What does the evidence say about {query}?")


@main.command()
@click.argument("ids", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "md", "csv", "json"]), default="table",
              show_default=True, help="Terminal tables, Markdown, CSV or JSON.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file instead of the terminal (md, csv, json).")
@click.option("--min-similarity", type=click.FloatRange(-1, 1), default=None,
              help="Similarity from which findings sharing a theme are aligned (default 0.25).")
@click.pass_context
def compare(ctx: click.Context, ids: tuple[str, ...], fmt: str, output: str | None,
            min_similarity: float | None) -> None:
    """Compare 2 to 5 records side by side: metadata, findings by kind, aligned and unique
    findings, themes and effects.

    Example:
        kb compare chuang-2025-collaboration-strategies safaeinili-2025-assess-multi-level
        kb compare ID1 ID2 ID3 --format md -o comparison.md
    """
    from kb.embed import cached_embedder
    from kb.export.comparison import render, to_rich
    from kb.model.taxonomy import load_taxonomy
    from kb.synthesis.compare import MIN_SIMILARITY, check_selection
    from kb.synthesis.compare import compare as run_compare

    store = store_of(ctx)
    check_selection(list(ids))
    records = [store.load(i) for i in ids]
    comparison = run_compare(records, cached_embedder(store.home), load_taxonomy(),
                             min_similarity=min_similarity if min_similarity is not None
                             else MIN_SIMILARITY)
    for note in comparison.notes:
        click.echo(f"note: {note}", err=True)
    if fmt == "table":
        if output:
            raise click.UsageError("--output needs --format md, csv or json")
        from rich.console import Console

        console = Console(highlight=False)
        for table in to_rich(comparison):
            console.print(table)
        return
    write_text(render(comparison, fmt), output)
