"""Evidence briefs: content, provenance of every finding, APA and Vancouver references in the
Markdown and in the DOCX (opened with python-docx), selection by ids, theme or query, bad input."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from kb.cli import main
from kb.errors import KBError
from kb.export.brief import brief_docx, brief_markdown
from kb.model.taxonomy import load_taxonomy
from kb.synthesis.brief import build_brief, select_findings, select_theme
from tests.golden import assert_golden, frozen, frozen_records
from tests.synthesis.test_cite import APA, CHUANG, JSI, SAFAEINILI, SEED_003, VANCOUVER

TAX = load_taxonomy()
ORDER = [CHUANG, SAFAEINILI, JSI, SEED_003]


def _brief(style: str, records=None, **kw):
    records = records if records is not None else [frozen(r) for r in ORDER]
    return build_brief(records, TAX, style=style, question="What helps whole-person care pilots?",
                       scope="four shipped records", **kw)


def test_brief_model_sources_themes_effects_and_gaps() -> None:
    brief = _brief("apa")
    assert [s.record_id for s in brief.sources] == ORDER
    assert brief.sources[0].citation == "(Chuang et al., 2025)"
    assert brief.sources[1].title.startswith("[no title] To assess multi-level factors")
    labels = [t.theme.label for t in brief.themes]
    assert labels[:6] == ["Target population", "Patient-centered care", "Cross-sector coordination",
                          "Data sharing", "Financial flexibility and braided funding",
                          "Collaborative leadership"]
    assert labels[-1] == "Other findings (no theme)"   # nothing is dropped for lack of a theme
    funding = next(t for t in brief.themes if t.theme.id == "financial-flexibility")
    assert funding.gap and funding.n_sources == 3
    strategies = next(g for g in funding.groups if g.kind == "strategy")
    assert strategies.findings[0].text == "used braided funds"
    assert strategies.findings[0].provenance() == (
        f"{CHUANG}, section 3 (PRINCIPAL FINDINGS), characters 404–422")
    ors = [e for e in brief.effects if e.effect.measure == "OR"]
    assert len(ors) == 7 and {brief.cite(e.record_id) for e in ors} == {
        "([To Improve Integration Across…], n.d.)"}
    shown = {(f.record_id, f.finding_id) for t in brief.themes for g in t.groups for f in g.findings}
    assert shown == {(r, f.id) for r in ORDER for f in frozen(r).findings}


@pytest.mark.parametrize("style, expected", [("apa", APA), ("vancouver", VANCOUVER)])
def test_markdown_brief_has_the_references(style: str, expected: list[str]) -> None:
    text = brief_markdown(_brief(style))
    refs = text.split("## References")[1]
    plain = refs.replace("*", "").replace("\\[", "[").replace("\\]", "]")
    for reference in expected:
        assert reference in plain
    if style == "apa":
        assert "*Health Serv Res*, *60*(Suppl 3), Article e14417" in refs
        assert "(Chuang et al., 2025)\n  - *From chuang-2025" in text
    else:
        assert "used braided funds (1)" in text
    assert text.count("  - *From ") == sum(len(g.findings) for t in _brief(style).themes
                                           for g in t.groups)


def test_markdown_golden() -> None:
    records = [frozen(CHUANG), frozen(SAFAEINILI)]
    assert_golden("brief/chuang_safaeinili_apa.md", brief_markdown(_brief("apa", records)))
    assert_golden("brief/chuang_safaeinili_vancouver.md",
                  brief_markdown(_brief("vancouver", records)))


@pytest.mark.parametrize("style, expected", [("apa", APA), ("vancouver", VANCOUVER)])
def test_docx_brief_opens_with_the_content_and_references(style: str, expected: list[str]) -> None:
    brief = _brief(style)
    document = docx.Document(io.BytesIO(brief_docx(brief)))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Evidence brief: What helps whole-person care pilots?"
    assert "Question: What helps whole-person care pilots?" in paragraphs
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Sources", "Findings by theme", "Target population"]
    assert headings[-2:] == ["Effects", f"References ({brief.style_name})"]
    start = paragraphs.index(f"References ({brief.style_name})") + 1
    assert paragraphs[start:] == expected
    sources, effects = document.tables
    assert [c.text for c in sources.rows[0].cells][:2] == ["Citation", "Title"]
    assert [c.text for c in sources.rows[1].cells][-1] == CHUANG
    assert len(effects.rows) == 1 + len(brief.effects)
    assert any(p.text.startswith(f"From {CHUANG}, section 3") for p in document.paragraphs)
    assert any(p.text.startswith("used braided funds ") for p in document.paragraphs)
    reference = document.paragraphs[start]
    if style == "apa":
        assert [r.text for r in reference.runs if r.italic] == ["Health Serv Res", "60"]
        assert document.core_properties.title == brief.title


def test_theme_and_finding_selection() -> None:
    records = frozen_records()
    chosen = select_theme(records, "Data sharing", TAX)
    assert [r.id for r in chosen] == [CHUANG, JSI]
    assert all("data-sharing" in f.themes for r in chosen for f in r.findings)
    brief = build_brief(chosen, TAX, style="apa", question="q", scope="theme", theme="data-sharing")
    assert [t.theme.id for t in brief.themes] == ["data-sharing"]
    picked = select_findings(records, [(SAFAEINILI, "f3-388"), (CHUANG, "f3-404"),
                                       (SAFAEINILI, "f3-0"), ("gone", "f0-0")])
    assert [(r.id, [f.id for f in r.findings]) for r in picked] == [
        (SAFAEINILI, ["f3-0", "f3-388"]), (CHUANG, ["f3-404"])]


def test_empty_selection_says_so() -> None:
    with pytest.raises(KBError, match="no records match search 'xyz'; there is nothing to brief"):
        build_brief([], TAX, style="apa", question="q", scope="search 'xyz'")


def _cli(home: Path, *args: str):
    return CliRunner().invoke(main, ["--kb", str(home), "export", "brief", *args])


def test_cli_brief_by_ids_theme_and_query(shipped_copy: Path, tmp_path: Path) -> None:
    md, dx = tmp_path / "b.md", tmp_path / "b.docx"
    result = _cli(shipped_copy, "--ids", f"{CHUANG},{SAFAEINILI}", "--style", "vancouver", "-o", str(md))
    assert result.exit_code == 0, result.output
    assert VANCOUVER[0] in md.read_text()
    result = _cli(shipped_copy, "--theme", "contracting", "--format", "docx", "-o", str(dx))
    assert result.exit_code == 0, result.output
    paragraphs = [p.text for p in docx.Document(str(dx)).paragraphs]
    assert "Evidence brief: What does the evidence say about contracting?" in paragraphs
    assert [p for p in paragraphs if p.startswith("Contracting")] == ["Contracting"]
    result = _cli(shipped_copy, "--query", "braided funding", "-o", "-")
    assert result.exit_code == 0, result.output
    assert "**Scope:** search 'braided funding'" in result.output
    assert "used braided funds (Chuang et al., 2025)" in result.output


def test_cli_brief_bad_input(shipped_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.md"
    cases = [
        ((), 2, "exactly one of --ids, --theme or --query"),
        (("--ids", CHUANG, "--theme", "contracting"), 2, "exactly one of"),
        (("--ids", "nope"), 1, "no record with id 'nope'"),
        (("--theme", "astronomy"), 1, "unknown theme 'astronomy'"),
        (("--query", "!!!"), 1, "the query had no searchable words"),
        (("--ids", CHUANG, "--format", "docx", "-o", "-"), 2, "a DOCX brief needs a file name"),
    ]
    for args, code, message in cases:
        full = [*args] if "-o" in args else [*args, "-o", str(out)]
        result = _cli(shipped_copy, *full)
        assert result.exit_code == code and message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_brief_for_a_query_that_finds_nothing(kb_home: Path) -> None:
    result = _cli(kb_home, "--query", "braided funding", "-o", str(kb_home / "x.md"))
    assert result.exit_code == 1
    assert "no records match search 'braided funding'; there is nothing to brief" in result.output
    assert not (kb_home / "x.md").exists()
