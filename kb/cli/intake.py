"""Add and re-derive records: ingest, reextract, retag."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kb.cli.base import main, refresh_index, say, select, store_of
from kb.store import serialize


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

    store = store_of(ctx)
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
        say(f"{report.source}: {report.summary()}", err=not report.ok)
        for detail in report.details():
            say(detail, err=not report.ok)
    if len(reports) > 1 or any(len(r.outcomes) > 3 for r in reports):
        click.echo(totals(reports), err=not all(r.ok for r in reports))
    saved = [o.record_id for r in reports for o in r.outcomes if o.status in ("new", "merged")]
    if not dry_run and saved:
        refresh_index(store, None if None in saved else {i for i in saved if i})
    if not all(r.ok for r in reports):
        ctx.exit(1)


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

    store = store_of(ctx)
    enrich = Enricher(store.home)
    with store.lock():
        for record in select(store, ids):
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

    store = store_of(ctx)
    tax = load_taxonomy(Path(taxonomy) if taxonomy else None)
    enrich = Enricher(store.home, taxonomy=tax)
    with store.lock():
        changed = sum(store.save(enrich.retag(r)) for r in select(store, ()))
    click.echo(f"{changed} record(s) re-tagged with {len(tax.themes)} themes")
