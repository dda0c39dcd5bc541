"""Every setting of Evidence KB: where the knowledge base lives, the names of its files, and the
environment variables read (KB_HOME, KB_DATABASE_URL, KB_MODEL, KB_EMBEDDER, KB_EMBED_BACKEND,
KB_CACHE_DIR, KB_THREADS, KB_MULTILINGUAL, KB_TEST_DATABASE_URL, KB_USER). No other module reads
the environment. Standard library only."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

# records/ — the truth (in git)
RECORDS_DIR = "records"
SOURCES_DIR = "_sources"
DECISIONS_FILE = "_decisions.json"
MERGED_DIR = "_merged"  # records folded into another, kept for undo
RECORDS_LOCK = ".lock"

# .kb/ — derived, rebuildable
INDEX_DIR = ".kb"
INDEX_DB = "index.sqlite"
INDEX_LOCK = "index.lock"
EMBED_CACHE = "embeddings.sqlite"
KEPT_VECTORS = "vectors-kept.sqlite"  # the vectors of the index being rebuilt by `kb reindex --full`
MAIN_VECTORS = "vectors.faiss"  # the English model's space; others are vectors-<name>.faiss
DEDUP_KEYS = "dedup_keys.sqlite"

# vectors in .kb/: how they are stored and when an approximate index replaces the exact one
VECTOR_CODEC = "fp16"          # faiss scalar quantizer of stored vectors: fp16 (default) or fp32
SENTENCE_IVF_CODEC = "sq8"     # … of the sentence space once approximate (it only ranks records)
APPROX_THRESHOLD = 60_000      # at or above this many vectors an IVF index replaces the exact one
IVF_PROBE_FRACTION = 0.08      # share of the inverted lists an IVF search scans (recall@10 0.99 at 1M)
IVF_MIN_PROBES = 200           # … and at least this many lists (16% at 100k: recall@10 0.989)

# a long-lived index (the app) looks at every record file for changes made behind its back
FREE_SCAN_S = 0.02             # … on every search while a look costs less than this
RESCAN_FACTOR = 50             # … else when the last look is older than this many times its cost
STALE_DERIVED_FROM = 60_000    # findings from which a change keeps the old tie order & co. serving
#                                while fresh ones are built in the background (kb.search.derived)


def kb_home(explicit: str | Path | None = None) -> Path:
    """The folder holding records/ and .kb/: --kb, else KB_HOME, else cwd with records/, else repo."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("KB_HOME")
    if env:
        return Path(env).expanduser().resolve()
    cwd = Path.cwd()
    if (cwd / RECORDS_DIR).is_dir():
        return cwd.resolve()
    return REPO_ROOT


def records_dir(home: Path) -> Path:
    """records/ inside a KB home."""
    return home / RECORDS_DIR


def sources_dir(home: Path) -> Path:
    """records/_sources/ inside a KB home: raw inputs named by their sha256."""
    return home / RECORDS_DIR / SOURCES_DIR


def index_dir(home: Path) -> Path:
    """.kb/ inside a KB home: derived, rebuildable data."""
    return home / INDEX_DIR


# PostgreSQL (a team's knowledge base): chosen by --db URL or KB_DATABASE_URL
DATABASE_SCHEMES = ("postgresql://", "postgres://")
DB_POOL_MAX = 8           # connections one process keeps open at most
DB_CACHE_PREFIX = "pg-"   # derived caches of a database KB live in .kb/pg-<digest of the URL>/


def database_url(explicit: str | None = None) -> str | None:
    """The PostgreSQL URL of the knowledge base: --db, else KB_DATABASE_URL, else None (folder)."""
    value = explicit or os.environ.get("KB_DATABASE_URL") or None
    return value.strip() if value else None


def is_database_url(value: str | os.PathLike | None) -> bool:
    """Whether a --db/--to value names a PostgreSQL database rather than a folder."""
    return isinstance(value, str) and value.startswith(DATABASE_SCHEMES)


def test_database_url() -> str | None:
    """KB_TEST_DATABASE_URL: a PostgreSQL server the test suite may create throwaway databases on."""
    return os.environ.get("KB_TEST_DATABASE_URL") or None


def model_override() -> Path | None:
    """KB_MODEL: a local sentence-transformers folder to use instead of the packaged model."""
    value = os.environ.get("KB_MODEL")
    return Path(value).expanduser() if value else None


def current_user() -> str:
    """KB_USER: the name written into a record's review history, else the login name."""
    name = os.environ.get("KB_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a container without a passwd entry
        return "unknown"


def embedder_kind() -> str:
    """KB_EMBEDDER: "model" (the real one, default) or "fake" (deterministic hashing, for tests)."""
    return os.environ.get("KB_EMBEDDER", "model")


EMBED_BACKENDS = ("onnx-int8", "torch")
DEFAULT_EMBED_BACKEND = "onnx-int8"


def embed_backend() -> str:
    """KB_EMBED_BACKEND: how the English model runs — "onnx-int8" (an int8 ONNX build made
    locally from the packaged weights on first use; the default) or "torch" (plain
    sentence-transformers, float32)."""
    return os.environ.get("KB_EMBED_BACKEND", DEFAULT_EMBED_BACKEND)


def cache_dir() -> Path:
    """KB_CACHE_DIR, else $XDG_CACHE_HOME/evidence-kb, else ~/.cache/evidence-kb: files derived
    from installed packages (the int8 model builds), shared by every knowledge base."""
    explicit = os.environ.get("KB_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "evidence-kb"


def thread_count() -> int:
    """KB_THREADS, else the cores this process may run on: the embedding model's threads."""
    value = os.environ.get("KB_THREADS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def multilingual_enabled() -> bool:
    """KB_MULTILINGUAL: the cross-lingual search space is on unless it is "0"."""
    return os.environ.get("KB_MULTILINGUAL", "1") != "0"


def force_offline() -> None:
    """Tell Hugging Face libraries never to reach a hub (models ship inside packages)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


# The app: the Streamlit entry script inside the package, and the server options `kb app` passes
# (the repository's .streamlit/config.toml says the same for `streamlit run app.py`).
APP_SCRIPT = Path(__file__).resolve().parent / "app" / "run" / "streamlit_app.py"
# imported by `kb app` before it serves, so the first page finds them loaded
APP_IMPORTS = ("kb.app.pages.common", "kb.app.search_form", "kb.app.ui_text", "kb.model.present")
MAX_UPLOAD_MB = 100
STREAMLIT_OPTIONS: dict[str, str] = {
    "server.headless": "true",
    "server.maxUploadSize": str(MAX_UPLOAD_MB),
    "server.fileWatcherType": "none",   # no inotify watches on .venv/.kb (they overflow)
    "server.runOnSave": "false",
    "client.toolbarMode": "minimal",    # no "Deploy" button: this is a local tool
    "browser.gatherUsageStats": "false",
}
