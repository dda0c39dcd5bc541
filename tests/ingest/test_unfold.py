"""A reference and its abstract pasted as one paragraph parse like the same text with line breaks."""

from __future__ import annotations

import pytest

from ingest.reader import Input, open_input
from ingest.unfold import unfold
from kb.model.schema import Record

FOLDED = (
    "Community Health Worker Support for Low-Income Patients: A Randomized Clinical Trial. "
    "Kangovi S, Mitra N, van der Berg JP, Long JA. JAMA Netw Open. 2023;6(4):e238123. "
    "doi:10.1001/jamanetworkopen.2023.8123 OBJECTIVE: To determine whether a community health "
    "worker intervention improved outcomes among high-risk patients. DESIGN, SETTING, AND "
    "PARTICIPANTS: This randomized clinical trial was conducted in 3 primary care practices. "
    "RESULTS: Patients in the intervention group spent fewer days in the hospital (467 vs 707 "
    "days; P = .02). CONCLUSIONS: The intervention reduced hospitalization.")
BROKEN = (
    "Community Health Worker Support for Low-Income Patients: A Randomized Clinical Trial.\n"
    "Kangovi S, Mitra N, van der Berg JP, Long JA.\n"
    "JAMA Netw Open. 2023;6(4):e238123. doi:10.1001/jamanetworkopen.2023.8123\n\n"
    "OBJECTIVE: To determine whether a community health worker intervention improved outcomes "
    "among high-risk patients.\n"
    "DESIGN, SETTING, AND PARTICIPANTS: This randomized clinical trial was conducted in 3 "
    "primary care practices.\n"
    "RESULTS: Patients in the intervention group spent fewer days in the hospital (467 vs 707 "
    "days; P = .02).\n"
    "CONCLUSIONS: The intervention reduced hospitalization.\n")


def _record(text: str) -> Record:
    opened = open_input(Input(source="pasted.txt", data=text.encode()))
    return next(i for i in opened.items if isinstance(i, Record))


def test_one_paragraph_parses_like_the_broken_lines() -> None:
    folded, broken = _record(FOLDED), _record(BROKEN)
    assert folded.model_dump() == broken.model_dump()
    assert folded.title == "Community Health Worker Support for Low-Income Patients: A Randomized Clinical Trial"
    assert [(a.family, a.initials) for a in folded.authors] == [
        ("Kangovi", "S"), ("Mitra", "N"), ("van der Berg", "JP"), ("Long", "JA")]
    assert (folded.venue, folded.year, folded.article_number) == ("JAMA Netw Open", 2023, "e238123")
    assert folded.identifiers.doi == "10.1001/jamanetworkopen.2023.8123"
    assert [s.role for s in folded.abstract] == ["objective", "setting", "results", "conclusions"]


def test_initials_first_and_single_authors() -> None:
    lines = unfold(
        "Screening for Social Needs in Primary Care. A.B. Smith, C.D. Jones, E. de la Cruz. "
        "Ann Fam Med. 2021;19(2):105-112. doi: 10.1370/afm.2636. Epub 2021 Mar 2. PMID: 33685871. "
        "Background: Screening for social needs is common. Results: Most patients found it "
        "appropriate.").split("\n")
    assert lines[:3] == [
        "Screening for Social Needs in Primary Care.", "A.B. Smith, C.D. Jones, E. de la Cruz.",
        "Ann Fam Med. 2021;19(2):105-112. doi: 10.1370/afm.2636. Epub 2021 Mar 2. PMID: 33685871."]
    assert lines[3:] == ["Background: Screening for social needs is common.",
                         "Results: Most patients found it appropriate."]
    single = _record(
        "Care coordination for Medicaid enrollees in California. Chuang E. Health Serv Res. "
        "2025;60(3):e14417. Objective. To describe the strategies that pilots used. Methods. We "
        "interviewed 120 staff in 25 pilots. Results. Pilots used braided funding and shared data.")
    assert single.title == "Care coordination for Medicaid enrollees in California"
    assert [(a.family, a.initials) for a in single.authors] == [("Chuang", "E")]
    assert [s.label for s in single.abstract] == ["Objective", "Methods", "Results"]


@pytest.mark.parametrize("text", [
    BROKEN,
    # prose citing a paper in passing is not a folded reference
    "Earlier trials (Kangovi S, Mitra N. JAMA Intern Med. 2018;178(12):1635-1643) found that "
    "community health workers reduced hospital days among low-income patients in three "
    "practices, and we asked whether the same held for Medicaid enrollees in rural clinics.",
    # nothing after the citation: a reference, not an abstract
    "A long title about the effects of community health workers on hospital use among low-"
    "income patients in primary care. Kangovi S, Mitra N. JAMA Intern Med. 2018;178(12):1635-43.",
])
def test_other_text_is_left_alone(text: str) -> None:
    assert unfold(text) == text
