"""Record files written by older versions of the schema, brought up to the current one when
they are read (one step per version; a file from a newer version is refused)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Data = dict[str, Any]


def _v1_to_v2(data: Data) -> Data:
    """Version 2 adds the review history and the removed findings (both start empty)."""
    review = dict(data.get("review") or {})
    review.setdefault("history", [])
    review.setdefault("removed_findings", [])
    return {**data, "review": review}


STEPS: dict[int, Callable[[Data], Data]] = {1: _v1_to_v2}


def migrate(data: Data, current: int) -> Data:
    """The record data at schema version `current` (unchanged when it already is)."""
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or version < 1:
        raise ValueError(f"schema_version {version!r} is not a version number")
    if version > current:
        raise ValueError(f"schema_version {version} is newer than this program's {current}; "
                         "update Evidence KB to read this record")
    while version < current:
        data = STEPS[version](data)
        version += 1
        data["schema_version"] = version
    return data
