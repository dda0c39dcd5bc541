"""In-memory filter columns: full load and incremental extension agree."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kb.search.columns import FilterArrays
from kb.search.index import Index
from kb.store import Store


def test_extended_equals_reloaded(shipped_copy: Path) -> None:
    index = Index.open(shipped_copy, multilingual=False)
    store = Store(shipped_copy)
    record = store.load("john-snow-discussion-paper")
    store.save(record.model_copy(update={"year": 2019, "resource_type": "report"}))
    index.refresh()
    reloaded = FilterArrays.load(index.require_db())
    for name in ("fid", "rid", "kind", "year", "langs", "themes"):
        assert np.array_equal(getattr(index.arrays, name), getattr(reloaded, name)), name
    names = {c: n for n, c in index.arrays.rtype_codes.items()}
    assert [names[c] for c in index.arrays.rtype] == [
        {c: n for n, c in reloaded.rtype_codes.items()}[c] for c in reloaded.rtype]
    assert 2019 in index.arrays.year.tolist() and "report" in index.arrays.rtype_codes
    assert index.arrays.upper == int(index.arrays.fid.max()) + 1
