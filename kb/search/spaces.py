"""One embedding space of the index: its embedder, its faiss vectors on disk (the only stored
copy of them: the embedding cache is read, never written, by the index), and the query vectors
it has computed. The index keeps the English model's space and,
when enabled, a multilingual one that lets a Chinese query meet English findings."""

from __future__ import annotations

import logging
import sqlite3
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from kb import config
from kb.config import MAIN_VECTORS
from kb.embed import CachedEmbedder, Embedder, text_hash
from kb.errors import IndexStaleError
from kb.search import index_db
from kb.search.vectors import VectorIndex, one_search_thread
from kb.store import atomic_write_with

log = logging.getLogger(__name__)
T = TypeVar("T")
EMBED_CHUNK = 512
QUERY_CACHE = 256
DELTA_LIMIT = 20_000  # changes kept in a small side file before the big vector file is rewritten
# what np.load raises on a damaged .npz (zip, header or array data)
DAMAGED_NPZ = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, RuntimeError)
VECTOR_SQL = {
    "findings": ("SELECT f.fid, f.text, r.title FROM findings f JOIN records r ON r.rid = f.rid "
                 "ORDER BY f.fid"),
    "sentences": (f"SELECT s.sid, s.text, CASE WHEN s.section = {index_db.TITLE_SECTION} THEN NULL "
                  "ELSE r.title END FROM sentences s JOIN records r ON r.rid = s.rid ORDER BY s.sid"),
}



def _legacy(stamp: str) -> bool:
    """Whether a vector file's stamp is of the form written before the running stamp."""
    return len(stamp.partition(":")[2]) == 32


class QueryWorker:
    """One background thread that embeds a query (and searches its vectors) while keyword search
    runs (started on first use)."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None

    def submit(self, job: Callable[..., T], *args: Any) -> Future[T]:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-query",
                                            initializer=one_search_thread)
        return self._pool.submit(job, *args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


class QueryVectors:
    """Queries' embeddings, the last QUERY_CACHE of them kept in process (never on disk): one
    query asked again, or asked of several arms, is embedded once."""

    def __init__(self, embedder: CachedEmbedder) -> None:
        self.embedder = embedder
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    def vector(self, text: str) -> np.ndarray:
        if text in self._vectors:
            self._vectors.move_to_end(text)
            return self._vectors[text]
        vector = self.embedder.inner.encode([text])[0]
        self._vectors[text] = vector
        if len(self._vectors) > QUERY_CACHE:
            self._vectors.popitem(last=False)
        return vector

class StoredVectors:
    """The vectors a current space holds, found by the hash of their text."""

    def __init__(self, db: sqlite3.Connection, space: Space) -> None:
        self.space = space
        pairs = sorted((text_hash(index_db.vector_text(text, title)), row_id)
                       for row_id, text, title in db.execute(VECTOR_SQL[space.table]))
        self.hashes = np.array([h for h, _ in pairs], dtype="S64")
        self.ids = np.array([i for _, i in pairs], dtype=np.int64)

    def find(self, texts: list[str]) -> dict[str, np.ndarray]:
        """text → its stored vector, for the texts whose vector the space holds."""
        if not texts or not len(self.hashes):
            return {}
        keys = np.array([text_hash(t) for t in texts], dtype="S64")
        at = np.minimum(np.searchsorted(self.hashes, keys), len(self.hashes) - 1)
        hit = self.hashes[at] == keys
        if not hit.any():
            return {}
        vectors = self.space.vectors.vectors_of(self.ids[at[hit]])
        return dict(zip([t for t, h in zip(texts, hit, strict=True) if h], vectors, strict=True))


class Space:
    """Vectors of every finding in one model's space, addressed by finding id."""

    def __init__(self, name: str, embedder: Embedder, folder: Path, cache_path: Path,
                 table: str = "findings") -> None:
        self.name = name
        self.table = table  # findings, or sentences (every abstract sentence, title, keywords)
        self.embedder = (embedder if isinstance(embedder, CachedEmbedder)
                         else CachedEmbedder(embedder, cache_path))
        self.path = folder / (MAIN_VECTORS if name == "main" else f"vectors-{name}.faiss")
        self.meta_key = "model" if name == "main" else f"model-{name}"
        self._vectors: VectorIndex | None = VectorIndex(self.embedder.dim)  # None: not read yet
        self._base_count = 0  # vectors in the file on disk, while they are not read
        # the sentence space only votes for records (their closest sentence): once approximate,
        # its vectors are stored as int8; the findings' shown scores keep float16
        self.ivf_codec = config.SENTENCE_IVF_CODEC if table == "sentences" else None
        self.delta_path = self.path.with_suffix(".delta.npz")
        self._added: dict[int, np.ndarray] = {}  # changes since the vector file was written
        self._removed: set[int] = set()
        self._overflow = False  # more than DELTA_LIMIT changes: the next save rewrites the file
        self._dirty = False  # changed since the files on disk were written
        self._base = ""  # the stamp of the vector file on disk (a side file must build on it)
        self._queries = QueryVectors(self.embedder)

    @property
    def model_id(self) -> str:
        return self.embedder.model_id

    @property
    def vectors(self) -> VectorIndex:
        """The space's vectors (read from disk on first use when opened lazily)."""
        if self._vectors is None:
            self._vectors = self._read_base()
        return self._vectors

    @vectors.setter
    def vectors(self, value: VectorIndex) -> None:
        self._vectors = value

    @property
    def size(self) -> int:
        """How many vectors the space holds (without reading them when not read yet)."""
        if self._vectors is not None:
            return self._vectors.size
        return self._base_count - len(self._removed) + len(self._added)

    @property
    def approximate(self) -> bool:
        return self._vectors is None or self._vectors.approximate  # only IVF files are opened lazily

    def open(self, db: sqlite3.Connection, *, lazy: bool = False) -> str | None:
        """Load the vectors; None when they were written for the findings the database holds
        (same ids, same texts: kb.search.index_db.vector_stamp), else why not. `lazy`: a large
        (approximate) vector file is only checked by its header here and read when first
        needed, so a writer adding a few records to a big index does not read it at all."""
        if index_db.get_meta(db, self.meta_key) != self.model_id:
            return f"the {self.name} embedding model is now {self.model_id}"
        self._added, self._removed, self._dirty, self._overflow = {}, set(), False, False
        try:
            opened_lazily = lazy and self._open_lazily()
            if not opened_lazily:
                self.vectors, self._base = VectorIndex.load(self.path, self.embedder.dim)
        except (RuntimeError, OSError, ValueError, KeyError, EOFError) as err:
            log.debug("cannot read %s: %s", self.path, err)
            self.vectors, self._base = VectorIndex(self.embedder.dim), ""
            return f"{self.path.name} is missing or damaged"
        try:
            stamp = self._read_delta() if opened_lazily else self._apply_delta()
        except DAMAGED_NPZ as err:
            log.debug("cannot read %s: %s", self.delta_path, err)
            self.vectors = VectorIndex(self.embedder.dim)
            return f"{self.delta_path.name} is damaged"
        expected = index_db.vector_stamp(db, self.table)
        if stamp != expected and _legacy(stamp) and stamp == index_db.legacy_vector_stamp(db, self.table):
            self._write_delta(expected)  # written before the running stamp: restamped once
            stamp = expected
        if stamp != expected:
            return (f"{self.path.name} was written for another state of the index "
                    f"({stamp or 'no stamp'}, the index holds {expected})")
        return None

    def _open_lazily(self) -> bool:
        """Take the vector file's stamp and size from its header, leaving its vectors unread
        (True), when it is an approximate index of this space's dimension."""
        stamp, approximate, dim, count = VectorIndex.peek(self.path)
        if not approximate or dim != self.embedder.dim:
            return False
        self._vectors, self._base, self._base_count = None, stamp, count
        return True

    def _read_base(self) -> VectorIndex:
        """The vector file opened lazily, with the changes made since applied to it."""
        try:
            vectors, stamp = VectorIndex.load(self.path, self.embedder.dim)
        except (RuntimeError, OSError, ValueError, KeyError, EOFError) as err:
            raise IndexStaleError(f"{self.path.name} cannot be read ({err}); run `kb reindex`") from err
        if stamp != self._base:
            raise IndexStaleError(f"{self.path.name} was rewritten by another process while open; "
                               "run the command again")
        vectors.remove(np.array(sorted(self._removed), dtype=np.int64))
        if self._added:
            ids = np.array(sorted(self._added), dtype=np.int64)
            vectors.add(ids, np.stack([self._added[i] for i in ids]).astype(np.float32))
        return vectors

    def _read_delta(self) -> str:
        """Take the side file of changes made since the vector file was written into
        `_added`/`_removed` when it builds on that file; returns the stamp they bring it to."""
        if not self.delta_path.exists():
            return self._base
        with np.load(self.delta_path, allow_pickle=False) as delta:
            ids, vecs, removed = delta["ids"], delta["vecs"], delta["removed"]
            base, stamp = str(delta["base"]), str(delta["stamp"])
        if base != self._base:  # left over from before the vector file was last rewritten
            log.debug("%s: written on another vector file; ignored", self.delta_path.name)
            return self._base
        self._added = {int(i): v.astype(np.float16) for i, v in zip(ids, vecs, strict=True)}
        self._removed = {int(i) for i in removed}
        return stamp

    def _apply_delta(self) -> str:
        """Replay the side file of changes made since the vector file was written, when it was
        written on top of that file; returns the stamp of the vectors now loaded."""
        stamp = self._read_delta()
        self.vectors.remove(np.array(sorted(self._removed), dtype=np.int64))
        if self._added:
            ids = np.array(sorted(self._added), dtype=np.int64)
            self.vectors.add(ids, np.stack([self._added[i] for i in ids]).astype(np.float32))
        return stamp

    def stored_vector(self, row_id: int) -> np.ndarray | None:
        """The vector this space holds for a row, when it has it at hand (None for one only in
        a vector file not read yet: the caller embeds the text again instead of reading it)."""
        if self._vectors is None:
            vec = self._added.get(row_id)
            return None if vec is None else vec.astype(np.float32)
        return self._vectors.vectors_of(np.array([row_id], dtype=np.int64))[0]

    def reset(self, db: sqlite3.Connection) -> None:
        self.path.unlink(missing_ok=True)
        self.delta_path.unlink(missing_ok=True)
        self._added, self._removed, self._base, self._overflow = {}, set(), "", False
        self.vectors = VectorIndex(self.embedder.dim)
        index_db.set_meta(db, self.meta_key, self.model_id)

    def add(self, items: list[tuple[int, str]], vecs: np.ndarray | None = None) -> None:
        """Add (row id, vector text) pairs with their vectors (embedded here when not given)."""
        if items:
            if vecs is None:
                vecs = self.embedder.encode([text for _, text in items], keep=False)
            if self._vectors is None and self._fits_delta(len(items)):
                self._added.update((fid, v.astype(np.float16)) for (fid, _), v in zip(items, vecs, strict=True))
                self._dirty = True
                return
            self.vectors.add(np.array([fid for fid, _ in items], dtype=np.int64), vecs)
            if not self._overflow:
                self._added.update((fid, v.astype(np.float16))
                                   for (fid, _), v in zip(items, vecs, strict=True))
            self._dirty = True
            self._note_overflow()
            if not self.vectors.approximate and self.vectors.size >= config.APPROX_THRESHOLD:
                self.vectors = self.vectors.to_approximate(codec=self.ivf_codec)  # mid-build: the exact one stops growing
                self._overflow = True

    def remove(self, fids: list[int]) -> None:
        if self._vectors is not None or not self._fits_delta(len(fids)):
            self.vectors.remove(np.array(fids, dtype=np.int64))
        self._dirty = self._dirty or bool(fids)
        if self._overflow:
            return
        for fid in fids:
            if self._added.pop(fid, None) is None:
                self._removed.add(fid)
        self._note_overflow()

    def _fits_delta(self, more: int) -> bool:
        """Whether `more` changes still fit in the side file (a space not read yet is read
        before the changes that would overflow it)."""
        return len(self._added) + len(self._removed) + more <= DELTA_LIMIT

    def _note_overflow(self) -> None:
        """Past DELTA_LIMIT changes the side file is given up (the next save writes the whole
        vector file), so a large build keeps no second copy of its vectors in memory."""
        if len(self._added) + len(self._removed) > DELTA_LIMIT:
            self._added, self._removed, self._overflow = {}, set(), True

    def settle(self, db: sqlite3.Connection) -> None:
        """After changes: switch to the approximate index once large, record the model."""
        if not self.approximate and self.vectors.size >= config.APPROX_THRESHOLD:
            self.vectors = self.vectors.to_approximate(codec=self.ivf_codec)
            self._dirty = self._overflow = True
        index_db.set_meta(db, self.meta_key, self.model_id)

    def rebuild(self, db: sqlite3.Connection, donors: list[Space] | None = None) -> None:
        """Rebuild from the findings (or sentences) table: a text's vector comes from a donor
        (a current space of the same embedder, over the same database) that holds it, else from
        the embedding cache or the model."""
        rows = [(row_id, index_db.vector_text(text, title))
                for row_id, text, title in db.execute(VECTOR_SQL[self.table])]
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        held = [StoredVectors(db, donor) for donor in donors or [] if donor.embedder is self.embedder]
        # in chunks, as float16: the float32 vectors of the whole table never exist at once
        vecs = np.zeros((len(rows), self.embedder.dim), np.float16)
        for i in range(0, len(rows), EMBED_CHUNK):
            texts = [r[1] for r in rows[i:i + EMBED_CHUNK]]
            found: dict[str, np.ndarray] = {}
            for stored in held:
                found.update(stored.find([t for t in texts if t not in found]))
            rest = list(dict.fromkeys(t for t in texts if t not in found))
            if rest:
                found.update(zip(rest, self.embedder.encode(rest, keep=False), strict=True))
            vecs[i:i + EMBED_CHUNK] = np.stack([found[t] for t in texts])
        self.vectors = VectorIndex.build(self.embedder.dim, ids, vecs, ivf_codec=self.ivf_codec)
        self.save(db, full=True)
        index_db.set_meta(db, self.meta_key, self.model_id)

    def save(self, db: sqlite3.Connection, *, full: bool = False) -> None:
        """Write the changes, stamped with the state of `db` they match: a small side file while
        they are few, else the whole index."""
        if not (self._dirty or full) and self.path.exists():
            return
        self._dirty = False
        stamp = index_db.vector_stamp(db, self.table)
        if full or self._overflow or not self.path.exists():
            self.vectors.save(self.path, stamp)
            self._base = stamp
            self.delta_path.unlink(missing_ok=True)
            self._added, self._removed, self._overflow = {}, set(), False
            return
        if not (self._added or self._removed) and stamp == self._base:
            self.delta_path.unlink(missing_ok=True)
            return
        self._write_delta(stamp)

    def _write_delta(self, stamp: str) -> None:
        """Write the side file: the changes since the vector file, which they build on, and the
        stamp of the state of the index they bring it to."""
        ids = np.array(sorted(self._added), dtype=np.int64)
        vecs = (np.stack([self._added[i] for i in ids]) if len(ids)
                else np.zeros((0, self.embedder.dim), np.float16))
        removed = np.array(sorted(self._removed), dtype=np.int64)
        atomic_write_with(self.delta_path, lambda handle: np.savez(
            handle, ids=ids, vecs=vecs.astype(np.float16), removed=removed,
            base=np.array(self._base), stamp=np.array(stamp)))

    def query_vector(self, text: str) -> np.ndarray:
        """A query's embedding (kept in a small in-process cache, never on disk)."""
        return self._queries.vector(text)
