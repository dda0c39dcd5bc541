"""Format sniffing and the prose parsers, including layouts beyond the seeds and fuzzing."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.sniff import choose_parser
from kb.errors import IngestError, KBError


@pytest.mark.parametrize("prefix,parser", [
    ("000", "evidence_library"), ("001", "pubmed_text"), ("002", "grey_summary"),
    ("003", "structured_abstract"), ("004", "pubmed_text"),
])
def test_seed_formats_are_sniffed(prefix: str, parser: str, seeds: list[Path]) -> None:
    path = next(p for p in seeds if p.name.startswith(prefix))
    assert parser == choose_parser(path.read_text(encoding="utf-8"), path.name).NAME


PUBMED_WEB = """Health Aff (Millwood). 2019 Oct;38(10):1733-1741. doi: 10.1377/hlthaff.2019.00012.

Medicaid Expansion And Housing Stability Among Low-Income Adults

Jane Q Doe 1, Richard Roe 2

Affiliations
1 Department of Health Policy, Vanderbilt University, Nashville, Tennessee.
2 School of Public Health, University of Michigan, Ann Arbor, Michigan.

PMID: 31581444 PMCID: PMC1234567 DOI: 10.1377/hlthaff.2019.00012

Abstract
Objective: To examine whether Medicaid expansion improved housing stability.
Methods: We used survey data from 2012 to 2017 for 24,000 adults.
Results: Expansion was associated with fewer evictions (OR 0.85, 95% CI 0.76-0.95).
Conclusions: Medicaid expansion may support housing stability.

Keywords: Medicaid; housing; evictions.

Copyright 2019 Project HOPE.
"""


def test_pubmed_web_page_layout() -> None:
    parser = choose_parser(PUBMED_WEB)
    assert parser.NAME == "pubmed_text"
    record = parser.parse(PUBMED_WEB, source="web.txt")[0]
    assert record.title == "Medicaid Expansion And Housing Stability Among Low-Income Adults"
    assert [(a.family, a.given) for a in record.authors] == [("Doe", "Jane Q"), ("Roe", "Richard")]
    assert record.identifiers.pmid == "31581444" and record.identifiers.pmcid == "PMC1234567"
    assert (record.venue, record.pages, record.published) == ("Health Aff (Millwood)", "1733-1741", "2019-10")
    assert [s.role for s in record.abstract] == ["objective", "methods", "results", "conclusions"]
    assert record.keywords == ["Medicaid", "housing", "evictions."]
    assert len(record.affiliations) == 2


def test_generic_parser_reads_a_one_line_summary() -> None:
    text = "Peer navigators reduced missed appointments by 30% in a trial of 200 adults."
    parser = choose_parser(text)
    record = parser.parse(text, source="one.txt")[0]
    assert parser.NAME == "generic_text"
    assert record.abstract[0].text == text


def test_no_prose_is_rejected() -> None:
    with pytest.raises(IngestError, match="no abstract-like prose"):
        choose_parser("12 34 56 ;;; ))) ((( 78")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_any_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        parser = choose_parser(text)
        parser.parse(text, source="fuzz.txt")
    except KBError:
        pass


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "BACKGROUND: Care is fragmented.", "Results: 45% improved (OR 1.2, 95% CI 1.0-1.4).",
    "Chuang E, Ross R", "Health Serv Res. 2025;60(1):e1.", "  • A bullet finding here for all.",
    "Leave a Reply", "研究设计/数据收集:作为对WPC进行的全州评估的一部分收集数据。", "PMID: 123",
    "This discussion paper describes whole-person care in five counties.", "",
]), max_size=12))
def test_shuffled_seed_like_lines_never_crash(lines: list[str]) -> None:
    text = "\n".join(lines)
    with contextlib.suppress(KBError):
        choose_parser(text).parse(text, source="mix.txt")
