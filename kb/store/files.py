"""What both storage backends share: the canonical text of a record, atomic file writes, and
one-line descriptions of validation errors."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from kb.model.schema import Record

TMP_SUFFIX = ".tmp"


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


_DEFERRED_SYNCS: ContextVar[set[Path] | None] = ContextVar("kb_deferred_folder_syncs", default=None)


@contextmanager
def synced_together() -> Iterator[None]:
    """Within this block, the atomic writes' folder syncs are made once each when it ends, so
    a batch of records becomes durable together (a group commit: one folder sync for a chunk
    of records instead of one per record). Each write stays atomic and its data is synced
    before its rename as always; only the renames of the block wait for its end."""
    if _DEFERRED_SYNCS.get() is not None:  # already inside one: its end syncs these too
        yield
        return
    folders: set[Path] = set()
    token = _DEFERRED_SYNCS.set(folders)
    try:
        yield
    finally:
        _DEFERRED_SYNCS.reset(token)
        for folder in sorted(folders):
            fsync_dir(folder)


def _sync_folder(folder: Path) -> None:
    deferred = _DEFERRED_SYNCS.get()
    if deferred is None:
        fsync_dir(folder)
    else:
        deferred.add(folder)


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
    _sync_folder(path.parent)


def atomic_write(path: Path, data: bytes) -> None:
    """Write data to path atomically (see atomic_write_with)."""
    atomic_write_with(path, lambda handle: handle.write(data))


def clean_suffix(suffix: str) -> str:
    """A safe, lower-case file suffix for a kept source ('.txt' when odd)."""
    return suffix.lower() if suffix and suffix[1:].replace(".", "").isalnum() and len(suffix) <= 8 else ".txt"
