"""Serving the app: kb app. Streamlit runs in this process (its `streamlit run` command called
from here), after the search warm-up (kb.ops.warmup) has started and the app's modules are
imported: Streamlit runs nothing of the app before a browser connects, and the app script, run
by this same process, picks up the warm-up already under way. The same warm index answers
`kb search` while the app runs (kb.ops.running_app)."""

from __future__ import annotations

import importlib
import os

import click

from kb.cli.base import main
from kb.config import APP_IMPORTS, APP_SCRIPT, STREAMLIT_OPTIONS, kb_home
from kb.ops.running_app import SearchService
from kb.ops.warmup import shared_warmup
from kb.store import open_store


@main.command()
@click.option("--port", default=8501, show_default=True, help="Port to serve the app on.")
@click.pass_context
def app(ctx: click.Context, port: int) -> None:
    """Start the Streamlit app on the knowledge base.

    Example:
        kb app --port 8501
    """
    home = kb_home(ctx.obj.get("kb"))
    os.environ.update(KB_HOME=str(home), HF_HUB_OFFLINE="1")  # what the app script reads
    options = [f"--{name}={value}" for name, value in {**STREAMLIT_OPTIONS,
                                                        "server.port": str(port)}.items()]
    click.echo(f"Evidence KB app on {home}: http://localhost:{port}", err=True)
    store = open_store(home)  # the store the app opens: KB_HOME, KB_DATABASE_URL
    shared_warmup(store)
    for module in APP_IMPORTS:  # by name: the CLI and the app are separate layers
        importlib.import_module(module)
    from streamlit.web.cli import main as streamlit_main

    service = SearchService(store).start()  # `kb search` asks this process while it runs
    try:
        # what `python -m streamlit run APP_SCRIPT OPTIONS` runs; it exits with Streamlit's own
        # status when it cannot start, and returns once its signal handler stopped the server
        streamlit_main.main(["run", str(APP_SCRIPT), *options], prog_name="streamlit",
                            standalone_mode=False)
    finally:
        service.stop()
    raise click.Abort  # stopped by Ctrl-C: "Aborted!" and exit 1, as when Streamlit ran in a child
