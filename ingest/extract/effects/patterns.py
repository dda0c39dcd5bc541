"""Mapping tables and compiled patterns of the effects extractor (tables only: every quantifier
bounded, so matching is linear in the input length)."""

from __future__ import annotations

import re

from ingest.extract.numbers import NUMBER_WORDS, TENS_WORDS

# --------------------------------------------------------------------------------------------
# Mapping tables
# --------------------------------------------------------------------------------------------

# Spoken measure name or symbol (fullmatch, case as written) -> canonical measure. First match wins.
MEASURE_CANON: tuple[tuple[str, str], ...] = (
    (r"(?i:diagnostic\s{1,4}odds\s{1,4}ratios?)|DORs?", "DOR"),
    (r"(?i:adjusted\s{1,4}odds\s{1,4}ratios?)|aORs?|AORs?|adjusted\s{1,4}ORs?", "AOR"),
    (r"(?i:odds\s{1,4}ratios?)|ORs?", "OR"),
    (r"(?i:(?:adjusted\s{1,4})?(?:incidence\s{1,4})?rate\s{1,4}ratios?)|a?IRRs?", "IRR"),
    (r"(?i:(?:adjusted\s{1,4})?(?:risk\s{1,4}ratios?|relative\s{1,4}risks?))|a?RRs?", "RR"),
    (r"(?i:(?:adjusted\s{1,4})?hazard\s{1,4}ratios?)|a?HRs?", "HR"),
    (r"(?i:standardi[sz]ed\s{1,4}mean\s{1,4}differences?)|SMDs?", "SMD"),
    (r"(?i:(?:weighted\s{1,4})?mean\s{1,4}differences?)|W?MDs?", "MD"),
    (r"(?i:area\s{1,4}under\s{1,4}the\s{1,4}"
     r"(?:ROC\s{1,4}|receiver\s{1,4}operating\s{1,4}characteristic\s{1,4})?curve)|AUCs?|AUROCs?",
     "AUC"),
    (r"(?i:accuracy)", "accuracy"),
    (r"(?i:sensitivity)", "sensitivity"),
    (r"(?i:specificity)", "specificity"),
    (r"(?i:positive\s{1,4}predictive\s{1,4}value)|PPV", "PPV"),
    (r"(?i:negative\s{1,4}predictive\s{1,4}value)|NPV", "NPV"),
    (r"ICCs?", "ICC"),
    (r"(?i:kappa)|κ", "kappa"),
    (r"(?i:cronbach'?s?\s{1,4})?(?:alpha|α)", "alpha"),
    (r"(?:partial\s{1,4})?(?:η[pP]?(?:2|²)|η_p(?:2|²)|eta(?:2|²)|eta\s{1,4}squared)", "eta2"),
    (r"R(?:2|²)", "R2"),
    (r"(?:(?:median|mean|pooled|average)\s{1,4})?(?:r|rs|ρ|rho|Spearman'?s\s{1,4}rho)", "r"),
    (r"\|d\|s?|d(?:RM|rm|z|av)?s?|Cohen'?s\s{1,4}d", "d"),
    (r"Hedges'?\s{0,4}g|g", "g"),
    (r"β|beta|B|b", "b"),
)

# Measures spoken as words or abbreviations; flexible connectors ("OR, 1.14", "of", "was").
WORD_MEASURES: str = (
    r"(?i:diagnostic\s{1,4}odds\s{1,4}ratios?|adjusted\s{1,4}odds\s{1,4}ratios?|odds\s{1,4}ratios?"
    r"|(?:adjusted\s{1,4})?incidence\s{1,4}rate\s{1,4}ratios?"
    r"|(?:adjusted\s{1,4})?rate\s{1,4}ratios?"
    r"|(?:adjusted\s{1,4})?risk\s{1,4}ratios?|(?:adjusted\s{1,4})?relative\s{1,4}risks?"
    r"|(?:adjusted\s{1,4})?hazard\s{1,4}ratios?|standardi[sz]ed\s{1,4}mean\s{1,4}differences?"
    r"|(?:weighted\s{1,4})?mean\s{1,4}differences?"
    r"|area\s{1,4}under\s{1,4}the\s{1,4}"
    r"(?:ROC\s{1,4}|receiver\s{1,4}operating\s{1,4}characteristic\s{1,4})?curve"
    r"|(?:diagnostic\s{1,4})?accuracy|sensitivity|specificity|positive\s{1,4}predictive\s{1,4}value"
    r"|negative\s{1,4}predictive\s{1,4}value|kappa|cronbach'?s?\s{1,4}(?:alpha|α))"
    r"|adjusted\s{1,4}ORs?|aIRRs?|IRRs?|aRRs?|RRs?|aHRs?|HRs?|aORs?|AORs?|DORs?|ORs?"
    r"|SMDs?|WMDs?|MDs?"
    r"|AUROCs?|AUCs?|ICCs?|PPV|NPV|κ"
)

# Symbols that need an "=" after them to count ("r = 0.45", "β = 0.21", "dRM = −0.61").
SYMBOL_MEASURES: str = (
    r"(?:(?:median|mean|pooled|average)\s)?(?:r|rs|ρ|rho|Spearman'?s\s{1,4}rho)"
    r"|\|d\|s?|Cohen'?s\s{1,4}d|d(?:RM|rm|z|av)?s?|Hedges'?\s{0,4}g|g"
    r"|β|beta|B|b|α|alpha|Cronbach'?s\s{1,4}(?:alpha|α)"
    r"|(?:partial\s{1,4})?(?:η[pP]?(?:2|²)|η_p(?:2|²)|eta(?:2|²))|R(?:2|²)"
)

# Ratio-like measures: a bare "0.83 (95% CI ...)" after one of these inherits it.
INHERITABLE: frozenset[str] = frozenset(
    {"OR", "AOR", "DOR", "RR", "IRR", "HR", "MD", "SMD", "b", "r", "d", "g", "AUC", "ICC"}
)

P_RELATIONS: dict[str, str] = {
    "=": "=", "<": "<", ">": ">", "≤": "<=", "≥": ">=", "<=": "<=", ">=": ">=", "=<": "<=",
    "=>": ">=", "&lt;": "<", "&gt;": ">", "&le;": "<=", "&ge;": ">=", "&lt;=": "<=", "&gt;=": ">=",
    "≦": "<=", "≧": ">=", "of": "=", "was": "=",
}

# Nouns naming countable units of observation: "22 pilots", "Three pilots", "10 deaths".
COUNT_NOUNS: tuple[str, ...] = (
    "pilots?", "patients?", "participants?", "respondents?", "subjects?", "persons?", "people",
    "individuals?", "child(?:ren)?", "adolescents?", "adults?", "women", "men", "woman", "man",
    "girls?", "boys?", "infants?", "veterans?", "users?", "non-?users?", "cases?", "deaths?",
    "events?", "sites?", "hospitals?", "clinics?", "practices?", "organi[sz]ations?", "providers?",
    "physicians?", "nurses?", "students?", "famil(?:y|ies)", "households?", "members?",
    "employees?", "counties", "programs?", "programmes?", "pregnancies", "births?", "admissions?",
    "visits?", "infections?", "relapses?", "recurrences?", "complications?", "cysts?", "lesions?",
    "tumou?rs?", "survivors?", "smokers?", "caregivers?", "mothers?", "fathers?", "parents?",
)

# Verbs whose subject is a bare count: "503 reported CAM use", "172 had never used".
COUNT_VERBS: tuple[str, ...] = (
    "reported", "had", "did", "used", "received", "underwent", "died", "developed", "showed",
    "chose", "decided", "sustained", "achieved", "completed", "experienced", "required", "agreed",
    "indicated", "remained", "discontinued", "stopped", "relapsed", "improved", "declined",
    "refused", "preferred", "endorsed", "stated", "described", "felt", "believed", "continued",
)

# Words just before a count that make it a denominator or a sample size ("Of 26 pilots").
COUNT_BLOCKERS: str = (
    r"(?:\b(?:[Oo]f|[Pp]er|[Aa]ll|[Ff]ollow(?:ed)?|[Aa]mong|[Aa]mongst|[Aa]cross|[Ff]rom"
    r"|[Tt]otal\s{1,4}of|[Tt]here\s{1,4}(?:were|are|was)|[Ee]nrolled|[Rr]ecruited|[Ii]ncluded"
    r"|[Ss]urveyed|[Ii]nterviewed)|[nN]\s{0,4}=)\s{0,4}$"
)

# Words before "(NN%)" that end a list item (the item is what follows them).
LIST_CUTS: str = r"\b(?:were|was|are|is|included|including|as|namely|i\.e\.|e\.g\.)\s{1,4}"
LIST_ITEM_LEADERS: str = r"^(?:and|or|then)\s{1,4}"

# Units after a number that mean a measured quantity (a mean or median when the sentence says so).
UNITS: str = (
    r"mm\s{0,4}Hg|mmHg|mg/d[lL]|mmol/[lL]|kg/m2|kg/m²|μmol/[lL]|µmol/[lL]|ng/m[lL]|pg/m[lL]"
    r"|IU/[lL]"
    r"|bpm|kcal|cm|mm|km|kg|mg|μg|µg|mcg|ng|m[lL]|dL|L|g"
)

# Keywords that make bare numbers later in the sentence means, medians or rates.
CONTEXT_MEASURES: tuple[tuple[str, str], ...] = (
    (r"median", "median"), (r"mean|average", "mean"), (r"rates?|incidence", "rate"),
)

# Words that are not subgroups when they sit right before a measure ("adjusted OR 1.5").
SUBGROUP_STOP: frozenset[str] = frozenset({
    "adjusted", "unadjusted", "crude", "pooled", "overall", "summary", "combined", "an", "a", "the",
    "and", "or", "with", "respective", "corresponding", "multivariable", "multivariate",
    "univariable", "univariate", "hence", "ie", "eg", "i.e", "e.g", "both", "all", "each", "its",
    "their", "this", "these", "that", "of", "for", "in", "was", "were", "is", "are", "by",
    "whose", "estimated", "partial", "median", "mean", "total", "model",
})

# Trailing words dropped from arm / stratum subgroups ("budesonide maintenance therapy").
SUBGROUP_TAIL: str = r"\s{1,4}(?:therapy|treatment|group|groups|arm|arms|patients|participants)$"

# Gates: lower-case substrings, one of which must occur in a text for a pass to find anything.
Gate = tuple[str, ...]
GATE_DIGIT: Gate = tuple("0123456789")
GATE_LETTER: Gate = tuple("abcdefghijklmnopqrstuvwxyz")
GATE_PERCENT: Gate = ("%", "percent", "per cent")
GATE_PROPORTION: Gate = ("in", "out of")
GATE_PER: Gate = ("per",)
GATE_CI: Gate = ("ci", "c.i.", "confiden", "credib")
GATE_N: Gate = ("n",)
GATE_THRESHOLD: Gate = (
    "<", ">", "≤", "≥", "≦", "≧", "&lt", "&gt", "&le", "&ge", "than", "at ",
)
GATE_YEAR: Gate = ("19", "20")
GATE_TIME: Gate = ("day", "week", "month", "year", "yr", "hour", "hr", "min", "second", "decade")
GATE_CONTEXT: Gate = ("median", "mean", "average", "rate", "incidence")

# Priorities: lower wins when spans overlap. Blocks produce no effect.
PRIO_BLOCK_N, PRIO_NAMED, PRIO_P, PRIO_BLOCK_THRESHOLD = 0, 1, 2, 3
PRIO_PROPORTION, PRIO_PERCENT, PRIO_BARE_CI, PRIO_BLOCK_SOFT = 4, 5, 6, 7
PRIO_CONTEXT, PRIO_COUNT = 8, 9

# --------------------------------------------------------------------------------------------
# Pattern pieces (every quantifier bounded)
# --------------------------------------------------------------------------------------------

_S = r"\s{0,4}"
_S1 = r"\s{1,4}"
_INT = r"(?:[0-9]{1,3}(?:,[0-9]{3}){1,4}|[0-9]{1,12})(?![0-9])"
_UNUM = rf"(?:{_INT}(?:\.[0-9]{{1,12}}(?![0-9]))?|\.[0-9]{{1,12}}(?![0-9]))"
_NUM = rf"(?:[-−]{_S})?{_UNUM}"
# Each pattern opens with a one-character look-ahead so the engine rejects most positions fast.
_AT_NUM = r"(?=[-−0-9.])"
_START = r"(?<![\w.])(?<![0-9],)(?<![A-Za-z]-)"  # a number starts here, not inside a token
_DASH = r"(?:to|-|–|—|‒)"
_SEP = r"(?:to|-|–|—|‒|,|;)"
_REL = r"(?:&lt;=|&gt;=|&lt;|&gt;|&le;|&ge;|<=|>=|=<|=>|≤|≥|≦|≧|<|>|=)"
_SCI = (
    r"(?:\s{0,2}[×x*·]\s{0,2}10\s{0,2}(?:\^|<sup>)?\s{0,2}[-−–]?\s{0,2}[0-9]{1,3}(?:</sup>)?"
    r"|[eE][-−]?[0-9]{1,3})?"
)
_ONES = "|".join(sorted((w for w in NUMBER_WORDS if w != "zero"), key=len, reverse=True))
_TENS = "|".join(TENS_WORDS)
_WORDNUM = rf"(?i:\b(?:(?:{_TENS})(?:[-\s](?:{_ONES}))?|{_ONES})\b)"
_AT_WORDNUM = r"(?=[eEfFnNoOsStT])(?<![\w-])"  # first letters of the number words


def _p_clause(sfx: str, trend: bool = False) -> str:
    """A p-value: 'P=0.046', 'p &lt; .001', 'p-value of 0.03'; with trend, 'P for trend < 0.01'.

    Only stand-alone p-values may be trend tests: a p-trend shared by several estimates is never
    bundled into the estimate before it."""
    trend_part = (
        rf"(?P<trend{sfx}>{_S}[-_]?{_S}(?i:for{_S1}trend|trend|for{_S1}interaction|interaction"
        rf"|for{_S1}heterogeneity))?" if trend else ""
    )
    return (
        rf"(?<![\w])[Pp]{trend_part}(?:{_S}[-_]?{_S}(?i:values?))?"
        rf"{_S}(?P<rel{sfx}>{_REL}|of|was){_S}(?P<p{sfx}>{_UNUM}{_SCI})"
    )


def _ci_clause(sfx: str) -> str:
    """A CI with its keyword: '95% CI 2.5-16.4', '95% confidence interval [CI], 1.00 to 1.30'."""
    return (
        rf"(?:(?P<lvl{sfx}>[0-9]{{2}}(?:\.[0-9])?){_S}(?:%|percent|per\s?cent){_S}-?{_S})?"
        rf"(?:CIs?|CrI|C\.I\.|(?i:confidence{_S1}intervals?|credible{_S1}intervals?))"
        rf"(?:{_S}[(\[]{_S}CI{_S}[)\]])?(?:{_S}(?P<lvb{sfx}>[0-9]{{2}}){_S}%)?"
        rf"{_S}[,:=]?{_S}(?:of\s)?{_S}(?P<ob{sfx}>[(\[]{_S})?"
        rf"(?P<lo{sfx}>{_NUM}){_S}%?{_S}{_SEP}{_S}(?P<hi{sfx}>{_NUM}){_S}%?"
        rf"(?(ob{sfx}){_S}[)\]])"
    )


def _bare_ci(sfx: str) -> str:
    """A CI without keyword in brackets right after an estimate: '(1.1–1.6)', '[1.2, 1.9]'."""
    return rf"(?P<lo{sfx}>{_NUM}){_S}{_SEP}{_S}(?P<hi{sfx}>{_NUM})"


def _ci_tail(named: bool) -> str:
    """What may follow an estimate: a CI (own or bracketed), bundled SE/Z stats and a p-value."""
    bare = (
        rf"|{_bare_ci('c')}(?:{_S}[,;]{_S}{_p_clause('a')})?{_S}[)\]]"  # '(1.1-1.6, p=.01)'
        rf"|{_p_clause('q')}{_S}[)\]]"  # 'OR=1.57 (P=0.06)'
    ) if named else ""
    return (
        rf"(?:{_S}[,;]?{_S}{_ci_clause('a')}"
        rf"|{_S}[(\[]{_S}(?:{_ci_clause('b')}(?:{_S}[,;]{_S}{_p_clause('b')})?(?:{_S}[)\]])?"
        rf"{bare}))"
    )


_STATS = (
    rf"(?:{_S}[,;]{_S}(?:SE|SD|se|Z|z|t|F|Wald)(?:{_S}\([0-9.,\s]{{1,12}}\))?{_S}={_S}{_NUM})"
    r"{0,3}"
)
_TRAIL_P = rf"(?:{_S}[,;]{_S}{_p_clause('t')})?"
_PER = r"(?:\s{1,3}per\s[^,;()\[\]]{1,30}?(?=[,;()\[\]]|$))?"
_VALUE = (
    rf"(?:(?i:between){_S1}(?P<va>{_NUM}){_S}%?{_S1}and{_S1}(?P<vb>{_NUM})"
    rf"|(?P<v1>{_NUM})(?:{_S}%)?(?:{_S}{_DASH}{_S}(?P<v2>{_NUM}))?)(?:{_S}%)?"
)
_WORD_CONN = (
    rf"(?:{_S}[(\[]{_S}[A-Za-z]{{1,6}}{_S}[)\]])?"
    rf"(?:{_S}(?:=|:|,|≈|(?i:of|was|were|is|are|ranged{_S1}from|ranging{_S1}from|from)(?![\w])))"
    rf"{{0,2}}{_S}"
)
_SYMBOL_CONN = rf"(?:{_S}\([0-9]{{1,6}}\))?{_S}={_S}"

NAMED_RE = re.compile(
    rf"(?=[A-Za-z|βαηρκ])(?<![\w|])(?:(?P<wm>{WORD_MEASURES})(?![\w]){_WORD_CONN}"
    rf"|(?P<sm>{SYMBOL_MEASURES})(?![\w]){_SYMBOL_CONN})"
    rf"{_VALUE}{_PER}(?:{_ci_tail(True)})?{_STATS}{_TRAIL_P}"
)
P_RE = re.compile(r"(?=[Pp])" + _p_clause("s", trend=True))
PERCENT_RE = re.compile(
    rf"{_AT_NUM}{_START}"
    rf"(?:(?P<v1>{_NUM})(?={_S}[-–—‒t%pP]){_S}(?:%|percent|per\s?cent)?{_S}{_DASH}{_S})?"
    rf"(?P<v2>{_NUM})(?={_S}[%pP]){_S}(?:%|(?i:percent|per\s?cent)(?![\w]))"
    # not the level of an interval: '95% CI', '95% confidence', '90% PI'
    rf"(?!{_S}-?{_S}[CcPpUu](?:Is?\b|rI|\.I\.|I\b|(?i:onfiden|redib|redict|ncertaint)))"
    rf"(?:(?={_S}[,;(\[]){_ci_tail(False)})?"
)
WORD_PERCENT_RE = re.compile(
    rf"{_AT_WORDNUM}(?P<w>{_WORDNUM}){_S1}(?i:percent|per\s?cent)(?![\w])"
)
_PROPORTION_TAIL = (
    rf"{_S1}(?:in|out{_S1}of){_S1}(?:(?P<b>[0-9]{{1,7}})(?![0-9.,])|(?P<bw>{_WORDNUM}))"
)
PROPORTION_RES = (
    re.compile(rf"{_AT_NUM}{_START}(?P<a>[0-9]{{1,6}}){_PROPORTION_TAIL}"),
    re.compile(rf"{_AT_WORDNUM}(?P<aw>{_WORDNUM}){_PROPORTION_TAIL}"),
)
RATE_PER_RE = re.compile(
    rf"{_AT_NUM}{_START}(?P<v>{_NUM}){_S1}per{_S1}(?P<d>{_INT})"
    rf"(?:[\s-]{{1,3}}(?!and\b|or\b|with\b|in\b)[A-Za-z][\w]{{0,20}}(?:-[A-Za-z][\w]{{0,20}})?)?"
    rf"(?![\w-])"
)
BARE_CI_RE = re.compile(
    rf"{_AT_NUM}{_START}(?P<v1>{_NUM})(?!{_S}%)(?={_S}[,;(\[0-9Cc])(?:{_ci_tail(False)}){_TRAIL_P}"
)
N_BLOCK_RE = re.compile(rf"(?=[nN])(?<![\w])[nN]{_S}[=:]{_S}{_INT}")
THRESHOLD_RE = re.compile(
    rf"(?=[<>≤≥≦≧&gGlLhHaA])(?:(?<![\w;&])(?:&lt;=?|&gt;=?|&le;|&ge;|[<>]=?|[≤≥≦≧])"
    rf"|(?i:\b(?:greater|less|higher|lower){_S1}than|\bat{_S1}(?:least|most))){_S}{_NUM}{_S}%?"
)
YEAR_BLOCK_RE = re.compile(
    rf"(?=[12]){_START}(?:19|20)[0-9]{{2}}(?:{_S}[-–/]{_S}(?:19|20)?[0-9]{{2}})?"
    rf"(?![0-9]|\.[0-9]|,[0-9])"
)
DURATION_BLOCK_RE = re.compile(
    rf"{_AT_NUM}{_START}{_NUM}(?:{_S}{_DASH}{_S}{_NUM})?{_S}-?{_S}(?=[dDwWmMyYhHsS])"
    rf"(?i:days?|weeks?|months?|years?"
    rf"|yrs?|hours?|hrs?|minutes?|mins?|seconds?|decades?)(?![\w])"
)
_NOUNS = "|".join(COUNT_NOUNS)
_COUNT_NOUN_TAIL = (
    # up to two modifiers ("22 SSO employee respondents"), but no plural noun ("two key steps")
    rf"(?:{_S1}(?!(?:and|or|of)\b|[a-z][\w-]{{0,28}}[^su\W]s(?![\w-]))[A-Za-z][\w-]{{0,30}})"
    rf"{{0,2}}?{_S1}(?:{_NOUNS})(?![\w-])"
)
_COUNT_VERB_TAIL = (
    rf"{_S1}(?:{'|'.join(COUNT_VERBS)})(?![\w])"
    rf"[^,;:.()\[\]]{{0,60}}?(?=\s(?:and|but|while|whereas)\s|[,;:.()\[\]]|$)"
)
_COUNT_DIGITS = rf"{_AT_NUM}{_START}(?P<n>{_INT})"
_COUNT_WORDS = rf"{_AT_WORDNUM}(?P<w>{_WORDNUM})"
COUNT_RES = tuple(
    re.compile(head + tail)
    for head in (_COUNT_DIGITS, _COUNT_WORDS) for tail in (_COUNT_NOUN_TAIL, _COUNT_VERB_TAIL)
)
COUNT_EXCEPT_RE = re.compile(
    rf"(?=[nNaA])(?i:\b(?:none|all|neither){_S1}of{_S1}the{_S1}[A-Za-z][\w-]{{0,30}}"
    rf"{_S1}(?:except|but))"
    rf"{_S1}(?:(?P<n>{_INT})|(?P<w>{_WORDNUM}))"
)
CONTEXT_NUM_RE = re.compile(
    rf"{_AT_NUM}{_START}(?P<v>{_NUM})(?!{_S}(?:%|percent|[0-9]))"
    rf"(?:{_S}(?:±|\+/-|\+-){_S}{_NUM})?(?P<unit>{_S}(?=[^\W\d_])(?:{UNITS})(?![\w/]))?"
    rf"(?P<with>\s{{1,3}}(?:with|in|for|among|on)\s{{1,3}}(?P<arm>(?:the\s)?[^\W\d][\w-]{{0,30}}"
    rf"(?:\s(?!and\b|or\b|but\b|vs\b|versus\b|than\b)[^\W\d][\w-]{{0,30}}){{0,4}}))?"
)
CONTEXT_KEY_RE = re.compile(
    rf"(?i:\b(?P<k>{'|'.join(k for k, _ in CONTEXT_MEASURES)})\b(?!{_S1}(?:differences?|ratios?)))"
)
CONTEXT_LEAD_RE = re.compile(r"(?i:(?:\b(?:was|were|is|are|of|at|to)|[=:]))\s{0,3}$")
SUBGROUP_BEFORE_RE = re.compile(r"(?:^|[(\[;:,])\s{0,3}([A-Za-z][\w-]{1,30})\s{1,3}$")
COUNT_BLOCKERS_RE = re.compile(COUNT_BLOCKERS)
_MEASURE_CANON_RE = tuple((re.compile(p), c) for p, c in MEASURE_CANON)
_LIST_CUTS_RE = re.compile(LIST_CUTS)
_LIST_LEADERS_RE = re.compile(LIST_ITEM_LEADERS, re.IGNORECASE)
_SUBGROUP_TAIL_RE = re.compile(SUBGROUP_TAIL, re.IGNORECASE)

