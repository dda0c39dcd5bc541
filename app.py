"""Evidence KB — Streamlit entry point: declares the pages; each page lives in kb/ui/."""

import streamlit as st

st.set_page_config(page_title="Evidence KB", page_icon=":material/library_books:", layout="wide")
pages = [
    st.Page("kb/ui/library.py", title="Library", icon=":material/library_books:", default=True),
    st.Page("kb/ui/record.py", title="Record", icon=":material/description:", url_path="record"),
]
st.navigation(pages).run()
