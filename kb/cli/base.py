"""The `kb` group and what every command shares: the knowledge base it works on, the index,
writing output, and the one place where a KBError becomes a one-line error and exit 1."""

from __future__ import annotations

import logging
import sys
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kb.errors import KBError
from kb.model.schema import Record
from kb.store import RecordStore, open_store
from kb.text.safe import terminal_text

if TYPE_CHECKING:
    from kb.search.backend import SearchIndex


class KBGroup(click.Group):
    """The command group whose commands may raise KBError: it becomes click's one-line
    'Error: …' on stderr and exit 1 here, never a traceback, for every command below it."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KBError as err:
            raise click.ClickException(str(err)) from err


def store_of(ctx: click.Context) -> RecordStore:
    """The knowledge base of this invocation: the database of --db or KB_DATABASE_URL, else the
    folder --kb, KB_HOME, ./ or the repository (opened once per invocation)."""
    root = ctx.find_root()
    if root.obj.get("store") is None:
        store = open_store(root.obj.get("kb"), root.obj.get("db"))
        root.obj["store"] = store
        root.call_on_close(store.close)
    return root.obj["store"]


@click.group(cls=KBGroup)
@click.option("--kb", "kb_path", type=click.Path(file_okay=False), envvar="KB_HOME",
              help="Knowledge-base folder holding records/ (default: KB_HOME, ./ or the repository).")
@click.option("--db", "db_url", metavar="URL",
              help="A team's PostgreSQL knowledge base, postgresql://user@host/db (default: KB_DATABASE_URL; "
                   "derived caches then live in the --kb folder's .kb/).")
@click.option("-v", "--verbose", is_flag=True, help="Log what is being done.")
@click.pass_context
def main(ctx: click.Context, kb_path: str | None, db_url: str | None, verbose: bool) -> None:
    """Evidence KB: ingest abstracts and exports, browse and check the knowledge base."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)
    ctx.obj["kb"] = kb_path
    ctx.obj["db"] = db_url


def select(store: RecordStore, ids: tuple[str, ...]) -> list[Record]:
    """The records named, or all of them."""
    return [store.load(i) for i in ids] if ids else readable(store)


@contextmanager
def waiting(message: str) -> Iterator[None]:
    """A spinner with `message` on stderr while a slow step runs (model load, index rebuild),
    on a terminal only: piped or captured output stays clean."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield


def open_index(store: RecordStore, *, full: bool = False) -> SearchIndex:
    """The search index, brought up to date; what it rebuilt or could not index goes to stderr."""
    from kb.search.backend import open_search_index

    with waiting("Opening the search index (a rebuild after an ingest takes a while)…"):
        index = open_search_index(store, full=full)
    report = index.last_report
    if report.rebuilt or report.problems:
        click.echo(report.summary(), err=True)
    for problem in report.problems:
        click.echo(f"not indexed: {problem}", err=True)
    return index


def refresh_index(store: RecordStore, record_ids: Collection[str] | None = None) -> None:
    """After an ingest: bring an existing search index up to date (a missing one is built on
    the first search). `record_ids`: the records the ingest saved, so only they are re-indexed
    and records/ is not scanned (anything else changed meanwhile is picked up by the next
    search, which scans)."""
    from kb.search.backend import index_exists, open_search_index

    if not index_exists(store):
        return
    try:
        with waiting("Updating the search index with the new records…"):
            index = open_search_index(store, refresh=record_ids is None, writing=record_ids is not None)
            try:
                if record_ids is not None:
                    index.update(records=record_ids)
            finally:
                index.close()
    except KBError as err:
        click.echo(f"search index not updated: {err} (run `kb reindex`)", err=True)


def say(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Echo text that may quote records: control characters (terminal escapes) are dropped."""
    click.echo(terminal_text(text), err=err, nl=nl)


def write_text(text: str, output: str | None) -> None:
    """Print (on a terminal, without control characters), or write a file atomically and say so
    on stderr."""
    from kb.store import atomic_write

    if not output or output == "-":
        click.echo(terminal_text(text) if sys.stdout.isatty() else text, nl=False)
        return
    atomic_write(Path(output), text.encode("utf-8"))
    click.echo(f"written to {output}", err=True)


def load_all(ctx: click.Context) -> list[Record]:
    """Every readable record of the invocation's knowledge base; each one that does not load
    is named once on stderr and the command goes on without it."""
    return readable(store_of(ctx))


def readable(store: RecordStore) -> list[Record]:
    """Every record of `store` that loads; each one that does not is named once on stderr."""
    records, problems = store.readable()
    for problem in problems:
        click.echo(f"skipped (see `kb check`): {problem}", err=True)
    return records
