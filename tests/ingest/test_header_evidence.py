"""Header layouts of issue 13's tune captures (sixth round), on made-up text: a listing's article
number before a title, a title printed with its translation, instructions to the reader, a title
naming a center, a short title printed twice above its byline, a site's template quoting the
title, link text glued to a DOI, bylines behind bullets or in German, affiliation letters glued to
names, the page's own 'Title:' label, and a byline of 'Name. Place.' lines."""

from __future__ import annotations

from ingest import title_model
from ingest.citation import find_doi
from ingest.formats import generic_text
from ingest.header import choose_title, clean_title, context, kind_of, read_header, without_number_lead
from ingest.names import letter_keys, parse_author_line, without_letter_marks

ABSTRACT = ("Abstract\nWe studied whether nurse home visits after discharge changed readmissions in three rural "
            "counties, and found that readmissions fell by a quarter over two years.\n")


def _record(text: str):  # type: ignore[no-untyped-def]
    return generic_text.parse(text, source="page.txt")[0]


def _rules_title(lines: list[str]) -> str | None:
    header = read_header(lines)
    n = choose_title(context(header, lines), None, "rules", 0.5)
    return header[n].text if n is not None else None


def test_an_article_number_before_the_title_is_no_menu() -> None:
    line = "3 |Le refus de la référence médicale en milieu rural au Burkina Faso"
    assert kind_of(line) == "title"
    assert clean_title(line) == "Le refus de la référence médicale en milieu rural au Burkina Faso"
    assert without_number_lead("3 | Home | About us | Contact") == "3 | Home | About us | Contact"
    assert kind_of("3 | Home | About us | Contact") == "chrome"


def test_the_title_in_its_own_language_beats_its_english_translation_below_it() -> None:
    lines = ["Gesundheitswesen 2015; 77(03): 213-218",
             "Versorgungsforschung in der Allgemeinmedizin – eine regionale Perspektive",
             "Health Services Research in General Practice – A Regional Perspective",
             "Ana Rivera, Chidi Okafor"]
    assert _rules_title(lines) == lines[1]
    # two English lines are no translation pair: the one above the byline stays the title
    lines[1] = "Health Services Research in Rural Counties – A Regional Perspective"
    assert _rules_title(lines) == lines[2]


def test_a_title_and_its_translation_support_each_other_without_a_byline() -> None:
    lines = ["2018/Vol.1-N°2 : La santé dans le monde rural",
             "3 |Comprendre le refus de la référence médicale en milieu rural au Burkina Faso",
             "Understanding the refusal of medical referral in rural Burkina Faso", "Auteurs"]
    assert _rules_title(lines) == lines[1]


def test_an_instruction_to_the_reader_is_page_furniture() -> None:
    assert kind_of("Click the Poster to View Full Screen, Right click to save image") == "chrome"
    assert kind_of("Clicking through: how patients use online portals after discharge") == "title"


def test_a_center_inside_a_title_does_not_make_it_an_organisation() -> None:
    assert kind_of("Impact of School-Based Health Center Use on Academic Outcomes") == "title"
    assert kind_of("Riverside Center for Rural Health Policy") != "title"
    assert kind_of("Riverside Community Health Center") != "title"


def test_a_short_title_printed_twice_above_its_byline() -> None:
    lines = ["Patient Navigation", "Patient Navigation   12", "Ana Rivera, Chidi Okafor, and Lee Tan"]
    assert [h.kind for h in read_header(lines)][0] == "title"
    assert _rules_title(lines) == "Patient Navigation"
    # printed once, or without a byline under it, a two-word line stays no title
    assert [h.kind for h in read_header(["Patient Navigation", "Ana Rivera, Chidi Okafor"])][0] != "title"
    assert [h.kind for h in read_header(["Patient Navigation", "Patient Navigation", "Contents"])][0] != "title"
    # a line that could be a person's name is never taken on this evidence
    assert [h.kind for h in read_header(["Ana Rivera", "Ana Rivera   12", "Chidi Okafor, Lee Tan"])][0] != "title"


def test_the_quoted_title_of_a_site_template_line() -> None:
    assert clean_title("Научная статья на тему 'СЕЛЬСКОЕ ЗДРАВООХРАНЕНИЕ РОССИИ И ЕГО ПРОБЛЕМЫ'") \
        == "СЕЛЬСКОЕ ЗДРАВООХРАНЕНИЕ РОССИИ И ЕГО ПРОБЛЕМЫ"
    assert clean_title('Full text of "Nurse home visits after discharge in rural counties"') \
        == "Nurse home visits after discharge in rural counties"
    kept = 'Commentary on "Nurse home visits after discharge in rural counties"'
    assert clean_title(kept) == kept


def test_link_text_glued_to_a_doi_is_not_part_of_it() -> None:
    assert find_doi("https://doi.org/10.1016/j.jadohealth.2009.07.002Get rights and content") \
        == "10.1016/j.jadohealth.2009.07.002"
    assert find_doi("doi: 10.1002/14651858.CD007228.pub3") == "10.1002/14651858.CD007228.pub3"


def test_bylines_behind_a_bullet_and_in_german() -> None:
    record = _record("Nurse home visits after discharge in rural counties: a cohort study\n"
                     "• Author(s): Rivera, Ana Maria\n• Advisor(s): Okafor, Chidi\n" + ABSTRACT)
    assert [(a.family, a.given) for a in record.authors] == [("Rivera", "Ana Maria")]
    authors = parse_author_line("verfasst von: Dr. phil. Ana Rivera, Dr. med. Chidi Okafor", default="given-first")
    assert [(a.family, a.given) for a in authors] == [("Rivera", "Ana"), ("Okafor", "Chidi")]


def test_affiliation_letters_glued_to_names() -> None:
    byline = "Ana Riveraa, c, Chidi Okaforb, Lee Tanb"
    keys = letter_keys(["aSchool of Nursing, Riverside University", "bRiverside Medical Center",
                        "cCorresponding author: Ana Rivera"])
    assert keys == "abc"
    assert without_letter_marks(byline, keys) == "Ana Rivera, Chidi Okafor, Lee Tan"
    assert without_letter_marks(byline) == "Ana Rivera, Chidi Okafor, Lee Tan"  # the letters run a, b, b
    # names that merely end in those letters are kept: two names only, or letters out of order
    assert without_letter_marks("Ana Silva, Rob Jacob") == "Ana Silva, Rob Jacob"
    assert without_letter_marks("Rob Jacob, Ana Silva, Eva Costa") == "Rob Jacob, Ana Silva, Eva Costa"
    record = _record("A Strategy to Reduce Readmissions after Discharge in Rural Counties\n" + byline + "\n"
                     "aSchool of Nursing, Riverside University, Springfield, USA\n"
                     "bRiverside Medical Center, Springfield, USA\n" + ABSTRACT)
    assert [a.family for a in record.authors] == ["Rivera", "Okafor", "Tan"]


def test_the_pages_own_title_label(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(title_model, "OVERRIDE", "rules")
    record = _record("Nurse Home Visits after Discharge: A Program for Rural Counties\n"
                     "Click the Poster to View Full Screen\nAna Rivera\nCollege:\nNursing\n"
                     "Abstract:\nTitle: Nurse Home Visits after Discharge: A Program for Rural Counties\n"
                     "Background: We studied whether nurse home visits after discharge changed readmissions in "
                     "three rural counties, and found that readmissions fell.\n")
    assert record.title == "Nurse Home Visits after Discharge: A Program for Rural Counties"
    assert [a.family for a in record.authors] == ["Rivera"]


def test_a_byline_of_name_and_place_lines_comes_before_a_later_author_line() -> None:
    record = _record("Originales\nNurse home visits after discharge in three rural counties of the region\n"
                     "Ana María Rivera Costa. Ayuntamiento de Riverside.\nChidi Okafor. Ayuntamiento de Riverside.\n"
                     "Lee Tan. CS El Progreso. Springfield.\nPara contactar:\n" + ABSTRACT)
    assert [a.family for a in record.authors][:2] == ["Costa", "Okafor"]
    assert len(record.authors) == 3
    assert record.title == "Nurse home visits after discharge in three rural counties of the region"
    # a name and its place of work is a byline line, never a title (nor the translation of one)
    assert kind_of("Ana María Rivera Costa. Ayuntamiento de Riverside.") == "authors"
    assert kind_of("Nurse visits at home. A review of rural programs in the region") != "authors"


def test_an_author_section_at_the_top_is_no_footer() -> None:
    from ingest.chrome import strip_chrome
    lines = ["About the Author(s)", "Ana Rivera", "School of Nursing, Riverside University",
             "We studied whether nurse home visits after discharge changed readmissions in rural counties.",
             "About the author", "Ana Rivera teaches nursing."]
    assert strip_chrome(lines) == lines[:4]


def test_the_byline_that_writes_out_the_given_names_of_the_same_people() -> None:
    record = _record("Citation\nRivera AM, Okafor C. Nurse home visits after discharge in rural counties. "
                     "Rural Health Rev. 2022;64(1), a5581.\nOriginal Research\n"
                     "Nurse home visits after discharge in rural counties\nAna M. Rivera, Chidi Okafor\n" + ABSTRACT)
    assert [(a.family, a.given) for a in record.authors] == [("Rivera", "Ana M."), ("Okafor", "Chidi")]


def test_a_numeric_date_in_a_bar_separated_meta_line_gives_the_year() -> None:
    from ingest.header import HeaderLine, header_year
    def line(text: str) -> HeaderLine:
        return HeaderLine(0, text, kind_of(text))
    assert header_year([line("Open Access 11.06.2024 | Allgemeinmedizin | Originalien")]) == 2024
    assert header_year([line("Accessed 26.05.2016 | Home | Contact")]) is None


def test_organisations_as_authors_when_no_person_is_named() -> None:
    body = ("Summary\nWe reviewed payment programs that account for social risk factors and found that "
            "adjusting for them changed the rankings of many providers.\n")
    record = _record('Suggested Citation:"Summary." National Academy of Nursing. 2017. Nurse Home Visits after '
                     "Discharge in Rural Counties. Washington, DC: The Academy Press.\n" + body)
    assert [a.collective for a in record.authors] == ["National Academy of Nursing"]
    record = _record("Report to Congress: Nurse Home Visits after Discharge in Rural Counties\n"
                     "United States Department of Rural Health\n"
                     "Office of the Assistant Secretary for Planning, December 2016\n" + body)
    assert [a.collective for a in record.authors] == ["United States Department of Rural Health",
                                                      "Office of the Assistant Secretary for Planning"]
    # an affiliation with its place under a title is an author's lost affiliation, not an author
    record = _record("Nurse Home Visits after Discharge in Rural Counties\n"
                     "Department of Nursing, Riverside University, Springfield, USA\n" + body)
    assert not record.authors


def test_a_sites_name_and_slogan_is_no_title() -> None:
    assert kind_of("SciELO - Scientific Electronic Library Online") != "title"
    assert kind_of("PubMed – Rural Health Evidence Library") != "title"
    # a title's first word is no brand, and a longer part after the dash is a subtitle
    assert kind_of("Telehealth – A Regional Perspective on Rural Care") == "title"
    assert kind_of("COVID-19 - A review of rural nurse home visits") == "title"


def test_the_model_does_not_veto_evidence_its_features_do_not_show() -> None:
    lines = ["Gesundheitswesen 2015; 77(03): 213-218",
             "Versorgungsforschung in der Allgemeinmedizin – eine regionale Perspektive",
             "Health Services Research in General Practice – A Regional Perspective", "Ana Rivera, Chidi Okafor"]
    ctx = context(read_header(lines), lines)
    low = [0.1] * len(lines)
    assert choose_title(ctx, low, "veto", 0.7) == 1
    short = ["Patient Navigation", "Patient Navigation   12", "Ana Rivera, Chidi Okafor, and Lee Tan"]
    assert choose_title(context(read_header(short), short), [0.1] * 3, "veto", 0.7) == 0
    # a title with no such evidence is still vetoed
    plain = ["Nurse Home Visits after Discharge in Rural Counties", "Ana Rivera, Chidi Okafor"]
    assert choose_title(context(read_header(plain), plain), [0.1] * 2, "veto", 0.7) is None


def test_roman_numeral_affiliation_marks_and_dotted_honorifics() -> None:
    authors = parse_author_line("MsC. Ana María Rivera, I MsC. Luis Carlos Okafor Tan, II DrC. Carmen Lee, "
                                "III Dra. Rosa Díaz MoraIV", default="given-first")
    assert [(a.family, a.given) for a in authors] == [("Rivera", "Ana María"), ("Tan", "Luis Carlos Okafor"),
                                                      ("Lee", "Carmen"), ("Mora", "Rosa Díaz")]
    # a lone 'I' with no 'II' after it is left to the name reader (an initial: 'I Okafor')
    authors = parse_author_line("Ana Rivera, I Okafor", default="given-first")
    assert [(a.family, a.initials) for a in authors][1] == ("Okafor", "I")


def test_a_subtitle_read_as_names_gives_way_to_the_byline_below_it() -> None:
    record = _record("Medizinische Fachangestellte können mehr\nDOI: 10.3238/zfa.2014.0517-0522\n"
                     "Online-Befragungen von VERAH-Absolventen und Praxisinhabern\nPDF\n"
                     "Ana Rivera, Chidi Okafor, Lee Tan\n"
                     "Hintergrund: Die stetig wachsende hausärztliche Belastung hat in den letzten Jahren zu "
                     "Diskussionen um die Delegation von Aufgaben an Fachangestellte geführt.\n")
    assert [a.family for a in record.authors] == ["Rivera", "Okafor", "Tan"]


def test_a_copyright_notice_dates_a_page_nothing_else_dates() -> None:
    record = _record("Nurse Home Visits after Discharge in Rural Counties\n13\n"
                     "1 1 © 2014. Riverside Press, S.L. All rights reserved. We studied whether nurse home visits "
                     "after discharge changed readmissions in three rural counties, and they fell by a quarter.\n")
    assert record.year == 2014
    dated = _record("Nurse Home Visits after Discharge in Rural Counties\nPublished: 12 May 2019\n"
                    "Copyright: © 2021 The Authors\n" + ABSTRACT)
    assert dated.year == 2019
