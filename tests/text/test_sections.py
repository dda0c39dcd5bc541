"""Section labels and inferred roles."""

from __future__ import annotations

import pytest

from kb.text.sections import is_label_line, role_of_label, split_label, to_sections


@pytest.mark.parametrize("label,role", [
    ("OBJECTIVE", "objective"), ("DATA SOURCES AND STUDY SETTING", "setting"),
    ("STUDY DESIGN/DATA COLLECTION", "design"), ("PRINCIPAL FINDINGS", "results"),
    ("CONCLUSIONS", "conclusions"), ("Study Setting and Design", "setting"),
    ("Data Sources and Analytic Sample", "setting"), ("Main outcome measures", "results"),
    ("研究设计/数据收集", "design"), ("结论", "conclusions"), ("POLICY IMPLICATIONS", "conclusions"),
    ("Barriers", "results"), ("Facilitators", "results"), ("Key challenges", "results"),
    ("Toplines", "results"), ("Lessons learned", "conclusions"), ("Need", "other"),
])
def test_label_roles(label: str, role: str) -> None:
    assert role_of_label(label) == role


def test_split_label_forms() -> None:
    assert split_label("BACKGROUND: Text here.").label == "BACKGROUND"
    assert split_label("Methods: We used data.").label == "Methods"
    assert split_label("研究设计/数据收集:作为").label == "研究设计/数据收集"
    assert split_label("WPC: a pilot program.").label is None
    assert split_label("Note: this is not a label.").label is None


def test_unlabelled_structured_abstract_gets_roles_in_order() -> None:
    paragraphs = [
        "To evaluate whether care coordination reduces readmissions among older adults.",
        "We conducted a retrospective cohort study of 12,000 Medicare beneficiaries; data were "
        "collected from claims between 2015 and 2019.",
        "Coordination was associated with fewer readmissions (OR 0.81, 95% CI 0.70-0.93).",
        "These findings suggest that coordination programs should be expanded.",
    ]
    roles = [s.role for s in to_sections(paragraphs)]
    assert roles == ["objective", "methods", "results", "conclusions"]


def test_labels_fix_roles_even_out_of_order() -> None:
    sections = to_sections(["RESULTS: It worked (p < 0.01).", "METHODS: We used a survey."])
    assert [s.role for s in sections] == ["results", "methods"]


def test_barrier_and_facilitator_blocks_of_an_evidence_page_read_as_results() -> None:
    """Grey-literature pages list determinants under 'Barriers:' / 'Facilitators:' headings; the
    paragraphs under them hold findings, whatever their position on the page."""
    sections = to_sections([
        "Barriers and facilitators are factors that make it harder or easier to implement a practice.",
        "Barriers: Staff turnover makes it harder to deliver the program.",
        "Many programs are understaffed.",
        "Facilitators: Strong leadership engagement supports implementation.",
    ])
    assert [s.label for s in sections] == [None, "Barriers", None, "Facilitators"]
    assert [s.role for s in sections][1:] == ["results", "results", "results"]


def test_a_heading_on_a_line_of_its_own_labels_the_paragraph_after_it() -> None:
    sections = to_sections(["Methods", "We surveyed 355 staff in 51 counties.", "RESULTS:",
                            "Contracted organisations reported better integration.", "Conclusions"])
    assert [(s.label, s.role, s.text[:12]) for s in sections] == [
        ("Methods", "methods", "We surveyed "), ("RESULTS", "results", "Contracted o")]


def test_a_label_line_is_only_a_label() -> None:
    assert is_label_line("Main outcome measures") and is_label_line("RESULTS:")
    assert not is_label_line("RESULTS: It worked.") and not is_label_line("Abstract")
    assert not is_label_line("Methods matter for equity")
