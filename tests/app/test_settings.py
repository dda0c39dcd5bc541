"""`kb app` and `streamlit run app.py` serve the app with the same Streamlit settings."""

from __future__ import annotations

import tomllib

from kb.config import APP_SCRIPT, REPO_ROOT, STREAMLIT_OPTIONS


def test_repository_config_says_what_kb_app_passes() -> None:
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    flat = {f"{section}.{key}": str(value).lower() if isinstance(value, bool) else str(value)
            for section, values in config.items() for key, value in values.items()}
    assert flat == STREAMLIT_OPTIONS


def test_the_entry_script_ships_inside_the_package() -> None:
    assert APP_SCRIPT.is_file()
    assert not (APP_SCRIPT.parent / "pages").exists()  # Streamlit's legacy multipage folder
