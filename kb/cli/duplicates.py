"""A librarian's duplicate review: kb dedup."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from kb.cli.base import main, store_of
from kb.store import RecordStore

if TYPE_CHECKING:
    from kb.ops.duplicates import DuplicatePair


@main.command()
@click.option("--merge", "merge_ids", nargs=2, metavar="KEEP OTHER",
              help="Merge record OTHER into record KEEP (OTHER's file is removed).")
@click.option("--not-duplicate", "distinct_ids", nargs=2, metavar="A B",
              help="Remember that A and B are different publications.")
@click.option("--undo", "undo_id", metavar="MERGED",
              help="Undo the merge of record MERGED: restore it and the record it was merged into.")
@click.option("--merged", "list_merged", is_flag=True, help="List the merges that can be undone.")
@click.option("--review", "review_queue", is_flag=True,
              help="Go through the pairs one by one, fields side by side, one key per decision.")
@click.option("--merge-above", "min_score", type=float, metavar="SCORE",
              help="Merge every listed pair scoring SCORE or more (asks first; see --yes).")
@click.option("--yes", is_flag=True, help="With --merge-above: merge without asking.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per pair.")
@click.pass_context
def dedup(ctx: click.Context, merge_ids: tuple[str, str] | None,
          distinct_ids: tuple[str, str] | None, undo_id: str | None, list_merged: bool,
          review_queue: bool, min_score: float | None, yes: bool, as_json: bool) -> None:
    """List records that may be the same publication, or decide on a pair.

    Without options: one line per pair (likely duplicates first, then possible ones) with
    score and reason. --review shows each pair's title, authors, year, venue, volume, issue,
    pages and identifiers side by side (= agree, ~ close, ≠ differ, · missing) and takes one key:
    m merge B into A, b merge A into B, n not duplicates, s skip, u undo the last merge, q quit.
    Decisions are kept in records/_decisions.json; every merge (by hand, in a batch or at import)
    keeps the merged-away record in records/_merged.<id>.json so --undo can restore it.

    Example:
        kb dedup
        kb dedup --review
        kb dedup --merge-above 95
        kb dedup --merge smith-2020-housing-first smith-2020-housing-first-2
        kb dedup --not-duplicate smith-2020-housing-first smith-2021-housing-first
        kb dedup --merged
        kb dedup --undo smith-2020-housing-first-2
    """
    from kb.ops.duplicates import candidate_pairs, mark_not_duplicate, merge_pair

    store = store_of(ctx)
    if sum(map(bool, (merge_ids, distinct_ids, undo_id, list_merged, review_queue,
                      min_score is not None))) > 1:
        raise click.UsageError("use one of --merge, --not-duplicate, --undo, --merged, --review, --merge-above")
    if undo_id or list_merged:
        _undo_or_list(store, undo_id)
        return
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
    pairs = candidate_pairs(store)  # from the dedup key cache, which names an unreadable record once
    if review_queue:
        from rich.console import Console

        from kb.cli.dedup_review import review

        review(store, pairs, Console(highlight=False))
        return
    if min_score is not None:
        _merge_above(store, pairs, min_score, yes)
        return
    for pair in pairs:
        if as_json:
            click.echo(pair.model_dump_json())
        else:
            click.echo(f"{pair.decision}\t{pair.score:g}\t{pair.a}\t{pair.b}\t{pair.reason}")
    if not as_json:
        click.echo(f"{len(pairs)} pair(s) to review", err=True)


def _merge_above(store: RecordStore, pairs: list[DuplicatePair], min_score: float, yes: bool) -> None:
    from kb.ops.duplicates import merge_pairs, pairs_from
    from kb.ops.enrich import Enricher

    chosen = pairs_from(pairs, min_score)
    click.echo(f"{len(chosen)} of {len(pairs)} pair(s) score {min_score:g} or more", err=True)
    if not chosen or not (yes or click.confirm("merge them?", default=False, err=True)):
        return
    with store.lock():
        done = merge_pairs(store, chosen, Enricher(store.home))
    for keep, other in done.merged:
        click.echo(f"merged {other} into {keep}")
    for reason in done.passed:
        click.echo(f"passed over {reason}", err=True)
    click.echo(f"{len(done.merged)} merge(s); undo any with kb dedup --undo ID", err=True)


def _undo_or_list(store: RecordStore, undo_id: str | None) -> None:
    from kb.dedup.history import load_merged, merged_ids
    from kb.ops.duplicates import undo_pair
    from kb.ops.enrich import Enricher

    if undo_id is None:
        for merged_id in merged_ids(store):
            kept = load_merged(store, merged_id)
            click.echo(f"{merged_id}\tmerged into {kept.kept_id}\t{kept.reason}")
        return
    click.echo(undo_pair(store, undo_id, Enricher(store.home)).message)
