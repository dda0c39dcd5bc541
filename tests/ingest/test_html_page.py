"""Saved web pages: metadata from Highwire, Dublin Core, JSON-LD and Open Graph tags, the abstract
from the tags or the page's abstract element, the page's text read as pasted text when it has no
tags, and nothing but IngestError on broken, hostile or empty pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.formats import html_page
from ingest.limits import MAX_TEXT_BYTES
from ingest.reader import Input, open_input
from ingest.webpage import read_page
from kb.errors import IngestError, KBError
from kb.model.schema import Record

PAGES = Path(__file__).parent.parent / "data" / "html"


def _records(data: bytes | str, name: str = "page.html") -> list[Record]:
    raw = data.encode() if isinstance(data, str) else data
    opened = open_input(Input(source=name, data=raw))
    items = list(opened.items)
    assert all(isinstance(i, Record) for i in items), items
    return items


def _people(record: Record) -> list[tuple[str | None, str | None, str | None]]:
    return [(a.family, a.given, a.collective) for a in record.authors]


def test_highwire_tags_give_the_record_and_the_abstract_section() -> None:
    [record] = _records((PAGES / "highwire.html").read_bytes())
    assert record.title == "Effects of a community health worker program on hospital use among Medicaid enrollees"
    assert _people(record) == [("Chuang", "Emmeline", None), ("de la Cruz Lopez", "Maria", None),
                               ("van der Berg", None, None)]
    assert record.authors[2].initials == "P"
    assert (record.year, record.published, record.venue) == (2023, "2023-04-12", "Health Services Research")
    assert (record.volume, record.issue, record.pages) == ("58", "2", "312-321")
    assert record.identifiers.doi == "10.1111/1475-6773.14123"
    assert record.affiliations == ["University of California, Los Angeles"]
    assert [(s.label, s.role) for s in record.abstract] == [
        ("Objective", "objective"), ("Results", "results"), ("Conclusions", "conclusions")]
    assert record.abstract[1].text.startswith("Enrollees in the program had 12% fewer")
    assert not any("script" in s.text or "Introduction" in s.text for s in record.abstract)


def test_dublin_core_tags_and_an_escaped_abstract() -> None:
    [record] = _records((PAGES / "dublin_core.html").read_bytes())
    assert record.title == ("Medicaid managed care and behavioural health integration: a study of state "
                            "contract requirements")
    assert [(a.family, a.given) for a in record.authors] == [
        ("Okafor", "Adaeze N."), ("Lindqvist", "Per"), ("García-Moreno", "Lucía")]
    assert (record.year, record.published) == (2019, "2019-11")
    assert record.identifiers.doi == "10.1016/j.hpopen.2019.100042"
    assert (record.venue, record.publisher, record.language) == ("Health Policy OPEN", "Elsevier", "en")
    assert [s.text[:40] for s in record.abstract] == ["Integrating behavioural health into prim",
                                                      "Plans with contractual integration requi"]
    assert "<p>" not in record.abstract[0].text


def test_json_ld_graph_and_the_abstract_from_the_page_body() -> None:
    [record] = _records((PAGES / "json_ld.html").read_bytes())
    assert record.title == "Screening for social needs in emergency departments: a cluster randomized trial"
    assert _people(record) == [("Herrera", "Tomás", None), ("Raman", "Priya", None),
                               (None, None, "SDOH Emergency Care Research Network")]
    assert (record.year, record.published) == (2022, "2022-03-08")
    assert (record.venue, record.volume, record.issue) == ("Example Medical Journal", "5", "3")
    assert record.identifiers.doi == "10.1001/example.2022.0199"
    assert record.publisher == "Example Publishing"
    assert [s.label for s in record.abstract] == ["Importance", "Results", "Conclusions and Relevance"]
    assert "tracking code" not in " ".join(s.text for s in record.abstract)
    assert "full text of the article" not in " ".join(s.text for s in record.abstract)


def test_open_graph_title_loses_the_site_name() -> None:
    page = ('<html><head><meta property="og:type" content="article"><meta property="og:site_name" content="Blog">'
            '<meta property="og:title" content="Care coordination for older adults with multiple conditions | Blog">'
            '<meta name="citation_doi" content="10.5555/abc.123"></head><body><p>Menu</p></body></html>')
    [record] = _records(page)
    assert record.title == "Care coordination for older adults with multiple conditions"
    assert record.identifiers.doi == "10.5555/abc.123"
    assert record.abstract == []  # a metadata-only record; the review flags it as having no abstract


def test_a_page_without_tags_is_read_as_pasted_text_without_scripts_or_navigation() -> None:
    page = ("<html><head><title>Blog</title><script>var s = 'A script sentence that is not the abstract "
            "of anything at all.';</script></head><body><nav>Home | About | Contact</nav>"
            "<h1>Community health workers and diabetes control: a randomized trial</h1>"
            "<p>Jane Smith, Robert Jones</p><h2>Abstract</h2>"
            "<p>Background: Community health workers may improve diabetes control in low-income patients. "
            "We tested whether a twelve-month program lowered HbA1c.</p>"
            "<p>Results: HbA1c fell by 0.5 points more in the intervention group than in controls.</p>"
            "<footer>Copyright and cookie settings</footer></body></html>")
    opened = open_input(Input(source="pasted.txt", data=page.encode()))
    assert opened.parser is html_page
    [record] = list(opened.items)
    assert record.title == "Community health workers and diabetes control: a randomized trial"
    assert [(a.family, a.given) for a in record.authors] == [("Smith", "Jane"), ("Jones", "Robert")]
    assert [s.label for s in record.abstract] == ["Background", "Results"]
    text = " ".join(s.text for s in record.abstract)
    assert "script sentence" not in text and "cookie" not in text and "Home" not in text


def test_a_page_of_only_scripts_is_refused_in_one_line() -> None:
    page = ("<!doctype html><html><head><script>var a = 'This is a long sentence in a script that should "
            "never be read as the abstract of a paper.';</script><style>body { color: red }</style></head>"
            "<body><script>console.log('more script text that is not the text of the page at all.')</script>"
            "<noscript>Enable JavaScript to see this page, which is about nothing at all.</noscript></body></html>")
    with pytest.raises(IngestError) as err:
        open_input(Input(source="scripts.html", data=page.encode()))
    assert str(err.value) == "scripts.html: the page has no text, no abstract and no citation metadata"


def test_a_table_of_contents_without_tags_or_abstract_is_refused() -> None:
    page = "<html><body>" + "".join(f"<p><a href='/a{i}'>Article {i}</a></p>" for i in range(30)) + "</body></html>"
    with pytest.raises(IngestError, match="no abstract and no citation metadata.*paste its abstract"):
        open_input(Input(source="toc.html", data=page.encode()))


def test_a_page_over_the_size_limit_is_refused() -> None:
    page = b"<html><body><p>" + b"x" * (MAX_TEXT_BYTES + 10) + b"</p></body></html>"
    with pytest.raises(IngestError, match="MB"):
        open_input(Input(source="huge.html", data=page))


def test_deeply_nested_markup_is_read_without_recursion() -> None:
    page = ("<html><head><meta name='citation_title' content='A deeply nested page about Medicaid'>"
            "<meta name='citation_doi' content='10.5555/deep.1'></head><body>"
            + "<div>" * 5000 + "<p>text</p>" + "</div>" * 5000 + "</body></html>")
    [record] = _records(page)
    assert record.title == "A deeply nested page about Medicaid"


def test_lines_of_the_page_keep_blocks_apart() -> None:
    page = read_page("<html><body><p>One <b>bold</b> line</p><ul><li>two</li><li>three</li></ul>"
                     "<script>no</script>tail</body></html>", "p.html")
    assert page.lines == ["One bold line", "two", "three", "tail"]


def test_sniff_needs_html_markup_not_a_mention_of_it() -> None:
    assert html_page.sniff("<!DOCTYPE html><html><body>x</body></html>") > 0.9
    assert html_page.sniff("We compared <5 visits with more than 10 visits in the html era.") == 0.0
    assert html_page.sniff("<p>An abstract with a paragraph tag.</p>", "saved.htm") > 0.9


_FIXTURES = [p.read_text(encoding="utf-8") for p in sorted(PAGES.glob("*.html"))]
_PIECES = st.sampled_from(["<", ">", "</", "<meta name='citation_title' content='", "'>", "<script>",
                           "</script>", "<div class='abstract'>", "<h2>Abstract</h2>", "&amp;", "&#0;",
                           "<script type='application/ld+json'>{\"@type\": \"ScholarlyArticle\", \"headline\":",
                           "[[[[[[", "\x00", "\ufffd", "<!--", "-->", "<![CDATA[", "]]>", "<?xml ?>"])


def _mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(_FIXTURES))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(_PIECES) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 400)):]
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.composite(_mutated)(),
                 st.lists(_PIECES | st.text(max_size=20), max_size=40).map("".join)))
def test_random_and_mutated_html_gives_records_or_an_ingest_error(text: str) -> None:
    try:
        records = html_page.parse(text, source="fuzz.html")
    except KBError:
        return
    assert all(isinstance(r, Record) for r in records)


@settings(max_examples=60, deadline=None)
@given(st.composite(_mutated)())
def test_mutated_pages_through_the_reader_give_records_or_ingest_errors(text: str) -> None:
    try:
        items = list(open_input(Input(source="fuzz.html", data=text.encode("utf-8", "replace"))).items)
    except KBError:
        return
    assert all(isinstance(i, (Record, KBError)) for i in items)
