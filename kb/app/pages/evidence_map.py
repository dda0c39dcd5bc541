"""Evidence map page: the theme × source heatmap; choosing a theme (click a cell or pick it from
the list) opens its synthesis — supporting findings by kind with citations — and its brief."""

import streamlit as st

from kb.app.map_view import MAX_MAP_SOURCES, picked_theme, readable_map, theme_rows
from kb.app.pages.common import (
    PAGES,
    empty_kb_help,
    get_basket,
    get_store,
    get_taxonomy,
    load_records,
)
from kb.app.ui_text import kind_badge, md_text
from kb.export.brief import brief_docx, brief_markdown
from kb.synthesis.brief import STYLE_NAMES, build_brief, select_theme
from kb.synthesis.cite import Citations, cite
from kb.synthesis.evidence_map import ThemeSynthesis, evidence_map, theme_synthesis

MAX_LINKS = 40  # sources linked under a theme; the reference list names them all

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
rows = theme_rows(selected, taxonomy)
if not rows:
    st.info("No finding of these records has a theme yet.")
    st.stop()


def _pick_from_chart() -> None:
    theme = picked_theme(st.session_state.get("map_chart"))
    if theme:
        st.session_state["map_theme"] = theme


if len(selected) <= MAX_MAP_SOURCES:
    st.caption("Number of findings per theme and source. Click a cell to open its theme.")
    st.altair_chart(readable_map(evidence_map(selected, taxonomy), clickable=True), key="map_chart",
                    on_select=_pick_from_chart, selection_mode="theme_pick")
else:
    st.caption(f"{len(selected)} sources are too many for a readable map; the table lists "
               "every theme with its support.")
with st.expander(f"All {len(rows)} themes with their support", expanded=len(selected) > MAX_MAP_SOURCES):
    st.dataframe([r.model_dump(exclude={"id"}) for r in rows], hide_index=True, key="themes_table")

labels = {r.id: r.theme for r in rows}
theme_id = st.selectbox("Theme", [r.id for r in rows], key="map_theme", bind="query-params",
                        format_func=labels.get, index=None, placeholder="Choose a theme")
if theme_id is None:
    st.stop()

style = st.selectbox("Citation style", list(STYLE_NAMES), format_func=STYLE_NAMES.get,
                     key="map_style")


@st.cache_resource(show_spinner="Gathering the evidence…", max_entries=8)
def _theme(scope_ids: tuple[str, ...], theme: str, style: str, fingerprint: tuple
           ) -> tuple[ThemeSynthesis, Citations]:
    chosen = [r for r in selected if r.id in set(scope_ids)]
    synthesis = theme_synthesis(chosen, theme, taxonomy)
    ids = {s.record_id for s in synthesis.sources}
    return synthesis, cite([r for r in chosen if r.id in ids], style)


synthesis, citations = _theme(tuple(r.id for r in selected), theme_id, style,
                              get_store().fingerprint())

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
