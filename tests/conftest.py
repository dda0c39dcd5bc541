"""Shared fixtures: the seeds and external fixtures in ../shared, and temporary knowledge bases."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kb.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EXTERNAL = SHARED / "data" / "external"
DATA = Path(__file__).parent / "data"
GOLD = Path(__file__).parent / "gold"


def seed_paths() -> list[Path]:
    """The five seed inputs, or a skip when ../shared is not beside the repository."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present beside the repository")
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def _model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of int8 model builds for the whole run (shared by xdist workers), never ~/.cache;
    a KB_CACHE_DIR set before the run is used as it is (to build once across runs)."""
    if os.environ.get("KB_CACHE_DIR"):
        return Path(os.environ["KB_CACHE_DIR"])
    base = tmp_path_factory.getbasetemp()
    return (base.parent if base.name.startswith("popen-gw") else base) / "kb-cache"


@pytest.fixture(autouse=True)
def _fake_embedder(monkeypatch: pytest.MonkeyPatch, _model_cache: Path) -> None:
    """Unit tests use the deterministic fake embedder; model tests opt back in."""
    monkeypatch.setenv("KB_EMBEDDER", "fake")
    monkeypatch.setenv("KB_CACHE_DIR", str(_model_cache))


@pytest.fixture
def seeds() -> list[Path]:
    return seed_paths()


@pytest.fixture
def external() -> Path:
    if not EXTERNAL.is_dir():
        pytest.skip("../shared/data/external is not present beside the repository")
    return EXTERNAL


@pytest.fixture
def kb_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty knowledge base on tmp_path, selected through KB_HOME."""
    home = tmp_path / "kb"
    (home / "records").mkdir(parents=True)
    monkeypatch.setenv("KB_HOME", str(home))
    return home


@pytest.fixture
def store(kb_home: Path) -> Store:
    return Store(kb_home)


@pytest.fixture
def shipped_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary copy of the shipped records/ (tests never touch the real one)."""
    home = tmp_path / "shipped"
    shutil.copytree(ROOT / "records", home / "records",
                    ignore=shutil.ignore_patterns(".lock"))
    monkeypatch.setenv("KB_HOME", str(home))
    return home
