"""Comparison of 2–5 records: aligned metadata, findings by kind, aligned and unique findings
(fake embedder; the real model in one test), themes, effects, renderings and the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import main
from kb.embed import FakeEmbedder, get_embedder
from kb.errors import KBError
from kb.export.comparison import render, to_rich
from kb.model.schema import Effect, Finding, Record, Section, Study
from kb.model.taxonomy import load_taxonomy
from kb.synthesis.compare import check_selection, compare, metadata_rows
from kb.synthesis.evidence import finding_refs
from tests.golden import assert_golden, frozen

CHUANG, SAFAEINILI = "chuang-2025-collaboration-strategies", "safaeinili-2025-assess-multi-level"
SEED_003 = "improve-integration-health"
TAX = load_taxonomy()


def _record(rid: str, texts: list[tuple[str, str, list[str]]], **kw) -> Record:
    body = " ".join(t for t, _, _ in texts)
    findings, at = [], 0
    for text, kind, themes in texts:
        findings.append(Finding(id=f"f0-{at}", kind=kind, text=text, section=0,
                                span=(at, at + len(text)), themes=themes))
        at += len(text) + 1
    return Record(id=rid, abstract=[Section(role="results", text=body)], findings=findings, **kw)


def _pairs(comparison) -> list[tuple[str, str, float]]:
    return [(p.left.text, p.right.text, p.score) for p in comparison.aligned]


def test_selection_must_be_two_to_five_distinct_records() -> None:
    for ids, message in (([CHUANG], "got 1"), ([str(i) for i in range(6)], "got 6"),
                         ([CHUANG, CHUANG], "given twice")):
        with pytest.raises(KBError, match=message):
            check_selection(ids)
    check_selection([CHUANG, SAFAEINILI])


def test_alignment_needs_similarity_and_a_shared_theme_or_high_similarity() -> None:
    a = _record("a", [("pilots used braided funds for housing", "strategy", ["financial-flexibility"]),
                      ("leaders at every level mattered", "facilitator", ["collaborative-leadership"]),
                      ("pilots used braided funds for housing", "result", [])])
    b = _record("b", [("braided funds for housing used by pilots", "strategy",
                       ["financial-flexibility"]),
                      ("the weather was cold", "barrier", ["collaborative-leadership"])])
    result = compare([a, b], FakeEmbedder(), TAX)
    # Same words -> similarity 1.0: aligned with or without a shared theme; the unrelated
    # leadership pair shares a theme but is not similar enough.
    assert [(p.left.finding_id, p.right.finding_id, p.shared_themes) for p in result.aligned] == [
        ("f0-0", "f0-0", ("financial-flexibility",)), ("f0-70", "f0-0", ())]
    assert all(p.score == pytest.approx(1.0, abs=1e-4) for p in result.aligned)
    assert [(u.record_id, u.finding_id) for u in result.unique] == [("a", "f0-38"), ("b", "f0-41")]
    strict = compare([a, b], FakeEmbedder(), TAX, min_similarity_alone=1.01)
    assert len(strict.aligned) == 1


def test_each_finding_keeps_its_best_match_per_other_source() -> None:
    a = _record("a", [("contracting with managed care plans", "result", ["contracting"])])
    b = _record("b", [("contracting with managed care plans was hard", "barrier", ["contracting"]),
                      ("contracting with plans", "result", ["contracting"])])
    c = _record("c", [("nothing in common here", "result", ["housing"])])
    result = compare([a, b, c], FakeEmbedder(), TAX)
    assert [(p.left.record_id, p.right.record_id, p.right.finding_id) for p in result.aligned] == [
        ("a", "b", "f0-0"), ("a", "b", "f0-45")]   # a's best in b, and b's second finding's best
    assert [u.record_id for u in result.unique] == ["c"]
    assert result.aligned[0].score > result.aligned[1].score


def test_chuang_vs_safaeinili_with_the_fake_embedder() -> None:
    """The fake (hashed bag of words) only sees shared word stems: it finds the contracting row
    but not funding ('funds' vs 'funding') nor partners — the real model is needed for those."""
    result = compare([frozen(CHUANG), frozen(SAFAEINILI)], get_embedder("fake"), TAX)
    assert [p.shared_themes for p in result.aligned] == [("contracting",)]
    assert "contractual relationships" in result.aligned[0].left.text
    assert "contracting with Medicaid managed care plans" in result.aligned[0].right.text
    assert result.model_id == "fake-hash:256"


@pytest.mark.model
def test_chuang_vs_safaeinili_aligns_funding_partners_and_contracting() -> None:
    result = compare([frozen(CHUANG), frozen(SAFAEINILI)], get_embedder("model"), TAX)
    by_theme = {t: [p for p in result.aligned if t in p.shared_themes]
                for t in ("financial-flexibility", "community-partnership", "contracting")}
    funding = by_theme["financial-flexibility"]
    assert ("used braided funds", "funding structure and reimbursement requirements") in [
        (p.left.text, p.right.text) for p in funding]
    partners = by_theme["community-partnership"]
    assert any("engaged partners" in p.left.text and "partner organizations" in p.right.text
               for p in partners)
    contracting = by_theme["contracting"]
    assert any("contractual relationships" in p.left.text for p in contracting)
    for pair in funding + partners + contracting:
        assert 0.25 <= pair.score < 0.65
    assert max(p.score for p in contracting) > max(p.score for p in funding)


def test_metadata_rows_align_fields_and_every_facet() -> None:
    rows = {m.field: m.values for m in metadata_rows([frozen(CHUANG), frozen(SAFAEINILI)])}
    assert rows["Year"] == ("2025", "2025")
    assert rows["Design"][1] == "qualitative; semi-structured interviews; thematic analysis"
    assert rows["Sample sizes"][0].startswith("(n\u2009=\u2009221); (n\u2009=\u2009167)")
    assert rows["Facet: Outcomes"] == ("Patient Experience of Care; Provider Experience of Care", "")
    assert rows["Title"][1].startswith("[no title] To assess multi-level factors")
    assert list(rows)[:9] == ["Title", "Citation", "Year", "Resource type", "Design", "Setting",
                              "Period", "Population", "Sample sizes"]


def test_findings_by_kind_themes_and_effects_side_by_side() -> None:
    result = compare([frozen(CHUANG), frozen(SEED_003)], get_embedder("fake"), TAX)
    kinds = {k.kind: [len(c) for c in k.cells] for k in result.by_kind}
    assert kinds["strategy"] == [4, 0] and kinds["result"] == [1, 3]
    contracting = next(t for t in result.themes.themes if t.id == "contracting")
    assert result.themes.cell(contracting.id, SEED_003).count == 4
    ors = [e for e in result.effects if e.effect.measure == "OR"]
    assert [e.effect.value for e in ors] == [0.47, 6.4, 2.5, 2.28, 1.76, 1.92, 1.8]
    assert {e.record_id for e in ors} == {SEED_003}
    # What the Compare page lists under Effects: the three ORs with a CI, no range, count or percent.
    assert [e.effect.value for e in result.effect_sizes] == [0.47, 6.4, 2.5]
    assert {e.effect.measure for e in result.effects} >= {"count", "percent"}
    assert len(result.unique) + 2 * len(result.aligned) >= len(finding_refs(frozen(CHUANG)))


def test_records_without_findings_or_effects_get_notes_not_errors() -> None:
    bare = Record(id="bare", title="No findings here", abstract=[Section(text="Just text.")])
    result = compare([bare, frozen(SAFAEINILI)], get_embedder("fake"), TAX)
    assert result.notes == ("bare: no findings were extracted from this record",)
    assert result.aligned == ()
    assert {e.record_id for e in result.effects} == {SAFAEINILI}
    text = render(result, "md")
    assert "## Notes" in text and "bare: no findings were extracted" in text
    none_with_effects = compare([frozen(CHUANG).model_copy(update={"findings": [
        f.model_copy(update={"effects": []}) for f in frozen(CHUANG).findings]}),
        frozen(SAFAEINILI)], get_embedder("fake"), TAX)
    assert f"{CHUANG}: no quantitative effects" in none_with_effects.notes


def test_golden_renderings() -> None:
    result = compare([frozen(CHUANG), frozen(SAFAEINILI)], get_embedder("fake"), TAX)
    assert_golden("compare/chuang_safaeinili.md", render(result, "md"))
    assert_golden("compare/chuang_safaeinili.csv", render(result, "csv"))
    data = json.loads(render(result, "json"))
    assert [s["record_id"] for s in data["sources"]] == [CHUANG, SAFAEINILI]
    assert data["aligned"][0]["score"] == result.aligned[0].score


def test_csv_has_one_column_per_source_and_parts() -> None:
    result = compare([frozen(CHUANG), frozen(SAFAEINILI), frozen(SEED_003)],
                     get_embedder("fake"), TAX)
    rows = list(csv.reader(io.StringIO(render(result, "csv"))))
    assert rows[0] == ["part", "row", "score", CHUANG, SAFAEINILI, SEED_003]
    parts = {r[0] for r in rows[1:]}
    assert parts == {"metadata", "findings", "aligned", "unique", "themes", "effects"}
    assert all(len(r) == 6 for r in rows)
    effect = next(r for r in rows if r[0] == "effects" and r[1] == "pilot participation")
    assert effect[5] == "OR 6.4 (95% CI 2.5–16.4)" and effect[3] == effect[4] == ""


def test_rich_tables_do_not_read_record_text_as_markup() -> None:
    from rich.console import Console

    odd = _record("odd", [("[bold]not markup[/bold] and [link]", "result", ["housing"])])
    result = compare([odd, frozen(SAFAEINILI)], get_embedder("fake"), TAX)
    console = Console(record=True, width=200)
    for table in to_rich(result):
        console.print(table)
    assert "[bold]not markup[/bold] and [link]" in console.export_text()


def _cli(home: Path, *args: str):
    return CliRunner().invoke(main, ["--kb", str(home), *args])


def test_cli_compare_formats_and_bad_input(shipped_copy: Path, tmp_path: Path) -> None:
    table = _cli(shipped_copy, "compare", CHUANG, SAFAEINILI)
    assert table.exit_code == 0, table.output
    assert "Aligned findings" in table.output and "Safaeinili et al., 2025" in table.output
    out = tmp_path / "c.md"
    written = _cli(shipped_copy, "compare", CHUANG, SAFAEINILI, "--format", "md", "-o", str(out))
    assert written.exit_code == 0 and out.read_text().startswith("# Comparison: Chuang et al., 2025")
    as_json = _cli(shipped_copy, "compare", CHUANG, SAFAEINILI, SEED_003, "--format", "json")
    assert len(json.loads(as_json.output)["sources"]) == 3
    assert (shipped_copy / ".kb" / "embeddings.sqlite").is_file()   # vectors cached by text hash
    for args, message in (([CHUANG], "compare needs 2 to 5 records, got 1"),
                          (["a", "b", "c", "d", "e", "f"], "compare needs 2 to 5 records, got 6"),
                          ([CHUANG, "no-such-record"], "no record with id 'no-such-record'"),
                          ([CHUANG, "../etc"], "no record with id '../etc'")):
        result = _cli(shipped_copy, "compare", *args)
        assert result.exit_code == 1 and message in result.output, result.output
        assert "Traceback" not in result.output
    usage = _cli(shipped_copy, "compare", CHUANG, SAFAEINILI, "-o", str(out))
    assert usage.exit_code == 2 and "--output needs --format md, csv or json" in usage.output


def test_cli_compare_record_without_findings(kb_home: Path) -> None:
    from kb.store import Store

    store = Store(kb_home)
    store.save(Record(id="bare-one", title="A", abstract=[Section(text="Text one.")]))
    store.save(Record(id="bare-two", title="B", abstract=[Section(text="Text two.")],
                      study=Study(design=["survey"])))
    result = _cli(kb_home, "compare", "bare-one", "bare-two", "--format", "md")
    assert result.exit_code == 0
    assert "note: bare-one: no findings were extracted from this record" in result.output
    assert "| Design | — | survey |" in result.output


def test_effects_keep_their_subgroup_and_range_nature() -> None:
    rec = _record("r", [("Manager OR 1.76 to 2.85 and OR 2.5 (95% CI 1.4-4.7)", "result", [])])
    finding = rec.findings[0].model_copy(update={"effects": [
        Effect(measure="OR", value=1.76, value_high=2.85, subgroup="Manager",
               text="Manager OR 1.76 to 2.85"),
        Effect(measure="OR", value=2.5, ci_low=1.4, ci_high=4.7, ci_level=95,
               text="OR 2.5 (95% CI 1.4-4.7)")]})
    rec = rec.model_copy(update={"findings": [finding]})
    result = compare([rec, frozen(CHUANG)], get_embedder("fake"), TAX)
    first, second = [e for e in result.effects if e.record_id == "r"]
    assert first.label == "Manager" and first.is_range
    assert first.estimate() == "OR 1.76 to 2.85 [Manager] — range over models, not a CI"
    assert second.estimate() == "OR 2.5 (95% CI 1.4–4.7)" and not second.is_range
