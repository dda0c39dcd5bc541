"""Opening inputs: gzip, unsafe or broken XML, legacy encodings, BOMs and line endings."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.reader import Input, open_input
from kb.errors import IngestError, KBError
from kb.model.schema import Record

ARTICLE = ("<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>Title {pmid} of a "
           "study on care coordination</ArticleTitle></Article></MedlineCitation></PubmedArticle>")
XML = "<?xml version='1.0'?>\n<PubmedArticleSet>{body}</PubmedArticleSet>\n"
RIS = "TY  - JOUR\r\nTI  - Résumé of a trial in Zürich\r\nAU  - Müller, Jörg\r\nPY  - 2020\r\nER  - \r\n"


def _items(data: bytes, name: str) -> list:
    return list(open_input(Input(source=name, data=data)).items)


def test_gzipped_pubmed_xml_is_streamed(tmp_path: Path) -> None:
    body = "".join(ARTICLE.format(pmid=n) for n in range(1, 6))
    path = tmp_path / "export.xml.gz"
    path.write_bytes(gzip.compress(XML.format(body=body).encode()))
    opened = open_input(Input(source=path.name, path=path))
    assert opened.parser.NAME == "pubmed_xml"
    assert [r.identifiers.pmid for r in opened.items] == ["1", "2", "3", "4", "5"]


def test_truncated_xml_keeps_the_records_before_the_cut() -> None:
    body = "".join(ARTICLE.format(pmid=n) for n in range(1, 4))
    data = XML.format(body=body).encode()[:-60]
    items = _items(data, "cut.xml")
    assert [i.identifiers.pmid for i in items if isinstance(i, Record)] == ["1", "2"]
    assert isinstance(items[-1], IngestError)
    assert "cut off or malformed at line" in str(items[-1]) and "2 record(s) before it" in str(items[-1])


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>',
    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
])
def test_entity_declarations_are_refused(doctype: str) -> None:
    data = (f"<?xml version='1.0'?>\n{doctype}\n<PubmedArticleSet>"
            f"{ARTICLE.format(pmid='1').replace('Title', '&lol; Title' if 'lol' in doctype else '&xxe;')}"
            "</PubmedArticleSet>").encode()
    items = _items(data, "bomb.xml")
    assert not any(isinstance(i, Record) for i in items)
    assert len(items) == 1 and "unsafe XML refused" in str(items[0])


def test_the_pubmed_doctype_line_is_accepted() -> None:
    data = ('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st '
            'January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
            f"<PubmedArticleSet>{ARTICLE.format(pmid='7')}</PubmedArticleSet>").encode()
    assert [i.identifiers.pmid for i in _items(data, "ok.xml")] == ["7"]


def test_other_xml_and_other_gzip_are_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="root <pmc-articleset> is not supported"):
        open_input(Input(source="pmc.xml", data=b"<?xml version='1.0'?><pmc-articleset><article/></pmc-articleset>"))
    with pytest.raises(IngestError, match="gzip file that does not hold PubMed XML"):
        open_input(Input(source="x.gz", data=gzip.compress(b"TY  - JOUR\nER  - \n")))
    with pytest.raises(IngestError, match="gzip data is corrupt"):
        list(open_input(Input(source="bad.xml.gz", data=gzip.compress(XML.format(body="").encode())[:-12])).items)


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_latin1_export_is_read_with_a_flag(encoding: str) -> None:
    opened = open_input(Input(source="old.ris", data=RIS.encode(encoding)))
    record = next(iter(opened.items))
    assert record.title == "Résumé of a trial in Zürich" and record.authors[0].family == "Müller"
    assert "encoding-guessed" in {f.code for f in record.review.flags}
    assert opened.notes and "not UTF-8" in opened.notes[0]


def test_utf16_with_bom_and_mixed_line_endings() -> None:
    text = RIS.replace("\r\n", "\n", 2).replace("\r\n", "\r", 1)
    record = next(iter(open_input(Input(source="u16.ris", data=text.encode("utf-16"))).items))
    assert (record.title, record.year) == ("Résumé of a trial in Zürich", 2020)


def test_latin1_prose_keeps_the_utf8_error() -> None:
    prose = "Résumé of the study: the intervention was effective in all sites and counties."
    with pytest.raises(IngestError, match="not valid UTF-8"):
        open_input(Input(source="note.txt", data=prose.encode("latin-1")))




@settings(max_examples=80, deadline=None)
@given(st.one_of(st.binary(max_size=300),
                 st.builds(lambda b: gzip.compress(b), st.binary(max_size=200)),
                 st.builds(lambda t: ("<?xml version='1.0'?><PubmedArticleSet>" + t).encode(), st.text(max_size=200))))
def test_any_bytes_open_or_fail_cleanly(data: bytes) -> None:
    try:
        opened = open_input(Input(source="fuzz.bin", data=data))
        for item in opened.items:
            assert isinstance(item, (Record, IngestError)) or type(item).__name__ == "ParseNote"
    except KBError:
        pass
