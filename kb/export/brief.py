"""Render an evidence Brief as Markdown or as a Word document (python-docx): the title and the
sources table on a landscape page, the findings (each once, numbered) and effects in portrait."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Inches, Pt

from kb.export.docx_table import fitted_table, new_section, set_orientation
from kb.export.markdown import md_cell, md_inline, md_table
from kb.synthesis.brief import Brief, SeeAlso
from kb.synthesis.cite import Reference
from kb.synthesis.evidence import FindingRef
from kb.synthesis.evidence_map import ThemeSynthesis

SOURCE_HEADERS = ["Citation", "Title", "Year", "Type", "Design", "Sample", "Findings", "Record"]
EFFECT_HEADERS = ["Source", "About", "Estimate", "As reported"]
HANGING = Inches(0.5)
NO_EFFECTS = ("No ratio or difference effects with a confidence interval were reported in these "
              "sources (counts and percentages stay with their finding).")


def _source_cells(brief: Brief) -> list[list[str]]:
    return [[s.citation, s.title, str(s.year or "n.d."), s.resource_type, s.design, s.sample,
             str(s.n_findings), s.record_id] for s in brief.sources]


def _effect_cells(brief: Brief) -> list[list[str]]:
    return [[brief.cite(e.record_id), e.label, e.estimate(), e.effect.text] for e in brief.effects]


def _provenance(finding: FindingRef) -> str:
    return f"From {finding.provenance()}"


def _finding_line(brief: Brief, finding: FindingRef) -> str:
    return f"F{brief.number(finding)}. {finding.text} {brief.cite(finding.record_id)}"


def see_also_text(brief: Brief, refs: tuple[SeeAlso, ...]) -> str:
    """'See also: F3 “used braided funds” (under Financial flexibility …); …'."""
    return "See also: " + "; ".join(
        f"F{r.number} “{r.snippet}” {brief.cite(r.record_id)}, under {r.theme_label}"
        for r in refs)


def _theme_meta(theme: ThemeSynthesis) -> str:
    designs = "; ".join(theme.designs) or "not stated"
    return f"{theme.n_sources} source(s) · designs: {designs}"


KIND_HEADINGS = {"strategy": "Strategies", "barrier": "Barriers", "facilitator": "Facilitators",
                 "outcome": "Outcomes", "result": "Results", "recommendation": "Recommendations",
                 "conclusion": "Conclusions"}


def _kind_label(kind: str) -> str:
    return KIND_HEADINGS.get(kind, kind.capitalize())


def _md_run(text: str, italic: bool) -> str:
    core = text.strip()
    if not italic or not core:
        return md_inline(text)
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}*{md_inline(core)}*{trail}"


def _md_reference(ref: Reference) -> str:
    body = "".join(_md_run(r.text, r.italic) for r in ref.runs)
    return f"{ref.label} {body}" if ref.label else body


def brief_markdown(brief: Brief) -> str:
    """The brief as Markdown."""
    out = [f"# {md_inline(brief.title)}", "",
           f"**Question:** {md_inline(brief.question)}  ",
           f"**Scope:** {md_inline(brief.scope)}  ",
           f"**Citation style:** {brief.style_name}", "", "## Sources", "",
           md_table(SOURCE_HEADERS, [[md_cell(c) for c in row] for row in _source_cells(brief)]),
           "", "## Findings by theme"]
    for theme in brief.themes:
        out += ["", f"### {md_inline(theme.theme.label)}", "", md_inline(_theme_meta(theme))]
        if theme.gap:
            out += ["", f"> **Gap:** {md_inline(theme.gap_reason)}"]
        for group in theme.groups:
            out += ["", f"**{_kind_label(group.kind)}**", ""]
            for f in group.findings:
                out.append(f"- {md_inline(_finding_line(brief, f))}")
                out.append(f"  - *{md_inline(_provenance(f))}*")
        if refs := brief.cross_references(theme.theme.id):
            out += ["", f"*{md_inline(see_also_text(brief, refs))}*"]
    out += ["", "## Effects", ""]
    out.append(md_table(EFFECT_HEADERS, [[md_cell(c) for c in row] for row in _effect_cells(brief)])
               if brief.effects else NO_EFFECTS)
    out += ["", f"## References ({brief.style_name})", ""]
    for ref in brief.references:
        out += [_md_reference(ref), ""]
    return "\n".join(out).rstrip() + "\n"


def _docx_labelled(doc: DocxDocument, label: str, text: str) -> None:
    para = doc.add_paragraph()
    para.add_run(f"{label}: ").bold = True
    para.add_run(text)


def _docx_theme(doc: DocxDocument, brief: Brief, theme: ThemeSynthesis) -> None:
    doc.add_heading(theme.theme.label, level=2)
    doc.add_paragraph(_theme_meta(theme))
    if theme.gap:
        _docx_labelled(doc, "Gap", theme.gap_reason)
    for group in theme.groups:
        doc.add_paragraph().add_run(_kind_label(group.kind)).bold = True
        for f in group.findings:
            doc.add_paragraph(_finding_line(brief, f), style="List Bullet")
            note = doc.add_paragraph()
            note.paragraph_format.left_indent = HANGING
            run = note.add_run(_provenance(f))
            run.italic, run.font.size = True, Pt(8)
    if refs := brief.cross_references(theme.theme.id):
        doc.add_paragraph().add_run(see_also_text(brief, refs)).italic = True


def _docx_reference(doc: DocxDocument, ref: Reference, hanging: bool) -> None:
    para = doc.add_paragraph()
    if hanging:
        para.paragraph_format.left_indent = HANGING
        para.paragraph_format.first_line_indent = -HANGING
    if ref.label:
        para.add_run(f"{ref.label} ")
    for run in ref.runs:
        docx_run = para.add_run(run.text)
        docx_run.italic, docx_run.bold = run.italic or None, run.bold or None


def brief_docx(brief: Brief) -> bytes:
    """The brief as a .docx file's bytes."""
    doc = Document()
    set_orientation(doc.sections[0], landscape=True)
    doc.core_properties.title = brief.title
    doc.add_heading(brief.title, level=0)
    _docx_labelled(doc, "Question", brief.question)
    _docx_labelled(doc, "Scope", brief.scope)
    _docx_labelled(doc, "Citation style", brief.style_name)
    doc.add_heading("Sources", level=1)
    fitted_table(doc, SOURCE_HEADERS, _source_cells(brief))
    new_section(doc, landscape=False)
    doc.add_heading("Findings by theme", level=1)
    for theme in brief.themes:
        _docx_theme(doc, brief, theme)
    doc.add_heading("Effects", level=1)
    if brief.effects:
        fitted_table(doc, EFFECT_HEADERS, _effect_cells(brief))
    else:
        doc.add_paragraph(NO_EFFECTS)
    doc.add_heading(f"References ({brief.style_name})", level=1)
    for ref in brief.references:
        _docx_reference(doc, ref, hanging=not ref.label)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
