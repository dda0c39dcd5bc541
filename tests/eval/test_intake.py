"""The intake benchmark's scoring of web-page captures against their gold."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import main
from kb.errors import KBError
from kb.eval.gold import CAPTURES
from kb.eval.intake import Extracted, Person, captures, intake_report, read_names, score, score_split

GOLD = {"title": "Care coordination in Medicaid: a review", "authors": [
    {"family": "van der Berg", "given": "Sophie G. L."}, {"family": "Chuang", "given": "E."}],
    "year": 2023, "doi": "10.1/ABC", "corporate_authors": [], "has_abstract": True,
    "abstract_first": "Care is fragmented.", "abstract_last": "Data sharing helps."}


def test_a_right_record_scores_every_field_and_invents_nothing() -> None:
    got = Extracted(name="x", title="Care coordination in Medicaid: a review", year=2023, doi="10.1/abc",
                    authors=[Person(family="van der Berg", given="Sophie G.L."), Person(family="Chuang", initials="E")],
                    abstract="Care is fragmented. We looked.\nData sharing helps.")
    assert all(ok != (field == "invented_title") for field, ok in score(got, GOLD).items())


def test_junk_title_and_turned_names_fail() -> None:
    got = Extracted(name="x", title="Back to search results", authors=[Person(family="Sophie", given="van der Berg")])
    result = score(got, GOLD)
    assert result["invented_title"] and not result["title"]
    assert not result["first_family"] and not result["authors"] and not result["abstract"]
    assert score(Extracted(name="x"), GOLD)["invented_title"] is False  # a gap is not invented


def test_splits_are_by_site_and_cover_the_corpus() -> None:
    tune, held = captures("tune"), captures("heldout")
    assert len(tune) + len(held) == len(captures("all")) >= 60
    assert not {g["site"] for _, g in tune} & {g["site"] for _, g in held}
    assert score_split("tune", {}).right["title"] <= sum(1 for _, g in tune if g["title"] is None)


def test_missing_gold_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KBError, match="no capture gold"):
        captures("all", tmp_path)


def test_kb_eval_intake_prints_both_splits() -> None:
    out = CliRunner().invoke(main, ["eval", "intake"])
    assert out.exit_code == 0, out.output
    assert "[tune] " in out.output and "[heldout] " in out.output and "invented titles" in out.output


def test_a_capture_list_restricts_every_split(tmp_path: Path) -> None:
    every = {p.stem for p, _ in captures("all")}
    listed = read_names(CAPTURES / "additions6.list")
    assert len(listed) >= 30 and listed <= every
    only = captures("all", names=listed)
    assert {p.stem for p, _ in only} == listed
    tune, held = score_split("tune", {}, listed), score_split("heldout", {}, listed)
    assert tune.pages + held.pages == len(listed) and tune.pages > 0 and held.pages > 0
    assert score_split("tune", {}, every - listed).pages + tune.pages == len(captures("tune"))
    report = intake_report({}, names=listed)
    assert f"({len(listed)} captures;" in report and f"[heldout] {held.pages} pages" in report


def test_a_bad_capture_list_is_a_clear_error(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.list"
    wrong.write_text("no-such-capture\n", encoding="utf-8")
    with pytest.raises(KBError, match="no gold for no-such-capture"):
        read_names(wrong)
    (tmp_path / "empty.list").write_text("\n", encoding="utf-8")
    with pytest.raises(KBError, match="empty"):
        read_names(tmp_path / "empty.list")
    with pytest.raises(KBError, match="cannot read"):
        read_names(tmp_path / "missing.list")


def test_the_bench_scores_a_list_or_everything_but_it() -> None:
    spec = importlib.util.spec_from_file_location("intake_bench", Path(__file__).parents[2] / "benchmarks/intake_bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    listed = CAPTURES / "additions6.list"
    every = {p.stem for p, _ in captures("all")}
    only, rest = bench.subset_names(every, listed, None), bench.subset_names(every, None, listed)
    assert only == read_names(listed) and rest == every - only and not only & rest
    assert bench.subset_names(every, None, None) is None
