"""Evidence briefs: content, provenance of every finding, APA and Vancouver references in the
Markdown and in the DOCX (opened with python-docx), selection by ids, theme or query, bad input."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Inches

from kb.cli import main
from kb.errors import KBError
from kb.export.brief import brief_docx, brief_markdown
from kb.export.docx_table import CELL_MARGINS, column_widths, text_width, usable_width, words
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
    # Only ratios with a CI: the three ORs of the JSI report, not its four ranges over models,
    # its "66%" or anybody's counts of pilots.
    assert [e.estimate() for e in brief.effects] == [
        "OR 0.47 (95% CI 0.24–0.95)", "OR 6.4 (95% CI 2.5–16.4)", "OR 2.5 (95% CI 1.4–4.7)"]
    assert {brief.cite(e.record_id) for e in brief.effects} == {
        "([To Improve Integration Across…], n.d.)"}
    shown = [(f.record_id, f.finding_id) for t in brief.themes for g in t.groups for f in g.findings]
    assert len(shown) == len(set(shown))   # each finding once
    assert set(shown) == {(r, f.id) for r in ORDER for f in frozen(r).findings}
    assert sorted(brief.numbers.values()) == list(range(1, len(shown) + 1))


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
    assert any(re.match(r"F\d+\. used braided funds \(", p.text) for p in document.paragraphs)
    reference = document.paragraphs[start]
    if style == "apa":
        assert [r.text for r in reference.runs if r.italic] == ["Health Serv Res", "60"]
        assert document.core_properties.title == brief.title


def _two_source_brief():
    return _brief("apa", [frozen(CHUANG), frozen(SAFAEINILI)])


def test_two_source_brief_shows_each_finding_once_under_its_main_theme() -> None:
    brief = _two_source_brief()
    text = brief_markdown(brief)
    document = docx.Document(io.BytesIO(brief_docx(brief)))
    paragraphs = [p.text for p in document.paragraphs]
    for rid in (CHUANG, SAFAEINILI):
        for finding in frozen(rid).findings:
            assert text.count(f"{finding.text} {brief.cite(rid)}") == 1, finding.text
            shown = [p for p in paragraphs if finding.text in p and not p.startswith("See also")]
            assert len(shown) == 1, finding.text
    # "These pilots also reported fewer challenges …" is tagged data sharing, cross-sector
    # coordination, contracting and workforce: shown under data sharing, pointed to from the others.
    section = text.split("### Data sharing")[1].split("### ")[0]
    assert "- F4. These pilots also reported fewer challenges" in section
    for theme in ("Cross-sector coordination", "Contracting", "Workforce and frontline staff"):
        section = text.split(f"### {theme}")[1].split("### ")[0]
        assert ("F4 “These pilots also reported fewer challenges in developing…” "
                "(Chuang et al., 2025), under Data sharing") in section
        assert "- F4." not in section
    # A theme no finding has as its main theme keeps its heading and its pointers.
    section = text.split("### Patient-centered care")[1].split("### ")[0]
    assert "**" not in section.split("designs:")[1] and "*See also: F8 “shared leadership" in section
    assert text.count("### ") == len(brief.themes) == 16
    assert text.count("\n- F") == 17 == sum(len(r.findings) for r in (frozen(CHUANG), frozen(SAFAEINILI)))


def test_two_source_brief_lists_no_counts_as_effects() -> None:
    brief = _two_source_brief()
    assert brief.effects == ()   # five counts of pilots, no ratio or difference with a CI
    text = brief_markdown(brief)
    assert "count 10" not in text and "No ratio or difference effects" in text
    assert "Network analyses identified 10 pilots" in text   # the count stays with its finding


def test_docx_sources_table_fits_a_landscape_page_without_breaking_words() -> None:
    document = docx.Document(io.BytesIO(brief_docx(_brief("vancouver"))))
    first, rest = document.sections[0], document.sections[1]
    assert first.page_width > first.page_height and rest.page_width < rest.page_height
    for table, section in zip(document.tables, (first, rest), strict=True):
        widths = [c.width for c in table.columns]
        assert sum(widths) <= usable_width(section)
        for column, width in zip(table.columns, widths, strict=True):
            assert all(cell.width == width for cell in column.cells)
            longest = max((w for c in column.cells for w in words(c.text)), key=len)
            assert text_width(len(longest)) + CELL_MARGINS <= width, longest
    sources = document.tables[0]
    assert [c.text for c in sources.rows[0].cells] == [
        "Citation", "Title", "Year", "Type", "Design", "Sample", "Findings", "Record"]


def test_column_widths_give_each_column_its_longest_word() -> None:
    widths = column_widths(["A", "Title"], [["x", "a very long title " * 8],
                                            ["sustainability-oriented", "short"]], Inches(6))
    assert sum(widths) <= Inches(6) and widths[1] > widths[0]
    assert widths[0] >= text_width(len("sustainability-")) + CELL_MARGINS
    assert words("journal-article; semi-structured interviews") == [
        "journal-", "article;", "semi-", "structured", "interviews"]


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
