"""Evidence KB's Streamlit app: `streamlit run app.py` from the repository. The app itself ships
inside the package (kb/app/run/streamlit_app.py, what `kb app` runs); this file only runs it, afresh on every
rerun as Streamlit expects of a main script."""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent / "kb" / "app" / "run" / "streamlit_app.py"), run_name="__main__")
