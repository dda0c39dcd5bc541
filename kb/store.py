"""Read and write record JSON files (records/<id>.json) and raw sources (records/_sources/)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock, Timeout
from pydantic import ValidationError

from kb.config import RECORDS_LOCK, records_dir, sources_dir
from kb.errors import LockTimeout, RecordError, RecordNotFound
from kb.model.schema import Record

log = logging.getLogger(__name__)
LOCK_TIMEOUT_S = 600.0  # a writer waits this long for another (saying so), then gives up
TMP_SUFFIX = ".tmp"
STALE_TMP_S = 3600.0  # a temp file this old was left by a writer that died


def serialize(record: Record) -> str:
    """The canonical file text of a record: stable key order, 2-space indent, final newline."""
    return record.model_dump_json(indent=2) + "\n"


def describe_validation_error(path: Path | str, err: ValidationError) -> str:
    """One line naming the file, the first bad field and what is wrong with it."""
    first = err.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(record)"
    more = f" (and {err.error_count() - 1} more problems)" if err.error_count() > 1 else ""
    return f"{path}: field '{field}': {first['msg']}{more}"


@cache
def _file_mode() -> int:
    """The mode a new file gets under the process umask (mkstemp alone gives 0600, which a
    folder shared with a group could not read)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def fsync_dir(folder: Path) -> None:
    """Make a rename or delete in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems do not sync folders; the rename itself is still atomic
    finally:
        os.close(fd)


def atomic_write_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Let `write` fill a temporary file, then put it in place of `path` in one rename, so
    readers see the old or the new file, never a partial one; the file and the rename are
    synced to disk, and the file gets the mode the umask gives."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fchmod(handle.fileno(), _file_mode())
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_write(path: Path, data: bytes) -> None:
    """Write data to path atomically (see atomic_write_with)."""
    atomic_write_with(path, lambda handle: handle.write(data))


def _age(path: Path, now: float) -> float:
    """Seconds since the file was last written (0 when it has just gone)."""
    try:
        return now - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


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
        except FileNotFoundError as err:  # e.g. deleted by a merge since it was listed
            raise RecordNotFound(path.stem) from err
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
        return [r for rid in self.ids() if (r := self._load_listed(rid)) is not None]

    def _load_listed(self, record_id: str) -> Record | None:
        """A record listed a moment ago; None if it has been deleted since (by a merge)."""
        try:
            return self.load_file(self.records / f"{record_id}.json")
        except RecordNotFound:
            return None

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """(name, size, mtime_ns) of every record file: changes whenever a record changes."""
        if not self.records.is_dir():
            return ()
        out = []
        for path in sorted(self.records.glob("*.json")):
            if path.name.startswith("_"):
                continue
            try:
                st = path.stat()
            except FileNotFoundError:  # deleted since it was listed
                continue
            out.append((path.name, st.st_size, st.st_mtime_ns))
        return tuple(out)

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
        """Every problem found in records/: invalid files, sources whose hash does not match,
        kept sources no record refers to, and temporary files left by interrupted writes."""
        referenced: set[str] = set()
        yield from self._record_problems(referenced)
        if self.sources.is_dir():
            for path in sorted(self.sources.iterdir()):
                if not path.name.startswith(".") and path.name.split(".", 1)[0] not in referenced:
                    yield f"{path}: a kept source that no record refers to (safe to delete)"
        for path in self.stale_temp_files(older_than=60):  # not one being written now
            yield f"{path}: a temporary file left by an interrupted write (the next write removes it)"

    def _record_problems(self, referenced: set[str]) -> Iterator[str]:
        for rid in self.ids():
            try:
                record = self.load_file(self.records / f"{rid}.json")
            except RecordNotFound:
                continue  # deleted since it was listed
            except RecordError as err:
                yield str(err)
                continue
            for src in record.sources:
                referenced.add(src.sha256)
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
        lock = FileLock(str(self.records / RECORDS_LOCK))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            log.warning("another process is writing to %s; waiting for it (up to %.0f s)",
                        self.records, timeout)
            try:
                lock.acquire(timeout=timeout)
            except Timeout as err:
                raise LockTimeout(
                    f"another process has been writing to {self.records} for more than "
                    f"{timeout:.0f} s (lock {RECORDS_LOCK}); try again when it is done") from err
        try:
            self.remove_stale_temp()
            yield
        finally:
            lock.release()

    def stale_temp_files(self, older_than: float = STALE_TMP_S) -> list[Path]:
        """Temporary files in records/ and _sources/ left by writers that died."""
        now = time.time()
        found = []
        for folder in (self.records, self.sources):
            if folder.is_dir():
                found += [p for p in folder.glob(f".*{TMP_SUFFIX}") if _age(p, now) > older_than]
        return sorted(found)

    def remove_stale_temp(self) -> None:
        """Delete stale temporary files (the writer lock is held, so none is being written)."""
        for path in self.stale_temp_files():
            log.info("removing %s, left by an interrupted write", path)
            path.unlink(missing_ok=True)

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
