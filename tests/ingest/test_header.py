"""Page-header lines by shape, and a title only when one is plausible."""

from __future__ import annotations

import pytest

from ingest import title_model
from ingest.chrome import is_cookie_banner
from ingest.formats import evidence_library, generic_text
from ingest.header import clean_title, context, header_year, kind_of, pick_title, read_header, title_from_lines
from ingest.header_features import FEATURES, line_features


@pytest.mark.parametrize(("line", "kind"), [
    ("Back to search results for care coordination", "chrome"),
    ("Journal List > Health Serv Res > v.54(6) > PMC6863236", "chrome"),
    ("BMJ Open logoLink to BMJ Open", "chrome"),
    ("ORIGINAL RESEARCH article", "chrome"),
    ("DOI: 10.1111/1475-6773.13238; PMCID: PMC6863236", "identifier"),
    ("BMC Health Services Research volume 20, Article number: 1102 (2020)", "citation"),
    ("Front. Public Health, 13 January 2023", "date"),
    ("| By: Matthew Maughan", "authors"),
    ("Published: 12 May 2020", "date"),
    ("Author(s): Emmeline Chuang", "authors"),
    ("Keywords: care coordination", "label"),
    ("Doctor of Philosophy (PhD)", "other"),
    ("United States Department of Health and Human Services", "other"),
    ("Witwatersrand, in partial fulfilment of the requirements for the degree of", "other"),
    ("The patient at the centre: evidence from 17 European integrated care programmes", "title"),
])
def test_line_kinds(line: str, kind: str) -> None:
    assert kind_of(line) == kind


def test_the_title_is_the_line_before_the_authors() -> None:
    lines = ["Skip to main content", "Sec. Public Health Education and Promotion",
             "This article is part of the Research Topic on Community Health Workers",
             "Community health worker team integration in Medicaid managed care",
             "Ashley Wennerstrom, Catherine G. Haywood, Denise O. Smith"]
    title = pick_title(read_header(lines), lines)
    assert title is not None and title.text == lines[3]


def test_no_plausible_title_gives_none() -> None:
    lines = ["Back to Evidence Library", "DOI: 10.1/abc; PMCID: PMC123", "Research article",
             "Open access", "Published: 3 May 2021", "Health Services Research"]
    assert pick_title(read_header(lines), lines) is None
    record = generic_text.parse("\n".join([*lines, "Care coordination was poor in most of the "
                                           "clinics that we studied. Data sharing helped."]), source="x")[0]
    assert record.title is None and record.year == 2021
    assert "title-uncertain" not in {f.code for f in record.review.flags}  # no title-shaped line at all
    lines = ["What the Review Found?", "Care coordination was poor in most of the clinics that we studied. "
             "Data sharing helped."]
    [record] = generic_text.parse("\n".join(lines), source="x")
    flag = next(f for f in record.review.flags if f.code == "title-uncertain")
    assert record.title is None and flag.field == "title" and "'What the Review Found?'" in flag.message


def test_trailing_type_and_number_parts_are_cut() -> None:
    assert clean_title("The Coverage Gap: Uninsured Poor Adults – An Update – Issue Brief – 8659-03") == \
        "The Coverage Gap: Uninsured Poor Adults – An Update"


def test_authors_listed_one_a_line_become_the_byline() -> None:
    lines = ["Issue Brief", "Christopher F. Koller", "Diana Bianco", "Katie Greene,", "Publication",
             "A sentence of the page that follows the byline and is not a name."]
    assert generic_text.stacked_names(lines) == "Christopher F. Koller, Diana Bianco, Katie Greene"
    assert generic_text.stacked_names(["Authors:", "Thomas Reindersma ,", "Erasmus University Rotterdam"]) \
        == "Thomas Reindersma"
    assert generic_text.stacked_names(["Diana Bianco", "Publication", "Katie Greene"]) is None  # one alone
    assert generic_text.stacked_names(["文献检索 文档翻译", "深度研究 学术资讯"]) is None  # menu words
    assert generic_text.stacked_names(["Home page", "Care Coordination"]) is None


def test_a_column_byline_after_a_site_blurb_is_read() -> None:
    text = ("The Fund supports networks of state health policy decision makers to help inform leaders.\n"
            "Keep up with news and updates from the Fund and read the latest blogs from our leaders.\n"
            "Issue Brief\nYalda Jabbarpour\nAnuradha Jetty\nHoon Byun\n"
            "This report measures primary care spending in every state and finds it is falling.\n")
    [record] = generic_text.parse(text, source="page.txt")
    assert [(a.family, a.given) for a in record.authors] == [("Jabbarpour", "Yalda"), ("Jetty", "Anuradha"),
                                                             ("Byun", "Hoon")]


def test_the_year_of_a_citation_whose_journal_is_a_logo() -> None:
    header = read_header([". 2019 Nov 19;54(6):1214–1222. doi: 10.1111/1475-6773.13238"])
    assert header_year(header) == 2019


def test_a_title_needs_support_on_the_page() -> None:
    # a short heading alone before the text: nothing says it is the publication's title
    lines = ["What the Review Found?"]
    assert pick_title(read_header(lines), lines) is None
    # the same shape with a byline after it is the title
    lines = ["What the Review Found About Care Coordination", "By: Matthew Maughan"]
    title = pick_title(read_header(lines), lines)
    assert title is not None and title.text == lines[0]


def test_the_rest_of_a_wrapped_line_is_not_a_title() -> None:
    lines = ["A research report submitted to the Faculty of Health Sciences, in partial fulfilment of",
             "Science Epidemiology in the Field of Implementation Sciences.", "May 2018"]
    assert pick_title(read_header(lines), lines) is None


def test_a_journal_name_is_a_venue_not_a_title() -> None:
    assert kind_of("The American Journal of Managed Care") == "citation"
    assert kind_of("Journal of General Internal Medicine") == "citation"


def test_a_one_sentence_headline_can_be_a_title() -> None:
    line = ("Effect of a Community Health Worker-Led Multicomponent Intervention on Blood Pressure "
            "Control in Low-Income Patients in Argentina: A Randomized Clinical Trial.")
    assert kind_of(line) == "title"
    assert kind_of("We found that care coordination was poor in most of the clinics that we studied "
                   "over two years.") == "other"


def test_title_lines_before_a_byline() -> None:
    assert title_from_lines(["Community health workers and hospital use among Medicaid enrollees:",
                             "a randomized trial"]) == \
        "Community health workers and hospital use among Medicaid enrollees: a randomized trial"
    assert title_from_lines(["社区卫生工作者主导的多组分干预。",
                             "Community Health Workers Improve Linkage to Hypertension Care in Western Kenya.",
                             "作者信息"]) == "Community Health Workers Improve Linkage to Hypertension Care in Western Kenya"
    assert title_from_lines(["Publication", "Author(s):"]) is None
    assert title_from_lines([]) is None


def test_the_shipped_title_model() -> None:
    model = title_model.shipped()
    assert model is not None and len(model.training_hash) == 64
    assert model.decision in ("rules", "veto", "model") and model.features == list(FEATURES)
    lines = ["Community health worker team integration in Medicaid managed care",
             "Ashley Wennerstrom, Catherine G. Haywood, Denise O. Smith"]
    ctx = context(read_header(lines), lines)
    probabilities = model.probabilities(line_features(ctx, 0))
    assert abs(sum(probabilities.values()) - 1) < 1e-9
    assert title_model.title_probability(ctx, 0) > title_model.title_probability(ctx, 1)


def test_a_page_heading_of_an_evidence_library_page_is_not_its_title() -> None:
    text = ("Library Definitions\nResource Type\nThese filters identify the type of resource in the library, "
            "and the categories are mutually exclusive.\nStudy design\nTopic\n")
    [record] = evidence_library.parse(text, source="page.txt")
    assert record.title is None


def test_a_cookie_banner_is_chrome_and_the_title_after_it_is_read() -> None:
    banner = ("This website utilizes cookies, including for the purpose of offering an optimal online "
              "experience; please read the entire Privacy Policy and Terms of Use.")
    assert is_cookie_banner(banner) and not is_cookie_banner("Cookies were served to the children in the trial.")
    assert is_cookie_banner("This site uses cookies. By continuing to browse the site you are agreeing to our "
                            "use of cookies. Find out more.")
    text = "\n".join([banner, "Unpacking Collaborative Care for Depression: Two Essential Tasks",
                      "Published Online: https://doi.org/10.1176/appi.ps.201400577", "Abstract",
                      "This study examined how two key tasks of the collaborative care model predict outcomes."])
    [record] = generic_text.parse(text, source="page.txt")
    assert record.title == "Unpacking Collaborative Care for Depression: Two Essential Tasks"


def test_a_short_first_line_is_a_title_only_above_page_furniture() -> None:
    above_labels = ["Behavioral health primary care integration", "Evidence Rating",
                    "Evidence rating: Scientifically Supported"]
    title = pick_title(read_header(above_labels), above_labels)
    assert title is not None and title.text == above_labels[0]
    site_name = ["Rural Health Information Hub", "Community Health Workers in Rural Settings – Resources"]
    assert pick_title(read_header(site_name), site_name) is None  # the model can only veto more


def test_a_table_of_contents_abstract_entry_is_not_where_the_abstract_starts() -> None:
    lines = ["A Methodology for Evaluating Organizational Change in Community Interventions",
             "Navigate This Article", "Abstract", "Background", "Methods", "References",
             "Krista D. Hanni, PhD, MS, Elsa Mendoza, MPH", "Abstract",
             "In 2003, the health department was awarded one of 12 grants to reduce diabetes. It ran surveys."]
    assert generic_text.body_start(lines) == 8
    assert generic_text.body_start(["Title of a paper here", "Abstract", "It was a study of care. We found gaps."]) == 2


def test_a_numbered_heading_is_neither_a_title_nor_the_start_of_the_text() -> None:
    line = "1. How Is Service Delivery Structured To Meet The Needs Of Clients?"
    assert kind_of(line) != "title"
    assert generic_text.body_start([line, "Abstract", "Social workers coordinate care. We asked them how."]) == 2


def test_a_lone_name_under_a_title_is_its_byline() -> None:
    lines = ["Defining Service Coordination: A Social Work Perspective", "Alicia C. Bunger",
             "NIMH Pre-doctoral Trainee, Washington University, St Louis, MO 63130"]
    assert [h.kind for h in read_header(lines)][:2] == ["title", "authors"]
    text = "\n".join([*lines, "Abstract", "To address fragmentation, social workers are encouraged to coordinate. "
                      "This pilot study explores what that means."])
    [record] = generic_text.parse(text, source="page.txt")
    assert record.title == lines[0] and [(a.family, a.given) for a in record.authors] == [("Bunger", "Alicia C.")]
    # the rest of a title wrapped after a function word is no byline
    assert [h.kind for h in read_header(["Community Health Workers Improve Linkage to Care in",
                                         "Western Kenya"])][1] != "authors"
