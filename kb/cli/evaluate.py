"""Quality against gold: kb eval."""

from __future__ import annotations

from pathlib import Path

import click

from kb.cli.base import main


@main.command("eval")
@click.argument("what", type=click.Choice(["extraction", "search", "dedup", "intake", "roles"]), default="extraction")
@click.option("--no-embeddings", is_flag=True, help="Tag themes by keyword rules only.")
@click.option("--beir", "beir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="search: a BEIR-format dataset folder (corpus.jsonl, queries.jsonl, qrels/).")
@click.option("--split", default="test", show_default=True, help="--beir: the qrels split to score.")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path),
              help="--beir: a folder for its own knowledge base, kept so a second run reuses the "
                   "records and embeddings (default: a temporary one).")
@click.option("--json", "as_json", is_flag=True, help="--beir: one JSON object of the scores.")
@click.pass_context
def eval_(ctx: click.Context, what: str, no_embeddings: bool, beir: Path | None, split: str,
          work: Path | None, as_json: bool) -> None:
    """Measure extraction against the hand-written gold (tune and held-out halves), search
    relevance (recall@5, MRR, nDCG@10 of dense, keyword and hybrid retrieval) on the judged
    queries of tests/data/queries.json, section roles of unlabelled abstracts (tests/gold/roles),
    duplicate detection (precision / recall / F1 on labelled pairs from ../shared/data/external),
    or intake (title, authors, year, DOI and abstract of the real web-page captures in
    tests/data/captures against their gold, per split). With --beir, search is scored at record
    level on a BEIR dataset (nDCG@10, recall@10/100, MRR) beside plain BM25 run on the same
    documents, in a knowledge base of its own. `kb --db URL eval search` (or KB_DATABASE_URL)
    scores the same corpus in a throwaway database on that PostgreSQL server beside the folder.

    Example:
        kb eval extraction
        kb eval search
        kb eval search --beir data/scifact --split test --json
        kb --db postgresql://kb@localhost/postgres eval search
        kb eval dedup
        kb eval intake
        kb eval roles
    """
    if beir is not None:
        from kb.eval.beir import beir_json, beir_scores, beir_table

        scores = beir_scores(beir, split, work)
        click.echo(beir_json(scores) if as_json else beir_table(scores, f"{beir.name} ({split})"))
        return
    if what == "intake":
        from kb.eval.intake import intake_report

        click.echo(intake_report())
        return
    if what == "roles":
        from kb.eval.roles import roles_report

        click.echo(roles_report())
        return
    if what == "search":
        from kb.config import database_url
        from kb.eval.search import search_report

        click.echo(search_report(db=database_url(ctx.find_root().obj.get("db"))))
        return
    if what == "dedup":
        from kb.eval.dedup import dedup_report

        click.echo(dedup_report())
        return
    from kb.eval.report import extraction_report

    click.echo(extraction_report(use_embeddings=not no_embeddings))
