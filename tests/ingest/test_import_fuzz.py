"""Every importer, fed arbitrary or half-formed input, returns records and IngestErrors only:
it never crashes with another exception."""

from __future__ import annotations

from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.biblio import ParseNote
from ingest.formats import bibtex, csl_json, csv_table, medline, pubmed_xml, ris, wos
from kb.errors import IngestError
from kb.model.schema import Record

PARSERS = (ris, bibtex, medline, pubmed_xml, csl_json, csv_table, wos)
# fragments of each format so generated text reaches past the first line of each parser
FRAGMENTS = {
    "ris": ["TY  - JOUR", "TI  - ", "AU  - ", "PY  - ", "DO  - 10.1000/x", "ER  - ", "AB  - ", "SP  - ", "KW  - "],
    "bibtex": ["@article{k,", "title = {", "author = {", "} and {", "year = 20", "}", "@misc{", "\\\"u", "month = jan,"],
    "medline": ["PMID- 1", "TI  - ", "FAU - ", "AU  - ", "AD  - ", "DP  - 2019 Mar", "LID - x [doi]", "OAB - ", "OABL- ger", "      "],
    "pubmed_xml": ["<PubmedArticleSet>", "<PubmedArticle><MedlineCitation>", "<PMID>1</PMID>", "<Article>",
                   "<ArticleTitle>", "</ArticleTitle>", "<AbstractText Label=\"A\">", "</Article>", "<!ENTITY a \"b\">",
                   "</MedlineCitation></PubmedArticle>", "<Author><LastName>", "</PubmedArticleSet>"],
    "csl_json": ["[", "{", "\"title\": \"", "\"author\": [{\"family\": \"", "\"issued\": {\"date-parts\": [[",
                 "\"type\": \"article-journal\"", "}", "]", ",", "null", "\"DOI\": \"10.1/x\""],
    "csv_table": ["title,abstract,doi,year", "title;authors", "\"", ",", ";", "\n", "2020", "[\"a\", 'b']"],
    "wos": ["FN Clarivate", "PT J", "AU ", "TI ", "   ", "SO ", "PY 2020", "DI 10.1/x", "ER", "EF"],
}


def _check(parser: ModuleType, text: str) -> None:
    try:
        for item in parser.iter_parse(text, source="fuzz"):
            assert isinstance(item, (Record, IngestError, ParseNote))
    except IngestError:
        pass  # a file-level problem (no title column, not JSON) ends the stream
    try:
        records = parser.parse(text, source="fuzz")
    except IngestError:
        return
    assert records and all(isinstance(r, Record) for r in records)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.NAME)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_never_crashes(parser: ModuleType, data: st.DataObject) -> None:
    pieces = st.one_of(st.sampled_from(FRAGMENTS[parser.NAME]), st.text(max_size=30))
    lines = data.draw(st.lists(pieces, max_size=25))
    sep = data.draw(st.sampled_from(["\n", "\r\n", "\r", " "]))
    _check(parser, sep.join(lines))


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.NAME)
@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=400))
def test_arbitrary_text(parser: ModuleType, text: str) -> None:
    _check(parser, text)
