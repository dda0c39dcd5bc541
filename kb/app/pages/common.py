"""Resources shared by the pages, loaded once per process (Streamlit caches), and the few
widgets every page uses (empty-KB help, the comparison basket)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from kb.app import basket
from kb.app.library_view import readable_records
from kb.app.search_form import FilterOptions, filter_options
from kb.app.ui_text import meta_line
from kb.config import kb_home
from kb.dedup.index import DedupIndex
from kb.embed import Embedder
from kb.errors import KBError
from kb.model.present import LibraryRow, display_title
from kb.model.schema import Record
from kb.model.taxonomy import Taxonomy, load_taxonomy
from kb.ops.warmup import WarmStatus, Warmup, shared_warmup
from kb.search.live import LiveIndex
from kb.store import RecordStore, open_store
from kb.synthesis.evidence import source_label

_HERE = Path(__file__).resolve().parent
PAGES = {name: str(_HERE / f"{file}.py") for name, file in (
    ("search", "search"), ("record", "record"), ("compare", "compare"), ("map", "evidence_map"),
    ("add", "add"), ("library", "library"))}
BASKET = "basket"


@st.cache_resource(show_spinner=False)
def _store(home: str) -> RecordStore:
    return open_store(Path(home))  # the team database of KB_DATABASE_URL, else the folder


def get_store() -> RecordStore:
    """The knowledge base the app serves (KB_DATABASE_URL, else KB_HOME or the repository's
    records/), opened once."""
    return _store(str(kb_home()))


# cache_resource, not cache_data: the same objects are handed out, never a pickled copy per call
# (copying 1,000 records took about a second per page run); pages never modify them.
@st.cache_resource(show_spinner=False, max_entries=2)
def _loaded(home: str, fingerprint: tuple) -> tuple[list[Record], list[str]]:
    return readable_records(_store(home))


def load_records() -> list[Record]:
    """All records that load, reloaded only when a record file changed; a broken file is
    left out with a warning (the Library page lists the problems)."""
    store = get_store()
    records, problems = _loaded(str(store.home), store.fingerprint())
    if problems:
        st.warning(f"{len(problems)} record file(s) could not be read and are left out — see "
                   "the check on the Library page.", icon=":material/error:")
    return records


def record_title(record_id: str) -> str:
    """A record's title, or its marked stand-in (kb.model.present.display_title), read from that
    record alone; the id when it cannot be read."""
    try:
        return display_title(get_store().load(record_id))
    except KBError:
        return record_id


def records_by_id() -> dict[str, Record]:
    """All records by id."""
    return {r.id: r for r in load_records()}


def get_catalog() -> list[LibraryRow]:
    """Every record's library row, newest first, from the search index (kb.search.catalog): no
    record file is read; a file that could not be read is named by warn_unreadable()."""
    live = get_index()
    rows = live.catalog()
    warn_unreadable(live)
    return rows


def warn_unreadable(live: LiveIndex) -> None:
    """The one warning line when the index's last full look found record files it could not read."""
    if live.problems:
        st.warning(f"{len(live.problems)} record file(s) could not be read and are left out — see "
                   "the check on the Library page.", icon=":material/error:")


@st.cache_resource(show_spinner=False)
def get_taxonomy() -> Taxonomy:
    """The theme taxonomy (kb/taxonomy.toml)."""
    return load_taxonomy()


def theme_labels() -> dict[str, str]:
    """Theme id -> label."""
    return {t.id: t.label for t in get_taxonomy().themes}


def get_filter_options(live: LiveIndex) -> FilterOptions:
    """The search filters' choices for what the index holds now (its facets: no record file is
    read)."""
    return filter_options(live.facets(), get_taxonomy())


def _warmup(home: str) -> Warmup:
    return shared_warmup(_store(home))  # the one `kb app` started before serving, if it did


def warm_in_background() -> WarmStatus:
    """Start loading the index and models on a background thread (once per process; the page
    paints meanwhile) and say how far it is."""
    return _warmup(str(get_store().home)).status()


def get_index() -> LiveIndex:
    """The search index (and with it the embedding model), opened once per process and
    refreshed when records/ changes; waits for the background warm-up until searches can run
    (the multilingual model may still be loading: warm_in_background() says so)."""
    warm = _warmup(str(get_store().home))
    if not warm.wait_searchable(0):
        with st.spinner(warm.status().message + "…"):
            warm.wait_searchable()
    warm.live.current()
    return warm.live


@st.cache_resource(show_spinner=False)
def _embedder(home: str) -> Embedder:
    from kb.embed import cached_embedder

    return cached_embedder(Path(home))


def get_embedder() -> Embedder:
    """The embedding model with this knowledge base's vector cache (compare alignment)."""
    with st.spinner("Loading the embedding model…"):
        return _embedder(str(get_store().home))


@st.cache_resource(show_spinner=False)
def _enricher(home: str):
    from kb.ops.enrich import Enricher

    return Enricher(Path(home), taxonomy=get_taxonomy(), embedder=_embedder(home))


def get_enricher():
    """The extraction step (findings, study facts, themes) bound to this knowledge base."""
    return _enricher(str(get_store().home))


@st.cache_resource(show_spinner=False, max_entries=2)
def _dedup(home: str, fingerprint: tuple) -> DedupIndex:
    from kb.ops.intake import dedup_index

    return dedup_index(_store(home))


def get_dedup() -> DedupIndex:
    """Dedup keys of the stored records, rebuilt when records/ changes (use a copy to add to)."""
    store = get_store()
    return _dedup(str(store.home), store.fingerprint())


def empty_kb_help() -> None:
    """What to do when the knowledge base has no records yet."""
    st.info("This knowledge base has no records yet. Add a publication — paste an abstract or "
            "upload a RIS, BibTeX, MEDLINE, PubMed XML, CSL-JSON or CSV export — on the "
            "**Add publication** page, or from a terminal with `kb ingest PATH…`.",
            icon=":material/library_add:")
    st.page_link(PAGES["add"], label="Add publication", icon=":material/library_add:")


# -- the comparison basket -----------------------------------------------------------------------
def get_basket() -> list[str]:
    """The record ids picked for comparison: kept in session state and in the URL (`?basket=…`),
    so a reload or the same URL in a new tab keeps them; a new session starts from the URL."""
    if BASKET not in st.session_state:
        st.session_state[BASKET] = basket.keep_order(st.query_params.get_all(BASKET))
    return st.session_state[BASKET]


def set_basket(ids: list[str]) -> None:
    st.session_state[BASKET] = list(ids)
    _basket_to_url(list(ids))


def _basket_to_url(ids: list[str]) -> None:
    """The URL's basket equal to `ids` (no parameter when empty); pages switch URLs, so every
    run puts it back."""
    if st.query_params.get_all(BASKET) != ids:
        if ids:
            st.query_params[BASKET] = ids
        elif BASKET in st.query_params:
            del st.query_params[BASKET]


def _toggle(record_id: str) -> None:
    set_basket(basket.toggle(get_basket(), record_id))


def basket_button(record_id: str, key: str) -> None:
    """'Add to comparison' / 'Remove from comparison' for one record."""
    state = basket.button(get_basket(), record_id)
    st.button(state.label, icon=state.icon, key=key, disabled=state.disabled,
              help=state.help or None, on_click=_toggle, args=(record_id,),
              type="secondary" if state.adds else "tertiary")


def records_of(ids: list[str]) -> dict[str, Record]:
    """The records of these ids that exist and load, each read alone (not the whole knowledge
    base: the basket holds at most a few)."""
    store, out = get_store(), {}
    for record_id in ids:
        try:
            out[record_id] = store.load(record_id)
        except KBError:
            continue
    return out


def basket_sidebar() -> None:
    """The basket in the sidebar: its records (each removable) and a link to Compare."""
    records = records_of(get_basket())
    ids = basket.keep_known(get_basket(), set(records))
    if ids != get_basket():
        set_basket(ids)
    _basket_to_url(ids)
    with st.sidebar:
        st.markdown("**Comparison**")
        if not ids:
            st.caption("Add records from Search, Record or Library to compare them.")
            return
        for rid in ids:
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.caption(meta_line(source_label(records[rid])))
            right.button("", icon=":material/close:", key=f"basket_remove_{rid}", type="tertiary",
                         help="Remove from comparison", on_click=_toggle, args=(rid,))
        st.page_link(PAGES["compare"], label=basket.status(ids), icon=":material/compare_arrows:",
                     disabled=not basket.is_ready(ids))
