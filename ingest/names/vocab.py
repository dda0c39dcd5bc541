"""Word lists of personal names: family-name particles, degrees and honorifics (nameparser's
suffix lists plus the health-science degrees it lacks), and words that are never a name."""

from __future__ import annotations

import re

from nameparser.config import CONSTANTS

#: Family-name particles, lower-case ('van der Berg', 'de la Cruz', 'Olde Hartman').
PARTICLES = frozenset(
    "van von der den de del della dei degli di da das dos do du la las le les lo los ter ten te "
    "vande vander vom zu zur af av al el bin ibn olde op 't d' l'".split())
#: Particles that may be written capitalised inside a name ('Emilia H De Marchis').
CAPITAL_PARTICLES = frozenset(p for p in PARTICLES if len(p) > 1 and p.isalpha() and p not in
                              {"al", "el", "op", "bin", "ibn", "zu", "af", "av", "lo", "te", "do"})

_EXTRA_DEGREES = {
    "md", "mph", "phd", "ms", "msc", "ma", "mba", "mpp", "mpa", "mhs", "mhsa", "mha", "msw", "lcsw",
    "rn", "bsn", "msn", "dnp", "np", "aprn", "pa", "pa-c", "pharmd", "rph", "do", "dds", "dmd", "drph",
    "scd", "dsc", "dphil", "mbbs", "mbchb", "frcp", "frcpc", "frcs", "facp", "faafp", "faan", "faap",
    "mscr", "mas", "ccrp", "cph", "ches", "mcr", "mbe", "med", "edd", "jd", "llm", "ba", "bs", "bsc",
    "bpharm", "mpharm", "otr", "pt", "dpt", "rd", "ld", "ibclc", "cnm", "crnp", "fnp", "chw", "ii",
    "iii", "iv", "jr", "sr", "ab", "sb",
}
DEGREES = frozenset({d.replace(".", "") for d in CONSTANTS.suffix_acronyms} | _EXTRA_DEGREES
                    | {d.replace(".", "") for d in CONSTANTS.suffix_not_acronyms})
#: Titles printed before a name, also the academic ones of Spanish and Portuguese bylines ('MsC.',
#: 'DrC.', 'Dra.', 'Lic.', 'Ing.', 'Mtro.').
HONORIFICS = frozenset("dr dre prof professor mr mrs ms mx sir dame msc drc dra lic ing mtro mtra".split())

#: Capitalised words that are headings, labels or page chrome, never a person's name.
NOT_NAMES = frozenset(
    """abstract article articles author authors background brief case chapter citation cite
    conclusion conclusions contents copyright data department design discussion download
    editorial evidence figure findings full health home introduction issue journal keywords
    library medicine menu methods news objective objectives open access original paper pdf policy
    press program programme publication published publications reading report reports research
    resource resources results review reviews search section share summary systematic table text
    the this topic topics university view volume and of for in on with from to at by or an a
    public care services service social community national state states center centre institute
    school college hospital clinic foundation association society network group committee
    council agency office ministry government federal county city american international global
    study studies trial trials analysis analyses assessment evaluation approach framework model
    models strategy strategies primary medical clinical patient patients outcomes outcome
    quality value payment payments coverage insurance medicaid medicare children adults women
    men people population populations access equity disparities determinants risk factors
    screening intervention interventions implementation practice practices lessons key brief
    briefs sign log login subscribe submit submission reviewer display date type name degree
    award advisor graduate first last next previous related more less alt similar cited times
    series vol no page pages suppl supplement online print email share facebook twitter
    linkedin cookies privacy terms accessibility contact about help support donate events
    blog blogs posts post tags tag category categories archive archives english español
    downloads views likes shares reads comments sizes size affiliation affiliations
    português français deutsch 中文""".split())

_INITIALS = re.compile(r"^(?:[A-Z]\.?\s?-?){1,4}$")
_DOTTED = re.compile(r"^(?:[A-Z]\.-?){1,4}$|^[A-Z]\.(?:[A-Z]\.?)*$")
# A marker glued to or after a name: affiliation numbers, symbols, superscripts.
MARKER_CHARS = "0-9*†‡§¶#¹²³⁴⁵⁶⁷⁸⁹⁰✉"


def is_initials(token: str) -> bool:
    """'E', 'LA', 'J.P.', 'G.L.', 'J.-P.' (up to four letters)."""
    return bool(_INITIALS.match(token)) and sum(c.isalpha() for c in token) <= 4


def is_dotted_initials(token: str) -> bool:
    """Initials written with dots ('A.', 'A.B.', 'J.-P.'): never a family name."""
    return bool(_DOTTED.match(token))


def is_degree(token: str) -> bool:
    """'MD', 'M.P.H.', 'PhD', 'RN' (case-insensitive, dots ignored). Two capitals may also be
    initials ('MS'): callers only drop degrees where initials cannot stand."""
    return token.strip(".,;").replace(".", "").casefold() in DEGREES


def is_particle(token: str, *, inside: bool = True) -> bool:
    """A family-name particle ('van', 'de'); capitalised forms count inside a name."""
    low = token.casefold()
    if token.islower() or token.startswith(("d'", "l'", "d’", "l’")):
        return low in PARTICLES
    return inside and low in CAPITAL_PARTICLES
