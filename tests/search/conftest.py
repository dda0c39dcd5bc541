"""Shared set-up of the search tests: an index over a copy of the shipped records."""

from __future__ import annotations

import shutil

import pytest

from kb.search.index import Index
from tests.conftest import ROOT


def shipped_index(tmp_path_factory: pytest.TempPathFactory, name: str) -> Index:
    """An index over a copy of records/ with the deterministic fake embedder (no multilingual
    space: a fake one would only add noise)."""
    home = tmp_path_factory.mktemp(name) / "kb"
    shutil.copytree(ROOT / "records", home / "records", ignore=shutil.ignore_patterns(".lock"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KB_EMBEDDER", "fake")
        return Index.open(home, multilingual=False)
