"""The vectors of an index that is rebuilt from scratch (`kb reindex --full`), kept for the
rebuild: the index's vector files are the only stored copy of its vectors (the embedding cache
does not hold them), so before the old index is deleted its vectors are written, by model and
text hash, to a side database the rebuild reads, which is deleted when the rebuild is done."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import numpy as np

from kb.embed import text_hash
from kb.search import index_db
from kb.search.spaces import VECTOR_SQL, Space

log = logging.getLogger(__name__)
CHUNK = 4096


class KeptVectors:
    """Vectors by (model id, text hash), in a side SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(str(path), check_same_thread=False)
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, sha TEXT, vec BLOB, "
                        "PRIMARY KEY (model, sha)) WITHOUT ROWID")

    @classmethod
    def keep(cls, path: Path, db: sqlite3.Connection, spaces: list[Space]) -> KeptVectors:
        """Write the vectors of these spaces (current over `db`) to a new side file."""
        path.unlink(missing_ok=True)
        kept = cls(path)
        for space in spaces:
            rows = db.execute(VECTOR_SQL[space.table])
            while chunk := rows.fetchmany(CHUNK):
                vecs = space.vectors.vectors_of(np.array([r[0] for r in chunk], dtype=np.int64))
                kept.db.executemany(
                    "INSERT OR IGNORE INTO vectors VALUES (?, ?, ?)",
                    [(space.model_id, text_hash(index_db.vector_text(text, title)),
                      v.astype(np.float16).tobytes())
                     for (_, text, title), v in zip(chunk, vecs, strict=True)])
        kept.db.commit()
        return kept

    def find(self, model_id: str, texts: list[str], dim: int) -> dict[str, np.ndarray]:
        """text → its kept vector (float32 of the float16 stored), for the texts kept."""
        keys = {text_hash(t): t for t in texts}
        out: dict[str, np.ndarray] = {}
        shas = list(keys)
        for i in range(0, len(shas), 500):
            chunk = shas[i:i + 500]
            for sha, blob in self.db.execute(
                    f"SELECT sha, vec FROM vectors WHERE model = ? AND sha IN ({','.join('?' * len(chunk))})",
                    [model_id, *chunk]):
                if len(blob) == 2 * dim:
                    out[keys[sha]] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        return out

    def close(self) -> None:
        """Close and delete the side file."""
        self.db.close()
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
