"""Resources shared by the pages, loaded once per process (Streamlit caches)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from kb.config import kb_home
from kb.schema import Record
from kb.store import Store


@st.cache_resource
def _store(home: str) -> Store:
    return Store(Path(home))


def get_store() -> Store:
    """The knowledge base the app serves (KB_HOME or the repository's records/), opened once."""
    return _store(str(kb_home()))


@st.cache_data(show_spinner=False)
def _records(home: str, fingerprint: tuple) -> list[Record]:
    return _store(home).load_all()


def load_records() -> list[Record]:
    """All records, reloaded only when a record file changed."""
    store = get_store()
    return _records(str(store.home), store.fingerprint())


def empty_kb_help() -> None:
    """What to do when the knowledge base has no records yet."""
    st.info("This knowledge base has no records yet. Add publications with "
            "`kb ingest PATH…` (text files, folders, or `-` for pasted text).")
