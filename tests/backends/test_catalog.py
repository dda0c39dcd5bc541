"""The library rows and theme support the app lists come from the search index on both
backends (kb.search.catalog): equal to what the records themselves give, and following a
curator's edit and a new record without anyone reading every record."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from kb.model.present import library_rows
from kb.model.schema import Finding, Record, Section
from kb.ops.migrate import migrate
from kb.search.live import LiveIndex
from kb.store import RecordStore, Store
from tests.conftest import ROOT


@pytest.fixture
def loaded(backend_store: RecordStore) -> RecordStore:
    """The backend under test holding the shipped records."""
    migrate(Store(ROOT), backend_store)
    return backend_store


def _support(records: list[Record]) -> tuple[dict[str, set[str]], Counter[str]]:
    ids: dict[str, set[str]] = defaultdict(set)
    findings: Counter[str] = Counter()
    for record in records:
        for finding in record.findings:
            for theme in set(finding.themes):
                ids[theme].add(record.id)
                findings[theme] += 1
    return ids, findings


def test_the_catalog_is_every_records_library_row(loaded: RecordStore) -> None:
    live = LiveIndex(loaded)
    records = loaded.load_all()
    assert live.catalog() == library_rows(records)
    assert [r.id for r in live.catalog()][:2] == ["chuang-2025-collaboration-strategies",
                                                  "safaeinili-2025-assess-multi-level"]
    support = live.theme_support()
    ids, findings = _support(records)
    assert {t: set(v) for t, v in support.records.items()} == ids
    assert support.findings == dict(findings) and findings["cross-sector-coordination"] > 1


def test_the_catalog_follows_an_edit_and_a_new_record(loaded: RecordStore) -> None:
    live = LiveIndex(loaded)
    assert {r.status for r in live.catalog()} == {"unreviewed"}
    edited = loaded.load("chuang-2025-collaboration-strategies")
    edited.review.status = "reviewed"
    loaded.save(edited)
    text = "Lighthouse keepers coordinated nine island clinics."
    loaded.insert(Record(id="keeper-2019-lighthouse", title="Lighthouse clinics", year=2019,
                         abstract=[Section(role="results", text=text)],
                         findings=[Finding(id="f1", kind="result", text=text, section=0, role="results",
                                           span=(0, len(text)), themes=["rural"])]))
    rows = {r.id: r for r in live.catalog()}
    assert rows["chuang-2025-collaboration-strategies"].status == "reviewed"
    assert rows["keeper-2019-lighthouse"].title == "Lighthouse clinics" and rows["keeper-2019-lighthouse"].year == 2019
    assert list(rows)[-3] == "keeper-2019-lighthouse"  # dated records newest first, undated last
    assert "keeper-2019-lighthouse" in live.theme_support().records["rural"]
