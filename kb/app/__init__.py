"""The Streamlit app: pages/ and the Streamlit-free view models they call."""
