"""Author and affiliation lines."""

from __future__ import annotations

from ingest.names import is_affiliation_line, is_author_line, parse_author_line


def _names(line: str) -> list[tuple]:
    return [(a.family, a.given, a.initials) for a in parse_author_line(line)]


def test_family_first_full_names() -> None:
    assert _names("Chuang Emmeline, Haley Leigh Ann, O'Masta Brenna") == [
        ("Chuang", "Emmeline", "E"), ("Haley", "Leigh Ann", "LA"), ("O'Masta", "Brenna", "B")]


def test_initials_and_particles() -> None:
    assert _names("Chuang E, van der Berg JP, Haley L.A.") == [
        ("Chuang", None, "E"), ("van der Berg", None, "JP"), ("Haley", None, "LA")]


def test_given_first_with_affiliation_numbers() -> None:
    assert _names("Emmeline Chuang 1, Rachel Ross 2 3, Nadia Safaeinili 1") == [
        ("Chuang", "Emmeline", "E"), ("Ross", "Rachel", "R"), ("Safaeinili", "Nadia", "N")]


def test_what_is_not_an_author_line() -> None:
    assert not is_author_line("Health Serv Res")
    assert not is_author_line("Pilots used multiple strategies to facilitate the integration of care.")
    assert not is_author_line("School of Medicine, Stanford University, Palo Alto, California, USA.")
    assert is_author_line("Smith J and Jones K")


def test_affiliation_lines() -> None:
    assert is_affiliation_line("School of Social Welfare, University of California Berkeley, Berkeley, California, USA.")
    assert is_affiliation_line("1 Department of Health Policy, Yale University, New Haven, CT.")
    assert not is_affiliation_line("The University was founded in 1868 and is large.")


def _given_first(line: str) -> list[tuple]:
    return [(a.family, a.given, a.initials) for a in parse_author_line(line, default="given-first")]


def test_initials_first_lists_keep_the_surname_as_family() -> None:
    assert _names("A.B. Surname, C.D. Other, E. van der Berg") == [
        ("Surname", None, "AB"), ("Other", None, "CD"), ("van der Berg", None, "E")]


def test_family_first_with_initials_and_multiword_family() -> None:
    assert _names("Chuang E, de la Cruz Lopez M, van der Berg P") == [
        ("Chuang", None, "E"), ("de la Cruz Lopez", None, "M"), ("van der Berg", None, "P")]


def test_given_first_multiword_family_names() -> None:
    assert _given_first("Maria de la Cruz Lopez, Stephanie Ettinger de Cuba, Jessica Kiefte-de Jong, "
                        "Laura A. van der Velde") == [
        ("de la Cruz Lopez", "Maria", "M"), ("Ettinger de Cuba", "Stephanie", "S"),
        ("Kiefte-de Jong", "Jessica", "J"), ("van der Velde", "Laura A.", "LA")]


def test_degrees_markers_and_pairs() -> None:
    assert _given_first("Sebastian T. Tong, MD, MPH, Winston R. Liaw, MD, and Alex H. Krist, MD") == [
        ("Tong", "Sebastian T.", "ST"), ("Liaw", "Winston R.", "WR"), ("Krist", "Alex H.", "AH")]
    assert _given_first("Sharareh, Nasser; Wallace, Andrea S.") == [
        ("Sharareh", "Nasser", "N"), ("Wallace", "Andrea S.", "AS")]
    assert _given_first("Emmeline Chuang1,2, Rachel Ross2*, Nadia Safaeinili3") == [
        ("Chuang", "Emmeline", "E"), ("Ross", "Rachel", "R"), ("Safaeinili", "Nadia", "N")]


def test_a_title_with_a_colon_is_not_a_name_list() -> None:
    assert not is_author_line("Report to Congress: Social Risk Factors and Performance Under Medicare Programs")


def test_a_bulleted_name_loses_its_bullet_and_affiliation_marks() -> None:
    from ingest.names.lists import listed_name

    assert listed_name("• Samantha Tesfaye 1 , 2 ,") == "Samantha Tesfaye"
    assert listed_name("Ann Lee*†") == "Ann Lee"
    assert listed_name("- Bo Chen 12 &") == "Bo Chen"
    assert listed_name("Ann Lee 1 2 3 and more") == "Ann Lee 1 2 3 and more"  # not at the end


def test_a_long_run_of_numbers_inside_a_line_is_read_at_once() -> None:
    """A mutated page once made the mark pattern backtrack for minutes (seen by the fuzz test):
    numbers that do not end the line are scanned once."""
    from ingest.names.lists import listed_name

    line = "Ann Lee " + "1 " * 40 + "x"
    assert listed_name(line) == line.strip()
    assert listed_name("Ann Lee " + "1 , " * 40) == "Ann Lee"


def _people(line: str) -> list[tuple]:
    return [(a.family, a.given or a.initials) for a in parse_author_line(line, default="given-first")]


def test_a_list_in_capitals_keeps_its_case_and_reads_short_words_as_initials() -> None:
    assert _people("SARAH KIM, JOHN Q. DOE AND ANA PÉREZ") == [
        ("KIM", "SARAH"), ("DOE", "JOHN Q."), ("PÉREZ", "ANA")]
    assert _people("DOE J, SMITH AB") == [("DOE", "J"), ("SMITH", "AB")]
    assert _people("J. SMITH, A. NARRO-ROBLES") == [("SMITH", "J"), ("NARRO-ROBLES", "A")]
    assert not is_author_line("HEALTH POLICY, PRIMARY CARE")  # headings in capitals are no names


def test_bracketed_number_marks_and_dotted_degrees_between_names() -> None:
    assert _people("MARÍA T. LÓPEZ-DÍAZ, M.C.,(1) J. RUIZ, M.C.(2)") == [("LÓPEZ-DÍAZ", "MARÍA T."), ("RUIZ", "J")]


def test_lower_case_affiliation_letters_after_names() -> None:
    assert _people("Sarah Kim a, John Doe b, Ana Pérez a,c") == [("Kim", "Sarah"), ("Doe", "John"), ("Pérez", "Ana")]
    assert _people("Sarah Kim,a John Doe,b and Ana Pérez a") == [("Kim", "Sarah"), ("Doe", "John"), ("Pérez", "Ana")]
    # one lone letter is a word that joins two names, not a mark
    assert _people("Ana Silva e João Souza") == [("Silva", "Ana"), ("Souza", "João")]


def test_icon_words_and_degrees_glued_to_marks_are_dropped() -> None:
    assert _people("Sarah Kim ORCID, John Q. Doe orcid icon") == [("Kim", "Sarah"), ("Doe", "John Q.")]
    assert _people("Sarah Kim, MD1; John Q. Doe, PhD2,3; Ana Pérez, MPH1") == [
        ("Kim", "Sarah"), ("Doe", "John Q."), ("Pérez", "Ana")]
    assert _people("Sarah Kim PhD, John Doe MD MPH") == [("Kim", "Sarah"), ("Doe", "John")]
    assert _people("Kim MD, Doe JQ") == [("Kim", "MD"), ("Doe", "JQ")]  # two capitals after one word: initials


def test_bracketed_affiliations_after_names() -> None:
    line = "Sarah Kim (University of Oslo, Oslo, Norway), John Doe (Harvard University)"
    assert is_author_line(line)
    assert _people(line) == [("Kim", "Sarah"), ("Doe", "John")]


def test_family_names_that_are_also_page_words_in_a_list_of_names() -> None:
    assert _people("Anne Case, Angus Deaton") == [("Case", "Anne"), ("Deaton", "Angus")]
    assert _people("Case A, Deaton A") == [("Case", "A"), ("Deaton", "A")]
    assert not is_author_line("Primary Care, Health Policy")
    # five words with no separator are not names run together because one is a common word
    assert not is_author_line("How Community Health Workers Are Impacting Rural Communities")


def test_one_name_in_capitals_needs_initials() -> None:
    assert _people("ARTÍCULO ESPECIAL") == []
    assert _people("A. MARTÍN ZURRO") == [("MARTÍN ZURRO", "A")]
