"""BEIR-format benchmarks: reading the files, scoring ranked lists, and a tiny corpus run end to
end through the product's own knowledge base (fake embedder) beside bm25s."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.errors import KBError
from kb.eval.beir import beir_scores, load_beir, load_qrels, record_id, score_runs

DOCS = [
    ("d1", "Vitamin D and bone fractures", "Vitamin D supplements reduced hip fractures in older "
     "women. The trial enrolled 3,000 participants in nursing homes."),
    ("d2", "Statins after myocardial infarction", "We recruited patients from twelve cardiology "
     "clinics. Statin therapy lowered the risk of a second infarction by a third."),
    ("d3", "Sleep and memory", "Sleep deprivation impaired memory consolidation in healthy adults."),
    ("d4", "Hand washing in schools", "Absences from school fell when children washed their hands "
     "with soap before lunch."),
]
QUERIES = {"q1": "vitamin D prevents hip fractures", "q2": "statins reduce second heart attacks",
           "q3": "nursing home participants", "q4": "soap and school absence"}
QRELS = {"q1": "d1", "q2": "d2", "q3": "d1", "q4": "d4"}


def _dataset(folder: Path) -> Path:
    (folder / "qrels").mkdir(parents=True)
    (folder / "corpus.jsonl").write_text("".join(
        json.dumps({"_id": i, "title": t, "text": x, "metadata": {}}) + "\n" for i, t, x in DOCS))
    (folder / "queries.jsonl").write_text("".join(
        json.dumps({"_id": q, "text": t}) + "\n" for q, t in QUERIES.items()))
    (folder / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{d}\t1\n" for q, d in QRELS.items()))
    return folder


def test_score_runs_by_hand() -> None:
    qrels = {"a": {"x": 1, "y": 1}, "b": {"z": 1}}
    scores = score_runs({"a": ["y", "n", "x"], "b": ["n", "n"]}, qrels)
    ndcg_a = (1 + 1 / 2) / (1 + 1 / 1.5849625007211563)  # hits at ranks 1 and 3 of 2 relevant
    assert scores.ndcg_at_10 == pytest.approx(ndcg_a / 2)
    assert scores.recall_at_100 == pytest.approx(0.5) and scores.mrr == pytest.approx(0.5)
    assert scores.n == 2


def test_bad_qrels_line_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "test.tsv"
    path.write_text("query-id\tcorpus-id\tscore\nq1 d1 1\n")
    with pytest.raises(KBError, match=r"test.tsv: line 2 is not"):
        load_qrels(path)


def test_missing_query_text_is_a_clear_error(tmp_path: Path) -> None:
    folder = _dataset(tmp_path / "set")
    (folder / "queries.jsonl").write_text(json.dumps({"_id": "q1", "text": "x"}) + "\n")
    with pytest.raises(KBError, match="no text for judged query q2"):
        load_beir(folder, "test")


def test_record_ids_are_safe() -> None:
    assert record_id("4983") == "beir-4983" and record_id("PMC/12 A") == "beir-pmc-12-a"


def test_tiny_corpus_end_to_end(tmp_path: Path) -> None:
    pytest.importorskip("bm25s")
    folder = _dataset(tmp_path / "set")
    work = tmp_path / "work"
    scores = beir_scores(folder, "test", work)
    assert set(scores) == {"hybrid", "lexical", "dense", "bm25"}
    assert scores["bm25"].recall_at_10 == 1.0 and scores["bm25"].n == 4
    # q3 is answered by a methods sentence of d1 only, which no finding holds
    assert scores["lexical"].recall_at_10 == 1.0 and scores["lexical"].ndcg_at_10 > 0.9
    assert scores["hybrid"].recall_at_10 == 1.0
    assert len(list((work / "records").glob("beir-*.json"))) == 4
    again = beir_scores(folder, "test", work)  # the kept knowledge base is reused
    assert again["hybrid"] == scores["hybrid"]
