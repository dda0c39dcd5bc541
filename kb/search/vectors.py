"""The faiss side of the index: finding vectors by finding row id, exact below a size threshold
and an inverted-file (IVF) approximate index above it; search restricted by an id bitmap."""

from __future__ import annotations

import logging
import math
import os
from pathlib import Path
from typing import IO

import faiss
import numpy as np

from kb.store import atomic_write_with

log = logging.getLogger(__name__)

APPROX_THRESHOLD = 200_000  # at or above this many vectors an IVF index replaces the exact one
IVF_PROBE_FRACTION = 0.02   # share of the inverted lists scanned per query
BUILD_THREADS = os.cpu_count() or 1
HEADER = b"KB-VECTORS 1 "  # then the stamp and a newline, then faiss's own format

# One query at a time is faster on one thread, and faiss's idle OpenMP threads would otherwise
# spin and slow the query encoder running next to them; building uses every core.
faiss.omp_set_num_threads(1)


def _flat(dim: int) -> faiss.Index:
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def _ivf(dim: int, n: int) -> faiss.IndexIVFFlat:
    nlist = max(64, int(4 * math.sqrt(n)))
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    index.nprobe = max(8, int(nlist * IVF_PROBE_FRACTION))
    return index


def _is_ivf(index: faiss.Index) -> bool:
    return isinstance(index, faiss.IndexIVF) or hasattr(index, "nprobe")


class VectorIndex:
    """Inner-product search over L2-normalised vectors, addressed by int64 ids."""

    def __init__(self, dim: int, index: faiss.Index | None = None) -> None:
        self.dim = dim
        self.index = index if index is not None else _flat(dim)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def approximate(self) -> bool:
        return _is_ivf(self.index)

    @classmethod
    def build(cls, dim: int, ids: np.ndarray, vectors: np.ndarray) -> VectorIndex:
        """A new index holding these vectors (exact or IVF by size)."""
        if len(ids) < APPROX_THRESHOLD:
            out = cls(dim)
        else:
            ivf = _ivf(dim, len(ids))
            sample = vectors[np.random.default_rng(0).permutation(len(vectors))[: ivf.nlist * 64]]
            faiss.omp_set_num_threads(BUILD_THREADS)
            try:
                ivf.train(np.ascontiguousarray(sample, dtype=np.float32))
            finally:
                faiss.omp_set_num_threads(1)
            out = cls(dim, ivf)
        out.add(ids, vectors)
        return out

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                    np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> int:
        if not len(ids):
            return 0
        return int(self.index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None,
               allowed_share: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """(ids, scores) of the k nearest vectors; `allowed` is an optional id bitmap (uint8)
        selecting about `allowed_share` of the vectors (an IVF index then probes more lists)."""
        if self.size == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params = None
        if allowed is not None:
            # faiss takes the bitmap's size in bytes; ids past its end are not members
            selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(allowed))
            if self.approximate:
                nprobe = min(self.index.nlist,
                             math.ceil(self.index.nprobe / max(allowed_share, 1e-6)))
                params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
            else:
                params = faiss.SearchParameters(sel=selector)
        scores, ids = self.index.search(q, min(k, self.size), params=params)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def save(self, path: Path, stamp: str) -> None:
        """Write atomically (temp file + rename): a header line naming the state of the index the
        vectors belong to (kb.search.index_db.vector_stamp), then the faiss index."""
        def write(handle: IO[bytes]) -> None:
            handle.write(HEADER + stamp.encode("ascii") + b"\n")
            faiss.write_index(self.index, faiss.PyCallbackIOWriter(handle.write))

        atomic_write_with(path, write)

    @classmethod
    def load(cls, path: Path, dim: int) -> tuple[VectorIndex, str]:
        """Read an index file and its stamp; raises RuntimeError/OSError if it is damaged."""
        with path.open("rb") as handle:
            head = handle.readline(256)
            if not head.startswith(HEADER) or not head.endswith(b"\n"):
                raise RuntimeError(f"{path.name} has no stamp (written by an older version?)")
            index = faiss.read_index(faiss.PyCallbackIOReader(handle.read))
        if index.d != dim:
            raise RuntimeError(f"{path.name} holds {index.d}-d vectors, expected {dim}")
        return cls(dim, index), head[len(HEADER):-1].decode("ascii", "replace")


def id_bitmap(ids: np.ndarray, upper: int) -> np.ndarray:
    """A little-endian bitmap (uint8) with the bits of `ids` set, covering ids < upper."""
    flags = np.zeros(max(upper, 1), dtype=bool)
    flags[ids] = True
    return np.packbits(flags, bitorder="little")
