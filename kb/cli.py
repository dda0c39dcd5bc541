"""The `kb` command line: ingest, list, show, check, schema, app."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import click

from kb.config import REPO_ROOT, index_dir, kb_home
from kb.errors import KBError
from kb.model.present import display_title
from kb.model.schema import FINDING_KINDS, json_schema
from kb.search.types import MODES
from kb.store import Store, serialize


def _store(ctx: click.Context) -> Store:
    return Store(kb_home(ctx.obj.get("kb")))


@click.group()
@click.option("--kb", "kb_path", type=click.Path(file_okay=False), envvar="KB_HOME",
              help="Knowledge-base folder holding records/ (default: KB_HOME, ./ or the repository).")
@click.option("-v", "--verbose", is_flag=True, help="Log what is being done.")
@click.pass_context
def main(ctx: click.Context, kb_path: str | None, verbose: bool) -> None:
    """Evidence KB: ingest abstracts and exports, browse and check the knowledge base."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)
    ctx.obj["kb"] = kb_path


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Parse and print the records; save nothing.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr (default: only when stderr is a terminal).")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], dry_run: bool, progress: bool | None) -> None:
    """Ingest files, folders or '-' (standard input) into the knowledge base.

    Abstracts and exports (RIS, BibTeX, MEDLINE/.nbib, PubMed XML or .xml.gz, CSL-JSON, CSV).
    Prints one line per file (new / merged / unchanged / failed, with reasons), a total line
    for batches, and exits 1 if anything failed.

    Example:
        kb ingest ../shared/seeds/
        kb ingest --progress pubmed-export.xml.gz
        pbpaste | kb ingest -
    """
    from tqdm import tqdm

    from kb.ops.enrich import Enricher
    from kb.ops.pipeline import FileReport, ingest_bytes, ingest_paths, totals

    store = _store(ctx)
    enrich = Enricher(store.home)
    reports: list[FileReport] = []
    files = [Path(p) for p in paths if p != "-"]
    if "-" in paths:
        reports.append(ingest_bytes(sys.stdin.buffer.read(), "<stdin>", store, dry_run=dry_run,
                                    enrich=enrich))
    missing = [p for p in files if not p.exists()]
    for path in missing:
        reports.append(FileReport(source=str(path), error="no such file or folder"))
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(unit=" records", file=sys.stderr, disable=not show, desc="ingest") as bar:
        reports.extend(ingest_paths([p for p in files if p.exists()], store, dry_run=dry_run,
                                    enrich=enrich, on_outcome=lambda _: bar.update(1)))
    for report in reports:
        if dry_run and report.ok:
            for record in report.records:
                click.echo(serialize(record), nl=False)
        line = f"{report.source}: {report.summary()}"
        click.echo(line, err=not report.ok)
        for detail in report.details():
            click.echo(detail, err=not report.ok)
    if len(reports) > 1 or any(len(r.outcomes) > 3 for r in reports):
        click.echo(totals(reports), err=not all(r.ok for r in reports))
    if not dry_run and any(o.status in ("new", "merged") for r in reports for o in r.outcomes):
        _refresh_index(store)
    if not all(r.ok for r in reports):
        ctx.exit(1)


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per record.")
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """List the records: id, year, type and title.

    Example:
        kb list
    """
    for record in _load_all(ctx):
        if as_json:
            click.echo(json.dumps({"id": record.id, "year": record.year, "title": record.title,
                                   "resource_type": record.resource_type}, ensure_ascii=False))
        else:
            title = display_title(record)
            click.echo(f"{record.id}\t{record.year or 'n.d.'}\t{record.resource_type or '-'}\t{title}")


@main.command()
@click.argument("record_id")
@click.option("--json", "as_json", is_flag=True, help="Print the record file's JSON.")
@click.pass_context
def show(ctx: click.Context, record_id: str, as_json: bool) -> None:
    """Show one record.

    Example:
        kb show chuang-2025-collaboration-strategies
    """
    from kb.model.present import record_text

    try:
        record = _store(ctx).load(record_id)
    except KBError as err:
        raise click.ClickException(str(err)) from err
    click.echo(serialize(record) if as_json else record_text(record), nl=not as_json)


@main.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Validate every record and that every source file's hash matches.

    Example:
        kb check
    """
    problems = list(_store(ctx).iter_problems())
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found")
    click.echo(f"{len(_store(ctx).ids())} records OK")


def _select(store: Store, ids: tuple[str, ...]) -> list:
    try:
        return [store.load(i) for i in ids] if ids else store.load_all()
    except KBError as err:
        raise click.ClickException(str(err)) from err


@main.command()
@click.argument("ids", nargs=-1)
@click.pass_context
def reextract(ctx: click.Context, ids: tuple[str, ...]) -> None:
    """Re-parse the stored sources and re-run extraction (all records, or the given IDs).

    Findings marked curated are never overwritten.

    Example:
        kb reextract chuang-2025-collaboration-strategies
    """
    from kb.ops.enrich import Enricher
    from kb.ops.reextract import reextract as run

    store = _store(ctx)
    enrich = Enricher(store.home)
    with store.lock():
        for record in _select(store, ids):
            changed = store.save(run(record, store, enrich))
            click.echo(f"{record.id}: {'updated' if changed else 'unchanged'}")


@main.command()
@click.option("--taxonomy", type=click.Path(exists=True, dir_okay=False),
              help="Taxonomy file (default: kb/taxonomy.toml).")
@click.pass_context
def retag(ctx: click.Context, taxonomy: str | None) -> None:
    """Re-tag every finding with the themes of the taxonomy (after editing kb/taxonomy.toml).

    Example:
        kb retag
    """
    from kb.model.taxonomy import load_taxonomy
    from kb.ops.enrich import Enricher

    store = _store(ctx)
    try:
        tax = load_taxonomy(Path(taxonomy) if taxonomy else None)
    except KBError as err:
        raise click.ClickException(str(err)) from err
    enrich = Enricher(store.home, taxonomy=tax)
    with store.lock():
        changed = sum(store.save(enrich.retag(r)) for r in _select(store, ()))
    click.echo(f"{changed} record(s) re-tagged with {len(tax.themes)} themes")


@main.command()
@click.option("--merge", "merge_ids", nargs=2, metavar="KEEP OTHER",
              help="Merge record OTHER into record KEEP (OTHER's file is removed).")
@click.option("--not-duplicate", "distinct_ids", nargs=2, metavar="A B",
              help="Remember that A and B are different publications.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per pair.")
@click.pass_context
def dedup(ctx: click.Context, merge_ids: tuple[str, str] | None,
          distinct_ids: tuple[str, str] | None, as_json: bool) -> None:
    """List records that may be the same publication, or decide on a pair.

    Without options: one line per pair (likely duplicates first, then possible ones) with
    score and reason. Decisions are kept in records/_decisions.json.

    Example:
        kb dedup
        kb dedup --merge smith-2020-housing-first smith-2020-housing-first-2
        kb dedup --not-duplicate smith-2020-housing-first smith-2021-housing-first
    """
    from kb.ops.duplicates import candidate_pairs, mark_not_duplicate, merge_pair

    store = _store(ctx)
    if merge_ids and distinct_ids:
        raise click.UsageError("use --merge or --not-duplicate, not both")
    try:
        if merge_ids:
            from kb.ops.enrich import Enricher

            with store.lock():
                merged = merge_pair(store, merge_ids[0], merge_ids[1], Enricher(store.home))
            click.echo(f"merged {merge_ids[1]} into {merged.id}")
            return
        if distinct_ids:
            with store.lock():
                mark_not_duplicate(store, *distinct_ids)
            click.echo(f"remembered: {distinct_ids[0]} and {distinct_ids[1]} are not duplicates")
            return
        pairs = candidate_pairs(store)
    except KBError as err:
        raise click.ClickException(str(err)) from err
    for pair in pairs:
        if as_json:
            click.echo(pair.model_dump_json())
        else:
            click.echo(f"{pair.decision}\t{pair.score:g}\t{pair.a}\t{pair.b}\t{pair.reason}")
    if not as_json:
        click.echo(f"{len(pairs)} pair(s) to review", err=True)


@main.command("eval")
@click.argument("what", type=click.Choice(["extraction", "search", "dedup"]), default="extraction")
@click.option("--no-embeddings", is_flag=True, help="Tag themes by keyword rules only.")
def eval_(what: str, no_embeddings: bool) -> None:
    """Measure extraction against the hand-written gold (tune and held-out halves), search
    relevance (recall@5, MRR, nDCG@10 of dense, keyword and hybrid retrieval) on the judged
    queries of tests/data/queries.json, or duplicate detection (precision / recall / F1 on
    labelled pairs from ../shared/data/external).

    Example:
        kb eval extraction
        kb eval search
        kb eval dedup
    """
    if what in ("dedup", "search"):
        from kb.eval.dedup import dedup_report
        from kb.eval.search import search_report

        try:
            click.echo({"dedup": dedup_report, "search": search_report}[what]())
        except KBError as err:
            raise click.ClickException(str(err)) from err
        return
    from kb.eval.report import extraction_report

    click.echo(extraction_report(use_embeddings=not no_embeddings))


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
    store = _store(ctx)
    if query:
        from kb.search.hybrid import search as run_search

        try:
            response = run_search(_open_index(store), query, k=limit)
        except KBError as err:
            raise click.ClickException(str(err)) from err
        if response.notice:
            raise click.ClickException(response.notice)
        hits = [(h.record_id, h.finding_id) for h in response.hits()]
        records = keep_findings(_select(store, tuple(dict.fromkeys(r for r, _ in hits))), hits,
                                findings_only=fmt == "csv")
    else:
        records = _select(store, ids)
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
    try:
        taxonomy = load_taxonomy()
        records, scope, default_question = _brief_selection(ctx, id_list, theme, query, limit,
                                                            taxonomy)
        brief = build_brief(records, taxonomy, style=style, question=question or default_question,
                            scope=scope, theme=theme)
    except KBError as err:
        raise click.ClickException(str(err)) from err
    if fmt == "docx":
        atomic_write(Path(output), brief_docx(brief))
        click.echo(f"brief on {len(records)} source(s) written to {output}", err=True)
        return
    _write_text(brief_markdown(brief), output)


def _brief_selection(ctx: click.Context, ids: list[str], theme: str | None, query: str | None,
                     limit: int, taxonomy) -> tuple[list, str, str]:
    """(records, scope line, default question) for `kb export brief`."""
    from kb.synthesis.brief import select_findings, select_theme
    from kb.synthesis.evidence_map import resolve_theme

    store = _store(ctx)
    if ids:
        records = [store.load(i) for i in dict.fromkeys(ids)]
        return records, f"records {', '.join(r.id for r in records)}", \
            f"What do these {len(records)} sources report?"
    if theme:
        label = resolve_theme(taxonomy, theme).label
        return (select_theme(store.load_all(), theme, taxonomy), f"theme '{label}'",
                f"What does the evidence say about {label.lower()}?")
    from kb.search.hybrid import search as run_search

    response = run_search(_open_index(store), query or "", k=limit)
    if response.notice:
        raise KBError(response.notice)
    keep = [(h.record_id, h.finding_id) for h in response.hits()]
    return (select_findings(store.load_all(), keep), f"search '{query}'",
            f"What does the evidence say about {query}?")


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


def _open_index(store: Store, *, full: bool = False):
    from kb.search.index import Index

    index = Index.open(store.home, full=full)
    report = index.last_report
    if report.rebuilt or report.problems:
        click.echo(report.summary(), err=True)
    for problem in report.problems:
        click.echo(f"not indexed: {problem}", err=True)
    return index


def _refresh_index(store: Store) -> None:
    """After an ingest: bring an existing search index up to date (a missing one is built on
    the first search)."""
    from kb.config import INDEX_DB
    from kb.search.index import Index

    if (index_dir(store.home) / INDEX_DB).exists():
        try:
            Index.open(store.home).close()
        except KBError as err:
            click.echo(f"search index not updated: {err} (run `kb reindex`)", err=True)


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
    from kb.search.hybrid import search as run_search
    from kb.search.types import SearchFilters

    year_from, year_to = _year_range(year)
    filters = SearchFilters(kinds=list(kinds), themes=list(themes), year_from=year_from,
                            year_to=year_to, designs=list(designs), populations=list(populations),
                            languages=list(languages), resource_types=list(resource_types),
                            record_ids=list(record_ids))
    try:
        index = _open_index(_store(ctx))
        response = run_search(index, query, filters=filters, k=limit, mode=mode)
    except KBError as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        click.echo(response.model_dump_json(indent=2))
    else:
        Console(highlight=False, soft_wrap=False).print(render_response(response))


@main.command()
@click.option("--full", is_flag=True, help="Rebuild everything instead of only what changed.")
@click.pass_context
def reindex(ctx: click.Context, full: bool) -> None:
    """Bring the search index (.kb/) up to date with records/, or rebuild it with --full.

    Example:
        kb reindex --full
    """
    try:
        index = _open_index(_store(ctx), full=full)
    except KBError as err:
        raise click.ClickException(str(err)) from err
    click.echo(index.last_report.summary())


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

    store = _store(ctx)
    try:
        check_selection(list(ids))
        records = [store.load(i) for i in ids]
        comparison = run_compare(records, cached_embedder(store.home), load_taxonomy(),
                                 min_similarity=min_similarity if min_similarity is not None
                                 else MIN_SIMILARITY)
    except KBError as err:
        raise click.ClickException(str(err)) from err
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
    _write_text(render(comparison, fmt), output)


def _write_text(text: str, output: str | None) -> None:
    """Print, or write a file atomically and say so on stderr."""
    from kb.store import atomic_write

    if not output or output == "-":
        click.echo(text, nl=False)
        return
    atomic_write(Path(output), text.encode("utf-8"))
    click.echo(f"written to {output}", err=True)


@main.command()
def schema() -> None:
    """Print the JSON Schema of a record file.

    Example:
        kb schema > record.schema.json
    """
    click.echo(json.dumps(json_schema(), indent=2))


@main.command()
@click.option("--port", default=8501, show_default=True, help="Port to serve the app on.")
@click.pass_context
def app(ctx: click.Context, port: int) -> None:
    """Start the Streamlit app on the knowledge base.

    Example:
        kb app --port 8501
    """
    env = dict(os.environ, KB_HOME=str(kb_home(ctx.obj.get("kb"))))
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "app.py"),
           "--server.headless", "true", "--server.port", str(port)]
    ctx.exit(subprocess.call(cmd, env=env, cwd=REPO_ROOT))  # .streamlit/config.toml is read from here


def _load_all(ctx: click.Context) -> list:
    try:
        return _store(ctx).load_all()
    except KBError as err:
        raise click.ClickException(str(err)) from err
