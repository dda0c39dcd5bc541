"""`kb dedup --review`: the review queue on a terminal, one pair at a time, best first, its fields
side by side, one key per decision (merge either way, not duplicates, skip, undo the last merge,
quit). The decisions themselves are kb/ops/duplicates.py's; this module only shows and asks."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kb.cli.base import say
from kb.dedup.side_by_side import FieldRow, side_by_side
from kb.ops.duplicates import Action, DuplicatePair, decide_pair, undo_pair
from kb.ops.enrich import Enricher
from kb.store import RecordStore
from kb.text.safe import terminal_text

MARK = {"agree": ("=", "green"), "close": ("~", "yellow"), "differ": ("≠", "red"), "missing": ("·", "dim")}
ACTIONS: dict[str, Action] = {"m": "merge", "b": "merge-into-b", "n": "not-duplicate"}
KEYS = "[m] merge B into A  [b] merge A into B  [n] not duplicates  [s] skip  [u] undo last merge  [q] quit"


def pair_table(pair: DuplicatePair, rows: list[FieldRow]) -> Table:
    """The pair's fields as a table: field, agreement mark, record A, record B (fields empty on
    both sides left out)."""
    table = Table(show_lines=False, expand=True)
    table.add_column("Field", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column(Text(f"A: {terminal_text(pair.a)}"), ratio=1)
    table.add_column(Text(f"B: {terminal_text(pair.b)}"), ratio=1)
    for row in rows:
        if not (row.a or row.b):
            continue
        mark, style = MARK[row.agreement]
        table.add_row(row.field, Text(mark, style=style), Text(terminal_text(row.a, "?")),
                      Text(terminal_text(row.b, "?")))
    return table


def _ask() -> str:
    while True:
        key = click.getchar().lower()
        if key and key in "mbnsuq":
            click.echo(key)
            return key


class _Session:
    """The review's state: records merged away so far, and the last merge (for undo)."""

    def __init__(self, store: RecordStore, console: Console) -> None:
        self.store, self.console = store, console
        self.enrich = Enricher(store.home)
        self.gone: set[str] = set()
        self.last_merged: str | None = None
        self.decided = 0

    def say(self, text: str) -> None:
        say(text)

    def undo(self) -> None:
        if self.last_merged is None:
            self.say("nothing to undo yet")
            return
        self.say(undo_pair(self.store, self.last_merged, self.enrich).message)
        self.gone.discard(self.last_merged)
        self.last_merged = None

    def decide(self, pair: DuplicatePair, key: str) -> None:
        done = decide_pair(self.store, pair.a, pair.b, ACTIONS[key], self.enrich)
        if done.merged_away:
            self.gone.add(done.merged_away)
            self.last_merged = done.merged_away
        self.say(done.message)
        self.decided += 1


def review(store: RecordStore, pairs: list[DuplicatePair], console: Console) -> None:
    """Walk the queue; every decision is saved at once, under the store lock. Pairs that name a
    record merged away earlier in the session are passed over."""
    session = _Session(store, console)
    for number, pair in enumerate(pairs, 1):
        if pair.a in session.gone or pair.b in session.gone:
            continue
        a, b = store.load(pair.a), store.load(pair.b)
        console.print(Text(f"\npair {number} of {len(pairs)} · {pair.decision} · score {pair.score:g} · "
                           f"{terminal_text(pair.reason)}", style="bold"))
        console.print(pair_table(pair, side_by_side(a, b)))
        session.say(KEYS)
        key = _ask()
        while key == "u":
            session.undo()
            key = _ask()
        if key == "q":
            break
        if key != "s":
            session.decide(pair, key)
    session.say(f"{session.decided} decision(s) saved")
