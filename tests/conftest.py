"""Shared fixtures: the seeds and external fixtures in ../shared, temporary knowledge bases, and
a throwaway PostgreSQL (KB_TEST_DATABASE_URL, else tests/pg_server.py) for the database backend."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.config import test_database_url
from kb.store import RecordStore, Store, open_store

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
    monkeypatch.delenv("KB_DATABASE_URL", raising=False)  # the folder backend unless a test picks one


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


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a PostgreSQL server on which tests may create databases: KB_TEST_DATABASE_URL,
    else one started from the pgserver wheel for this test session (a skip when neither works)."""
    given = test_database_url()
    if given:
        yield given
        return
    from tests import pg_server as server

    # not under pytest's basetemp: every pytest session makes that folder private again, and
    # the server may run as another user
    folder = Path(tempfile.mkdtemp(prefix="kb-test-pg-"))
    data = folder / "data"
    try:
        url = server.start(data)
    except (RuntimeError, OSError, server.subprocess.CalledProcessError) as err:
        detail = (getattr(err, "stderr", "") or str(err)).strip().splitlines()
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"no PostgreSQL for the database backend: pgserver could not start "
                    f"({detail[0] if detail else type(err).__name__})")
    try:
        yield url
    finally:
        server.stop(data)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped afterwards."""
    import psycopg

    name = f"kb_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    info = psycopg.conninfo.conninfo_to_dict(pg_server)
    info["dbname"] = name
    host, port, user = info.get("host", "127.0.0.1"), info.get("port", "5432"), info.get("user", "postgres")
    password = f":{info['password']}" if info.get("password") else ""
    yield f"postgresql://{user}{password}@{host}:{port}/{name}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["folder", "postgresql"])
def backend_store(request: pytest.FixtureRequest, kb_home: Path,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordStore]:
    """An empty knowledge base on each backend in turn: the folder of kb_home, or a fresh
    database (selected through KB_DATABASE_URL, so `kb` commands in the test use it too)."""
    if request.param == "postgresql":
        monkeypatch.setenv("KB_DATABASE_URL", request.getfixturevalue("pg_url"))
    else:
        monkeypatch.delenv("KB_DATABASE_URL", raising=False)
    store = open_store(kb_home)
    try:
        yield store
    finally:
        store.close()
