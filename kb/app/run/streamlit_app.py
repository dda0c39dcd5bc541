"""Evidence KB — the Streamlit entry script (run by `kb app`, or through the repository's app.py):
declares the pages (each lives in kb/app/pages/) and the comparison basket shown in the sidebar
of every page."""

from pathlib import Path

import streamlit as st

from kb.app.pages.common import PAGES, basket_sidebar, warm_in_background

# A shipped file: a Material icon as the page icon makes every browser fetch it from a font CDN.
ICON = Path(__file__).resolve().parents[1] / "static" / "icon.png"
st.set_page_config(page_title="Evidence KB", page_icon=str(ICON), layout="wide")
pages = [
    st.Page(PAGES["search"], title="Search", icon=":material/search:", default=True),
    st.Page(PAGES["record"], title="Record", icon=":material/description:", url_path="record"),
    st.Page(PAGES["compare"], title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page(PAGES["map"], title="Evidence map", icon=":material/grid_on:", url_path="evidence-map"),
    st.Page(PAGES["add"], title="Add publication", icon=":material/library_add:", url_path="add"),
    st.Page(PAGES["library"], title="Library", icon=":material/library_books:", url_path="library"),
]
warm_in_background()  # index and models load on a thread; the first page paints meanwhile
page = st.navigation(pages, position="top")  # the sidebar keeps the basket and a page's filters
basket_sidebar()
page.run()
