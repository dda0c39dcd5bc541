"""Search page: one query box (Enter searches), filters in the sidebar, findings grouped by record
with the matched words in bold. The query and filters live in the URL, so a search can be shared."""

import streamlit as st

from kb.app.pages.common import (
    PAGES,
    basket_button,
    empty_kb_help,
    get_filter_options,
    get_index,
    record_title,
    theme_labels,
    warm_in_background,
    warn_unreadable,
)
from kb.app.search_form import build_filters
from kb.app.ui_text import (
    count_line,
    group_md,
    language_name,
    md_text,
)

BIND = "query-params"

st.title("Search")
query = st.text_input(
    "Search findings", key="q", bind=BIND, icon=":material/search:",
    placeholder="Ask a question or type a few words, then press Enter — "
                "e.g. barriers to sustaining whole person care pilots")
live = get_index()  # the box paints first; a large knowledge base's index may still be opening
facets = live.facets()
if not facets.records:
    empty_kb_help()
    st.stop()
warn_unreadable(live)
options = get_filter_options(live)

with st.sidebar:
    st.markdown("**Filters**")
    kinds = st.multiselect("Finding kind", options.kinds, key="kind", bind=BIND)
    themes = st.multiselect("Theme", list(options.themes), key="theme", bind=BIND,
                            format_func=lambda t: options.themes.get(t, t))
    years = None
    if options.has_year_range:
        years = st.slider("Year", options.year_min, options.year_max, key="year", bind=BIND,
                          value=(options.year_min, options.year_max))
    designs = st.multiselect("Study design", options.designs, key="design", bind=BIND)
    populations = st.multiselect("Population", options.populations, key="population", bind=BIND)
    languages = st.multiselect("Language", options.languages, key="lang", bind=BIND,
                               format_func=language_name)
    types = st.multiselect("Resource type", options.resource_types, key="type", bind=BIND)
    k = st.selectbox("Findings to show", [10, 20, 50], key="k", bind=BIND)

filters = build_filters(options, kinds=kinds, themes=themes, years=years, designs=designs,
                        populations=populations, languages=languages, resource_types=types)


@st.fragment(run_every=1.0)
def warm_status() -> None:
    """Under the box while the index and models load in the background; gone once ready."""
    status = warm_in_background()
    if status.state == "ready":
        st.rerun(scope="app")
    st.caption(status.message)


if warm_in_background().state != "ready":
    warm_status()
if not query.strip():
    st.caption(f"Searches {facets.findings} findings of {facets.records} records by meaning and by "
               "keywords. Acronyms are expanded (WPC ↔ Whole Person Care); Chinese queries "
               "reach English findings through their translations. Filters are in the sidebar.")
    st.stop()

response = live.search(query, filters=filters, k=k)
if response.notice:
    st.info(response.notice)
summary = count_line(response.total_hits, response.matched_shown(), len(response.groups),
                     response.took_ms)
if response.expansions:
    summary += " · also searched: " + md_text("; ".join(response.expansions))
st.caption(summary)

if response.record_matches:
    st.markdown("**Records whose author or title match**")
    for match in response.record_matches:
        st.page_link(PAGES["record"], icon=":material/description:", query_params={"id": match.record_id},
                     label=f"{md_text(match.citation)} — {md_text(match.title or '[no title]')}")

if not response.groups and not response.notice:
    hint = " Try removing some filters." if filters.active() else " Try other words."
    st.info("No finding matches this search." + hint)

labels = theme_labels()
for number, group in enumerate(response.groups, 1):
    with st.container(border=True, key=f"group_{group.record_id}"):
        title = group.title or record_title(group.record_id)
        st.markdown(group_md(number, title, group, labels))
        with st.container(horizontal=True, vertical_alignment="center"):
            st.page_link(PAGES["record"], label="Open record", icon=":material/description:",
                         query_params={"id": group.record_id})
            basket_button(group.record_id, key=f"basket_{group.record_id}")
