"""Query terms, FTS5 quoting, CJK bigrams and highlight spans."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.search.lexical import (
    any_of,
    cjk_bigrams,
    cjk_query_groups,
    has_cjk,
    highlight_spans,
    query_terms,
    quote_fts,
)


def test_query_terms_drop_stopwords_and_fold() -> None:
    assert query_terms("What are the Barriers to sustaining Whole-Person Care?") == [
        "barriers", "sustaining", "whole", "person", "care"]
    assert query_terms("Évaluation des coûts") == ["evaluation", "des", "couts"]
    assert query_terms("!!! ??? ...") == []
    assert len(query_terms(" ".join(f"w{i}" for i in range(500)))) == 32


def test_cjk_bigrams() -> None:
    assert cjk_bigrams("数据共享是必要的") == "数据 据共 共享 享是 是必 必要 要的"
    assert cjk_bigrams("用WPC做") == "用 做"
    assert cjk_query_groups("数据共享 领导力") == [["数据", "据共", "共享"], ["领导", "导力"]]
    assert has_cjk("数据") and not has_cjk("data")


def test_highlight_spans_match_word_forms() -> None:
    text = "Barriers to sustainability included funding; sustained funds helped."
    spans = highlight_spans(text, ["barrier", "sustain", "fund"])
    assert [text[s:e] for s, e in spans] == ["Barriers", "sustainability", "funding",
                                             "sustained", "funds"]
    zh = "数据共享对于系统整合是必要的"
    assert [zh[s:e] for s, e in highlight_spans(zh, ["数据", "据共", "共享"])] == ["数据共享"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_quoted_terms_are_always_valid_fts5(text: str) -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61')")
    db.execute("INSERT INTO t VALUES ('barriers to care')")
    expr = any_of([quote_fts(t) for t in query_terms(text)] + [quote_fts(text)])
    db.execute("SELECT rowid FROM t WHERE t MATCH ?", (expr,)).fetchall()
