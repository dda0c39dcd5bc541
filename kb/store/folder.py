"""The folder backend (the default): record JSON files (records/<id>.json), raw sources
(records/_sources/<sha256>.<ext>) and curated documents (records/_decisions.json) on disk,
writers serialised by a lock file."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Collection, Container, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock, Timeout
from pydantic import ValidationError

from kb.config import RECORDS_LOCK, index_dir, records_dir, sources_dir
from kb.errors import LockTimeout, RecordError, RecordExists, RecordNotFound
from kb.model.schema import Record
from kb.store.base import Backend, Change
from kb.store.files import (
    TMP_SUFFIX,
    atomic_write,
    atomic_write_with,
    clean_suffix,
    describe_validation_error,
    serialize,
)
from kb.store.journal import Changes, ChangeToken, WriteJournal

log = logging.getLogger(__name__)
LOCK_TIMEOUT_S = 600.0  # a writer waits this long for another (saying so), then gives up
STALE_TMP_S = 3600.0  # a temp file this old was left by a writer that died


def _age(path: Path, now: float) -> float:
    """Seconds since the file was last written (0 when it has just gone)."""
    try:
        return now - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


class Store:
    """The records of one knowledge-base home (the folder backend of kb.store.base.RecordStore)."""

    backend: Backend = "folder"

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.records = records_dir(self.home)
        self.sources = sources_dir(self.home)
        self.journal = WriteJournal(self.records)

    @property
    def location(self) -> str:
        return str(self.records)

    @property
    def cache_dir(self) -> Path:
        """.kb/ beside records/."""
        return index_dir(self.home)

    def close(self) -> None:
        """Nothing to close: files are opened per call."""

    # -- reading -------------------------------------------------------------------------
    def path_of(self, record_id: str) -> Path:
        """records/<id>.json; ids are validated so no path can escape records/."""
        Record(id=record_id)  # raises on an unsafe id
        return self.records / f"{record_id}.json"

    def ids(self) -> list[str]:
        """Ids of all stored records, sorted."""
        return sorted(name[:-5] for name, _ in self._record_entries())  # by id, not file name

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

    def readable(self) -> tuple[list[Record], list[str]]:
        """Every record that loads, and a one-line problem for each record file that does not."""
        records: list[Record] = []
        problems: list[str] = []
        for record_id in self.ids():
            try:
                records.append(self.load_file(self.records / f"{record_id}.json"))
            except RecordError as err:
                problems.append(str(err))
        return records, problems

    def stamps(self) -> dict[str, str]:
        """id → 'size:mtime_ns' of every record file."""
        return {name[:-5]: f"{size}:{mtime}" for name, size, mtime in self.fingerprint()}

    def stamp(self, record_id: str) -> str:
        st = self.path_of(record_id).stat()
        return f"{st.st_size}:{st.st_mtime_ns}"

    def source_bytes(self, sha: str) -> bytes | None:
        """The stored raw input with this hash (None if missing)."""
        path = self.source_path(sha)
        return path.read_bytes() if path is not None else None

    def source_hashes(self) -> list[str]:
        """The hashes of every kept source, sorted."""
        if not self.sources.is_dir():
            return []
        return sorted({p.name.split(".", 1)[0] for p in self.sources.iterdir()
                       if p.is_file() and not p.name.startswith(".")})

    def source_suffix(self, sha: str) -> str | None:
        path = self.source_path(sha)
        return path.name[len(sha):] if path is not None else None

    def read_document(self, name: str) -> bytes | None:
        """records/<name> (e.g. _decisions.json), None when absent."""
        path = self.records / name
        return path.read_bytes() if path.is_file() else None

    def can_write(self) -> bool:
        """Whether this process may write records/ (the folder's permissions say so)."""
        folder = self.records if self.records.exists() else self.home
        return os.access(folder, os.W_OK)

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """(name, size, mtime_ns) of every record file: changes whenever a record changes."""
        out = []
        for name, entry in self._record_entries():
            try:
                st = entry.stat()
            except FileNotFoundError:  # deleted since it was listed
                continue
            out.append((name, st.st_size, st.st_mtime_ns))
        return tuple(out)

    def _record_entries(self) -> list[tuple[str, os.DirEntry[str]]]:
        """(file name, directory entry) of every record file, by name (one directory read:
        at 100,000 records several times faster than globbing and sorting paths)."""
        try:
            with os.scandir(self.records) as entries:
                found = [(e.name, e) for e in entries
                         if e.name.endswith(".json") and not e.name.startswith(("_", "."))]
        except (FileNotFoundError, NotADirectoryError):
            return []
        return sorted(found, key=lambda pair: pair[0])

    def changes_since(self, token: ChangeToken | None) -> Changes:
        """The records this store object wrote since `token`, when nothing else touched
        records/ meanwhile (kb.store.journal); else ids None: compare fingerprints."""
        return self.journal.since(token)

    def stored_meanwhile(self, dois: Collection[str], *, known: Container[str] = ()) -> list[Record]:
        """No record: a folder's writers take turns under its lock, so none stored one meanwhile."""
        return []

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
        with self.journal.writing(record.id):
            atomic_write(path, data)
        log.info("saved %s", path)
        return True

    def insert(self, record: Record) -> None:
        """Save a new record; RecordExists when the id is taken (call under the lock)."""
        if self.path_of(record.id).exists():
            raise RecordExists(record.id)
        self.save(record)

    def update(self, record_id: str, change: Change) -> tuple[Record, bool]:
        """Load, change and save a record (call under the lock); a new id replaces the old file."""
        new = change(self.load(record_id))
        changed = self.save(new)
        if new.id != record_id:
            self.delete(record_id)
            changed = True
        return new, changed

    def write_document(self, name: str, data: bytes) -> None:
        """Write records/<name> atomically (call under the lock)."""
        with self.journal.writing(None):
            atomic_write(self.records / name, data)

    def delete(self, record_id: str) -> None:
        """Remove a record file (its sources stay, they may be shared)."""
        path = self.path_of(record_id)
        with self.journal.writing(record_id):
            path.unlink(missing_ok=True)

    def save_source_file(self, path: Path, sha: str, suffix: str) -> None:
        """Keep a (possibly large) input file as records/_sources/<sha><suffix>, streamed."""
        if self.source_path(sha) is not None:
            return
        def copy(out: BinaryIO) -> None:
            with path.open("rb") as src:
                while chunk := src.read(1 << 20):
                    out.write(chunk)

        atomic_write_with(self.sources / f"{sha}{clean_suffix(suffix)}", copy)

    def save_source(self, data: bytes, suffix: str) -> str:
        """Keep a raw input as records/_sources/<sha256><suffix>; returns the hash."""
        sha = hashlib.sha256(data).hexdigest()
        if self.source_path(sha) is None:
            atomic_write(self.sources / f"{sha}{clean_suffix(suffix)}", data)
        return sha
