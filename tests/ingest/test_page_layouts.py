"""Page layouts of issue 13's tune captures, on made-up text: bylines one a line with degrees or
affiliations, 'cite as' lines, running heads, glued bylines, flattened Markdown, other-language
prose and dates, and title lines that are not titles."""

from __future__ import annotations

from ingest.chrome import strip_chrome
from ingest.formats import generic_text
from ingest.glued import split_first_page, split_reference
from ingest.header import HeaderLine, clean_title, header_year, kind_of
from ingest.prose import is_sentence
from ingest.unfold import unfold_credited, unfold_markdown


def _record(text: str):  # type: ignore[no-untyped-def]
    return generic_text.parse(text, source="page.txt")[0]


def test_prose_in_other_languages_is_prose_and_an_address_is_not() -> None:
    assert is_sentence("La atención primaria en España ha pasado de una etapa de desarrollo a otra de estancamiento.")
    assert is_sentence("Die Versorgung der Patienten wurde in den letzten Jahren mit dem neuen Modell verbessert.")
    assert not is_sentence("Centro de Salud de Coria. Cáceres.")


def test_dates_and_citation_years_in_the_header() -> None:
    def line(text: str) -> HeaderLine:
        return HeaderLine(0, text, kind_of(text))
    assert header_year([line("Septembre 2012")]) == 2012
    assert header_year([line("12/21/2016")]) == 2016
    assert header_year([line("Gesundheitswesen 2015; 77(03): 213-218"), line("30 October 2014 (online)")]) == 2015


def test_us_government_banner_is_chrome() -> None:
    lines = ["An official website of the United States government", "The .gov means it’s official.",
             "Federal government websites often end in .gov or .mil. Before sharing sensitive information, make sure.",
             "A real line"]
    assert strip_chrome(lines) == ["A real line"]


def test_names_one_a_line_with_degrees_and_affiliations() -> None:
    text = ("Housing Vouchers and Emergency Care Use among Older Adults\n"
            "Author Affiliation\n"
            "Maria K. Lopez, MD Riverside University, Department of Medicine, Springfield, Ohio\n"
            "Tom Ngata, MS3 Riverside University, School of Medicine, Springfield, Ohio\n"
            "ABSTRACT\n"
            "We studied whether housing vouchers changed the use of emergency care among older adults in two cities.\n")
    record = _record(text)
    assert [(a.family, a.given) for a in record.authors] == [("Lopez", "Maria K."), ("Ngata", "Tom")]


def test_names_under_role_labels() -> None:
    text = ("Community Paramedicine for Frequent Callers\nAuthors\nLead:\nAna Rivera\nContributor(s):\nChidi Okafor\n"
            "This strategy sends paramedics to the homes of people who call often, and it was evaluated in three trials.\n")
    assert [a.family for a in _record(text).authors] == ["Rivera", "Okafor"]


def test_cite_as_line_gives_authors_and_year_when_no_byline() -> None:
    head = ("A Methodology for Evaluating Change in Community Programs\n"
            "We describe a method for evaluating organizational change in community programs and report its use.\n")
    record = _record(head + "Citation: Rivera A, Okafor CN (2007) A methodology for evaluating change. "
                            "Prev Chronic Dis, 4(4).\n")
    assert [(a.family, a.initials) for a in record.authors] == [("Rivera", "A"), ("Okafor", "CN")]
    record = _record(head + "Suggested citation for this article: Ana Rivera, Chidi Okafor. A methodology for "
                            "evaluating change. Prev Chronic Dis 2007;4(4).\n")
    assert [(a.family, a.given) for a in record.authors] == [("Rivera", "Ana"), ("Okafor", "Chidi")]
    assert record.year == 2007


def test_running_head_and_glued_byline_are_split_from_the_title() -> None:
    assert generic_text.split_glued("Rivera, Okafor, and Lee: Nurse Visits after Discharge from Hospital") == [
        "Nurse Visits after Discharge from Hospital", "Rivera, Okafor, and Lee"]
    assert generic_text.split_glued("The effects of home visits: a review of trialsAna Rivera, Chidi Okafor") == [
        "The effects of home visits: a review of trials", "Ana Rivera, Chidi Okafor"]


def test_title_run_into_a_degree_byline_is_unfolded() -> None:
    line = ("Home Visits after Discharge in Rural Counties Ana B. Rivera, MD, MPH, Chidi Okafor, PhD Background: "
            "We studied home visits after discharge in rural counties and measured readmissions at thirty days, "
            "and costs.")
    assert unfold_credited(line) == [
        "Home Visits after Discharge in Rural Counties", "Ana B. Rivera, MD, MPH, Chidi Okafor, PhD",
        "Background: We studied home visits after discharge in rural counties and measured readmissions at thirty days, "
        "and costs."]


def test_flattened_markdown_article_is_unfolded() -> None:
    line = ("Home Visits after Discharge: a Systematic Review ====================== * Ana B. Rivera * Chidi Okafor "
            "## Abstract **Background** Home visits may prevent readmissions after discharge from hospital. "
            "**Methods** We searched four databases for trials of home visits published since 2000.")
    out = unfold_markdown(line)
    assert out is not None
    assert out[:3] == ["Home Visits after Discharge: a Systematic Review", "Ana B. Rivera, Chidi Okafor", "Abstract"]
    assert out[3].startswith("Background: Home visits")
    assert out[4].startswith("Methods: We searched")


def test_lines_that_are_not_titles() -> None:
    assert kind_of("The effects of integrated care: a systematic review of UK ...") != "title"
    assert kind_of("EXAMPLE.INFO : Chercher, repérer, avancer") != "title"
    assert clean_title("Home Visits after Discharge: A Meta-Analysis (original) (raw)") == \
        "Home Visits after Discharge: A Meta-Analysis"
    assert clean_title("Versorgung in der Allgemeinmedizin – A Bavarian Perspective") == \
        "Versorgung in der Allgemeinmedizin – A Bavarian Perspective"
    assert generic_text.page_title_line("Screening for Social Risk Factors in Primary Care | Guidelines | JAMA | "
                                        "JAMA Network") == "Screening for Social Risk Factors in Primary Care"


def test_cite_as_line_with_initials_before_the_full_stop() -> None:
    head = ("Nurse Home Visits after Discharge in Rural Counties\n"
            "We describe a programme of nurse home visits after discharge and report what it changed for patients.\n")
    record = _record(head + "Cite as: Smith J. Nurse home visits after discharge. Rural Health Rev. 2019;12(3):45-52.\n")
    assert [(a.family, a.initials) for a in record.authors] == [("Smith", "J")]
    assert record.year == 2019
    record = _record(head + "Citation: Rivera AB, Okafor C. Nurse home visits after discharge. Rural Health Rev 2019.\n")
    assert [(a.family, a.initials) for a in record.authors] == [("Rivera", "AB"), ("Okafor", "C")]


def test_cite_as_line_with_the_year_in_parentheses_after_the_authors() -> None:
    head = ("Nurse Home Visits after Discharge in Rural Counties\n"
            "We describe a programme of nurse home visits after discharge and report what it changed for patients.\n")
    record = _record(head + "How to cite: Smith J (2020). Nurse home visits after discharge. Rural Health Rev, 12, 45.\n")
    assert [(a.family, a.initials) for a in record.authors] == [("Smith", "J")]
    assert record.year == 2020
    record = _record(head + "Citation: Smith J, Lee K (2018) Nurse home visits in 1999 and after. Rural Health Rev.\n")
    assert [(a.family, a.initials) for a in record.authors] == [("Smith", "J"), ("Lee", "K")]
    assert record.year == 2018


def test_browser_notice_is_chrome() -> None:
    notice = ("Thank you for visiting example.org. You are using a browser version with limited support for CSS. "
              "To obtain the best experience, we recommend you use a more up to date browser.")
    assert strip_chrome([notice, "A real line"]) == ["A real line"]
    assert strip_chrome(["We asked which browser the nurses used to read the records."]) != []


def test_title_with_a_full_stop_above_a_labelled_byline_and_a_title_above_affiliations() -> None:
    record = _record("Community health workers in cities (2010-2020). A review of their roles\n"
                     "Author: Rivera Ana Petrovna, Okafor Chidi Ivanovich\n"
                     "We reviewed the roles of community health workers in cities and found seven of them in the studies, "
                     "from outreach and health education to care coordination, advocacy and the support of clinical teams.\n")
    assert record.title == "Community health workers in cities (2010-2020). A review of their roles"
    assert [a.family for a in record.authors] == ["Rivera", "Okafor"]
    record = _record("ORIGINAL RESEARCH article\n"
                     "Nurse home visits after discharge: a review of trials in rural counties\n"
                     "• 1School of Nursing, Riverside University, Springfield, OH, United States\n"
                     "We reviewed trials of nurse home visits after discharge and found that readmissions fell in most.\n")
    assert record.title == "Nurse home visits after discharge: a review of trials in rural counties"


def test_byline_listed_one_name_a_line_behind_bullets_with_affiliation_numbers() -> None:
    text = ("• Open access\n• Published: 3 May 2022\n"
            "Nurse home visits after discharge in rural counties of the Midwest\n"
            "• Ana B. Rivera 1 , 2 ,\n• Chidi Okafor 3 ,\n• Jan van der Berg 1 &\n• Kim Lee 2\n"
            "Rural Health volume 3 , Article number: 12 ( 2022 ) Cite this article\n"
            "We reviewed trials of nurse home visits after discharge in rural counties and found that "
            "readmissions fell in most of them, with the largest falls where visits began within two days.\n")
    record = _record(text)
    assert record.title == "Nurse home visits after discharge in rural counties of the Midwest"
    assert [(a.family, a.given) for a in record.authors] == [
        ("Rivera", "Ana B."), ("Okafor", "Chidi"), ("van der Berg", "Jan"), ("Lee", "Kim")]
    from ingest.sniff import choose_parser
    assert choose_parser(text) is generic_text  # bullets and 'Cite this article': an article page


def test_a_line_of_markers_only_is_no_name() -> None:
    record = _record("Nurse Home Visits after Discharge\n*\n1 ,\nAna Rivera\n"
                     "We reviewed trials of nurse home visits after discharge and found that readmissions fell in most.\n")
    assert [a.family for a in record.authors] == ["Rivera"] or record.authors == []


def test_a_reference_at_the_top_gives_title_authors_and_year() -> None:
    body = ("\nWe reviewed trials of nurse home visits after discharge in rural counties and found that readmissions "
            "fell in most of them, with the largest falls where visits began within two days of discharge.\n")
    for line, year in (("Smith J, Lee K (2020). Nurse home visits after discharge in rural counties. "
                        "Rural Health Rev, 12(3), 45-52.", 2020),
                       ("Smith, J., & Lee, K. (2021). Nurse home visits after discharge in rural counties. "
                        "Rural Health Review, 12(3), 45–52.", 2021),
                       ("Smith J, Lee K. Nurse home visits after discharge in rural counties. Rural Health Rev. "
                        "2019;12(3):45-52.", 2019)):
        record = _record(line + body)
        assert record.title == "Nurse home visits after discharge in rural counties"
        assert [(a.family, a.initials) for a in record.authors] == [("Smith", "J"), ("Lee", "K")]
        assert record.year == year
    assert split_reference("Nurse Home Visits. A review of trials in rural counties, 2010 to 2020") is None


def test_a_flattened_first_page_is_split_into_title_names_date_and_abstract() -> None:
    line = ("Nurse Visits and Hospital Use: Evidence from Rural Counties * Ana B. Rivera Chidi Okafor § Kim Lee "
            "April 2, 2019 Abstract Nurses visited patients at home after discharge in rural counties, and we "
            "compared their use of hospitals with that of patients in counties without visits.")
    assert split_first_page(line) == [
        "Nurse Visits and Hospital Use: Evidence from Rural Counties", "Ana B. Rivera Chidi Okafor § Kim Lee",
        "April 2, 2019", "Abstract", line[line.index("Nurses"):]]
    record = _record("99\n" + line + "\n")
    assert record.title == "Nurse Visits and Hospital Use: Evidence from Rural Counties"
    assert [a.family for a in record.authors] == ["Rivera", "Okafor", "Lee"] and record.year == 2019
    assert split_first_page("Short Title Abstract We studied it.") is None


def test_the_full_form_of_a_short_title_line_is_preferred() -> None:
    from ingest.header import choose_title, context, read_header
    lines = ["Nurse Visits and Hospital Use Together PDF", "pages 69", "file size 1.4 MB",
             "Nurse Visits and Hospital Use Together in Rural Counties: Evidence", "July 14, 2015"]
    header = read_header(lines)
    n = choose_title(context(header, lines), None, "rules", 0.5)
    assert n == 3
    assert clean_title(lines[0]) == "Nurse Visits and Hospital Use Together"


def test_a_date_line_just_above_the_byline_gives_the_year() -> None:
    text = ("The Fund supports networks of state health policy makers who want to help identify and inform leaders.\n"
            "The Fund publishes reports, issue briefs, and case studies on topics that are important to policy makers.\n"
            "February 18, 2025\nReport\nAna Rivera\nChidi Okafor\nPublication\nFeb 28, 2024\n")
    record = _record(text)
    assert [a.family for a in record.authors] == ["Rivera", "Okafor"]
    assert record.year == 2025


def test_labelled_names_each_with_its_details_under_it() -> None:
    text = ("Nurse home visits after discharge: a scoping review of the literature\nAuthors:\nAna Rivera ,\n"
            "School of Nursing, Riverside University, Springfield, United States\nAbout Ana\nMSc\nX close\n"
            "Chidi Okafor,\nSchool of Nursing, Riverside University, Springfield, United States\nAbout Chidi\nPhD\n"
            "X close\nAbstract\nWe reviewed trials of nurse home visits after discharge and found that readmissions "
            "fell in most of them, with the largest falls where the visits began within two days.\n")
    assert [a.family for a in _record(text).authors] == ["Rivera", "Okafor"]


def test_the_title_of_the_pages_own_cite_as_line_when_the_header_shows_none() -> None:
    body = ("Summary\nWe reviewed trials of nurse home visits after discharge in rural counties and found that "
            "readmissions fell in most of them, with the largest falls where visits began within two days.\n")
    record = _record('Suggested Citation:"Summary." National Academy of Nursing. 2017. Nurse Home Visits after '
                     "Discharge in Rural Counties. Washington, DC: The Academy Press.\n" + body)
    assert record.title == "Nurse Home Visits after Discharge in Rural Counties" and record.year == 2017
    record = _record("Cite as: Rivera A, Okafor C (2019). Nurse home visits after discharge in rural counties. "
                     "Rural Health Rev, 12, 45.\n" + body)
    assert record.title == "Nurse home visits after discharge in rural counties"


def test_academic_titles_before_names_are_dropped() -> None:
    from ingest.names import parse_author_line
    authors = parse_author_line("MsC. Ana María Rivera, DrC. Luis Okafor, Lic. Carmen Lee", default="given-first")
    assert [(a.family, a.given) for a in authors] == [("Rivera", "Ana María"), ("Okafor", "Luis"), ("Lee", "Carmen")]
