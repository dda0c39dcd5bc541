"""Streamlit pages: thin views over kb/ functions."""
