"""Record page: metadata, abstract by section (with the translation side by side), provenance."""

import streamlit as st

from kb.present import display_title, md_escape, metadata_fields
from kb.ui.common import empty_kb_help, get_store, load_records

records = {r.id: r for r in load_records()}
if not records:
    st.title("Record")
    empty_kb_help()
    st.stop()

ids = list(records)
wanted = st.query_params.get("id", ids[0])
index = ids.index(wanted) if wanted in ids else 0
record_id = st.selectbox("Record", ids, index=index, key="record_id",
                         format_func=lambda i: display_title(records[i]))
st.query_params["id"] = record_id
record = records[record_id]

st.title(display_title(record))
for flag in record.review.flags:
    st.warning(flag.message, icon=":material/flag:")

with st.expander("Details", expanded=True):
    for field in metadata_fields(record):
        st.markdown(f"**{field.label}:** {md_escape(field.value)}")
    for name, values in record.facets.items():
        st.markdown(f"**{md_escape(name)}:** {md_escape(', '.join(values)) or '—'}")

st.subheader("Abstract")
langs = list(record.translations)
side = st.toggle(f"Show {', '.join(langs)} side by side", key="show_translation",
                 value=False, disabled=not langs)
for i, section in enumerate(record.abstract):
    heading = section.label or section.role.capitalize()
    text = f"• {section.text}" if section.bullet else section.text
    if side and langs:
        left, right = st.columns(2)
        left.markdown(f"**{md_escape(heading)}** · _{section.role}_")
        left.markdown(md_escape(text))
        match = [t for t in record.translations[langs[0]] if t.role == section.role]
        same_role = [s for s in record.abstract if s.role == section.role]
        pos = same_role.index(section)
        if pos < len(match):
            right.markdown(f"**{md_escape(match[pos].label or section.role.capitalize())}**")
            right.markdown(md_escape(match[pos].text))
    else:
        st.markdown(f"**{md_escape(heading)}** · _{section.role}_")
        st.markdown(md_escape(text))

st.subheader("Provenance")
store = get_store()
for source in record.sources:
    st.markdown(md_escape(f"{source.path} — {source.format} (parser {source.parser} "
                          f"{source.parser_version}), ingested {source.ingested_at}"))
    with st.expander(f"Raw text of {source.path}"):
        st.text(store.source_text(source.sha256) or "(source file not available)")
