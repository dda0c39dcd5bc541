"""Evidence map page: the theme × source heatmap; choosing a theme (click a cell or pick it from
the list) opens its synthesis — supporting findings by kind with citations — and its brief."""

import streamlit as st

from kb.brief import STYLE_NAMES, build_brief, select_theme
from kb.brief_render import brief_docx, brief_markdown
from kb.cite import cite
from kb.map_view import MAX_MAP_SOURCES, readable_map, picked_theme, theme_rows
from kb.synthesis import evidence_map, theme_synthesis
from kb.ui.common import (PAGES, empty_kb_help, get_basket, get_taxonomy, load_records)
from kb.ui_text import kind_badge, md_text

st.title("Evidence map")
records = load_records()
if not records:
    empty_kb_help()
    st.stop()

in_basket = [r for r in records if r.id in get_basket()]
scopes = {"all": f"All records ({len(records)})"}
if in_basket:
    scopes["basket"] = f"Comparison basket ({len(in_basket)})"
scope = st.segmented_control("Sources", list(scopes), format_func=scopes.get, key="map_scope",
                             default="all", required=True)
selected = in_basket if scope == "basket" and in_basket else records
taxonomy = get_taxonomy()
emap = evidence_map(selected, taxonomy)
if not emap.themes:
    st.info("No finding of these records has a theme yet.")
    st.stop()


def _pick_from_chart() -> None:
    theme = picked_theme(st.session_state.get("map_chart"))
    if theme:
        st.session_state["theme"] = theme


if len(emap.sources) <= MAX_MAP_SOURCES:
    st.caption("Number of findings per theme and source. Click a cell to open its theme.")
    st.altair_chart(readable_map(emap, clickable=True), key="map_chart", on_select=_pick_from_chart,
                    selection_mode="theme_pick")
else:
    st.caption(f"{len(emap.sources)} sources are too many for a readable map; the table lists "
               "every theme with its support.")
rows = theme_rows(emap)
with st.expander(f"All {len(rows)} themes with their support", expanded=len(emap.sources) > MAX_MAP_SOURCES):
    st.dataframe([r.model_dump(exclude={"id"}) for r in rows], hide_index=True, key="themes_table")

labels = {r.id: r.theme for r in rows}
theme_id = st.selectbox("Theme", [r.id for r in rows], key="theme", bind="query-params",
                        format_func=labels.get, index=None, placeholder="Choose a theme")
if theme_id is None:
    st.stop()

synthesis = theme_synthesis(selected, theme_id, taxonomy)
supporting = [r for r in selected if r.id in {s.record_id for s in synthesis.sources}]
style = st.selectbox("Citation style", list(STYLE_NAMES), format_func=STYLE_NAMES.get,
                     key="map_style")
citations = cite(supporting, style)

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
for source in synthesis.sources:
    st.page_link(PAGES["record"], label=f"{md_text(citations.inline[source.record_id])} "
                 f"{md_text(source.title)}", query_params={"id": source.record_id},
                 icon=":material/description:")
with st.expander(f"References ({STYLE_NAMES[style]})"):
    for ref in citations.references:
        st.markdown(md_text(ref.text()))


def _brief():
    label = synthesis.theme.label
    return build_brief(select_theme(selected, theme_id, taxonomy), taxonomy, style=style,
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
