"""Library page: every record in a table, with a link to open one."""

import streamlit as st

from kb.present import library_rows
from kb.ui.common import empty_kb_help, load_records

st.title("Library")
records = load_records()
if not records:
    empty_kb_help()
    st.stop()

rows = library_rows(records)
st.caption(f"{len(rows)} records")
st.dataframe(
    [row.model_dump() for row in rows], hide_index=True, key="library_table",
    column_order=["title", "authors", "year", "venue", "resource_type", "languages",
                  "findings", "status", "flags", "id"],
    column_config={"title": st.column_config.TextColumn("Title", width="large"),
                   "authors": "Authors", "year": st.column_config.NumberColumn("Year", format="%d"),
                   "venue": "Venue", "resource_type": "Type", "languages": "Languages",
                   "findings": "Findings", "status": "Review", "flags": "Review flags", "id": "Id"},
)
titles = {row.id: f"{row.title} ({row.year or 'n.d.'})" for row in rows}
chosen = st.selectbox("Open a record", list(titles), format_func=titles.get, key="open_record")
st.page_link("kb/ui/record.py", label="Open record", icon=":material/description:", query_params={"id": chosen})
