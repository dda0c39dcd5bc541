"""Duplicate verdicts on pairs of records."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.dedup.match import compare, find_duplicate, key_of, may_match, normalize_title, venue_match
from kb.model.schema import Author, Identifiers, Record

BASE = dict(title="Collaboration strategies for bridging health and social services",
            authors=[Author(family="Chuang", given="Emmeline")], year=2025, venue="Health Serv Res",
            pages="e14417")


def _rec(rid: str, **changes: object) -> Record:
    return Record(id=rid, **{**BASE, **changes})


def test_normalize_title_keeps_every_script() -> None:
    assert normalize_title("The <i>BMI</i> — of Ärzte!") == "the bmi of arzte"
    assert normalize_title("整合基层医疗：一项研究") == "整合基层医疗 一项研究"


def test_venue_abbreviations() -> None:
    assert venue_match("brief bioinform", "briefings in bioinformatics")
    assert venue_match("n engl j med", "the new england journal of medicine")
    assert venue_match("journal of digital studies", "workshop of digital studies") is False
    assert venue_match("", "x") is None


def test_same_identifier_is_a_duplicate_unless_titles_disagree() -> None:
    a = _rec("a", identifiers=Identifiers(doi="10.1000/x"))
    b = _rec("b", identifiers=Identifiers(doi="10.1000/X"), title="Collaboration strategies: bridging health")
    assert compare(key_of(a), key_of(b)).decision == "duplicate"
    other = _rec("c", identifiers=Identifiers(doi="10.1000/x"), title="Misperceptions of a longitudinal kind",
                 authors=[Author(family="Annabi")], year=2019)
    assert compare(key_of(a), key_of(other)).decision == "possible"


def test_cochrane_versions_share_a_doi_stem() -> None:
    a = _rec("a", identifiers=Identifiers(doi="10.1002/14651858.cd002273.pub2"), year=2004)
    b = _rec("b", identifiers=Identifiers(doi="10.1002/14651858.cd002273.pub3"), year=2005)
    assert (compare(key_of(a), key_of(b)).decision, compare(key_of(a), key_of(b)).reason) == (
        "duplicate", "same DOI")
    # an update years later: the same work revised, for a librarian to decide
    update = b.model_copy(update={"year": 2009})
    assert (compare(key_of(a), key_of(update)).decision, compare(key_of(a), key_of(update)).reason) == (
        "possible", "same DOI but years differ")


def test_fuzzy_title_with_matching_year_and_author() -> None:
    a = _rec("a")
    b = _rec("b", title="Collaboration Strategies for Bridging Health & Social Services.", pages=None)
    assert compare(key_of(a), key_of(b)).decision == "duplicate"


def test_contradictions_prevent_a_merge() -> None:
    a = key_of(_rec("a"))
    assert compare(a, key_of(_rec("b", year=2022))).decision == "distinct"
    assert compare(a, key_of(_rec("b", authors=[Author(family="Pourat")]))).decision == "distinct"
    assert compare(a, key_of(_rec("b", venue="Medical Care"))).decision == "possible"
    assert compare(a, key_of(_rec("b", identifiers=Identifiers(pmid="1")))).decision == "duplicate"
    numbered = key_of(_rec("b", title=BASE["title"] + " 2"))
    assert compare(key_of(_rec("a", title=BASE["title"] + " 1")), numbered).decision != "duplicate"
    assert compare(key_of(_rec("x", identifiers=Identifiers(pmid="1"))),
                   key_of(_rec("y", identifiers=Identifiers(pmid="2")))).decision == "distinct"


def test_untitled_records_match_on_their_abstract() -> None:
    from kb.model.schema import Section

    text = "We interviewed 40 staff in four counties about data sharing between agencies."
    a = Record(id="a", abstract=[Section(text=text)])
    b = Record(id="b", abstract=[Section(text=text)])
    assert compare(key_of(a), key_of(b)).decision == "duplicate"


def test_find_duplicate_on_a_short_list() -> None:
    stored = [_rec("other", title="Something else entirely about funding"), _rec("same")]
    assert find_duplicate(_rec(""), stored).record_id == "same"
    assert find_duplicate(_rec("", title="Totally different topic of housing"), stored) is None


def test_a_lost_subtitle_still_matches_when_author_and_year_agree() -> None:
    a = _rec("a", title=BASE["title"] + ": a mixed-methods evaluation")
    assert compare(key_of(a), key_of(_rec("b"))).decision == "duplicate"
    assert compare(key_of(a), key_of(_rec("b", year=2024))).decision != "duplicate"


def test_a_shared_identifier_outweighs_a_junk_title_unless_years_or_kind_disagree() -> None:
    paper = _rec("a", identifiers=Identifiers(doi="10.1000/x", pmid="123"))
    capture = Record(id="b", title="Health Services Research | Wiley Online Library",
                     identifiers=Identifiers(doi="10.1000/x"))
    assert compare(key_of(paper), key_of(capture)).decision == "duplicate"
    later = _rec("c", identifiers=Identifiers(pmid="123"), year=2028)
    assert compare(key_of(paper), key_of(later)).decision == "possible"
    erratum = _rec("d", identifiers=Identifiers(doi="10.1000/x"), title="Erratum: " + BASE["title"])
    assert compare(key_of(paper), key_of(erratum)).decision == "possible"


def test_translated_and_bilingual_titles_match_their_english_form() -> None:
    english = _rec("a", venue="Chinese Journal of Cerebrovascular Diseases", pages="73-76")
    tagged = _rec("b", title=BASE["title"] + ". [Chinese]", venue="Chinese Journal of Cerebrovascular Diseases",
                  pages="73-76")
    assert compare(key_of(english), key_of(tagged)).decision == "duplicate"
    bracketed = _rec("c", title=f"[{BASE['title']}].", pages="73-76", venue=english.venue)
    assert compare(key_of(english), key_of(bracketed)).decision == "duplicate"
    chinese = _rec("d", title="卫生与社会服务衔接的协作策略", title_translations={"en": BASE["title"]},
                   venue=english.venue, pages="73-76")
    assert compare(key_of(english), key_of(chinese)).decision == "duplicate"
    assert compare(key_of(english), key_of(_rec("e", title=BASE["title"] + " in children"))).decision != "duplicate"


def test_a_column_in_every_issue_is_not_one_item() -> None:
    column = dict(title="Editor's comments", authors=[Author(family="Weber", given="Ron")], year=2002,
                  venue="MIS Quarterly", volume="26", pages=None)
    first, second = Record(id="a", issue="1", **column), Record(id="b", issue="2", **column)
    assert compare(key_of(first), key_of(second)).decision != "duplicate"
    assert compare(key_of(first), key_of(Record(id="c", issue="1", **column))).decision == "duplicate"


_WORDS = ["care", "coordination", "medicaid", "housing", "navigation", "trial", "erratum", "part",
          "2", "ii", "children", "adults", "outcomes", "of", "the", "in", "rural"]
_titles = st.lists(st.sampled_from(_WORDS), min_size=0, max_size=9).map(" ".join)
_records = st.builds(
    lambda rid, title, family, year, doi, pages: Record(
        id=rid, title=title or None, authors=[Author(family=family)] if family else [], year=year,
        identifiers=Identifiers(doi=doi), pages=pages),
    st.sampled_from(["a", "b"]), _titles, st.sampled_from(["", "Chuang", "Chuan", "Lee"]),
    st.one_of(st.none(), st.integers(2019, 2022)),
    st.one_of(st.none(), st.sampled_from(["10.1002/x", "10.1002/x.pub2", "10.1002/y"])),
    st.one_of(st.none(), st.sampled_from(["e14417", "12-19", "20"])))


@settings(max_examples=400, deadline=None)
@given(_records, _records)
def test_may_match_is_false_only_for_pairs_compare_calls_distinct(a: Record, b: Record) -> None:
    ka, kb_ = key_of(a), key_of(b)
    if not may_match(ka, kb_):
        assert compare(ka, kb_).decision == "distinct"


def test_may_match_skips_far_titles_but_never_a_shared_identifier() -> None:
    far = _rec("b", title="Housing first for adults leaving prison in rural counties")
    assert not may_match(key_of(_rec("a")), key_of(far))
    same_doi = [_rec(i, identifiers=Identifiers(doi="10.1002/z")) for i in ("a", "b")]
    assert may_match(key_of(same_doi[0]), key_of(same_doi[1].model_copy(update={"title": far.title})))
    assert may_match(key_of(_rec("a")), key_of(_rec("b", title=BASE["title"] + " in Texas")))
