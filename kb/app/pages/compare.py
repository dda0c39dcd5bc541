"""Compare page: the basket's 2–5 records side by side — the downloads first (the brief as
Markdown/DOCX, the forest plot as PNG/SVG, the evidence table, the comparison itself), then
collapsible sections: findings by kind in aligned rows, similar findings across sources, the
findings unique to one source, the theme matrix, the forest plot of ratio effects."""

from functools import partial

import streamlit as st

from kb.app import basket
from kb.app.library_view import PICKER_LIMIT, picker_choices
from kb.app.map_view import readable_map
from kb.app.pages.common import (
    PAGES,
    empty_kb_help,
    get_basket,
    get_catalog,
    get_embedder,
    get_taxonomy,
    records_of,
    set_basket,
    theme_labels,
)
from kb.app.ui_text import effects_md, kind_badge, labels_md, md_text, meta_line
from kb.embed import text_hash
from kb.export.brief import brief_docx, brief_markdown
from kb.export.charts import chart_png, chart_svg
from kb.export.comparison import to_csv, to_markdown
from kb.synthesis.brief import STYLE_NAMES, build_brief
from kb.synthesis.compare import MAX_SOURCES, Comparison, compare
from kb.synthesis.evidence_table import to_csv_text
from kb.synthesis.plots import forest_plot, forest_rows

st.title("Compare")
catalog = get_catalog()  # titles from the index; only the compared records are read
if not catalog:
    empty_kb_help()
    st.stop()

known = {r.id for r in catalog}
if "compare_ids" not in st.session_state:  # a shared URL wins over the basket
    from_url = basket.keep_known(st.query_params.get_all("ids"), known)
    st.session_state["compare_ids"] = from_url or basket.keep_known(get_basket(), known)
now = st.session_state["compare_ids"] = [i for i in st.session_state["compare_ids"] if i in known]
find = st.text_input("Find records to compare", key="compare_find",
                     placeholder="Words of the title, authors, venue or id")
choices = picker_choices(catalog, find, keep=now)
chosen = st.multiselect(
    "Records to compare (2 to 5)", choices.ids, key="compare_ids", max_selections=MAX_SOURCES,
    format_func=choices.labels.__getitem__,
    on_change=lambda: set_basket(st.session_state["compare_ids"]))
if choices.matching > len(choices.ids) - len(now):
    st.caption(f"{choices.matching:,} records match; the first {PICKER_LIMIT} are offered — type "
               "more words to narrow them.")
st.query_params["ids"] = chosen  # the comparison can be shared as a link
if chosen != get_basket():
    set_basket(chosen)
if not basket.is_ready(chosen):
    st.info("Pick 2 to 5 records above, or add them with **Add to comparison** on the Search, "
            "Record or Library pages.", icon=":material/compare_arrows:")
    st.stop()
records = records_of(chosen)  # a file that no longer reads drops out
chosen = [i for i in chosen if i in records]


@st.cache_resource(show_spinner="Comparing…", max_entries=16)
def _compare(ids: tuple[str, ...], versions: tuple[str, ...]) -> Comparison:
    return compare([records[i] for i in ids], get_embedder(), get_taxonomy())


selected = [records[i] for i in chosen]
comparison = _compare(tuple(chosen), tuple(text_hash(r.model_dump_json()) for r in selected))
labels = theme_labels()
for note in comparison.notes:
    st.caption(f"Note: {md_text(note)}")

columns = st.columns(len(selected), gap="medium", border=True)
for column, source, record in zip(columns, comparison.sources, selected, strict=True):
    column.page_link(PAGES["record"], label=f"**{md_text(source.label)}**",
                     query_params={"id": record.id}, icon=":material/description:")
    column.markdown(md_text(source.title))
    column.caption(meta_line(record.resource_type, "; ".join(record.study.design[:3]),
                             "; ".join(s.text for s in record.study.sample_sizes[:2])))

rows = forest_rows(selected)
st.subheader("Download")
left, right = st.columns(2)
question = left.text_input("Question the brief answers", key="brief_question",
                           value=f"What do these {len(selected)} sources report?")
style = right.selectbox("Citation style", list(STYLE_NAMES), format_func=STYLE_NAMES.get,
                        key="brief_style")


def _brief():
    return build_brief(selected, get_taxonomy(), style=style, question=question,
                       scope=f"records {', '.join(chosen)}")


name = "-".join(r.id.split("-")[0] for r in selected)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
downloads = [("Brief (Markdown)", lambda: brief_markdown(_brief()), f"brief-{name}.md", "text/markdown"),
             ("Brief (Word)", lambda: brief_docx(_brief()), f"brief-{name}.docx", DOCX),
             ("Evidence table (CSV)", partial(to_csv_text, selected), f"evidence-{name}.csv", "text/csv"),
             ("Comparison (Markdown)", partial(to_markdown, comparison), f"comparison-{name}.md",
              "text/markdown"),
             ("Comparison (CSV)", partial(to_csv, comparison), f"comparison-{name}.csv", "text/csv")]
if rows:  # the plot beside the brief
    downloads[2:2] = [("Forest plot (PNG)", lambda: chart_png(forest_plot(rows)), f"forest-{name}.png",
                   "image/png"),
                  ("Forest plot (SVG)", lambda: chart_svg(forest_plot(rows)), f"forest-{name}.svg",
                   "image/svg+xml")]
with st.container(horizontal=True):
    for number, (label, data, file_name, mime) in enumerate(downloads):
        st.download_button(label, data, file_name=file_name, mime=mime, key=f"dl_{number}",
                           on_click="ignore", icon=":material/download:")


SHOWN_PAIRS = 12


def _by_kind() -> None:
    for row in comparison.by_kind:
        st.markdown(kind_badge(row.kind))
        for column, cell in zip(st.columns(len(selected), gap="medium"), row.cells, strict=True):
            column.markdown("\n".join(f"- {md_text(ref.text)}" for ref in cell) or ":gray[—]")


def _similar() -> None:
    for pair in comparison.aligned[:SHOWN_PAIRS]:
        with st.container(border=True):
            shared = labels_md(pair.shared_themes, labels)
            st.caption(f"similarity {pair.score:.2f}" + (f" · shared themes: {shared}" if shared else ""))
            left, right = st.columns(2, gap="medium")
            for column, ref in ((left, pair.left), (right, pair.right)):
                column.markdown(f"{kind_badge(ref.kind)} **{md_text(ref.source)}:** {md_text(ref.text)}")
    if len(comparison.aligned) > SHOWN_PAIRS:
        st.caption(f"… and {len(comparison.aligned) - SHOWN_PAIRS} more pairs in the comparison downloads.")
    if comparison.aligned:
        st.caption(f"Pairs from different sources with similarity ≥ {comparison.min_similarity} and "
                   f"a shared theme, or ≥ {comparison.min_similarity_alone} alone "
                   f"(model {md_text(comparison.model_id)}).")
    else:
        st.caption("No finding in one source is close to a finding in another.")


def _unique() -> None:
    st.dataframe([{"Source": r.source, "Kind": r.kind, "Finding": r.text,
                   "Themes": ", ".join(labels.get(t, t) for t in r.themes)}
                  for r in comparison.unique], hide_index=True, key="unique_table")


def _themes() -> None:
    if comparison.themes.themes:
        st.altair_chart(readable_map(comparison.themes), key="theme_matrix")
    else:
        st.caption("None of these findings has a theme.")


def _effects() -> None:
    if rows:
        st.altair_chart(forest_plot(rows), key="forest_plot", width="content")
    if comparison.effect_sizes:
        for effect in comparison.effect_sizes:
            st.markdown(f"**{md_text(effect.source)}** — {md_text(effect.label) or 'effect'}: "
                        f"{effects_md([effect.effect])}")
    else:
        st.caption("None of these sources reports a ratio or difference with a confidence "
                   "interval; counts and percentages are shown with their finding.")


sections = [("Findings by kind", _by_kind, True),
            (f"Findings that say similar things ({len(comparison.aligned)})", _similar, True),
            (f"Findings unique to one source ({len(comparison.unique)})", _unique, False),
            ("Themes each source supports", _themes, True),
            (f"Effects ({len(comparison.effect_sizes)})", _effects, True)]
for title, show, expanded in sections:
    with st.expander(f"**{title}**", expanded=expanded):
        show()
