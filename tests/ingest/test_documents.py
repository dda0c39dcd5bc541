"""PDF and Word files: the text of their first pages read like pasted text; scanned, encrypted,
damaged and old-format files refused with a reason naming the file."""

from __future__ import annotations

import io
import zipfile

import pytest

from ingest.document import before_body, keeps_hyphen, reflow
from ingest.reader import Input, open_input
from kb.errors import IngestError
from kb.model.schema import Record
from tests.ingest.documents import encrypted, pdf, word

FRONT = ["Community health workers and hospital use among Medicaid enrollees:",
         "a randomized trial",
         "Chuang E, Jones R, de la Cruz Lopez M",
         "Health Serv Res. 2023;58(2):312-321. doi:10.1111/1475-6773.14123",
         "Abstract",
         "Objective: To estimate the effect of a community health worker program on emergency depart-",
         "ment visits among adult Medicaid enrollees in three states over twelve months of follow-up.",
         "Results: Enrollees in the program had 12% fewer emergency department visits than matched",
         "controls (95% CI, 5% to 18%) and 8% fewer admissions over the year of follow-up in all states.",
         "Conclusions: Community health workers reduced hospital use in this population of enrollees.",
         "1. Introduction",
         "Medicaid programs have invested in community health workers for many years; this is the body."]


def _record(data: bytes, name: str) -> Record:
    opened = open_input(Input(source=name, data=data))
    [record] = list(opened.items)
    assert isinstance(record, Record)
    return record


def _check(record: Record) -> None:
    assert record.title == "Community health workers and hospital use among Medicaid enrollees: a randomized trial"
    assert [(a.family, a.initials) for a in record.authors] == [("Chuang", "E"), ("Jones", "R"),
                                                                ("de la Cruz Lopez", "M")]
    assert (record.year, record.identifiers.doi) == (2023, "10.1111/1475-6773.14123")
    assert [s.label for s in record.abstract] == ["Objective", "Results", "Conclusions"]
    assert "body" not in " ".join(s.text for s in record.abstract)


def test_a_pdf_text_layer_is_read_as_pasted_text() -> None:
    opened = open_input(Input(source="paper.pdf", data=pdf([FRONT])))
    assert opened.parser.NAME == "pdf"
    [record] = list(opened.items)
    _check(record)
    assert record.abstract[0].text == ("To estimate the effect of a community health worker program on emergency "
                                       "department visits among adult Medicaid enrollees in three states over "
                                       "twelve months of follow-up.")


def test_a_word_file_is_read_as_pasted_text() -> None:
    paragraphs: list[tuple[str, str | None]] = [(FRONT[0] + " " + FRONT[1], "Title"), (FRONT[2], None),
                                                (FRONT[3], None), ("Abstract", "Heading 1")]
    paragraphs += [(" ".join(FRONT[5:7]).replace("depart- ment", "department"), None),
                   (" ".join(FRONT[7:9]), None), (FRONT[9], None), ("Introduction", "Heading 1"), (FRONT[11], None)]
    _check(_record(word(paragraphs), "paper.docx"))


def test_a_scanned_pdf_without_text_is_refused_naming_the_file() -> None:
    with pytest.raises(IngestError, match=r"^scan\.pdf: the PDF has no text layer .*OCR"):
        open_input(Input(source="scan.pdf", data=pdf([[], []])))


def test_an_encrypted_pdf_is_refused_naming_the_file() -> None:
    with pytest.raises(IngestError, match=r"^locked\.pdf: the PDF is encrypted"):
        open_input(Input(source="locked.pdf", data=encrypted(pdf([FRONT]))))


def test_a_damaged_pdf_is_refused_naming_the_file() -> None:
    with pytest.raises(IngestError, match=r"^cut\.pdf: the PDF (is damaged|has no text layer)"):
        open_input(Input(source="cut.pdf", data=pdf([FRONT])[:200]))


def test_old_word_files_and_damaged_word_files_are_refused() -> None:
    with pytest.raises(IngestError, match=r"^old\.doc: an old Word 97-2003"):
        open_input(Input(source="old.doc", data=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600))
    with pytest.raises(IngestError, match=r"^bad\.docx: the Word file is damaged"):
        open_input(Input(source="bad.docx", data=b"PK\x03\x04" + b"\x01" * 300))


def test_a_word_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (250 * 1024 * 1024))
    with pytest.raises(IngestError, match="unpacks to"):
        open_input(Input(source="bomb.docx", data=out.getvalue()))


def test_reflow_joins_wrapped_lines_and_undoes_hyphens_but_keeps_labels_apart() -> None:
    lines = ["Objective: a line that runs the full width of the page and so goes on to the next",
             "line, where it ends.", "Methods: a new labelled section starts here on the next line too",
             "and a self-",
             "contained word."]
    assert reflow(lines) == ["Objective: a line that runs the full width of the page and so goes on to the "
                             "next line, where it ends.",
                             "Methods: a new labelled section starts here on the next line too and a "
                             "self-contained word."]


@pytest.mark.parametrize(("before", "after", "kept"), [
    ("depart", "ment visits", False), ("self", "contained", True), ("non", "profit", True),
    ("Medicaid", "eligible adults", True), ("health", "Related", True), ("co", "ordination", True),
    ("communi", "ty health", False),
])
def test_a_line_end_hyphen_stays_only_in_a_hyphenated_word(before: str, after: str, kept: bool) -> None:
    assert keeps_hyphen(before, after) is kept
    assert reflow([f"The program for {before}-", f"{after} ran for two years."]) == [
        f"The program for {before}{'-' if kept else ''}{after} ran for two years."]


def test_a_word_the_text_hyphenates_elsewhere_keeps_its_hyphen() -> None:
    lines = ["Care was evidence-", "based in every site; evidence-based care was the rule."]
    assert reflow(lines) == ["Care was evidence-based in every site; evidence-based care was the rule."]
    assert reflow(["Care was evidence-", "based in every site."]) == ["Care was evidencebased in every site."]


def test_before_body_cuts_at_the_introduction_but_not_at_the_top() -> None:
    assert before_body(["Title", "Authors", "Abstract", "Text.", "1. Introduction", "Body."]) == [
        "Title", "Authors", "Abstract", "Text."]
    assert before_body(["Introduction", "Text of a document that starts with it."]) == [
        "Introduction", "Text of a document that starts with it."]
