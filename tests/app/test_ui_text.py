"""Record text as safe Markdown: everything escaped, spans in bold with CommonMark-valid edges,
nothing of the text lost (checked on arbitrary text and spans)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kb.app.ui_text import (
    Mark,
    count_line,
    effects_md,
    group_md,
    highlight_md,
    kind_badge,
    labels_md,
    language_name,
    marked_md,
    md_text,
    meta_line,
    trim_span,
)
from kb.model.schema import Effect
from kb.search.types import ContextHit, FindingHit, RecordGroup

SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:=&")


def _unrender(markdown: str) -> str:
    """Undo what the renderer added: bold markers, hard breaks, backslash escapes."""
    text = markdown.replace("**", "").replace("  \n", "\n")
    return re.sub(r"\\(.)", r"\1", text)


def _normal(text: str) -> str:
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    return re.sub(r"\n\s*\n", "\n\n", text).strip()


def test_html_markdown_and_shortcodes_are_escaped() -> None:
    out = md_text("<script>alert(1)</script> *not bold* :smile: [link](x) $x$")
    assert "<script>" not in out and "\\<script\\>" in out
    assert "\\*not bold\\*" in out and "\\:smile\\:" in out and "\\[link\\]\\(x\\)" in out
    assert "\\$x\\$" in out


def test_paragraphs_and_line_breaks_are_kept_and_indents_dropped() -> None:
    assert md_text("first line\n    second\n\n\n  next para") == "first line  \nsecond\n\nnext para"
    assert md_text("Heading\n===") == "Heading  \n\\=\\=\\="


def test_highlight_bolds_words_and_trims_punctuation() -> None:
    text = "Pilots used braided funds (OR 2.1)."
    assert highlight_md(text, [(12, 19), (20, 25)]) == "Pilots used **braided** **funds** \\(OR 2\\.1\\)\\."
    assert highlight_md(text, [(26, 35)]) == "Pilots used braided funds \\(**OR 2\\.1**\\)\\."
    assert highlight_md(text, [(30, 30), (-5, 0), (34, 99)]) == md_text(text)


def test_overlapping_spans_merge_and_cjk_spans_bold() -> None:
    assert highlight_md("data sharing", [(0, 8), (5, 12)]) == "**data sharing**"
    zh = "数据共享对于系统整合是必要的。"
    assert highlight_md(zh, [(0, 4)]) == "**数据共享**对于系统整合是必要的。"


def test_spans_never_cross_line_breaks() -> None:
    out = highlight_md("one two\nthree four", [(4, 13)])
    assert out == "one **two**  \n**three** four"


def test_labels_follow_their_mark_once_per_kind() -> None:
    text = "A sentence. Another one."
    marks = [Mark(start=0, end=10, label=kind_badge("strategy")),
             Mark(start=0, end=10, label=kind_badge("strategy")),
             Mark(start=0, end=10, label=kind_badge("barrier")),
             Mark(start=12, end=23, label=kind_badge("result"))]
    assert marked_md(text, marks) == (
        "**A sentence** :blue-badge[strategy] :red-badge[barrier]\\. "
        "**Another one** :orange-badge[result]\\.")


def test_trim_span() -> None:
    assert trim_span(" (word) ", 0, 8) == (2, 6)
    assert trim_span("...", 0, 3) is None


@given(st.text(max_size=200), st.lists(st.tuples(st.integers(-5, 220), st.integers(0, 60)),
                                       max_size=6))
def test_nothing_is_lost_and_everything_is_escaped(text: str, raw: list[tuple[int, int]]) -> None:
    spans = [(start, start + length) for start, length in raw]
    out = highlight_md(text, spans)
    assert _unrender(out) == _normal(text)
    bare, i = out.replace("**", ""), 0
    while i < len(bare):
        if bare[i] == "\\":
            i += 2  # an escaped character
            continue
        assert bare[i] not in SPECIAL, f"unescaped {bare[i]!r} in {out!r}"
        i += 1


def test_small_labels() -> None:
    assert kind_badge("barrier") == ":red-badge[barrier]"
    assert kind_badge("x]:evil[") == ":gray-badge[xevil]"
    assert effects_md([Effect(measure="OR", value=2.5, ci_low=1.4, ci_high=4.7, ci_level=95,
                              text="OR 2.5, 95% CI 1.4-4.7")]) == "OR 2\\.5 \\(95% CI 1\\.4–4\\.7\\)"
    assert labels_md(["housing", "unknown"], {"housing": "Housing [and] homelessness"}) == (
        "Housing \\[and\\] homelessness, unknown")
    assert language_name("zh") == "中文" and language_name("xx") == "xx"
    assert meta_line("Chuang E", None, 2025, "", "Health Serv Res") == "Chuang E · 2025 · Health Serv Res"
    assert count_line(1, 1, 1, 12.4) == "1 matching finding · best 1 in 1 record · 12 ms"


def test_picker_key_follows_the_labels() -> None:
    from kb.app.ui_text import picker_key

    first = picker_key("record_pick", ["[no title] To improve…", "Chuang et al."])
    assert first == picker_key("record_pick", ["[no title] To improve…", "Chuang et al."])
    assert first != picker_key("record_pick", ["Integrating health care", "Chuang et al."])
    assert first.startswith("record_pick_")


def _hit(kind: str, text: str, **extra: object) -> FindingHit:
    return FindingHit(record_id="r1", finding_id="f1", kind=kind, text=text, section=0,
                      span=(0, len(text)), score=1.0, **extra)


def test_a_result_group_is_one_markdown_block_in_reading_order() -> None:
    group = RecordGroup(
        record_id="r1", title="T", authors="Chuang E, Ross R", year=2025, venue="Health Serv Res",
        resource_type="journal-article", citation="Chuang 2025", designs=["survey"], score=1.0,
        hits=[_hit("barrier", "Data sharing [was] hard", themes=["data"], matched_terms=["data"],
                   highlights=[(0, 4)], translation_zh="数据共享很难", highlights_zh=[(0, 4)]),
              _hit("outcome", "ED visits fell", similarity=0.9,
                   effects=[Effect(measure="RR", value=0.8, ci_low=0.7, ci_high=0.9, ci_level=95, text="RR 0.8")])],
        context=[ContextHit(text="We interviewed leaders.", section=0, span=(0, 23), matched_terms=["leaders"],
                            highlights=[(15, 22)])])
    lines = group_md(2, "A title: with *stars*", group, {"data": "Data sharing"}).split("\n\n")
    assert lines == [
        "**2. A title\\: with \\*stars\\***",
        ":small[:gray[Chuang E, Ross R · 2025 · Health Serv Res · journal\\-article · survey]]",
        ":red-badge[barrier] **Data** sharing \\[was\\] hard",
        "**数据共享**很难",
        ":small[:gray[themes: Data sharing · matched words\\: data]]",
        ":violet-badge[outcome] ED visits fell",
        ":small[:gray[effects: RR 0\\.8 \\(95% CI 0\\.7–0\\.9\\) · very close in meaning]]",
        "*context:* We interviewed **leaders**\\.",
        ":small[:gray[context, not a finding · matched words\\: leaders]]",
    ]
