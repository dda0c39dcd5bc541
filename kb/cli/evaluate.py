"""Quality against gold: kb eval."""

from __future__ import annotations

import click

from kb.cli.base import main


@main.command("eval")
@click.argument("what", type=click.Choice(["extraction", "search", "dedup", "intake", "roles"]), default="extraction")
@click.option("--no-embeddings", is_flag=True, help="Tag themes by keyword rules only.")
def eval_(what: str, no_embeddings: bool) -> None:
    """Measure extraction against the hand-written gold (tune and held-out halves), search
    relevance (recall@5, MRR, nDCG@10 of dense, keyword and hybrid retrieval) on the judged
    queries of tests/data/queries.json, section roles of unlabelled abstracts (tests/gold/roles),
    duplicate detection (precision / recall / F1 on labelled pairs from ../shared/data/external),
    or intake (title, authors, year, DOI and abstract of 96 real web-page captures in
    tests/data/captures against their gold, per split).

    Example:
        kb eval extraction
        kb eval search
        kb eval dedup
        kb eval intake
        kb eval roles
    """
    if what == "intake":
        from kb.eval.intake import intake_report

        click.echo(intake_report())
        return
    if what == "roles":
        from kb.eval.roles import roles_report

        click.echo(roles_report())
        return
    if what in ("dedup", "search"):
        from kb.eval.dedup import dedup_report
        from kb.eval.search import search_report

        click.echo({"dedup": dedup_report, "search": search_report}[what]())
        return
    from kb.eval.report import extraction_report

    click.echo(extraction_report(use_embeddings=not no_embeddings))
