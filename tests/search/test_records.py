"""The whole record is searchable: every abstract sentence, the title and keywords; records are
ranked by their findings and their other text together, and a matching sentence that is not a
finding is shown as context (fake embedder over the shipped records)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.model.schema import Finding, Record, Section
from kb.search import index_db
from kb.search.hybrid import rank_records, search
from kb.search.index import Index
from kb.search.tuning import Tuning
from kb.search.types import SearchFilters
from kb.store import Store
from tests.search.conftest import shipped_index

CHUANG = "chuang-2025-collaboration-strategies"
INTERVIEWS = "semi-structured key informant interviews"  # methods, in no finding of CHUANG


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    return shipped_index(tmp_path_factory, "records")


def test_sentence_rows_cover_title_keywords_and_every_sentence() -> None:
    record = Record(id="r", title="A title", keywords=["care", "pilots"], abstract=[
        Section(text="Background here. Pilots used braided funds."), Section(text="Done.")],
        findings=[Finding(id="f0-17", kind="strategy", text="Pilots used braided funds.",
                          section=0, span=(17, 43))])
    rows = index_db.sentence_rows(10, 3, record, [7])
    assert [(r[0], r[1], r[2], r[5], r[6]) for r in rows] == [
        (10, 3, index_db.TITLE_SECTION, "A title", 0),
        (11, 3, index_db.KEYWORDS_SECTION, "care; pilots", 0),
        (12, 3, 0, "Background here.", 0),
        (13, 3, 0, "Pilots used braided funds.", 7),
        (14, 3, 1, "Done.", 0)]
    assert index_db.record_fts_row(record) == (
        "A title", "care; pilots", "Background here. Pilots used braided funds.\nDone.")


def test_every_sentence_is_indexed_with_a_vector(index: Index) -> None:
    db = index.require_db()
    sentences = db.execute("SELECT count(*) FROM sentences").fetchone()[0]
    held = db.execute("SELECT count(DISTINCT fid) FROM sentences WHERE fid > 0").fetchone()[0]
    assert index.sentences.vectors.size == sentences > index.vectors.size
    # every finding lies in a sentence of its record that says it holds a finding
    loose = db.execute(
        "SELECT count(*) FROM findings f WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE "
        "s.rid = f.rid AND s.section = f.section AND s.fid > 0 AND s.span_start < f.span_end "
        "AND s.span_end > f.span_start)").fetchone()[0]
    assert held > 0 and loose == 0


def test_a_methods_sentence_finds_its_record_and_is_shown_as_context(index: Index) -> None:
    response = search(index, INTERVIEWS, mode="lexical")
    group = next(g for g in response.groups if g.record_id == CHUANG)
    assert group.context and group.context[0].kind == "context"
    assert "semi-structured key informant interviews" in group.context[0].text
    assert "interviews" in group.context[0].matched_terms
    assert group.context[0].why().startswith("context, not a finding")
    # the record still answers with findings: its own, marked as not matched themselves
    assert group.hits and all(h.record_id == CHUANG for h in group.hits)
    assert all(not h.matched for h in group.hits if not h.matched_terms and not h.context_terms)


def test_findings_still_come_first_for_what_is_known(index: Index) -> None:
    response = search(index, "braided funds")
    top = response.groups[0]
    assert top.record_id == CHUANG and top.hits[0].text == "used braided funds"
    assert top.hits[0].matched


def test_filters_apply_to_the_record_arms(index: Index) -> None:
    barrier = search(index, INTERVIEWS, filters=SearchFilters(kinds=["barrier"]), k=30)
    for group in barrier.groups:
        assert group.hits and all(h.kind == "barrier" for h in group.hits)
    only = rank_records(index, INTERVIEWS, filters=SearchFilters(record_ids=[CHUANG]))
    assert only == [CHUANG]


def test_record_ranking_is_the_order_of_the_groups(index: Index) -> None:
    query = "social services organizations power imbalance"
    assert rank_records(index, query, k=4) == [g.record_id for g in search(index, query, k=40).groups][:4]


def test_keyword_column_weights_weigh_the_title(index: Index) -> None:
    """Words of the one record with a title score it higher when the title weighs more."""
    from kb.search.hybrid import index_record_vocabulary
    from kb.search.lexical import query_terms
    from kb.search.records import record_keyword_ranking

    vocab, terms = index_record_vocabulary(index), query_terms("bridging behavioral health")
    rid = index.require_db().execute("SELECT rid FROM records WHERE id = ?", (CHUANG,)).fetchone()[0]
    plain = dict(record_keyword_ranking(vocab, terms, [], Tuning(), None))
    heavy = dict(record_keyword_ranking(vocab, terms, [], Tuning(title_weight=5.0), None))
    assert heavy[rid] < plain[rid] < 0  # FTS5 bm25: lower is better


def test_removed_record_leaves_no_sentence(tmp_path: Path) -> None:
    from tests.conftest import ROOT

    home = tmp_path / "kb"
    shutil.copytree(ROOT / "records", home / "records", ignore=shutil.ignore_patterns(".lock"))
    index = Index.open(home, multilingual=False)
    before = index.sentences.vectors.size
    Store(home).delete(CHUANG)
    index.refresh()
    db = index.require_db()
    left = db.execute("SELECT count(*) FROM sentences").fetchone()[0]
    assert index.sentences.vectors.size == left < before
    assert db.execute("SELECT count(*) FROM records_fts").fetchone()[0] == 3
    assert CHUANG not in rank_records(index, INTERVIEWS, mode="lexical")
    index.close()
