"""A librarian's duplicate review: kb dedup."""

from __future__ import annotations

import click

from kb.cli.base import main, readable, store_of


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

    store = store_of(ctx)
    if merge_ids and distinct_ids:
        raise click.UsageError("use --merge or --not-duplicate, not both")
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
    pairs = candidate_pairs(store, readable(store))
    for pair in pairs:
        if as_json:
            click.echo(pair.model_dump_json())
        else:
            click.echo(f"{pair.decision}\t{pair.score:g}\t{pair.a}\t{pair.b}\t{pair.reason}")
    if not as_json:
        click.echo(f"{len(pairs)} pair(s) to review", err=True)
