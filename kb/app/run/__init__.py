"""The Streamlit entry script lives here, apart from pages/: Streamlit reads a pages/ folder beside
its main script as a legacy multipage app."""
