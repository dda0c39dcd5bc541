"""Every ordered pair of pages, in one session, after each page's widgets were set: a walk that
takes every page-to-page step once (an Eulerian circuit of the complete directed graph of the
six pages), so widget state one page leaves behind never breaks the next (issue 17, item 10:
Evidence map → Add publication → Search once raised TypeError on a shared key)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.test_pages import CHUANG, ROOT, SAFAEINILI, record_picker

PAGES = ["search", "record", "compare", "evidence_map", "add", "library"]


def _search(at: AppTest) -> None:
    at.text_input(key="q").set_value("housing navigation")
    at.multiselect(key="kind").set_value(["barrier", "strategy"])
    at.multiselect(key="theme").set_value(["housing"])
    at.selectbox(key="k").set_value(20)


def _record(at: AppTest) -> None:
    record_picker(at).set_value(SAFAEINILI)


def _compare(at: AppTest) -> None:
    at.multiselect(key="compare_ids").set_value([CHUANG, SAFAEINILI])
    at.text_input(key="brief_question").set_value("What sustains pilots?")


def _evidence_map(at: AppTest) -> None:
    at.selectbox(key="map_theme").set_value("contracting")


def _add(at: AppTest) -> None:
    at.text_area(key="paste_text").set_value("BACKGROUND: Care is fragmented. RESULTS: It improved.")


def _library(at: AppTest) -> None:
    at.text_input(key="lib_text").set_value("care")
    at.toggle(key="lib_flagged").set_value(True)


SETTERS: dict[str, Callable[[AppTest], None]] = {
    "search": _search, "record": _record, "compare": _compare, "evidence_map": _evidence_map,
    "add": _add, "library": _library}


def every_pair_walk(nodes: list[str]) -> list[str]:
    """A closed walk using each ordered pair (a, b), a != b, exactly once (Hierholzer)."""
    todo = {a: [b for b in reversed(nodes) if b != a] for a in nodes}
    stack, walk = [nodes[0]], []
    while stack:
        if todo[stack[-1]]:
            stack.append(todo[stack[-1]].pop())
        else:
            walk.append(stack.pop())
    return walk[::-1]


def test_the_walk_takes_every_ordered_pair_once() -> None:
    walk = every_pair_walk(PAGES)
    steps = list(zip(walk, walk[1:], strict=False))
    assert len(steps) == len(set(steps)) == 30 and walk[0] == walk[-1]


def test_every_page_after_every_other_with_widgets_set(shipped_copy: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["basket"] = [CHUANG, SAFAEINILI]
    at.run()
    walk = every_pair_walk(PAGES)
    for step, (before, page) in enumerate(zip(walk, walk[1:], strict=False)):
        at.switch_page(f"kb/app/pages/{page}.py").run()
        assert not at.exception, f"step {step}: {before} → {page}: {at.exception}"
        SETTERS[page](at)
        at.run()
        assert not at.exception, f"step {step}: {page} after setting widgets: {at.exception}"
