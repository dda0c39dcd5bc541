"""Study facts from abstract sections: design labels, sample sizes, periods, setting, population.

Everything is rule-based. The lexicons and gazetteers are the tables at the top of the module;
the functions below only apply them. Which sections feed which field is decided by role:
background sentences count only when they speak of this study ("This discussion paper …"),
conclusions never count, and results count for sample sizes only in sentences that report the
sample or study flow ("A total of 3849 patients underwent randomization …").
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kb.model.schema import SampleSize, Section, Study

log = logging.getLogger(__name__)

# =============================================================================================
# Tables
# =============================================================================================

#: Roles whose sentences feed each field ("other" = unlabelled text of unknown role).
DESIGN_ROLES = frozenset({"objective", "setting", "methods", "design", "results", "other"})
SAMPLE_ROLES = frozenset({"objective", "setting", "methods", "design", "other"})
PERIOD_ROLES = SAMPLE_ROLES
SETTING_ROLES = DESIGN_ROLES
POPULATION_ROLES = SAMPLE_ROLES

#: Background sentences that refer to the study itself ("This qualitative study …").
SELF_REFERENCE = re.compile(r"\b(?:this|the present|the current|our|we)\b", re.I)

#: Design lexicon: (family, pattern, label, generic). label None = the matched words, normalised.
#: Earlier rows win where matches overlap; a generic row is dropped when its family has a
#: more specific match ("internet survey" suppresses "survey").
_REGRESSION_MODIFIERS = (
    r"multivariable|multivariate|univariate|univariable|bivariate|multinomial|multi-?level|"
    r"hierarchical|mixed[- ]effects?|ordinal|binary|conditional|stepwise|weighted|generali[sz]ed|"
    r"penali[sz]ed|robust|zero-inflated"
)
_REGRESSION_TYPES = (
    r"logistic|linear|poisson|negative binomial|cox(?: proportional[- ]hazards?)?|probit|"
    r"quantile|ordinary least squares|lasso|segmented|log-binomial"
)
DESIGN_LEXICON: tuple[tuple[str, str, str | None, bool], ...] = (
    ("trial", r"\bcluster[- ]randomi[sz]ed\b[\w\s,\-]{0,30}?\btrials?\b", "cluster randomized trial", False),
    ("trial", r"\bnon-?randomi[sz]ed\b[\w\s,\-]{0,30}?\btrials?\b", "non-randomized trial", False),
    ("trial", r"(?<!non-)(?<!non)\brandomi[sz]ed\b[\w\s,\-]{0,40}?\btrials?\b|\brandomly (?:assigned|"
              r"allocated)\b|\bunderwent randomi[sz]ation\b", "randomized controlled trial", False),
    ("blinding", r"\bdouble[- ]blind(?:ed)?\b", "double-blind", False),
    ("blinding", r"\bsingle[- ]blind(?:ed)?\b", "single-blind", False),
    ("quasi", r"\bquasi-?experimental\b", "quasi-experimental", False),
    ("did", r"\bdifference-in-differences?\b", "difference-in-differences", False),
    ("its", r"\binterrupted time[- ]series\b", "interrupted time series", False),
    ("psm", r"\bpropensity[- ]score[- ](?:matching|matched|weighting)\b", None, False),
    ("review", r"\bscoping review\b", "scoping review", False),
    ("review", r"\bumbrella review\b", "umbrella review", False),
    ("review", r"\brealist (?:review|synthesis)\b", "realist review", False),
    ("review", r"\bsystematic(?:ally)? (?:literature )?(?:reviews?|search(?:ed)?)\b", "systematic review",
     False),
    ("review", r"\bliterature review\b|\breview of the literature\b", "literature review", False),
    ("meta", r"\bmeta-?analy(?:sis|ses|tic)\b", "meta-analysis", False),
    ("meta", r"\bmeta-?regression\b", "meta-regression", False),
    ("cohort", r"\bnested case[- ]control\b", "nested case-control", False),
    ("case-control", r"\bcase[- ]control\b", "case-control", False),
    ("cohort", r"\b(?:prospective|retrospective|historical|birth|population-based) cohorts?\b", None, False),
    ("cohort", r"\bcohort (?:study|studies|design)\b", "cohort study", False),
    ("cross-sectional", r"\b(?:controlled |repeated |serial )?cross[- ]sectional (?:study|survey|design|"
                        r"analysis)\b", None, False),
    ("cross-sectional", r"\bcross[- ]sectional\b", "cross-sectional", True),
    ("longitudinal", r"\blongitudinal (?:study|design|analysis|cohort|survey)\b", None, False),
    ("longitudinal", r"\blongitudinal\b", "longitudinal", True),
    ("observational", r"\bobservational (?:study|design)\b", "observational study", False),
    ("ecological", r"\becological (?:study|analysis)\b", "ecological study", False),
    ("natural experiment", r"\bnatural experiment\b", "natural experiment", False),
    ("case", r"\bcomparative case (?:analysis|analyses|study|studies)\b", "comparative case analysis", False),
    ("case", r"\bcase series\b", "case series", False),
    ("case", r"\b(?:multiple[- ])?case stud(?:y|ies)\b", "case study", False),
    ("case", r"\bcase reports?\b", "case report", False),
    ("chart review", r"\b(?:retrospective )?(?:chart|medical records?) review\b", None, False),
    ("secondary", r"\bsecondary (?:data )?analys[ie]s\b", "secondary analysis", False),
    ("registry", r"\bregistry\b|\bregistries\b", "registry", False),
    ("validation", r"\bdeveloped and validated\b|\bvalidation stud(?:y|ies)\b", "validation study", False),
    ("mixed", r"\bmixed[- ]methods?\b", "mixed methods", False),
    ("content", r"\bcontent analys[ie]s\b", "content analysis", False),
    ("thematic", r"\bthematic (?:analysis|analyses|coding)\b", "thematic analysis", False),
    ("grounded", r"\bgrounded theory\b", "grounded theory", False),
    ("qualitative", r"\bqualitative\b", "qualitative", False),
    ("delphi", r"(?-i:\bDelphi\b)", "delphi", False),
    ("interviews", r"\bkey[- ]informant interviews?\b", "key informant interviews", False),
    ("interviews", r"\bsemi-?structured\b[\w\s,\-]{0,50}?\binterviews?\b", "semi-structured interviews",
     False),
    ("interviews", r"\bin-?depth interviews?\b", "in-depth interviews", False),
    ("interviews", r"\binterviews?\b", "interviews", True),
    ("focus groups", r"\bfocus groups?\b", "focus groups", False),
    ("survey", r"\b(?:internet|online|web-based|web|telephone|phone|mail|postal|door-to-door|household|"
               r"national|nationwide|face-to-face|panel) surveys?\b", None, False),
    ("survey", r"\bsurveys?\b", "survey", True),
    ("network", r"\b(?:social )?network analys[ie]s\b", "network analysis", False),
    ("regression", rf"\b(?:(?:{_REGRESSION_MODIFIERS})[\s,]+){{0,3}}(?:{_REGRESSION_TYPES})"
                   rf"(?:\s+(?:{_REGRESSION_TYPES}))?\s+regression\b", None, False),
    ("multivariate", r"\bmultivariate analys[ie]s\b", "multivariate analysis", False),
    ("multivariate", r"\bmultivariable analys[ie]s\b", "multivariable analysis", False),
    ("repeated", r"\brepeated[- ]measures?\b", "repeated measures", False),
    ("growth", r"\blatent growth mixture model(?:l?ing|s)?\b", "latent growth mixture modelling", False),
    ("growth", r"\b(?:latent )?growth curve model(?:l?ing|s)?\b", "growth curve modelling", False),
    ("growth", r"\bgroup-based trajectory model(?:l?ing|s)?\b", "group-based trajectory modelling", False),
    ("latent class", r"\blatent (?:class|profile) analys[ie]s\b", None, False),
    ("survival", r"\bkaplan[- ]meier\b", "kaplan-meier", False),
    ("economic", r"\bcost[- ]effectiveness analys[ie]s\b", "cost-effectiveness analysis", False),
    ("economic", r"\bmicro-?simulation\b", "microsimulation", False),
    ("paper", r"\bdiscussion paper\b", "discussion paper", False),
    ("paper", r"\bpolicy brief\b", "policy brief", False),
)

#: Normalisation of matched design words when a row has no fixed label.
DESIGN_NORMALISE: tuple[tuple[str, str], ...] = (
    (r"\s+", " "), (r"\bcross sectional\b", "cross-sectional"), (r"\banalyses\b", "analysis"),
    (r"\bstudies\b", "study"), (r"\bsurveys\b", "survey"), (r"\bcohorts\b", "cohort"),
    (r",", ""),
)

#: Number words read as counts.
NUMBER_WORDS: dict[str, int] = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split())
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
     "ninety": 90}

#: Head nouns of a sample-size unit (people, organisations, places, studies, interviews).
PERSON_HEADS = frozenset("""
    patient patients participant participants respondent respondents child children adolescent
    adolescents youth youths adult adults individual individuals people person persons resident
    residents member members enrollee enrollees beneficiary beneficiaries veteran veterans woman
    women man men mother mothers father fathers parent parents caregiver caregivers family
    families student students employee employees staff physician physicians nurse nurses
    clinician clinicians worker workers volunteer volunteers subject subjects user users infant
    infants neonate neonates newborn newborns survivor survivors informant informants stakeholder
    stakeholders administrator administrators manager managers leader leaders smoker smokers
    immigrant immigrants refugee refugees case cases control controls twin twins pregnancies
    girls boys elders retirees providers provider pharmacists dentists surgeons residents'
""".split())
SAMPLE_HEADS = PERSON_HEADS | frozenset("""
    organization organizations organisation organisations agency agencies pilot pilots county
    counties state states country countries community communities hospital hospitals clinic
    clinics practice practices site sites center centers centre centres facility facilities
    school schools household households study studies trial trials article articles paper papers
    interview interviews survey surveys cohort cohorts program programs programme programmes plan
    plans health-systems systems visit visits admission admissions encounter encounters record
    records episode episodes hospitalizations hospitalisations births deliveries eyes teams team
    municipalities districts regions cities towns villages nursing-homes homes
""".split())
#: Two-word heads whose last word alone is not a unit ("focus groups").
TWO_WORD_HEADS = frozenset({"focus groups", "focus group", "nursing homes", "health systems"})
#: "N-site registry" style compounds: word after the hyphen -> plural unit.
COMPOUND_UNITS: dict[str, str] = {
    "site": "sites", "center": "centers", "centre": "centres", "hospital": "hospitals",
    "practice": "practices", "county": "counties", "state": "states", "country": "countries",
    "clinic": "clinics", "city": "cities", "school": "schools", "community": "communities",
}
#: Leading modifiers dropped from a unit ("hour-long, semi-structured interviews" -> "interviews").
UNIT_DROP = frozenset({"hour-long", "semi-structured", "semistructured", "in-depth", "structured",
                       "unstructured", "qualitative", "total", "additional", "further", "all"})
#: Words that end the noun phrase after a number.
NP_STOP = frozenset("""
    of in for to from with at by on that which who whom whose were was are is be been had have has
    than per or as into over under after before during between among within without via vs the a
    an this these those their its our his her not no but if when while where also only each every
    both either neither about around across against through
""".split())
#: Plural-looking words that are not plural nouns (they do not end the noun phrase).
NOT_PLURAL = frozenset({"diabetes", "series", "species", "status", "analysis", "basis", "crisis",
                        "arthritis", "colitis", "sclerosis", "mellitus", "various", "previous"})
#: How far back (characters) '(n = 221)' looks for its unit noun.
UNIT_LOOKBACK = 200
#: Words that may follow the head of a population phrase ('adults aged 65 and older').
POPULATION_FOLLOWERS = frozenset({"aged", "ages", "age"})
#: At most this many population phrases are kept.
MAX_POPULATION = 12
#: Word endings that mark an adjective, which cannot end a 'with …' population tail.
ADJECTIVE_ENDINGS = ("ive", "al", "ic", "ous", "ent", "ant", "ary", "ful", "less", "ed", "ing")
#: Results sentences that report the sample or the study flow.
FLOW_CUES = re.compile(
    r"\ba total of\b|\bthere were\b|\bunderwent\b|\bresponded\b|\bparticipated\b|\benrolled\b|"
    r"\bwere (?:included|recruited|evaluated|assessed|analy[sz]ed|randomi[sz]ed|screened|surveyed|"
    r"interviewed|eligible|identified|followed|studied|sampled)\b|\bmet (?:the )?(?:inclusion|"
    r"eligibility) criteria\b|\bcompleted (?:the )?(?:survey|questionnaire|study|interview)|"
    r"\b(?:sample|cohort) (?:included|comprised|consisted)\b",
    re.I,
)
#: Sentences whose counts are not a real sample.
NOT_A_SAMPLE = re.compile(r"\bhypothetical\b|\bsimulated\b|\bsimulation\b", re.I)

#: Months, for periods.
MONTHS: dict[str, int] = {
    name: i for i, names in enumerate((
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
        ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
        ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names
}
#: Words after a date that make it context rather than a study period ("January 2022 launch").
PERIOD_CONTEXT_AFTER = re.compile(
    r"^(?:'s|’s)?\s*(?:launch|roll-?out|enactment|passage|expansion|guidelines?|criteria|edition|"
    r"version|classification|census)\b", re.I)
#: Text before a date that makes it something other than a study period.
PERIOD_CONTEXT_BEFORE = re.compile(r"(?:©|\(c\)|copyright|inception to|up to)\s*$", re.I)
#: Sentences whose dates are search dates.
SEARCH_SENTENCE = re.compile(r"\bsearch(?:ed|es|ing)?\b", re.I)

US_STATES = (
    "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia "
    "Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts "
    "Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon "
    "Pennsylvania Tennessee Texas Utah Vermont Virginia Washington Wisconsin Wyoming").split() + [
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
    "Rhode Island", "South Carolina", "South Dakota", "West Virginia", "District of Columbia",
    "Puerto Rico",
]
COUNTRIES = [
    "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Argentina", "Armenia", "Australia",
    "Austria", "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belarus", "Belgium",
    "Belize", "Benin", "Bhutan", "Bolivia", "Bosnia and Herzegovina", "Botswana", "Brazil",
    "Brunei", "Bulgaria", "Burkina Faso", "Burundi", "Cambodia", "Cameroon", "Canada",
    "Cape Verde", "Central African Republic", "Chile", "China", "Colombia", "Comoros", "Congo",
    "Costa Rica", "Croatia", "Cuba", "Cyprus", "Czech Republic", "Czechia", "Denmark",
    "Djibouti", "Dominican Republic", "Ecuador", "Egypt", "El Salvador", "Equatorial Guinea",
    "Eritrea", "Estonia", "Eswatini", "Ethiopia", "Fiji", "Finland", "France", "Gabon", "Gambia",
    "Germany", "Ghana", "Greece", "Grenada", "Guatemala", "Guinea-Bissau", "Guyana",
    "Haiti", "Honduras", "Hong Kong", "Hungary", "Iceland", "India", "Indonesia", "Iran", "Iraq",
    "Ireland", "Israel", "Italy", "Ivory Coast", "Jamaica", "Japan", "Kazakhstan", "Kenya",
    "Kosovo", "Kuwait", "Kyrgyzstan", "Laos", "Latvia", "Lebanon", "Lesotho", "Liberia", "Libya",
    "Liechtenstein", "Lithuania", "Luxembourg", "Madagascar", "Malawi", "Malaysia", "Maldives",
    "Mali", "Malta", "Mauritania", "Mauritius", "Mexico", "Moldova", "Monaco", "Mongolia",
    "Montenegro", "Morocco", "Mozambique", "Myanmar", "Namibia", "Nepal", "Netherlands",
    "New Zealand", "Nicaragua", "Nigeria", "North Korea", "North Macedonia", "Norway", "Oman",
    "Pakistan", "Palestine", "Panama", "Papua New Guinea", "Paraguay", "Peru", "Philippines",
    "Poland", "Portugal", "Qatar", "Romania", "Russia", "Rwanda", "Saudi Arabia", "Senegal",
    "Serbia", "Sierra Leone", "Singapore", "Slovakia", "Slovenia", "Somalia", "South Africa",
    "South Korea", "South Sudan", "Spain", "Sri Lanka", "Sudan", "Suriname", "Sweden",
    "Switzerland", "Syria", "Taiwan", "Tajikistan", "Tanzania", "Thailand", "Timor-Leste", "Togo",
    "Trinidad and Tobago", "Tunisia", "Turkey", "Turkmenistan", "Uganda", "Ukraine",
    "United Arab Emirates", "United Kingdom", "United States", "Uruguay", "Uzbekistan",
    "Venezuela", "Vietnam", "Yemen", "Zambia", "Zimbabwe", "England", "Scotland", "Wales",
    "Northern Ireland",
]
#: Other spellings of places -> the name recorded.
PLACE_ALIASES: dict[str, str] = {
    "US": "United States", "U.S.": "United States", "USA": "United States",
    "U.S.A.": "United States", "United States of America": "United States",
    "UK": "United Kingdom", "U.K.": "United Kingdom", "Great Britain": "United Kingdom",
    "Korea": "South Korea", "Republic of Korea": "South Korea", "Viet Nam": "Vietnam",
    "the Netherlands": "Netherlands", "Côte d'Ivoire": "Ivory Coast",
}
#: Adjectives of nationality -> place; counted only before a people/institution noun.
DEMONYMS: dict[str, str] = {
    "French": "France", "German": "Germany", "Australian": "Australia", "Canadian": "Canada",
    "British": "United Kingdom", "Chinese": "China", "Japanese": "Japan", "Italian": "Italy",
    "Spanish": "Spain", "Dutch": "Netherlands", "Swedish": "Sweden", "Norwegian": "Norway",
    "Danish": "Denmark", "Finnish": "Finland", "Swiss": "Switzerland", "Belgian": "Belgium",
    "Austrian": "Austria", "Portuguese": "Portugal", "Greek": "Greece", "Irish": "Ireland",
    "Brazilian": "Brazil", "Mexican": "Mexico", "Israeli": "Israel", "Iranian": "Iran",
    "Turkish": "Turkey", "Taiwanese": "Taiwan", "Thai": "Thailand", "Vietnamese": "Vietnam",
    "Nigerian": "Nigeria", "Kenyan": "Kenya", "Ugandan": "Uganda", "Ethiopian": "Ethiopia",
    "Ghanaian": "Ghana", "Egyptian": "Egypt", "Pakistani": "Pakistan", "Polish": "Poland",
    "Hungarian": "Hungary", "Romanian": "Romania", "Russian": "Russia", "Ukrainian": "Ukraine",
    "Chilean": "Chile", "Colombian": "Colombia", "Peruvian": "Peru", "Argentine": "Argentina",
    "Argentinian": "Argentina", "Scottish": "Scotland", "Welsh": "Wales", "Californian":
    "California", "Singaporean": "Singapore", "South African": "South Africa",
    "New Zealand": "New Zealand",
}
#: Nouns after a demonym that make it a setting ("French patients", "Australian veterans").
DEMONYM_NOUNS = SAMPLE_HEADS | frozenset({"population", "populations", "cohort", "registry",
                                          "sample", "association", "patient", "nationwide"})
#: Named events that name their place ("the Wenchuan earthquake").
PLACE_EVENTS = re.compile(
    r"\bthe (?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:earthquake|tsunami|floods?|wildfires?|"
    r"bushfires?|typhoon|cyclone)\b")
#: "five California counties (Los Angeles, San Diego, …)": lists of places in parentheses.
PLACE_LISTS = re.compile(r"\b(?:counties|cities|states|countries|provinces|regions|districts)"
                         r"\s*\((?P<items>[^()]{3,300})\)")
#: Copyright and database tails that are not abstract text.
TEXT_TAILS = re.compile(r"(?:©|\(c\)\s*\d{4}|\bCopyright\b|\[Author Abstract\]).*$", re.S)

# =============================================================================================
# Sentences by role
# =============================================================================================


@dataclass(frozen=True)
class Sentence:
    """One sentence of the abstract with the role of its section."""

    role: str
    text: str


class Spans:
    """Non-overlapping [start, end) spans; claiming one that overlaps a held span fails."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def claim(self, start: int, end: int) -> bool:
        """Hold [start, end) unless it overlaps a held span; True when held."""
        i = bisect.bisect_right(self._starts, start)
        if i and self._ends[i - 1] > start:
            return False
        if i < len(self._starts) and self._starts[i] < end:
            return False
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True


_SENTENCE_SPLIT = re.compile(
    r"(?<=[.!?])(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bal\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bNo\.)"
    r"\s+(?=[A-Z(\[•“\"])|\n+")


def sentences_of(sections: list[Section]) -> list[Sentence]:
    """Sentences with roles; a lone unlabelled section counts as role 'other'."""
    lone = len(sections) == 1 and not sections[0].label
    out: list[Sentence] = []
    for section in sections:
        role = "other" if lone else section.role
        text = TEXT_TAILS.sub("", section.text)
        for part in _SENTENCE_SPLIT.split(text):
            part = part.strip()
            if not part:
                continue
            if role == "background":
                if not SELF_REFERENCE.search(part):
                    continue
                out.append(Sentence("objective", part))
            else:
                out.append(Sentence(role, part))
    return out


# =============================================================================================
# Design
# =============================================================================================

_DESIGN_COMPILED = [
    (family, re.compile(pattern, re.I), label, generic)
    for family, pattern, label, generic in DESIGN_LEXICON
]


def _normalise_design(words: str) -> str:
    """Lower-case matched design words and apply DESIGN_NORMALISE."""
    label = words.lower().strip()
    for pattern, repl in DESIGN_NORMALISE:
        label = re.sub(pattern, repl, label)
    return label.strip()


def _design_hits(text: str) -> list[tuple[int, str, str, bool]]:
    """(start, family, label, generic) of non-overlapping lexicon matches, table order first."""
    taken = Spans()
    hits = []
    for family, rx, label, generic in _DESIGN_COMPILED:
        for m in rx.finditer(text):
            if taken.claim(m.start(), m.end()):
                hits.append((m.start(), family, label or _normalise_design(m.group()), generic))
    return hits


def extract_design(sentences: list[Sentence]) -> list[str]:
    """Design labels in order of appearance, deduplicated, generic ones only if alone."""
    found: list[tuple[int, int, str, str, bool]] = []
    for i, sent in enumerate(sentences):
        if sent.role in DESIGN_ROLES:
            found.extend((i, start, fam, lab, gen) for start, fam, lab, gen in _design_hits(sent.text))
    specific = {fam for _, _, fam, _, gen in found if not gen}
    labels: list[str] = []
    for _, _, fam, label, generic in sorted(found):
        if generic and fam in specific:
            continue
        if label not in labels:
            labels.append(label)
    return labels


# =============================================================================================
# Sample sizes
# =============================================================================================

_NUMBER_WORD_RX = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_TENS_RX = "|".join(w for w, n in NUMBER_WORDS.items() if n >= 20)
_UNITS_RX = "|".join(w for w, n in NUMBER_WORDS.items() if 1 <= n <= 9)
_NUM = (
    r"(?<![\w.,/\-–−])(?:\d{1,3}(?:,\d{3}){1,3}|\d{1,9})(?![\w]|[.,]\d|\s*%|\s*[-–]\s*\d|/\d)"
    rf"|(?<![\w\-])(?i:(?:{_TENS_RX})-(?:{_UNITS_RX})|{_NUMBER_WORD_RX})\b(?!-|\s+(?:percent|per cent)\b)"
)
_NUM_RX = re.compile(_NUM)
_N_EQUALS = re.compile(
    r"(?P<open>\(\s*)?(?P<body>\b[nN]\s*=\s*(?P<n>\d{1,3}(?:,\d{3}){1,3}|\d{1,9})(?!\d|[.,]\d))"
    r"(?P<close>\s*\))?")
_WORD_TOKEN = re.compile(r"[A-Za-z][\w'’\-]*")
_N_OF_M = re.compile(rf"(?P<n>{_NUM})\s+of\s+(?:the\s+)?(?P<m>{_NUM})\s+")
_IN_GROUP = re.compile(rf"(?P<n>{_NUM})\s+in\s+the\s+(?P<unit>(?:[\w\-]+\s+){{0,4}}?(?:group|arm))\b")
_PER_GROUP = re.compile(rf"(?P<n>{_NUM})\s*(?:/|\s+per\s+)(?P<unit>group|arm|site|condition)\b")
_COMPOUND = re.compile(rf"(?P<n>{_NUM})-(?P<unit>{'|'.join(COMPOUND_UNITS)})\b", re.I)
_BARE_INHERIT = re.compile(rf"(?:,|\band)\s+(?P<n>{_NUM})(?=\s*\()")
_RATIO_BEFORE = re.compile(r"(?:\d\s+in|out\s+of|per|every)\s*$", re.I)
_YEAR_BEFORE = re.compile(r"\b(?:in|since|between|from|during|until|by|and|to)\s*$", re.I)
_NP_TOKEN = re.compile(r"[A-Za-z][\w'’\-]*|\S")


@dataclass(frozen=True)
class _Mention:
    """A sample-size mention found in one sentence."""

    start: int
    end: int
    n: int
    unit: str | None


def _to_int(token: str) -> int | None:
    """'247,887' -> 247887, 'Ten' -> 10; None for anything else."""
    token = token.strip().lower()
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    tens, _, units = token.partition("-")
    if tens in NUMBER_WORDS and units in NUMBER_WORDS:
        return NUMBER_WORDS[tens] + NUMBER_WORDS[units]
    digits = token.replace(",", "")
    return int(digits) if digits.isdigit() and len(digits) <= 12 else None


def _is_plural_word(word: str) -> bool:
    """A lower-case-ish plural noun that is not a unit head (ends a noun phrase)."""
    low = word.lower()
    if word.isupper() or low in NOT_PLURAL or low in SAMPLE_HEADS:
        return False
    return low.endswith("s") and not low.endswith(("ss", "us", "is", "ous"))


def _head_at(tokens: list[str], i: int) -> bool:
    """Whether tokens[i] (with the previous token) is a unit head."""
    low = re.sub(r"['’]s?$", "", tokens[i].lower())
    pair = f"{tokens[i - 1].lower()} {tokens[i].lower()}" if i else ""
    return low in SAMPLE_HEADS or pair in TWO_WORD_HEADS


def noun_phrase_after(text: str, pos: int, *, max_tokens: int = 8) -> tuple[int, str] | None:
    """(end, words) of the noun phrase starting at pos whose last head is a unit head, or None.

    Modifiers may be joined by 'and' and commas ('hour-long, semi-structured individual and group
    interviews'); stop words, numbers and non-head plural nouns end the phrase.
    """
    best: tuple[int, str] | None = None
    tokens: list[str] = []
    for m in _NP_TOKEN.finditer(text, pos):
        tok = m.group()
        if len(tokens) >= max_tokens or not (tok[0].isalpha() or tok == ","):
            break
        low = tok.lower()
        if low in NP_STOP or low in NUMBER_WORDS or (tok == "," and not tokens):
            break
        tokens.append(tok)
        if tok != "," and _head_at(tokens, len(tokens) - 1):
            best = (m.end(), text[pos:m.end()].strip())
        elif tok != "," and low != "and" and _is_plural_word(tok):
            break
    return best


def _unit_of(words: str) -> str:
    """The unit of a noun phrase without leading methodological modifiers."""
    parts = [w for w in re.split(r"\s+", words.replace(",", " ")) if w]
    while len(parts) > 1 and (parts[0].lower() in UNIT_DROP or parts[0].lower() == "and"):
        parts.pop(0)
    return " ".join(parts)


def _is_year_like(n: int, text: str, start: int) -> bool:
    """A four-digit year in a date context ('in 2021', 'and 2021')."""
    return 1900 <= n <= 2099 and bool(_YEAR_BEFORE.search(text[max(0, start - 12):start]))


def _counted_mentions(text: str) -> Iterator[_Mention]:
    """'507 organizations', 'Ten consecutive patients', '51 of 58 California counties'."""
    for m in _N_OF_M.finditer(text):
        np = noun_phrase_after(text, m.end())
        n = _to_int(m.group("n"))
        if np and n is not None:
            yield _Mention(m.start(), np[0], n, _unit_of(np[1]))
    for m in _NUM_RX.finditer(text):
        n = _to_int(m.group())
        if n is None or _RATIO_BEFORE.search(text[max(0, m.start() - 8):m.start()]):
            continue
        if _is_year_like(n, text, m.start()):
            continue
        np = noun_phrase_after(text, m.end())
        if np:
            yield _Mention(m.start(), np[0], n, _unit_of(np[1]))


def _unit_before(text: str, pos: int) -> tuple[str | None, int]:
    """The unit head before pos in the sentence (people first), and its start if it touches pos.

    A head directly followed by another head is a modifier ('key informant interviews').
    """
    window = max(0, pos - UNIT_LOOKBACK)
    tokens = list(_WORD_TOKEN.finditer(text, window, pos))
    heads = [
        m for i, m in enumerate(tokens)
        if m.group().lower() in SAMPLE_HEADS and not (
            i + 1 < len(tokens) and tokens[i + 1].group().lower() in SAMPLE_HEADS
            and not text[m.end():tokens[i + 1].start()].strip())
    ]
    if not heads:
        return None, pos
    people = [m for m in heads if m.group().lower() in PERSON_HEADS]
    last = (people or heads)[-1]
    touching = last is heads[-1] and not text[last.end():pos].strip(" (\u2009\u00a0")
    return last.group(), last.start() if touching else pos


def _explicit_mentions(text: str) -> Iterator[_Mention]:
    """'(n = 221)', 'Pilots (n = 26)', 'N = 600', '1277 in the … group', '127/group', '24-site'."""
    for m in _N_EQUALS.finditer(text):
        opened = bool(m.group("open") and m.group("close"))
        start, end = m.span() if opened else m.span("body")
        unit, unit_start = _unit_before(text, start)
        yield _Mention(min(start, unit_start), end, int(m.group("n").replace(",", "")), unit)
    for rx in (_IN_GROUP, _PER_GROUP):
        for m in rx.finditer(text):
            n = _to_int(m.group("n"))
            unit = m.group("unit") if rx is _IN_GROUP else f"per {m.group('unit')}"
            if n is not None:
                yield _Mention(m.start(), m.end(), n, unit)
    for m in _COMPOUND.finditer(text):
        n = _to_int(m.group("n"))
        if n is not None:
            yield _Mention(m.start(), m.end(), n, COMPOUND_UNITS[m.group("unit").lower()])


def _inherited_mentions(text: str, found: list[_Mention]) -> Iterator[_Mention]:
    """'… 3849 patients underwent randomization, and 3836 (…)': a bare count takes the unit before.

    found is sorted by position.
    """
    ends = [f.end for f in found]
    for m in _BARE_INHERIT.finditer(text):
        n = _to_int(m.group("n"))
        before = bisect.bisect_right(ends, m.start("n"))
        if n is None or not before or 1900 <= n <= 2099:
            continue
        yield _Mention(m.start("n"), m.end("n"), n, found[before - 1].unit)


def _non_overlapping(mentions: list[_Mention]) -> list[_Mention]:
    """Keep mentions in the given priority order, dropping any that overlap a kept one."""
    taken = Spans()
    kept = [m for m in mentions if taken.claim(m.start, m.end)]
    return sorted(kept, key=lambda k: k.start)


def sample_mentions(text: str) -> list[_Mention]:
    """All sample-size mentions in one sentence, non-overlapping, in order."""
    if NOT_A_SAMPLE.search(text):
        return []
    found = _non_overlapping([*_explicit_mentions(text), *_counted_mentions(text)])
    found = _non_overlapping([*found, *_inherited_mentions(text, found)])
    return found


def _sentence_mentions(sent: Sentence) -> list[_Mention]:
    """Mentions a sentence contributes given its role (results need a flow cue)."""
    mentions = sample_mentions(sent.text)
    if sent.role in SAMPLE_ROLES or (sent.role == "results" and FLOW_CUES.search(sent.text)):
        return mentions
    if sent.role == "results":
        opening = re.match(rf"(?:Of|Among|In)\s+(?:the\s+)?(?:{_NUM})", sent.text)
        explicit = [m for m in mentions if _N_EQUALS.search(sent.text[m.start:m.end])]
        return [m for m in mentions if (opening and m.start < opening.end()) or m in explicit]
    return []


def extract_sample_sizes(sentences: list[Sentence]) -> list[SampleSize]:
    """Stated sample sizes with a short unit and the verbatim mention."""
    sizes = []
    for sent in sentences:
        for m in _sentence_mentions(sent):
            sizes.append(SampleSize(n=m.n, unit=m.unit, text=sent.text[m.start:m.end]))
    return sizes


# =============================================================================================
# Periods
# =============================================================================================

_MONTH_RX = r"\b(?:%s)\b\.?" % "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR_CORE = r"(?:19|20)\d{2}"
_YEAR = rf"(?<![\w.,/\-]){_YEAR_CORE}(?![\w%]|[.,]\d)"
_DASH = r"\s*(?:-|–|—|to|through|until|till)\s*"


def _ym(year: str, month: str | int) -> str:
    """'2023', 'July' -> '2023-07'."""
    number = month if isinstance(month, int) else MONTHS[month.lower().rstrip(".")]
    return f"{year}-{number:02d}"


def _two_digit_end(y1: str, y2: str) -> str:
    """'2018', '19' -> '2019'."""
    return y1[:2] + y2 if len(y2) == 2 else y2


#: Period patterns (first match wins where they overlap) and how each becomes a period string.
PERIOD_PATTERNS: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
    (rf"(?:\bbetween\s+(?P<m1>{_MONTH_RX})(?:\s+(?P<y1>{_YEAR}))?\s+and\s+|(?:\bfrom\s+)?"
     rf"(?P<m1b>{_MONTH_RX})(?:\s+(?P<y1b>{_YEAR}))?{_DASH})(?P<m2>{_MONTH_RX}),?\s+(?P<y2>{_YEAR})",
     lambda m: f"{_ym(m['y1'] or m['y1b'] or m['y2'], m['m1'] or m['m1b'])}/{_ym(m['y2'], m['m2'])}"),
    (rf"\bbetween\s+(?P<a>0?[1-9]|1[0-2])\s+and\s+(?P<b>0?[1-9]|1[0-2])/(?P<y>{_YEAR_CORE})\b",
     lambda m: f"{_ym(m['y'], int(m['a']))}/{_ym(m['y'], int(m['b']))}"),
    (rf"(?<![\d/])(?P<a>0?[1-9]|1[0-2])/(?P<y1>{_YEAR_CORE}){_DASH}(?P<b>0?[1-9]|1[0-2])/"
     rf"(?P<y2>{_YEAR_CORE})\b",
     lambda m: f"{_ym(m['y1'], int(m['a']))}/{_ym(m['y2'], int(m['b']))}"),
    (rf"(?:\bbetween\s+(?P<y1>{_YEAR})\s+and\s+|(?:\bfrom\s+)?(?P<y1b>{_YEAR})(?:{_DASH}|/))"
     rf"(?P<y2>{_YEAR_CORE}(?![\w%]|[.,]\d)|\d{{2}}(?![\w.,%]))",
     lambda m: f"{m['y1'] or m['y1b']}-{_two_digit_end(m['y1'] or m['y1b'], m['y2'])}"),
    (rf"\b(?P<m1>{_MONTH_RX})\s+(?:\d{{1,2}},?\s+)?(?P<y1>{_YEAR})",
     lambda m: _ym(m["y1"], m["m1"])),
    (rf"(?P<y1>{_YEAR})", lambda m: m["y1"]),
)
_PERIOD_COMPILED = [(re.compile(p, re.I), build) for p, build in PERIOD_PATTERNS]


def _period_is_context(text: str, m: re.Match[str]) -> bool:
    """Dates that are not study periods: copyright, launches, '2000 patients', search limits."""
    after = text[m.end():m.end() + 40].lstrip()
    before = text[max(0, m.start() - 30):m.start()]
    if PERIOD_CONTEXT_AFTER.search(after) or PERIOD_CONTEXT_BEFORE.search(before):
        return True
    np = noun_phrase_after(text, m.end(), max_tokens=2)
    return np is not None and not re.search(r"[-–/]|between|from|and", m.group(), re.I)


def periods_in(text: str) -> list[str]:
    """Normalised periods in one sentence, in order of appearance."""
    if SEARCH_SENTENCE.search(text):
        return []
    taken = Spans()
    found: list[tuple[int, str]] = []
    for rx, build in _PERIOD_COMPILED:
        for m in rx.finditer(text):
            if taken.claim(m.start(), m.end()) and not _period_is_context(text, m):
                found.append((m.start(), build(m)))
    return [p for _, p in sorted(found)]


def extract_periods(sentences: list[Sentence]) -> list[str]:
    """Data-collection / program periods as YYYY, YYYY-YYYY, YYYY-MM or YYYY-MM/YYYY-MM."""
    periods: list[str] = []
    for sent in sentences:
        use = sent.role in PERIOD_ROLES or (sent.role == "results" and FLOW_CUES.search(sent.text))
        for period in periods_in(sent.text) if use else []:
            if period not in periods:
                periods.append(period)
    return periods


# =============================================================================================
# Setting
# =============================================================================================

_PLACE_NAMES = {name: name for name in (*US_STATES, *COUNTRIES)} | PLACE_ALIASES
_PLACE_ALT = "|".join(re.escape(p) for p in sorted(_PLACE_NAMES, key=len, reverse=True))
_PLACE_RX = re.compile(rf"(?<![\w\-])(?:{_PLACE_ALT})(?![\w\-]|\.\w)")
_CITY_PLACE_RX = re.compile(
    rf"\b(?:in|of|from|at|near)\s+(?P<city>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?),\s+(?P<place>{_PLACE_ALT})"
    r"(?![\w\-])")
_DEMONYM_RX = re.compile(
    rf"(?<![\w\-])(?P<d>{'|'.join(sorted(DEMONYMS, key=len, reverse=True))})\s+"
    r"(?P<next>(?:[\w'’\-]+\s+){0,2}[\w'’\-]+)")


def _place_list_items(items: str) -> list[str]:
    """'Los Angeles, San Diego, and Sonoma' -> the capitalised names."""
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", items)
    names = [p.strip() for p in parts if p.strip()]
    ok = all(re.fullmatch(r"[A-Z][\w'’.\-]*(?:\s[A-Z][\w'’.\-]*){0,3}", n) for n in names)
    return names if ok and len(names) >= 2 else []


def _places_in(text: str) -> list[tuple[int, str]]:
    """(position, place) for every place named in one sentence."""
    found: list[tuple[int, str]] = []
    combined = set()
    for m in _CITY_PLACE_RX.finditer(text):
        if m.group("city") not in _PLACE_NAMES:
            found.append((m.start("city"), f"{m.group('city')}, {m.group('place')}"))
            combined.add(m.start("place"))
    for m in _PLACE_RX.finditer(text):
        if m.start() not in combined:
            found.append((m.start(), _PLACE_NAMES[m.group()]))
    for m in _DEMONYM_RX.finditer(text):
        words = [re.sub(r"['’]s$", "", w).lower() for w in m.group("next").split()]
        if any(w in DEMONYM_NOUNS for w in words):
            found.append((m.start(), DEMONYMS[m.group("d")]))
    for m in PLACE_EVENTS.finditer(text):
        found.append((m.start("place"), _PLACE_NAMES.get(m.group("place"), m.group("place"))))
    for m in PLACE_LISTS.finditer(text):
        items = _place_list_items(m.group("items"))
        found.extend((m.start("items") + i, item) for i, item in enumerate(items))
    return sorted(found)


def extract_setting(sentences: list[Sentence]) -> list[str]:
    """Places named in the text (gazetteer, demonyms, place lists), in order, deduplicated."""
    places: list[str] = []
    for sent in sentences:
        if sent.role not in SETTING_ROLES:
            continue
        for _, place in _places_in(sent.text):
            if place not in places:
                places.append(place)
    return places


# =============================================================================================
# Population
# =============================================================================================

_POP_CUE = re.compile(r"\b(?:for|among|of|in|including|enrolled|recruited|involving)\s+", re.I)
_POP_LEAD = re.compile(r"(?:(?:the|a|an|all|eligible)\s+)*", re.I)
_POP_AGE = re.compile(r"\s*\(?(?:aged|ages)\s+\d+(?:\s*(?:-|–|to)\s*\d+)?(?:\s*(?:years?|y))?"
                      r"(?:\s+(?:and|or)\s+(?:older|over|above))?", re.I)
_POP_WITH = re.compile(r"\s+with\b")
_WORD = re.compile(r"\s+([A-Za-z][\w\-]*)(?![\w\-'’])")


def _population_tail(text: str, end: int) -> int:
    """Extend a population phrase over 'aged 65 and older', then 'with mild asthma' (<= 3 words)."""
    m = _POP_AGE.match(text, end)
    if m and "(" not in m.group():
        end = m.end()
    m = _POP_WITH.match(text, end)
    if not m:
        return end
    tail, pos, last = end, m.end(), ""
    for _ in range(3):
        w = _WORD.match(text, pos)
        if not w or w.group(1).lower() in NP_STOP or w.group(1).lower() == "and":
            break
        tail, pos, last = w.end(), w.end(), w.group(1)
    if last and not last.isupper() and last.lower().endswith(ADJECTIVE_ENDINGS):
        return end
    return tail


def _ends_phrase(text: str, end: int) -> bool:
    """Whether a person head at end closes its noun phrase (not 'family tension')."""
    nxt = _NP_TOKEN.search(text, end)
    word = nxt.group().lower() if nxt else ""
    return not word or not word[0].isalpha() or word in NP_STOP or word in POPULATION_FOLLOWERS


def populations_in(text: str) -> list[str]:
    """Population phrases after 'for', 'among', 'of', 'in' … whose head is a person noun."""
    if NOT_A_SAMPLE.search(text):
        return []
    found = []
    for cue in _POP_CUE.finditer(text):
        start = _POP_LEAD.match(text, cue.end()).end()
        num = _NUM_RX.match(text, start)
        start = num.end() if num else start
        np = noun_phrase_after(text, start, max_tokens=5)
        if not np or np[1].split()[-1].lower() not in PERSON_HEADS or not _ends_phrase(text, np[0]):
            continue
        end = _population_tail(text, np[0])
        found.append(text[start:end].strip(" ,\u2009\u00a0"))
    return found


def _maximal(phrases: list[str]) -> list[str]:
    """Distinct phrases, dropping any contained in a longer one ('patients' in 'patients with DM')."""
    out: list[str] = []
    for phrase in phrases:
        low = phrase.lower()
        if any(re.search(rf"(?<!\w){re.escape(low)}(?!\w)", other.lower()) for other in phrases
               if len(other) > len(phrase)):
            continue
        if low not in {o.lower() for o in out}:
            out.append(phrase)
    return out


def extract_population(sentences: list[Sentence], sizes: list[SampleSize]) -> list[str]:
    """Short population phrases from cue patterns and from person-headed sample units."""
    phrases: list[str] = []
    for sent in sentences:
        if sent.role in POPULATION_ROLES:
            phrases.extend(populations_in(sent.text))
    phrases.extend(s.unit for s in sizes if s.unit and s.unit.split()[-1].lower() in PERSON_HEADS)
    unique = list(dict.fromkeys(p for p in phrases if p and len(p.split()) <= 8))
    return _maximal(unique[:MAX_POPULATION * 4])[:MAX_POPULATION]


# =============================================================================================
# Entry point
# =============================================================================================


def extract_study(sections: list[Section]) -> Study:
    """Design, sample sizes, periods, setting and population of the study the abstract reports."""
    sentences = sentences_of(sections)
    sizes = extract_sample_sizes(sentences)
    study = Study(
        design=extract_design(sentences),
        setting=extract_setting(sentences),
        period=extract_periods(sentences),
        population=extract_population(sentences, sizes),
        sample_sizes=sizes,
    )
    log.debug("study: %d design labels, %d sample sizes, %d periods, %d places",
              len(study.design), len(study.sample_sizes), len(study.period), len(study.setting))
    return study
