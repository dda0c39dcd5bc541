"""Record page: every field of one record — the abstract by section with its findings marked
(English and the translation side by side), findings, study facts, glossary, provenance with
the opening of the raw source text, review flags and history — its export as RIS, BibTeX or
CSL-JSON, and the edit form of the stored record (saved as curated, with who and when)."""

from functools import partial

import streamlit as st

from kb.app.library_view import PICKER_LIMIT, picker_choices
from kb.app.pages.common import (
    basket_button,
    empty_kb_help,
    get_catalog,
    get_store,
    get_taxonomy,
    theme_labels,
)
from kb.app.pages.forms import findings_editor, metadata_inputs
from kb.app.record_view import (
    facet_fields,
    finding_rows,
    glossary_rows,
    history_rows,
    section_views,
    source_head,
    source_rows,
    study_fields,
)
from kb.app.ui_text import language_name, md_text, picker_key
from kb.config import current_user
from kb.errors import KBError
from kb.export.references import SUFFIX, export_text
from kb.model.present import citation_line, display_title, metadata_fields
from kb.model.schema import REVIEW_STATUSES
from kb.ops.record_edit import RecordEdit, save_edit

EXPORTS = {"ris": "RIS", "bibtex": "BibTeX", "csl-json": "CSL-JSON"}
MIME = {"ris": "application/x-research-info-systems", "bibtex": "application/x-bibtex",
        "csl-json": "application/json"}

catalog = get_catalog()  # every record's title from the index, not from every record file
if not catalog:
    st.title("Record")
    empty_kb_help()
    st.stop()

wanted = st.query_params.get("id")
with st.sidebar:
    find = st.text_input("Find a record", key="record_find",
                         placeholder="Words of the title, authors, venue or id")
    choices = picker_choices(catalog, find, keep=[wanted] if wanted else [])
    if not choices.ids:
        st.caption("No record has all these words.")
        st.stop()
    # the key changes with the titles shown: a browser keeps drawing a keyed picker's old label for
    # an unchanged value, so after an edit or a new filter the picker is drawn anew (its choice is
    # in the URL)
    pick = picker_key("record_pick", list(choices.labels.values()))
    if st.session_state.get(pick) not in choices.labels:  # arriving, or titles changed: ?id= decides
        st.session_state[pick] = wanted if wanted in choices.labels else choices.ids[0]
    record_id = st.selectbox("Record", choices.ids, key=pick, format_func=choices.labels.__getitem__)
    if choices.matching > len(choices.ids):
        st.caption(f"{choices.matching:,} records match; the first {PICKER_LIMIT} are listed — "
                   "type more words to narrow them.")
st.query_params["id"] = record_id  # the URL always names the record shown
try:
    record = get_store().load(record_id)
except KBError as err:
    st.error(md_text(str(err)), icon=":material/error:")
    st.stop()

st.header(md_text(display_title(record)), anchor=False)
for lang, title in record.title_translations.items():
    st.markdown(f"{language_name(lang)}: {md_text(title)}")
st.caption(md_text(citation_line(record) or record.id))
with st.container(horizontal=True, vertical_alignment="center"):
    basket_button(record.id, key="record_basket")
    for fmt, label in EXPORTS.items():
        st.download_button(label, export_text([record], fmt), file_name=f"{record.id}{SUFFIX[fmt]}",
                           mime=MIME[fmt], key=f"export_{fmt}", on_click="ignore",
                           icon=":material/download:", help=f"Export this record as {label}")

if st.session_state.pop("record_saved", None) == record.id:
    st.success("Your changes are saved (see the review history under Details).",
               icon=":material/check_circle:")
status = record.review.status.replace("-", " ")
st.markdown(f"Review: :{'green' if status == 'reviewed' else 'orange'}-badge[{status}]")
for flag in record.review.flags:
    st.warning(md_text(flag.message), icon=":material/flag:")

langs = list(record.translations)
views = {"en": "English"}
if langs:
    other = language_name(langs[0])
    views = {"en": "English", "both": f"English / {other}", "other": other}
tab_text, tab_findings, tab_study, tab_details, tab_sources, tab_edit = st.tabs(
    ["Abstract", f"Findings ({len(record.findings)})", "Study", "Details", "Provenance",
     "Edit"])

with tab_text:
    view = "en"
    if langs:
        view = st.segmented_control("Text", list(views), format_func=views.get, key="text_view",
                                    default="both", required=True)
    st.caption("Findings are in bold, each followed by its kind.")
    for section in section_views(record, langs[0] if langs else None):
        heading = section.heading_md(translated=view != "en")
        if heading:
            st.markdown(heading)
        if view == "en":
            st.markdown(section.body_md())
        elif view == "other":
            st.markdown(section.body_md(translated=True) or ":gray[(no translation of this section)]")
        else:
            left, right = st.columns(2, gap="large")
            left.markdown(section.body_md())
            right.markdown(section.body_md(translated=True) or ":gray[(no translation of this section)]")

with tab_findings:
    if not record.findings:
        st.info("No findings were extracted from this record.")
    else:
        st.dataframe(
            [row.model_dump() for row in finding_rows(record, theme_labels())],
            hide_index=True, key="findings_table",
            column_order=["kind", "text", "section", "themes", "effects", "translation", "origin",
                          "confidence"],
            column_config={"kind": "Kind", "text": st.column_config.TextColumn("Finding", width="large"),
                           "section": "Section", "themes": "Themes", "effects": "Effects",
                           "translation": "Translation", "origin": "Origin",
                           "confidence": st.column_config.NumberColumn("Confidence", format="%.2f")})

with tab_study:
    facts = study_fields(record)
    if not facts:
        st.info("No study facts (design, setting, sample) were found in the text.")
    for field in facts:
        st.markdown(f"**{field.label}:** {md_text(field.value)}")

with tab_details:
    for field in metadata_fields(record):
        st.markdown(f"**{field.label}:** {md_text(field.value)}")
    filled, empty = facet_fields(record)
    if filled or empty:
        st.markdown("**Facets given by the source** (an evidence library's classification)")
    for field in filled:
        st.markdown(f"- {md_text(field.label)}: {md_text(field.value)}")
    if empty:
        st.caption(f"Empty in the source: {md_text(', '.join(empty))}")
    glossary = glossary_rows(record)
    if glossary:
        st.markdown("**Glossary**")
        st.dataframe([{"Acronym": g.label, "Stands for": g.value} for g in glossary],
                     hide_index=True, key="glossary_table")
    if record.review.notes:
        st.markdown(f"**Review notes:** {md_text(record.review.notes)}")
    history = history_rows(record)
    if history:
        st.markdown("**Review history**")
        st.dataframe([h.model_dump() for h in history], hide_index=True, key="history_table",
                     column_config={"when": "When", "who": "Who", "what": "What", "note": "Note"})

with tab_sources:
    store = get_store()
    if not record.sources:
        st.info("This record lists no source file.")
    for number, source in enumerate(source_rows(record), 1):
        st.markdown(f"**{md_text(source.path)}** — {md_text(source.format)} · parser "
                    f"{md_text(source.parser)} · ingested {md_text(source.ingested)}")
        st.caption(f"sha256 {source.sha256}")
        with st.expander(f"Raw text of source {number}"):
            head = source_head(store, source.sha256)
            if head.text is None:
                st.caption("(the source file is not available as text)")
            else:
                if not head.complete:
                    st.caption(f"The first {len(head.text):,} characters of {head.size:,} bytes; "
                               "download the file for all of it.")
                st.code(head.text, language=None, wrap_lines=True)
            if head.text is not None or head.size:
                st.download_button("Download the source file", partial(store.source_bytes, source.sha256),
                                   file_name=source.path,
                                   key=f"source_download_{number}", on_click="ignore",
                                   icon=":material/download:")

with tab_edit:
    st.caption("Changes are saved to the record file as curated: re-extraction keeps them, and "
               "deleted findings stay deleted. Who and when go into the review history.")
    with st.form(key=f"record_edit_{record.id}", border=False):
        meta = metadata_inputs(record, f"rec_{record.id}", full=True)
        rows = findings_editor(record, f"rec_{record.id}", get_taxonomy(), theme_labels())
        left, middle, right = st.columns([1, 1, 2])
        status_pick = left.selectbox("Review status", REVIEW_STATUSES, key=f"status_{record.id}",
                                     index=REVIEW_STATUSES.index(record.review.status))
        st.session_state.setdefault("editor_name", current_user())
        editor = middle.text_input("Your name", key="editor_name")
        note = right.text_input("Note for the history (optional)", key=f"note_{record.id}")
        if st.form_submit_button("Save changes", type="primary", icon=":material/save:",
                                 key=f"save_{record.id}"):
            try:
                save_edit(store, record.id, RecordEdit(metadata=meta, findings=rows,
                                                       status=status_pick, note=note),
                          get_taxonomy(), by=editor)
            except KBError as err:  # a wrong field, or another writer holding the lock
                st.error(md_text(str(err)), icon=":material/error:")
            else:
                st.session_state["record_saved"] = record.id
                st.rerun()
