"""Library page: every record in a table with year, type, review status and flags; filters;
selected rows can be opened, compared or exported; `kb check` problems are listed. Its other tabs
review possible duplicates and list the merges that can be undone."""

from functools import partial

import streamlit as st

from kb.app import basket
from kb.app.library_view import LibraryFilter, filter_rows, library_choices
from kb.app.pages.common import (
    PAGES,
    empty_kb_help,
    get_catalog,
    get_store,
    records_of,
    set_basket,
)
from kb.app.pages.duplicates_panel import show_merges, show_queue
from kb.app.ui_text import md_text
from kb.export.references import SUFFIX, export_text
from kb.model.present import LibraryRow

MAX_TABLE_ROWS = 5_000  # rows the table draws; the filters reach the others
AUTO_CHECK_RECORDS = 2_000  # up to this many records the check runs whenever the page opens
EXPORTS = {"ris": "RIS", "bibtex": "BibTeX", "csl-json": "CSL-JSON", "csv": "Evidence table (CSV)"}

st.title("Library")
catalog = get_catalog()  # the rows come from the search index: no record file is read for them
if not catalog:
    empty_kb_help()
    st.stop()


@st.cache_data(show_spinner="Checking records and sources…", max_entries=2)
def _problems(home: str, fingerprint: tuple) -> list[str]:
    return list(get_store().iter_problems())


def _export(ids: list[str], fmt: str) -> str:
    """The export of these records, each read when the download is asked for."""
    return export_text(list(records_of(ids).values()), fmt)


def records_tab(rows: list[LibraryRow]) -> None:
    """The table of records with its filters, actions and exports."""
    choices = library_choices(rows)
    text_col, type_col, status_col, flag_col = st.columns([3, 2, 2, 1.3], vertical_alignment="bottom")
    text = text_col.text_input("Filter", key="lib_text", placeholder="Words of the title, authors, venue or id")
    types = type_col.multiselect("Type", choices.types, key="lib_type")
    statuses = status_col.multiselect("Review status", choices.statuses, key="lib_status")
    flagged = flag_col.toggle("Flagged only", key="lib_flagged")
    shown = filter_rows(rows, LibraryFilter(text=text, types=types, statuses=statuses,
                                            flagged_only=flagged))
    listed = shown[:MAX_TABLE_ROWS]
    more = f" (the first {len(listed):,} listed; filter to see the others)" if len(listed) < len(shown) else ""
    st.caption(f"{len(shown):,} of {len(rows):,} records{more} · select rows to open, compare or export them")
    event = st.dataframe(
        [row.model_dump() | {"year": str(row.year or "")} for row in listed], hide_index=True, key="library_table",
        on_select="rerun", selection_mode="multi-row",
        column_order=["title", "authors", "year", "venue", "resource_type", "languages",
                      "findings", "status", "flags", "id"],
        column_config={"title": st.column_config.TextColumn("Title", width="large"),
                       "authors": "Authors", "year": "Year",
                       "venue": "Venue", "resource_type": "Type", "languages": "Languages",
                       "findings": "Findings", "status": "Review", "flags": "Review flags", "id": "Id"})
    picked = [listed[i].id for i in event.selection.rows if i < len(listed)]
    chosen = picked or [r.id for r in shown]

    what = "selected" if picked else "shown"
    with st.container(horizontal=True, vertical_alignment="center"):
        if len(picked) == 1:
            st.page_link(PAGES["record"], label="Open record", icon=":material/description:",
                         query_params={"id": picked[0]})
        if st.button("Compare selected", key="lib_compare", icon=":material/compare_arrows:",
                     disabled=not basket.is_ready(picked), help="Select 2 to 5 rows to compare them"):
            set_basket(picked)
            st.switch_page(PAGES["compare"])
        for fmt, label in EXPORTS.items():
            st.download_button(label, partial(_export, chosen, fmt), key=f"lib_export_{fmt}",
                               file_name=f"records{SUFFIX[fmt]}", on_click="ignore",
                               icon=":material/download:", disabled=not chosen,
                               help=f"Export the {len(chosen)} {what} records as {label}")


# Only the open tab runs (its keys, e.g. the review queue's M/N/S, act only there); the tab is in the URL.
tab_records, tab_pairs, tab_merges = st.tabs(["Records", "Possible duplicates", "Merges"], key="tab",
                                             bind="query-params", on_change="rerun")
if tab_records.open:
    with tab_records:
        records_tab(catalog)
if tab_pairs.open:
    with tab_pairs:
        show_queue()  # pairs come from the dedup key cache; only the shown pair is read
if tab_merges.open:
    with tab_merges:
        show_merges()


def _check() -> list[str] | None:
    """`kb check`'s problems: run at once on a small knowledge base, on request on a large one
    (it reads every record file and every kept source); None until it has run."""
    store = get_store()
    if len(catalog) > AUTO_CHECK_RECORDS and not st.session_state.get("lib_check_asked"):
        return None
    return _problems(str(store.home), store.fingerprint())


problems = _check()
if problems is None:
    with st.expander("Check: not run yet", icon=":material/rule:"):
        st.caption(f"Validates all {len(catalog):,} record files and verifies every kept source's hash "
                   "(`kb check`); on a knowledge base this size it takes a while.")
        st.button("Run the check", key="lib_check", icon=":material/rule:",
                  on_click=lambda: st.session_state.update(lib_check_asked=True))
else:
    with st.expander(f"Check: {len(problems)} problem(s) found" if problems else "Check: no problems found",
                     icon=":material/error:" if problems else ":material/check_circle:",
                     expanded=bool(problems)):
        st.caption("Every record file is validated and every kept source's hash verified (`kb check`).")
        for problem in problems:
            st.markdown(f"- {md_text(problem)}")
