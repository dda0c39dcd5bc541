"""Adding one record to a large index costs what that record costs (issue 19): the vector stamp
is kept, not recomputed (tests/search/test_vector_stamp.py), and a caller that knows which
records it saved can name them, so records/ is not scanned."""

from __future__ import annotations

import os
from pathlib import Path

from kb.search.index import Index
from kb.store import Store


def _ids(index: Index) -> set[str]:
    return {r[0] for r in index.require_db().execute("SELECT id FROM records")}


def test_named_records_are_added_edited_and_removed_alone(shipped_copy: Path) -> None:
    index = Index.open(shipped_copy)
    store = Store(shipped_copy)
    before = _ids(index)
    base = store.load("john-snow-discussion-paper")
    store.save(base.model_copy(update={"id": "named-copy"}))
    store.save(base.model_copy(update={"id": "unnamed-copy"}))
    report = index.update(records=["named-copy"])
    assert (report.added, report.updated, report.removed) == (1, 0, 0)
    assert _ids(index) == before | {"named-copy"}  # the unnamed one waits for a full refresh
    findings = index.require_db().execute("SELECT count(*) FROM findings").fetchone()[0]
    assert index.vectors.size == findings

    edited = store.load("named-copy")
    edited.findings = edited.findings[:1]
    store.save(edited)
    report = index.update(records=["named-copy", "no-such-record"])
    assert (report.added, report.updated, report.removed) == (0, 1, 0)
    assert index.vectors.size == findings - len(base.findings) + 1

    os.remove(shipped_copy / "records" / "named-copy.json")
    report = index.update(records=["named-copy"])
    assert (report.added, report.updated, report.removed) == (0, 0, 1)
    assert _ids(index) == before
    report = index.update()
    assert (report.added, report.removed) == (1, 0) and "unnamed-copy" in _ids(index)
    index.close()
    again = Index.open(shipped_copy)
    assert not again.last_report.rebuilt and not again.last_report.changed
