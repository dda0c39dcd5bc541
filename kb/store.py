"""Read and write record JSON files (records/<id>.json) and raw sources (records/_sources/)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock, Timeout
from pydantic import ValidationError

from kb.config import RECORDS_LOCK, records_dir, sources_dir
from kb.errors import LockTimeout, RecordError, RecordNotFound
from kb.model.schema import Record

log = logging.getLogger(__name__)
LOCK_TIMEOUT_S = 30.0


def serialize(record: Record) -> str:
    """The canonical file text of a record: stable key order, 2-space indent, final newline."""
    return record.model_dump_json(indent=2) + "\n"


def describe_validation_error(path: Path | str, err: ValidationError) -> str:
    """One line naming the file, the first bad field and what is wrong with it."""
    first = err.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(record)"
    more = f" (and {err.error_count() - 1} more problems)" if err.error_count() > 1 else ""
    return f"{path}: field '{field}': {first['msg']}{more}"


def atomic_write_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Let `write` fill a temporary file, then put it in place of `path` in one rename, so
    readers see the old or the new file, never a partial one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes) -> None:
    """Write data to path atomically (see atomic_write_with)."""
    atomic_write_with(path, lambda handle: handle.write(data))


def _clean_suffix(suffix: str) -> str:
    """A safe, lower-case file suffix for a kept source ('.txt' when odd)."""
    return suffix.lower() if suffix and suffix[1:].replace(".", "").isalnum() and len(suffix) <= 8 else ".txt"


class Store:
    """The records of one knowledge-base home."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.records = records_dir(self.home)
        self.sources = sources_dir(self.home)

    # -- reading -------------------------------------------------------------------------
    def path_of(self, record_id: str) -> Path:
        """records/<id>.json; ids are validated so no path can escape records/."""
        Record(id=record_id)  # raises on an unsafe id
        return self.records / f"{record_id}.json"

    def ids(self) -> list[str]:
        """Ids of all stored records, sorted."""
        if not self.records.is_dir():
            return []
        return sorted(p.stem for p in self.records.glob("*.json") if not p.name.startswith("_"))

    def load(self, record_id: str) -> Record:
        """Load and validate one record."""
        try:
            path = self.path_of(record_id)
        except ValidationError as err:
            raise RecordNotFound(record_id) from err
        if not path.is_file():
            raise RecordNotFound(record_id)
        return self.load_file(path)

    def load_file(self, path: Path) -> Record:
        """Load and validate a record file, naming the file and field on error."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise RecordError(f"{path}: not valid JSON ({err})") from err
        try:
            record = Record.model_validate(data)
        except ValidationError as err:
            raise RecordError(describe_validation_error(path, err)) from err
        if record.id != path.stem:
            raise RecordError(f"{path}: field 'id': '{record.id}' does not match the file name")
        return record

    def load_all(self) -> list[Record]:
        """All records, validated, in id order."""
        return [self.load_file(self.records / f"{rid}.json") for rid in self.ids()]

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """(name, size, mtime_ns) of every record file: changes whenever a record changes."""
        if not self.records.is_dir():
            return ()
        return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns)
                     for p in sorted(self.records.glob("*.json")) if not p.name.startswith("_"))

    def source_text(self, sha: str) -> str | None:
        """The stored raw input as text (None if missing or not text)."""
        path = self.source_path(sha)
        if path is None:
            return None
        try:
            return path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            return None

    def iter_problems(self) -> Iterator[str]:
        """Every problem found in records/: invalid files and sources whose hash does not match."""
        for rid in self.ids():
            try:
                record = self.load_file(self.records / f"{rid}.json")
            except RecordError as err:
                yield str(err)
                continue
            for src in record.sources:
                yield from self._source_problems(record, src.sha256)

    def _source_problems(self, record: Record, sha: str) -> Iterator[str]:
        matches = list(self.sources.glob(f"{sha}.*")) if self.sources.is_dir() else []
        if not matches:
            yield f"{record.id}: source file {sha[:12]}… is missing from records/_sources/"
            return
        actual = hashlib.sha256(matches[0].read_bytes()).hexdigest()
        if actual != sha:
            yield f"{record.id}: source file {matches[0].name} was changed (hash {actual[:12]}…)"

    def source_path(self, sha: str) -> Path | None:
        """The stored raw input with this hash, if any."""
        matches = sorted(self.sources.glob(f"{sha}.*")) if self.sources.is_dir() else []
        return matches[0] if matches else None

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def lock(self, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
        """Hold the writer lock of this knowledge base."""
        self.records.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.records / RECORDS_LOCK), timeout=timeout)
        try:
            with lock:
                yield
        except Timeout as err:
            raise LockTimeout(
                f"another process is writing to {self.records} (lock {RECORDS_LOCK}); try again"
            ) from err

    def save(self, record: Record) -> bool:
        """Write a record atomically; returns False when the file already had these exact bytes."""
        if not record.id:
            raise RecordError("cannot save a record without an id")
        record = Record.model_validate(record.model_dump())
        path = self.path_of(record.id)
        data = serialize(record).encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            return False
        atomic_write(path, data)
        log.info("saved %s", path)
        return True

    def delete(self, record_id: str) -> None:
        """Remove a record file (its sources stay, they may be shared)."""
        self.path_of(record_id).unlink(missing_ok=True)

    def save_source_file(self, path: Path, sha: str, suffix: str) -> None:
        """Keep a (possibly large) input file as records/_sources/<sha><suffix>, streamed."""
        if self.source_path(sha) is not None:
            return
        self.sources.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{sha}.", suffix=".tmp", dir=self.sources)
        try:
            with os.fdopen(fd, "wb") as out, path.open("rb") as src:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.sources / f"{sha}{_clean_suffix(suffix)}")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def save_source(self, data: bytes, suffix: str) -> str:
        """Keep a raw input as records/_sources/<sha256><suffix>; returns the hash."""
        sha = hashlib.sha256(data).hexdigest()
        if self.source_path(sha) is None:
            atomic_write(self.sources / f"{sha}{_clean_suffix(suffix)}", data)
        return sha
