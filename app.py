"""Evidence KB — Streamlit entry point: declares the pages; each page lives in kb/ui/."""

import streamlit as st

st.set_page_config(page_title="Evidence KB", page_icon="📚", layout="wide")
pages = [
    st.Page("kb/ui/library.py", title="Library", icon="📚", default=True),
    st.Page("kb/ui/record.py", title="Record", icon="📄", url_path="record"),
]
st.navigation(pages).run()
