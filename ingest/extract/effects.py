"""Quantitative effects in a sentence: ratios with CIs, ranges over models, percents, counts, p.

`effect_spans(text)` finds every statistic the findings guideline (tests/gold/findings/GUIDELINE.md)
counts as an effect and returns its character span with a `kb.model.schema.Effect` whose `text` is the
verbatim substring; `parse_effects(text)` returns just the effects, in text order.

How it works: several independent regex passes propose *candidates* (a span, a priority and the
Effect fields). Spans that are not effects (sample sizes "n = 221", thresholds ">50%", years,
durations) are proposed as *blocks*. Candidates are accepted by priority, then position, and any
candidate overlapping an accepted span is dropped. A few passes then fill in context: a bare
"0.83 (95% CI ...)" inherits the measure of the preceding ratio, a p-value sharing a parenthesis
with exactly one estimate is attached to it, and "diet-based (30.7%), body-based (25.1%)" lists give
their items as subgroups.

Every quantifier in the patterns is bounded, so matching is linear in the input length, and no
exception escapes `effect_spans` for any string.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from kb.model.schema import Effect

log = logging.getLogger(__name__)

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

NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS_WORDS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
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
_ONES = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
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
SENTENCE_END_RE = re.compile(
    r"(?=[.!?\n])(?:(?<!\bvs)(?<!\be\.g)(?<!\bi\.e)(?<!\bal)[.!?](?=\s{1,4}[A-Z\"(\[])"
    r"|\n\s{0,4}\n)"
)
SUBGROUP_BEFORE_RE = re.compile(r"(?:^|[(\[;:,])\s{0,3}([A-Za-z][\w-]{1,30})\s{1,3}$")
COUNT_BLOCKERS_RE = re.compile(COUNT_BLOCKERS)
_MEASURE_CANON_RE = tuple((re.compile(p), c) for p, c in MEASURE_CANON)
_LIST_CUTS_RE = re.compile(LIST_CUTS)
_LIST_LEADERS_RE = re.compile(LIST_ITEM_LEADERS, re.IGNORECASE)
_SUBGROUP_TAIL_RE = re.compile(SUBGROUP_TAIL, re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------------------------


@dataclass
class Candidate:
    """A proposed effect (or a block when `measure` is None and `block` is set)."""

    start: int
    end: int
    prio: int
    measure: str | None = None
    fields: dict = field(default_factory=dict)
    block: bool = False
    inherit: bool = False
    trend: bool = False


def _num(raw: str | None) -> float | None:
    """'−2.3' -> -2.3, '247,887' -> 247887.0, '.03' -> 0.03, '3 × 10−5' -> 3e-05; else None."""
    if not raw:
        return None
    if raw.isascii() and raw.replace(".", "", 1).isdigit():
        return float(raw)  # fast path: plain '12' or '0.47'
    s = re.sub(r"\s", "", raw).replace("−", "-").replace(",", "").replace("<sup>", "")
    s = s.replace("</sup>", "")
    sci = re.match(r"^(-?[0-9.]{1,30})[×x*·]10\^?([-–]?[0-9]{1,3})$", s)
    if sci:
        s = f"{sci.group(1)}e{sci.group(2).replace('–', '-')}"
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _word_num(raw: str | None) -> int | None:
    """'Three' -> 3, 'twenty-five' -> 25."""
    if not raw:
        return None
    total = 0
    for part in re.split(r"[-\s]{1,4}", raw.lower()):
        total += NUMBER_WORDS.get(part, 0) + TENS_WORDS.get(part, 0)
    return total or None


def _canonical_measure(raw: str) -> str:
    """Canonical measure name of a matched measure word or symbol."""
    raw = re.sub(r"\s{1,4}", " ", raw.strip())
    for pattern, canonical in _MEASURE_CANON_RE:
        if pattern.fullmatch(raw):
            return canonical
    return raw


def _first(groups: dict[str, str | None], *names: str) -> str | None:
    """The first non-empty group among names."""
    for name in names:
        if groups.get(name):
            return groups[name]
    return None


def _ci_fields(g: dict[str, str | None]) -> dict:
    """ci_low/ci_high/ci_level and p/p_relation from the CI and p groups of a match."""
    out: dict = {}
    if not any(g.get(k) for k in ("loa", "lob", "loc", "pa", "pb", "pq", "pt")):
        return out
    lo, hi = _num(_first(g, "loa", "lob", "loc")), _num(_first(g, "hia", "hib", "hic"))
    if lo is not None and hi is not None:
        out["ci_low"], out["ci_high"] = min(lo, hi), max(lo, hi)
        out["ci_level"] = _num(_first(g, "lvla", "lvlb", "lvba", "lvbb"))
    p = _num(_first(g, "pa", "pb", "pq", "pt"))
    rel = _first(g, "rela", "relb", "relq", "relt")
    if p is not None and rel:
        out["p"], out["p_relation"] = p, P_RELATIONS.get(rel.strip(), "=")
    return out


def _range(v1: float | None, v2: float | None) -> dict:
    """value / value_high of a value or a range, lower first."""
    if v1 is not None and v2 is not None:
        return {"value": min(v1, v2), "value_high": max(v1, v2)}
    return {"value": v1 if v1 is not None else v2}


def _named(text: str) -> Iterator[Candidate]:
    """'OR 6.4, 95% CI 2.5-16.4', 'Manager OR 1.76 to 2.85', 'β = 0.21', 'HR 0.72 (1.1-1.6)'."""
    for m in NAMED_RE.finditer(text):
        g = m.groupdict()
        v1, v2 = _num(_first(g, "va", "v1")), _num(_first(g, "vb", "v2"))
        if v1 is None:
            continue
        fields = {**_range(v1, v2), **_ci_fields(g)}
        if fields.get("value_high") is not None and "ci_low" in fields:
            continue  # "OR 1.2-1.5 (1.0-2.0)" is ambiguous; let other readings try
        measure = _canonical_measure(_first(g, "wm", "sm") or "")
        start = m.start()
        sub = _subgroup_before(text, start)
        if sub:
            fields["subgroup"], start = sub
        yield Candidate(start, m.end(), PRIO_NAMED, measure, fields)


def _subgroup_before(text: str, start: int) -> tuple[str, int] | None:
    """'(Manager OR ...' -> ('Manager', start of 'Manager'): one word opening a clause."""
    window = text[max(0, start - 40):start]
    m = SUBGROUP_BEFORE_RE.search(window)
    if not m or m.group(1).lower().rstrip(".") in SUBGROUP_STOP:
        return None
    return m.group(1), start - len(window) + m.start(1)


def _p_values(text: str) -> Iterator[Candidate]:
    """Stand-alone p-values: measure 'p', value None."""
    for m in P_RE.finditer(text):
        p = _num(m.group("ps"))
        if p is None:
            continue
        rel = P_RELATIONS.get(m.group("rels"), "=")
        yield Candidate(m.start(), m.end(), PRIO_P, "p", {"p": p, "p_relation": rel},
                        trend=bool(m.group("trends")))


def _percents(text: str) -> Iterator[Candidate]:
    """'66%', '(72%)', '10–20%', '38.9% (95% CI 28.6 to 49.8)', 'Seventy percent'."""
    for m in PERCENT_RE.finditer(text):
        g = m.groupdict()
        fields = {**_range(_num(g["v1"]), _num(g["v2"])), **_ci_fields(g)}
        if fields.get("value") is not None:
            yield Candidate(m.start(), m.end(), PRIO_PERCENT, "percent", fields)
    for m in WORD_PERCENT_RE.finditer(text):
        yield Candidate(m.start(), m.end(), PRIO_PERCENT, "percent",
                        {"value": float(_word_num(m.group("w")) or 0)})


def _proportions(text: str) -> Iterator[Candidate]:
    """'1 in 5' -> proportion 0.2; 'one out of four' -> 0.25."""
    for regex in PROPORTION_RES:
        for m in regex.finditer(text):
            g = m.groupdict()
            a = _num(g["a"]) if g.get("a") else _word_num(g.get("aw"))
            b = _num(g["b"]) if g.get("b") else _word_num(g.get("bw"))
            if not a or not b or a > b or 1900 <= b <= 2100:
                continue
            yield Candidate(m.start(), m.end(), PRIO_PROPORTION, "proportion",
                            {"value": round(a / b, 4)})


def _rates_per(text: str) -> Iterator[Candidate]:
    """'5.2 per 1000 person-years' -> rate 5.2."""
    for m in RATE_PER_RE.finditer(text):
        value = _num(m.group("v"))
        if value is not None:
            yield Candidate(m.start(), m.end(), PRIO_PROPORTION, "rate", {"value": value})


def _bare_cis(text: str) -> Iterator[Candidate]:
    """'0.83 (95% CI, 0.59 to 1.16)': the measure is filled in later from context."""
    for m in BARE_CI_RE.finditer(text):
        g = m.groupdict()
        fields = {"value": _num(g["v1"]), **_ci_fields(g)}
        if fields["value"] is not None and "ci_low" in fields:
            yield Candidate(m.start(), m.end(), PRIO_BARE_CI, None, fields, inherit=True)


def _blocks(regex: re.Pattern[str], prio: int) -> Callable[[str], Iterator[Candidate]]:
    """A pass proposing the matches of regex as spans that are not effects."""

    def run(text: str) -> Iterator[Candidate]:
        for m in regex.finditer(text):
            yield Candidate(m.start(), m.end(), prio, block=True)

    return run


def _count_value(m: re.Match[str]) -> float | None:
    """The count of a count match: digits or number words."""
    g = m.groupdict()
    if g.get("n"):
        return _num(g["n"])
    value = _word_num(g.get("w"))
    return float(value) if value else None


def _counts(text: str) -> Iterator[Candidate]:
    """'22 pilots', 'Three pilots', '503 reported CAM use', 'none of the patients except 1'."""
    for m in COUNT_EXCEPT_RE.finditer(text):
        value = _count_value(m)
        if value is not None:
            yield Candidate(m.start(), m.end(), PRIO_PROPORTION, "count", {"value": value})
    for regex in COUNT_RES:
        for m in regex.finditer(text):
            value = _count_value(m)
            if value is None or COUNT_BLOCKERS_RE.search(text[max(0, m.start() - 24):m.start()]):
                continue
            end = m.start() + len(m.group(0).rstrip())
            yield Candidate(m.start(), end, PRIO_COUNT, "count", {"value": value})


class _Sentences:
    """Sentence boundaries of a text, for context look-ups limited to one sentence."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends = [m.end() for m in SENTENCE_END_RE.finditer(text)]

    def start_of(self, pos: int) -> int:
        """Start offset of the sentence holding pos."""
        i = bisect.bisect_right(self.ends, pos) - 1
        return self.ends[i] if i >= 0 else 0

    def index_of(self, pos: int) -> int:
        """Sentence number of pos."""
        return bisect.bisect_right(self.ends, pos)


def _context_measure(sentences: _Sentences, pos: int) -> str | None:
    """The mean/median/rate keyword closest before pos in its sentence (≤ 400 chars back)."""
    start = max(sentences.start_of(pos), pos - 400)
    last = None
    for m in CONTEXT_KEY_RE.finditer(sentences.text, start, pos):
        last = m.group("k").lower()
    if last is None:
        return None
    for pattern, measure in CONTEXT_MEASURES:
        if re.fullmatch(pattern, last):
            return measure
    return None


def _context_stats(text: str, sentences: _Sentences) -> Iterator[Candidate]:
    """'57 μg', '0.20 with terbutaline', 'was 3.4' in a sentence about a mean, median or rate."""
    for m in CONTEXT_NUM_RE.finditer(text):
        lead = CONTEXT_LEAD_RE.search(text[max(0, m.start() - 12):m.start()])
        if not (m.group("unit") or m.group("with") or lead):
            continue
        measure = _context_measure(sentences, m.start())
        value = _num(m.group("v"))
        if measure is None or value is None:
            continue
        fields: dict = {"value": value}
        if m.group("with"):
            fields["subgroup"] = _clean_subgroup(m.group("arm"))
        end = m.end() if (m.group("with") or m.group("unit")) else m.end("v")
        yield Candidate(m.start(), end, PRIO_CONTEXT, measure, fields)


def _clean_subgroup(raw: str) -> str | None:
    """'the budesonide maintenance therapy' -> 'budesonide maintenance'."""
    s = re.sub(r"^(?:the|a|an)\s{1,4}", "", raw.strip(), flags=re.IGNORECASE)
    s = _SUBGROUP_TAIL_RE.sub("", s).strip()
    return s or None


# --------------------------------------------------------------------------------------------
# Selection and context passes
# --------------------------------------------------------------------------------------------


def _passes(sentences: _Sentences) -> tuple[tuple[Gate, Callable], ...]:
    """(gate, pass) pairs: a pass runs only when its gate occurs somewhere in the text."""
    return (
        (GATE_DIGIT, _named), (GATE_DIGIT, _p_values), (GATE_PERCENT, _percents),
        (GATE_PROPORTION, _proportions), (GATE_PER, _rates_per), (GATE_CI, _bare_cis),
        (GATE_N, _blocks(N_BLOCK_RE, PRIO_BLOCK_N)),
        (GATE_THRESHOLD, _blocks(THRESHOLD_RE, PRIO_BLOCK_THRESHOLD)),
        (GATE_YEAR, _blocks(YEAR_BLOCK_RE, PRIO_BLOCK_SOFT)),
        (GATE_TIME, _blocks(DURATION_BLOCK_RE, PRIO_BLOCK_SOFT)),
        (GATE_LETTER, _counts), (GATE_CONTEXT, lambda text: _context_stats(text, sentences)),
    )


def _candidates(text: str, sentences: _Sentences) -> list[Candidate]:
    """All candidates of all passes; a pass that fails is logged and skipped."""
    out: list[Candidate] = []
    lowered = text.lower()
    for gate, run in _passes(sentences):
        if not any(needle in lowered for needle in gate):
            continue
        try:
            out.extend(run(text))
        except Exception:  # a bug in one pass must not lose the others
            log.exception("effect pass failed on text of length %d", len(text))
    return out


def _select(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Accept candidates by priority, then position, longest first; drop overlaps and blocks."""
    taken = bytearray(len(text) + 1)
    kept: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.prio, c.start, c.start - c.end)):
        if c.end <= c.start or any(taken[c.start:c.end]):
            continue
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        if not c.block:
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _resolve_inherited(kept: list[Candidate], sentences: _Sentences) -> None:
    """Give a bare 'value (95% CI ...)' the ratio measure before it in its sentence, else the
    mean/median/rate the sentence is about, else 'count' (people out of a denominator)."""
    last: dict[int, str] = {}
    for c in kept:
        sentence = sentences.index_of(c.start)
        if c.inherit:
            c.measure = (last.get(sentence) or _context_measure(sentences, c.start) or "count")
        if c.measure in INHERITABLE:
            last[sentence] = c.measure


BRACKET_RE = re.compile(r"[()\[\]]")


def _enclosing_brackets(text: str, positions: list[int]) -> list[int]:
    """For each of the sorted positions, the offset of the innermost bracket open there, or -1.

    One sweep over the brackets up to the last position: linear in the text length."""
    out: list[int] = []
    stack: list[int] = []
    brackets = BRACKET_RE.finditer(text, 0, positions[-1] if positions else 0)
    bracket = next(brackets, None)
    for pos in positions:
        while bracket is not None and bracket.start() < pos:
            if bracket.group() in "([":
                stack.append(bracket.start())
            elif stack:
                stack.pop()
            bracket = next(brackets, None)
        out.append(stack[-1] if stack else -1)
    return out


def _attach_bracket_p(text: str, kept: list[Candidate]) -> list[Candidate]:
    """'(p &lt; .001, η2 = 0.069)': a p alone in a bracket with one estimate belongs to it."""
    if not any(c.measure == "p" and not c.trend for c in kept):
        return kept
    groups: dict[int, list[Candidate]] = {}
    for c, group in zip(kept, _enclosing_brackets(text, [c.start for c in kept])):
        if group >= 0:
            groups.setdefault(group, []).append(c)
    dropped: set[int] = set()
    for members in groups.values():
        ps = [c for c in members if c.measure == "p"]
        if len(members) != 2 or len(ps) != 1 or ps[0].trend:
            continue
        p, est = ps[0], next(c for c in members if c is not ps[0])
        if "p" in est.fields:
            continue
        est.fields.update(p=p.fields["p"], p_relation=p.fields["p_relation"])
        est.start, est.end = min(est.start, p.start), max(est.end, p.end)
        dropped.add(id(p))
    return [c for c in kept if id(c) not in dropped]


def _list_item_before(text: str, paren: int) -> str | None:
    """'..., body-based (' -> 'body-based': the list item written before a '(NN%)'."""
    window = text[max(0, paren - 80):paren]
    cut = max(window.rfind(ch) for ch in ",:;()[]")
    item = window[cut + 1:]
    for m in _LIST_CUTS_RE.finditer(item):
        item = item[m.end():]
    item = _LIST_LEADERS_RE.sub("", item.strip()).strip()
    if not item or len(item.split()) > 6 or re.search(r"[0-9%=<>]", item):
        return None
    return item


def _list_subgroups(text: str, kept: list[Candidate], sentences: _Sentences) -> None:
    """'diet-based (30.7%), body-based (25.1%)': list items become the percents' subgroups."""
    items: dict[int, list[tuple[Candidate, str]]] = {}
    for c in kept:
        if c.measure != "percent" or c.start == 0 or text[c.start - 1] != "(":
            continue
        item = _list_item_before(text, c.start - 1)
        if item:
            items.setdefault(sentences.index_of(c.start), []).append((c, item))
    for pairs in items.values():
        if len(pairs) >= 2:
            for c, item in pairs:
                c.fields.setdefault("subgroup", item)


def _to_effect(text: str, c: Candidate) -> tuple[int, int, Effect] | None:
    """The (start, end, Effect) of an accepted candidate, span trimmed of whitespace."""
    start, end = c.start, c.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end or not c.measure:
        return None
    fields = {k: v for k, v in c.fields.items() if v is not None}
    for attempt in (fields, {k: v for k, v in fields.items() if k != "subgroup"}):
        try:
            return start, end, Effect(measure=c.measure, text=text[start:end], **attempt)
        except Exception:  # pydantic validation of an odd field (a lone surrogate) must not escape
            log.warning("effect %r at %d: invalid fields %r", c.measure, start, attempt)
    return None


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def effect_spans(text: str) -> list[tuple[int, int, Effect]]:
    """Every quantitative effect in text as (start, end, Effect), in text order.

    `text[start:end] == effect.text` always holds. Never raises for a str input.
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        sentences = _Sentences(text)
        kept = _select(text, _candidates(text, sentences))
        _resolve_inherited(kept, sentences)
        kept = _attach_bracket_p(text, kept)
        _list_subgroups(text, kept, sentences)
    except Exception:
        log.exception("effect extraction failed on text of length %d", len(text))
        return []
    spans = (_to_effect(text, c) for c in kept)
    return sorted((s for s in spans if s is not None), key=lambda s: (s[0], s[1]))


def parse_effects(text: str) -> list[Effect]:
    """Every quantitative effect in a sentence, in text order, each with its verbatim text."""
    return [effect for _, _, effect in effect_spans(text)]
