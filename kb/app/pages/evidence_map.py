"""Evidence map page: the theme × source heatmap; choosing a theme (click a cell or pick it from
the list) opens its synthesis — supporting findings by kind with citations — and its brief."""

import streamlit as st

from kb.app.map_view import MAX_MAP_SOURCES, picked_theme, readable_map, support_rows, theme_rows
from kb.app.pages.common import (
    PAGES,
    empty_kb_help,
    get_basket,
    get_index,
    get_taxonomy,
    records_of,
    warn_unreadable,
)
from kb.app.ui_text import kind_badge, md_text
from kb.export.brief import brief_docx, brief_markdown
from kb.model.schema import Record
from kb.synthesis.brief import STYLE_NAMES, build_brief, select_theme
from kb.synthesis.cite import Citations, cite
from kb.synthesis.evidence_map import ThemeSynthesis, evidence_map, theme_synthesis

MAX_LINKS = 40  # sources linked under a theme; the reference list names them all

st.title("Evidence map")
live = get_index()
support = live.theme_support()  # which records have each theme, from the index: none is read for it
n_records = live.facets().records
if not n_records:
    empty_kb_help()
    st.stop()
warn_unreadable(live)

in_basket = list(records_of(get_basket()).values())
scopes = {"all": f"All records ({n_records:,})"}
if in_basket:
    scopes["basket"] = f"Comparison basket ({len(in_basket)})"
scope = st.segmented_control("Sources", list(scopes), format_func=scopes.get, key="map_scope",
                             default="all", required=True)
basket_only = scope == "basket" and bool(in_basket)
taxonomy = get_taxonomy()
rows = theme_rows(in_basket, taxonomy) if basket_only else support_rows(support, taxonomy)
n_selected = len(in_basket) if basket_only else n_records
if not rows:
    st.info("No finding of these records has a theme yet.")
    st.stop()


def _pick_from_chart() -> None:
    theme = picked_theme(st.session_state.get("map_chart"))
    if theme:
        st.session_state["map_theme"] = theme


if n_selected <= MAX_MAP_SOURCES:  # so few that reading them all is quick
    mapped = in_basket if basket_only else list(records_of([r.id for r in live.catalog()]).values())
    st.caption("Number of findings per theme and source. Click a cell to open its theme.")
    st.altair_chart(readable_map(evidence_map(mapped, taxonomy), clickable=True), key="map_chart",
                    on_select=_pick_from_chart, selection_mode="theme_pick")
else:
    st.caption(f"{n_selected:,} sources are too many for a readable map; the table lists "
               "every theme with its support.")
with st.expander(f"All {len(rows)} themes with their support", expanded=n_selected > MAX_MAP_SOURCES):
    st.dataframe([r.model_dump(exclude={"id"}) for r in rows], hide_index=True, key="themes_table")

labels = {r.id: r.theme for r in rows}
theme_id = st.selectbox("Theme", [r.id for r in rows], key="map_theme", bind="query-params",
                        format_func=labels.get, index=None, placeholder="Choose a theme")
if theme_id is None:
    st.stop()

style = st.selectbox("Citation style", list(STYLE_NAMES), format_func=STYLE_NAMES.get,
                     key="map_style")


# the records of this theme in scope: the basket's, or every record the index says has it
theme_ids = tuple(r.id for r in in_basket) if basket_only else tuple(support.records.get(theme_id, []))


@st.cache_resource(show_spinner="Gathering the evidence…", max_entries=8)
def _theme(theme: str, style: str, ids: tuple[str, ...], state: tuple[int, int]
           ) -> tuple[ThemeSynthesis, Citations, list[Record]]:
    """The theme's synthesis and citations over these records, read once per state of the index."""
    chosen = list(records_of(list(ids)).values())
    synthesis = theme_synthesis(chosen, theme, taxonomy)
    cited = {s.record_id for s in synthesis.sources}
    return synthesis, cite([r for r in chosen if r.id in cited], style), chosen


synthesis, citations, theme_records = _theme(theme_id, style, theme_ids, (live.opened, live.refreshed))

st.subheader(md_text(synthesis.theme.label))
if synthesis.theme.description:
    st.markdown(md_text(synthesis.theme.description))
st.caption(f"{synthesis.n_sources} source(s) · {synthesis.theme.n_findings} finding(s) · designs: "
           f"{md_text('; '.join(synthesis.designs)) or 'not stated'}")
if synthesis.gap:
    st.warning(f"Evidence gap: {md_text(synthesis.gap_reason)}", icon=":material/report:")
for group in synthesis.groups:
    st.markdown(kind_badge(group.kind))
    st.markdown("\n".join(f"- {md_text(f.text)} {md_text(citations.inline[f.record_id])}"
                          for f in group.findings))

st.markdown("**Sources**")
for source in synthesis.sources[:MAX_LINKS]:
    st.page_link(PAGES["record"], label=f"{md_text(citations.inline[source.record_id])} "
                 f"{md_text(source.title)}", query_params={"id": source.record_id},
                 icon=":material/description:")
if len(synthesis.sources) > MAX_LINKS:
    st.caption(f"… and {len(synthesis.sources) - MAX_LINKS} more sources, all in the references.")
with st.expander(f"References ({STYLE_NAMES[style]})"):
    for ref in citations.references:
        st.markdown(md_text(ref.text()))


def _brief():
    label = synthesis.theme.label
    return build_brief(select_theme(theme_records, theme_id, taxonomy), taxonomy, style=style,
                       question=f"What does the evidence say about {label.lower()}?",
                       scope=f"theme '{label}'", theme=theme_id)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
with st.container(horizontal=True):
    st.download_button("Theme brief (Markdown)", lambda: brief_markdown(_brief()), key="map_brief_md",
                       file_name=f"brief-{theme_id}.md", mime="text/markdown", on_click="ignore",
                       icon=":material/download:")
    st.download_button("Theme brief (Word)", lambda: brief_docx(_brief()), key="map_brief_docx",
                       file_name=f"brief-{theme_id}.docx", mime=DOCX, on_click="ignore",
                       icon=":material/download:")
