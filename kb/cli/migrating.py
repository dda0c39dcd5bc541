"""Move a knowledge base between a folder and a PostgreSQL database: kb migrate."""

from __future__ import annotations

from pathlib import Path

import click

from kb.cli.base import main, store_of


@main.command()
@click.option("--to", "target", required=True, metavar="URL|FOLDER",
              help="postgresql://user@host/db, or a folder that will hold records/.")
@click.pass_context
def migrate(ctx: click.Context, target: str) -> None:
    """Copy this knowledge base into a PostgreSQL database or a folder, losing nothing.

    Records (written back byte for byte), kept sources and the duplicate decisions are copied;
    the target's other records are left alone. The search index of the target is built on its
    first search (or with `kb reindex`).

    Example:
        kb migrate --to postgresql://librarian@db.example.org/evidence
        kb --db postgresql://librarian@db.example.org/evidence migrate --to ./kb-backup
    """
    from kb.config import is_database_url
    from kb.ops.migrate import migrate as run
    from kb.store import RecordStore, Store, open_store

    source = store_of(ctx)
    dest: RecordStore = (open_store(source.home, target) if is_database_url(target)
                         else Store(Path(target).expanduser().resolve()))
    try:
        report = run(source, dest)
    finally:
        dest.close()
    for problem in report.failed:
        click.echo(f"failed: {problem}", err=True)
    click.echo(report.summary())
    if report.failed:
        raise click.ClickException(f"{len(report.failed)} record(s) could not be copied")

