"""Add publication page (librarians): paste text or upload files; preview each parsed record and
its extracted findings before anything is saved; edit metadata and findings; see duplicates and
choose to merge; save into records/ and the search index, with per-file results."""

import streamlit as st

from kb.app.pages.common import (
    PAGES,
    get_dedup,
    get_enricher,
    get_index,
    get_store,
    get_taxonomy,
    theme_labels,
)
from kb.app.pages.forms import findings_editor, metadata_inputs
from kb.app.record_view import section_views
from kb.app.ui_text import md_text, meta_line
from kb.errors import KBError, LockTimeout
from kb.model.present import authors_line, display_title
from kb.ops.curation import apply_findings, apply_metadata
from kb.ops.intake import (
    MAX_PASTE_CHARS,
    MAX_UPLOAD_MB,
    PASTED_NAME,
    UPLOAD_TYPES,
    Pending,
    Preview,
    preview,
    save_blocker,
    save_preview,
)

PREVIEWS, BATCH, RESULTS = "add_previews", "add_batch", "add_results"
ICONS = {"new": ":material/add_circle:", "merged": ":material/merge:",
         "unchanged": ":material/check:", "failed": ":material/error:"}

st.title("Add publication")
st.caption("Paste an abstract or summary, or upload exports (RIS, BibTeX, MEDLINE/nbib, PubMed "
           "XML, CSL-JSON, CSV). You see the parsed record and its findings before anything is "
           "saved.")
store = get_store()
st.session_state.setdefault(BATCH, 0)


def _start(previews: list[Preview]) -> None:
    st.session_state[PREVIEWS] = previews
    st.session_state[BATCH] += 1
    st.session_state.pop(RESULTS, None)


def _preview_all(inputs: list[tuple[bytes, str]]) -> None:
    bar = st.progress(0.0, text="Reading…")
    dedup, enrich = get_dedup(), get_enricher()
    out = []
    for number, (data, name) in enumerate(inputs):
        bar.progress(number / len(inputs), text=f"Reading {name} ({number + 1} of {len(inputs)})…")
        out.append(preview(data, name, store, enrich, dedup))
    bar.empty()
    _start(out)


if st.session_state.pop("add_clear", False):  # the pasted text was saved: start afresh
    st.session_state["paste_text"] = ""
paste_tab, upload_tab = st.tabs(["Paste text", "Upload files"])
with paste_tab:
    pasted = st.text_area("Text", key="paste_text", height=240, max_chars=MAX_PASTE_CHARS,
                          label_visibility="collapsed",
                          placeholder="Paste a title and abstract, a PubMed page, a summary, or "
                                      "a RIS / BibTeX / MEDLINE record")
    if st.button("Preview", key="preview_paste", type="primary", icon=":material/visibility:"):
        if pasted.strip():
            _preview_all([(pasted.encode("utf-8"), PASTED_NAME)])
        else:
            st.warning("Paste the text of a publication first.")
with upload_tab:
    files = st.file_uploader("Files", type=list(UPLOAD_TYPES), accept_multiple_files=True,
                             key="upload_files", max_upload_size=MAX_UPLOAD_MB,
                             help=f"Up to {MAX_UPLOAD_MB} MB per file; a folder's worth at once is fine.")
    if st.button("Preview files", key="preview_files", type="primary", icon=":material/visibility:"):
        if files:
            _preview_all([(f.getvalue(), f.name) for f in files])
        else:
            st.warning("Choose one or more files first.")

for report in st.session_state.get(RESULTS, []):
    ok = report.ok
    (st.success if ok else st.error)(f"{md_text(report.source)}: {md_text(report.summary())}",
                                     icon=":material/check_circle:" if ok else ":material/error:")
    for outcome in report.outcomes:
        if outcome.record_id:
            st.page_link(PAGES["record"], label=f"{outcome.status}: {md_text(outcome.record_id)}"
                         + (f" — {md_text(outcome.message)}" if outcome.message else ""),
                         query_params={"id": outcome.record_id}, icon=ICONS.get(outcome.status))
if st.session_state.get(RESULTS):
    st.caption("Saved records are in the search index now.")

previews: list[Preview] = st.session_state.get(PREVIEWS, [])
if not previews:
    st.stop()
batch = st.session_state[BATCH]
taxonomy = get_taxonomy()
labels = theme_labels()

st.subheader("Preview — nothing is saved yet")
if len(previews) > 1:
    st.dataframe([{"File": p.source, "Format": p.parser or "—", "Records": len(p.records),
                   "Possible duplicates": sum(d is not None for d in p.duplicates),
                   "Problems": p.error or "; ".join(p.failed[:3])} for p in previews],
                 hide_index=True, key=f"files_{batch}")


def _edit_form(p: int, r: int, item: Preview) -> None:
    """Metadata and findings of one parsed record; 'Apply' replaces it in the preview."""
    record = item.records[r]
    key = f"{batch}_{p}_{r}"
    with st.form(key=f"edit_{key}", border=True):
        st.markdown("**Edit before saving**")
        meta = metadata_inputs(record, key, full=False)
        rows = findings_editor(record, key, taxonomy, labels)
        if st.form_submit_button("Apply changes", key=f"apply_{key}", icon=":material/edit:"):
            try:
                edited = apply_findings(apply_metadata(record, meta), rows, taxonomy)
            except KBError as err:
                st.error(md_text(str(err)), icon=":material/error:")
            else:
                item.records[r] = edited
                st.rerun()


def _choice(p: int, r: int, item: Preview) -> Pending:
    """The duplicate warning and the merge choice of one record."""
    record, dup = item.records[r], item.duplicates[r]
    if dup is None:
        return Pending(record=record)
    sure = dup.decision == "duplicate"
    st.warning(f"{'Already in the knowledge base' if sure else 'Possibly already in the knowledge base'}"
               f": **{md_text(dup.title)}** ({md_text(dup.record_id)}) — {md_text(dup.reason)}",
               icon=":material/content_copy:")
    st.page_link(PAGES["record"], label="Open the stored record", query_params={"id": dup.record_id},
                 icon=":material/description:")
    options = ["merge", "new"] if sure else ["new", "merge"]
    names = {"merge": f"Merge into {dup.record_id} (stored values are kept, gaps filled, "
                      "differences flagged for review)", "new": "Save as a separate record"}
    choice = st.radio("Save as", options, format_func=names.get, key=f"choice_{batch}_{p}_{r}")
    return Pending(record=record, choice=choice, merge_into=dup.record_id if choice == "merge" else None)


def _record_preview(p: int, r: int, item: Preview) -> Pending:
    record = item.records[r]
    with st.container(border=True, key=f"preview_{batch}_{p}_{r}"):
        st.subheader(md_text(display_title(record)), anchor=False)
        st.caption(meta_line(authors_line(record), record.year, record.venue, record.resource_type,
                             f"{len(record.findings)} findings", f"read as {item.parser}"))
        for flag in record.review.flags:
            st.caption(f":orange-badge[check] {md_text(flag.message)}")
        if why := save_blocker(record):
            st.error(md_text(why), icon=":material/block:")
        pending = _choice(p, r, item)
        with st.expander("Parsed text with its findings", expanded=len(item.records) == 1):
            for section in section_views(record):
                if heading := section.heading_md():
                    st.markdown(heading)
                st.markdown(section.body_md())
        _edit_form(p, r, item)
    return pending


pending: dict[int, list[Pending]] = {}
for p, item in enumerate(previews):
    if item.error:
        st.error(f"{md_text(item.source)}: {md_text(item.error)}", icon=":material/error:")
    for note in item.notes:
        st.caption(f"{md_text(item.source)}: {md_text(note)}")
    for message in item.failed:
        st.warning(f"{md_text(item.source)}: a record could not be read — {md_text(message)}")
    if not item.records:
        continue
    if len(item.records) == 1:
        pending[p] = [_record_preview(p, 0, item)]
        continue
    st.markdown(f"**{md_text(item.source)}**: {len(item.records)} records")
    if dups := item.duplicate_summary():  # every duplicate named, not only the record picked
        st.warning(f"{len(dups)} of these records look like stored ones; pick each below to "
                   "choose merge or separate (sure duplicates merge when saved as they are):\n\n"
                   + "\n".join(f"- {md_text(line)}" for line in dups), icon=":material/content_copy:")
    shown = st.selectbox("Record to review", range(len(item.records)), key=f"pick_{batch}_{p}",
                         format_func=lambda i, item=item: display_title(item.records[i]))
    pending[p] = [Pending(record=rec) for rec in item.records]
    pending[p][shown] = _record_preview(p, shown, item)

pending = {p: [e for e in entries if not save_blocker(e.record)] for p, entries in pending.items()}
pending = {p: entries for p, entries in pending.items() if entries}
total = sum(len(v) for v in pending.values())
if total and st.button(f"Save {total} record{'s' if total != 1 else ''}", key=f"save_{batch}",
                       type="primary", icon=":material/save:"):
    bar = st.progress(0.0, text="Saving…")
    done = [0]

    def _advance(_outcome) -> None:
        done[0] += 1
        bar.progress(done[0] / total, text=f"Saved {done[0]} of {total}…")

    try:
        reports = [save_preview(store, previews[p], entries, get_enricher(), on_outcome=_advance)
                   for p, entries in pending.items()]
    except LockTimeout as err:  # another writer (a `kb ingest`, another tab) holds the lock
        bar.empty()
        st.error(f"Nothing more was saved: {md_text(str(err))}. The preview is kept; press Save "
                 "again in a moment.", icon=":material/lock_clock:")
        st.stop()
    bar.progress(1.0, text="Updating the search index…")
    get_index()
    st.session_state[RESULTS] = reports
    st.session_state.pop(PREVIEWS, None)
    st.session_state["add_clear"] = True
    st.rerun()
