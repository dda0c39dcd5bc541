"""Streamlit pages under AppTest, on a temporary copy of the shipped records."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


class _Page:
    """AppTest of app.py (so st.navigation and page links work) opened on one page."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        self.query_params = self.at.query_params

    def run(self) -> AppTest:
        self.at.run()
        if self.name != "library.py":
            self.at.switch_page(f"kb/ui/{self.name}").run()
        return self.at


def _page(name: str) -> _Page:
    return _Page(name)


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.title] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_library_lists_the_four_shipped_records(shipped_copy: Path) -> None:
    at = _page("library.py").run()
    assert not at.exception
    assert "4 records" in _text(at)
    frame = at.dataframe[0].value
    assert len(frame) == 4
    assert "Collaboration strategies for bridging health" in " ".join(frame["title"])
    assert at.selectbox(key="open_record").value == "chuang-2025-collaboration-strategies"


def test_record_page_shows_sections_and_translation(shipped_copy: Path) -> None:
    page = _page("record.py")
    page.query_params["id"] = "chuang-2025-collaboration-strategies"
    at = page.run()
    assert not at.exception
    text = _text(at)
    assert "DATA SOURCES AND STUDY SETTING" in text
    assert "Health Serv Res" in text
    at.toggle(key="show_translation").set_value(True).run()
    assert "数据共享对于系统整合是必要的" in _text(at)


def test_record_page_shows_review_flags(shipped_copy: Path) -> None:
    page = _page("record.py")
    page.query_params["id"] = "improve-integration-health"
    at = page.run()
    assert "the source gives no title" in _text(at)


@pytest.mark.parametrize("page", ["library.py", "record.py"])
def test_empty_kb_tells_how_to_add(page: str, kb_home: Path) -> None:
    at = _page(page).run()
    assert not at.exception
    assert "kb ingest" in _text(at)
