"""The app unchanged on both backends: every page under AppTest on a copy of the shipped records
in a folder or in a PostgreSQL database (KB_DATABASE_URL), with the same search answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kb.ops.migrate import migrate
from kb.store import RecordStore, Store

ROOT = Path(__file__).resolve().parents[2]
CHUANG = "chuang-2025-collaboration-strategies"
PAGES = {"record": {"id": CHUANG}, "compare": {"ids": [CHUANG, "improve-integration-health"]},
         "evidence_map": {}, "add": {}, "library": {}}


@pytest.fixture
def loaded(backend_store: RecordStore) -> RecordStore:
    migrate(Store(ROOT), backend_store)
    return backend_store


def _open(page: str, params: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if page != "search":
        at.run()
        at.switch_page(f"kb/app/pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_search_page(loaded: RecordStore) -> None:
    at = _open("search", {"q": "strategies for collaboration between health and social services"})
    groups = [m.value for m in at.markdown if re.match(r"\*\*\d+\. ", str(m.value))]
    assert groups and "Collaboration strategies" in groups[0]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_renders(loaded: RecordStore, page: str) -> None:
    at = _open(page, PAGES[page])
    text = "\n".join(str(m.value) for m in [*at.markdown, *at.title, *at.caption, *at.header, *at.subheader])
    assert text.strip() and not at.error, [e.value for e in at.error]
