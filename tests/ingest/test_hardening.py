"""Reproducers of issue 17's ingest defects: sniffing that loses records, inputs that exhaust
memory or time, and parser exceptions that stop a batch. Each test is the reported input (scaled
down where the defect does not need the full size) and the outcome it must now have."""

from __future__ import annotations

import gzip
import tracemalloc
from pathlib import Path

import pytest

from ingest.formats import bibtex, ris
from ingest.limits import MAX_EXPORT_BYTES, MAX_PROSE_CHARS, MAX_RECORD_CHARS, MAX_XML_RECORD_BYTES
from ingest.reader import Input, open_input
from ingest.sniff import choose_parser
from kb.config import MAX_UPLOAD_MB
from kb.errors import IngestError
from kb.model.schema import Record
from kb.ops.pipeline import ingest_paths, parse_input
from kb.store import Store

RIS_QUOTE = "TY  - JOUR\nTI  - Injected\nAU  - Mallory, M\nPY  - 2020\nER  - "
ABSTRACT = ("Care coordination programs were associated with fewer readmissions in the "
            "intervention group than in the control group.")


def _items(data: bytes, name: str) -> list:
    return list(open_input(Input(source=name, data=data)).items)


def _csv_quoting_ris(rows: int = 50) -> str:
    lines = ["title,abstract,year"]
    for n in range(rows):
        abstract = f'"{RIS_QUOTE}"' if n == 7 else f"{ABSTRACT} Row {n}."
        lines.append(f"Study number {n} of care coordination,{abstract},2020")
    return "\n".join(lines) + "\n"


def test_a_csv_quoting_ris_lines_stays_a_csv() -> None:
    items = _items(_csv_quoting_ris().encode(), "export.csv")
    records = [i for i in items if isinstance(i, Record)]
    assert len(records) == 50
    assert "Injected" not in {r.title for r in records}


def test_a_bibtex_file_quoting_ris_lines_stays_bibtex() -> None:
    entries = "\n".join(f"@article{{k{n},\n  title = {{Study {n} of care}},\n  year = {{2020}},\n"
                        f"  abstract = {{{RIS_QUOTE if n == 2 else ABSTRACT}}}\n}}" for n in range(6))
    assert choose_parser(entries, "refs.bib").NAME == "bibtex"
    assert len([i for i in _items(entries.encode(), "refs.bib") if isinstance(i, Record)]) == 6


def test_pasted_text_quoting_ris_lines_is_not_read_as_ris() -> None:
    text = "\n\n".join([f"BACKGROUND: {ABSTRACT}", f"METHODS: {ABSTRACT}", RIS_QUOTE,
                        f"RESULTS: {ABSTRACT}", f"CONCLUSIONS: {ABSTRACT}"] * 2)
    assert choose_parser(text, "pasted.txt").NAME != "ris"


def test_an_export_that_would_skip_most_of_its_lines_fails_loudly() -> None:
    # RIS records fill the part sniffing reads, then far more lines that no record holds:
    # importing the records quietly would lose what the rest of the file says
    records = "".join(f"TY  - JOUR\nTI  - Study {n} of care coordination\nPY  - 2020\nER  - \n"
                      for n in range(4000))
    notes = "".join(f"note line {n} that is not part of any record\n" for n in range(20_000))
    items = _items((records + notes).encode(), "long.ris")
    assert sum(isinstance(i, Record) for i in items) == 4000
    assert isinstance(items[-1], IngestError)
    assert "20,000 of 36,000 non-blank lines (most of the text) are outside any RIS record" in items[-1].reason
    assert items[-1].line == 16_001


def test_a_parser_reports_skipped_text_at_its_own_level() -> None:
    text = RIS_QUOTE + "\n" + "".join(f"line {n} of a text that only quotes RIS\n" for n in range(40))
    items = list(ris.iter_parse(text, source="quoted.ris"))
    assert isinstance(items[0], Record) and items[0].title == "Injected"
    assert isinstance(items[-1], IngestError) and "40 of 45 non-blank lines (most" in items[-1].reason


@pytest.mark.timeout(120)  # hang guard: the quadratic sniff took 21 s on 60 kB, hours on this
def test_blank_lines_do_not_make_the_bibtex_sniff_quadratic() -> None:
    text = "\n" * 600_000 + "@article{k,\n title = {Late entry},\n year = {2020}\n}\n"
    assert bibtex.sniff(text[-100_000:]) == 0.95
    assert bibtex.sniff("\n" * 600_000) == 0.0


def test_a_huge_abstract_in_gzipped_xml_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    text = "a " * (20 * 1024 * 1024)  # 40 MB in one AbstractText, some 40 kB gzipped
    xml = (f"<?xml version='1.0'?><PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>"
           f"<Article><ArticleTitle>T</ArticleTitle><Abstract><AbstractText>{text}</AbstractText>"
           f"</Abstract></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>")
    path = tmp_path / "bomb.xml.gz"
    path.write_bytes(gzip.compress(xml.encode(), compresslevel=1))
    del xml, text
    tracemalloc.start()
    try:
        items = list(open_input(Input(source=path.name, path=path)).items)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [type(i) for i in items] == [IngestError]
    assert "record 1 is more than" in items[0].reason
    assert peak < 4 * MAX_XML_RECORD_BYTES


def test_a_one_record_ris_of_megabytes_is_refused_for_that_record() -> None:
    huge = "TY  - JOUR\nTI  - Huge\nAB  - " + "word " * (MAX_RECORD_CHARS // 5 + 10) + "\nER  - \n"
    small = "TY  - JOUR\nTI  - Small study of care coordination\nPY  - 2021\nER  - \n"
    items = _items((huge + small).encode(), "big.ris")
    assert isinstance(items[0], IngestError) and "million characters" in items[0].reason
    assert [i.title for i in items if isinstance(i, Record)] == ["Small study of care coordination"]


def test_an_oversized_abstract_field_is_refused_for_that_record() -> None:
    long_abstract = "BACKGROUND: " + "Care was coordinated. " * (MAX_PROSE_CHARS // 20)
    text = f"TY  - JOUR\nTI  - Long\nAB  - {long_abstract}\nER  - \nTY  - JOUR\nTI  - Short\nER  - \n"
    items = _items(text.encode(), "long.ris")
    assert isinstance(items[0], IngestError) and "the abstract is" in items[0].reason
    assert [i.title for i in items if isinstance(i, Record)] == ["Short"]


def test_megabytes_of_prose_are_refused_before_role_inference() -> None:
    text = ("Care coordination reduced readmissions in the intervention arm. " * 28_000).encode()
    assert len(text) > 1_700_000
    with pytest.raises(IngestError, match="million characters"):
        open_input(Input(source="long.txt", data=text))


def test_thousands_of_tiny_paragraphs_are_refused_before_role_inference() -> None:
    text = ("Care was coordinated by staff in the county.\n\nx\n\n" * 3_000).encode()
    with pytest.raises(IngestError, match="6,000 lines, more than the 5,000"):
        open_input(Input(source="lines.txt", data=text))


def test_a_huge_export_is_not_scanned_for_prose_when_sniffing() -> None:
    # generic_text.sniff read all of a 50 MB one-record RIS sentence by sentence (246 s)
    from ingest.formats import generic_text

    text = "TY  - JOUR\nTI  - Huge\nAB  - " + "word " * 1_000_000 + "\nER  - \n"
    tail = "\nThe staff said that the care was coordinated by the county and it helped them.\n"
    assert generic_text.sniff(text + tail) == 0.0  # only the first 200,000 characters are read
    with pytest.raises(IngestError, match="record 1: the record is 5.0 million characters"):
        parse_input(text.encode(), "huge.ris")


def test_the_app_upload_limit_fits_what_ingest_holds() -> None:
    assert MAX_UPLOAD_MB * 1024 * 1024 <= MAX_EXPORT_BYTES


def test_a_bom_file_that_is_not_utf8_is_an_ingest_error() -> None:
    data = b"\xef\xbb\xbfBACKGROUND: Caf\xe9 owners were interviewed about care coordination.\n"
    with pytest.raises(IngestError, match="byte-order mark"):
        open_input(Input(source="bom.txt", data=data))


def test_a_bom_export_in_a_legacy_encoding_is_read_with_a_note() -> None:
    data = b"\xef\xbb\xbfTY  - JOUR\nTI  - Caf\xe9 study\nPY  - 2020\nER  - \n"
    opened = open_input(Input(source="legacy.ris", data=data))
    assert [r.title for r in opened.items] == ["Café study"]
    assert opened.notes and "not UTF-8" in opened.notes[0]


def test_a_brace_bomb_is_an_ingest_error_for_that_entry() -> None:
    bomb = "@article{k1,\n title = {" + "{" * 20_000 + "x" + "}" * 20_000 + "},\n year = {2020}\n}\n"
    good = "@article{k2,\n title = {Care coordination},\n year = {2021}\n}\n"
    items = _items((bomb + good).encode(), "bomb.bib")
    assert any(isinstance(i, IngestError) for i in items)
    assert [i.title for i in items if isinstance(i, Record)] == ["Care coordination"]


def test_deeply_nested_csl_json_is_an_ingest_error() -> None:
    data = ('[{"type": "article-journal", "title": "x", "author": [], "note": ' + "[" * 100_000 + "]" * 100_000
            + "}]").encode()
    items: list = []
    with pytest.raises(IngestError, match="nested too deeply"):
        items.extend(_items(data, "deep.json"))
    assert not items


def test_a_csl_json_number_too_long_to_read_is_an_ingest_error() -> None:
    # found by the reader fuzz test: Python refuses to read an integer of over 4,300 digits
    data = ('[{"type": "article-journal", "title": "x", "author": [], "volume": ' + "7" * 14_612 + "}]").encode()
    items: list = []
    with pytest.raises(IngestError, match="holds a value that cannot be read"):
        items.extend(_items(data, "long.json"))
    assert not items


def test_a_batch_goes_on_past_every_kind_of_bad_file(kb_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "a_bom.txt").write_bytes(b"\xef\xbb\xbfCaf\xe9 " * 20)
    (folder / "b_bomb.bib").write_text("@article{k, title = {" + "{" * 20_000 + "}" * 20_000 + "}}\n")
    (folder / "c_deep.json").write_text('[{"type": "book", "author": [], "title": ' + "[" * 100_000 + "]" * 100_000 + "}]")
    (folder / "d_good.ris").write_text("TY  - JOUR\nTI  - A good study of care\nPY  - 2020\nER  - \n")
    reports = ingest_paths([folder], Store(kb_home), enrich=lambda r: r)
    assert [r.ok for r in reports] == [False, False, False, True]
    assert len(Store(kb_home).ids()) == 1
