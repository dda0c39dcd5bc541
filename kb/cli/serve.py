"""Serving the app: kb app."""

from __future__ import annotations

import os
import subprocess
import sys

import click

from kb.cli.base import main
from kb.config import APP_SCRIPT, STREAMLIT_OPTIONS, kb_home


@main.command()
@click.option("--port", default=8501, show_default=True, help="Port to serve the app on.")
@click.pass_context
def app(ctx: click.Context, port: int) -> None:
    """Start the Streamlit app on the knowledge base.

    Example:
        kb app --port 8501
    """
    env = dict(os.environ, KB_HOME=str(kb_home(ctx.obj.get("kb"))), HF_HUB_OFFLINE="1")
    options = [f"--{name}={value}" for name, value in {**STREAMLIT_OPTIONS,
                                                        "server.port": str(port)}.items()]
    click.echo(f"Evidence KB app on {env['KB_HOME']}: http://localhost:{port}", err=True)
    ctx.exit(subprocess.call([sys.executable, "-m", "streamlit", "run", str(APP_SCRIPT), *options],
                             env=env))
