"""Browse and check the knowledge base: list, show, check, schema."""

from __future__ import annotations

import json

import click

from kb.cli.base import (
    load_all,
    main,
    say,
    store_of,
)
from kb.model.present import display_title
from kb.model.schema import json_schema
from kb.store import serialize


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per record.")
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """List the records: id, year, type and title.

    Example:
        kb list
    """
    for record in load_all(ctx):
        if as_json:
            click.echo(json.dumps({"id": record.id, "year": record.year, "title": record.title,
                                   "resource_type": record.resource_type}, ensure_ascii=False))
        else:
            title = display_title(record)
            say(f"{record.id}\t{record.year or 'n.d.'}\t{record.resource_type or '-'}\t{title}")


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

    record = store_of(ctx).load(record_id)
    if as_json:
        click.echo(serialize(record), nl=False)
    else:
        say(record_text(record))


@main.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Validate every record and that every source file's hash matches.

    Example:
        kb check
    """
    problems = list(store_of(ctx).iter_problems())
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found")
    click.echo(f"{len(store_of(ctx).ids())} records OK")


@main.command()
def schema() -> None:
    """Print the JSON Schema of a record file.

    Example:
        kb schema > record.schema.json
    """
    click.echo(json.dumps(json_schema(), indent=2))
