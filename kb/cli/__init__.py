"""The `kb` command line (click): one module per group of verbs, all registered on `main`.

    kb ingest | list | show | check | schema | reextract | retag | dedup | search | reindex
       | export (records, brief) | compare | eval | migrate | app
"""

from __future__ import annotations

from kb.cli import duplicates, evaluate, exporting, intake, migrating, records, searching, serve  # noqa: F401
from kb.cli.base import main
from kb.cli.exporting import export

__all__ = ["export", "main"]
