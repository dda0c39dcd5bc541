"""Lexicons and gazetteers of the study-facts extractor (tables only): roles that feed each field,
design and unit vocabularies, places, period context."""

from __future__ import annotations

import re

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
