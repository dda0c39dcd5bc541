"""The faiss side of the index: finding vectors by finding row id, stored once as float16 (faiss's
scalar quantizer; kb.config.VECTOR_CODEC), searched exactly below a size threshold and by an
inverted-file (IVF) approximate index above it (whose codec a space may choose: the sentence
space's is int8, kb.config.SENTENCE_IVF_CODEC); search restricted by an id bitmap. An IVF
index's id → list map is rebuilt on load rather than stored."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import math
import os
import platform
import struct
from pathlib import Path
from typing import IO

import faiss
import numpy as np

from kb import config
from kb.store import atomic_write_with

log = logging.getLogger(__name__)

BUILD_THREADS = os.cpu_count() or 1
M_MMAP_THRESHOLD = -3  # glibc mallopt parameter
HEADER = b"KB-VECTORS 1 "  # then the stamp and a newline, then faiss's own format
# faiss's four-byte tags of the inverted-file indexes this module writes (flat and scalar-quantised)
IVF_TAGS = (b"IwFl", b"IwSq", b"IwSQ")

# One query at a time is faster on one thread, and faiss's idle OpenMP threads would otherwise
# spin and slow the query encoder running next to them; building uses every core. OpenMP keeps
# this per thread: a thread that searches calls one_search_thread() first.
def one_search_thread() -> None:
    """Make faiss calls from the current thread run on one thread."""
    faiss.omp_set_num_threads(1)


one_search_thread()


CODECS = {"fp16": faiss.ScalarQuantizer.QT_fp16, "sq8": faiss.ScalarQuantizer.QT_8bit_uniform,
          "fp32": None}  # sq8: one int8 range for every dimension — faiss searches it as fast as
# float16, a range per dimension 1.6x slower; recall@10 on 20k real sentence vectors 0.991 / 0.994


def _codec(codec: str | None) -> int | None:
    name = codec or config.VECTOR_CODEC
    if name not in CODECS:
        raise ValueError(f"vector codec {name!r} is not one of {', '.join(CODECS)}")
    return CODECS[name]


def _flat(dim: int, codec: str | None = None) -> faiss.Index:
    quant = _codec(codec)
    if quant is None:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    return faiss.IndexIDMap2(faiss.IndexScalarQuantizer(dim, quant, faiss.METRIC_INNER_PRODUCT))


def ivf_lists(n: int) -> int:
    """How many inverted lists an IVF index over n vectors gets (4·√n, at least 64, but at
    least 8 vectors a list so a small index set by a low threshold can still be trained)."""
    return max(1, min(max(64, int(4 * math.sqrt(n))), n // 8))


def ivf_probes(nlist: int) -> int:
    """How many lists an IVF search scans (kb.config.IVF_PROBE_FRACTION, IVF_MIN_PROBES)."""
    return min(nlist, max(config.IVF_MIN_PROBES, int(nlist * config.IVF_PROBE_FRACTION)))


def _ivf(dim: int, n: int, codec: str | None = None) -> faiss.IndexIVF:
    nlist, quant = ivf_lists(n), _codec(codec)
    coarse = faiss.IndexFlatIP(dim)
    if quant is None:
        index = faiss.IndexIVFFlat(coarse, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    else:
        index = faiss.IndexIVFScalarQuantizer(coarse, dim, nlist, quant, faiss.METRIC_INNER_PRODUCT,
                                              False)  # the vectors themselves, not residuals
    index.nprobe = ivf_probes(nlist)
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
    def build(cls, dim: int, ids: np.ndarray, vectors: np.ndarray, *,
              codec: str | None = None, ivf_codec: str | None = None) -> VectorIndex:
        """A new index holding these vectors (exact or IVF by size, kb.config.APPROX_THRESHOLD;
        `codec` of an exact one, `ivf_codec` of an IVF one, both default kb.config.VECTOR_CODEC)."""
        if len(ids) < config.APPROX_THRESHOLD:
            out = cls(dim, _flat(dim, codec))
        else:
            out = cls(dim, _trained_ivf(dim, vectors, ivf_codec or codec, n=len(ids)))
        for start in range(0, len(ids), ADD_CHUNK):  # in chunks: one float32 copy at a time
            out.add(ids[start:start + ADD_CHUNK], vectors[start:start + ADD_CHUNK])
        return out

    def to_approximate(self, *, codec: str | None = None) -> VectorIndex:
        """An IVF index holding this exact index's vectors, decoded and added in chunks (so
        no float32 copy of them all is ever made); this index is emptied afterwards."""
        ids = faiss.vector_to_array(self.index.id_map).astype(np.int64)
        flat = faiss.downcast_index(self.index.index)
        rng = np.random.default_rng(0)
        train = np.sort(rng.permutation(len(ids))[: ivf_lists(len(ids)) * 64])
        sample = (np.stack([flat.reconstruct(int(i)) for i in train]) if len(train)
                  else np.zeros((0, self.dim), np.float32))
        out = VectorIndex(self.dim, _trained_ivf(self.dim, sample, codec, n=len(ids)))
        for start in range(0, len(ids), ADD_CHUNK):
            out.add(ids[start:start + ADD_CHUNK], flat.reconstruct_n(start, min(ADD_CHUNK, len(ids) - start)))
        self.index.reset()
        return out

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                    np.asarray(ids, dtype=np.int64))

    def vectors_of(self, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of these ids (float32, as decoded from the stored codec)."""
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        for row, i in enumerate(np.asarray(ids, dtype=np.int64)):
            out[row] = self.index.reconstruct(int(i))
        return out

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
        vectors belong to (kb.search.index_db.vector_stamp), then the faiss index (an IVF one
        without its id map, 16 bytes a vector, which load() rebuilds)."""
        def write(handle: IO[bytes]) -> None:
            handle.write(HEADER + stamp.encode("ascii") + b"\n")
            faiss.write_index(self.index, faiss.PyCallbackIOWriter(handle.write))

        if not self.approximate:
            atomic_write_with(path, write)
            return
        self.index.set_direct_map_type(faiss.DirectMap.NoMap)
        try:
            atomic_write_with(path, write)
        finally:
            self.index.set_direct_map_type(faiss.DirectMap.Hashtable)

    @staticmethod
    def peek(path: Path) -> tuple[str, bool, int, int]:
        """(stamp, approximate, dimension, vector count) read from the first bytes of an index
        file without reading the vectors; raises RuntimeError/OSError if it is not one."""
        with path.open("rb") as handle:
            head = handle.readline(256)
            tag, fields = handle.read(4), handle.read(12)
        if not head.startswith(HEADER) or not head.endswith(b"\n") or len(fields) < 12:
            raise RuntimeError(f"{path.name} has no stamp (written by an older version?)")
        dim, count = struct.unpack("<iq", fields)  # faiss's index header: d, ntotal
        if tag == b"IxM2":  # an exact index: an id map around the flat index, same header
            pass
        elif tag not in IVF_TAGS:
            raise RuntimeError(f"{path.name} holds a kind of index this version does not write")
        return head[len(HEADER):-1].decode("ascii", "replace"), tag in IVF_TAGS, dim, count

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
        if _is_ivf(index) and index.direct_map.type == faiss.DirectMap.NoMap:
            index.set_direct_map_type(faiss.DirectMap.Hashtable)  # reconstruct and remove by id
        return cls(dim, index), head[len(HEADER):-1].decode("ascii", "replace")


ADD_CHUNK = 65_536  # vectors handed to faiss at once


def _return_outgrown_buffers() -> None:
    """Have glibc's malloc serve blocks of 64 KiB and more by mmap, so the buffers that faiss's
    inverted lists outgrow as an approximate index fills go back to the system instead of
    staying in the heap (a 1M-vector build held about 1.4 GB of RSS for 0.74 GB of vectors).
    Process-wide and glibc only; elsewhere nothing happens."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is not None and platform.libc_ver()[0] == "glibc":
        mallopt(M_MMAP_THRESHOLD, 64 * 1024)


def _trained_ivf(dim: int, sample: np.ndarray, codec: str | None, *, n: int) -> faiss.IndexIVF:
    """An IVF index for n vectors trained (on every core) on up to 64 vectors per list of
    `sample`."""
    _return_outgrown_buffers()
    ivf = _ivf(dim, n, codec)
    pick = np.random.default_rng(0).permutation(len(sample))[: ivf.nlist * 64]
    faiss.omp_set_num_threads(BUILD_THREADS)
    try:
        ivf.train(np.ascontiguousarray(sample[np.sort(pick)], dtype=np.float32))
    finally:
        faiss.omp_set_num_threads(1)
    ivf.set_direct_map_type(faiss.DirectMap.Hashtable)  # reconstruct and remove by id
    return ivf


def id_bitmap(ids: np.ndarray, upper: int) -> np.ndarray:
    """A little-endian bitmap (uint8) with the bits of `ids` set, covering ids < upper."""
    flags = np.zeros(max(upper, 1), dtype=bool)
    flags[ids] = True
    return np.packbits(flags, bitorder="little")
