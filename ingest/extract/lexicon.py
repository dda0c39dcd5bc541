"""Cue phrases that decide a finding's kind and which sentences are not findings (tables only)."""

from __future__ import annotations

import re


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


RECOMMENDATION = _rx(
    r"\bshould\b", r"\bmust\b", r"\b(?:is|are) (?:also |urgently |still )?(?:needed|required to|warranted)\b",
    r"\bneed(?:s|ed)? to be\b", r"\bwarrant(?:s|ed)? (?:further|additional)\b", r"\brecommend",
    r"\bit (?:may|might|would|could) be (?:beneficial|useful|important|worthwhile) to\b",
    r"\b(?:future|further|more) (?:research|studies|work|trials) (?:is|are|should|will)\b",
    r"\bsupport (?:the )?(?:dissemination|adoption|scale-up|expansion) of\b", r"\bcall for\b",
    r"\bneed for (?:further|more|additional)\b",
)
BARRIER = _rx(
    r"\bbarriers?\b(?! to integration)", r"\bobstacles?\b",
    r"\bchallenges? (?:in|of|to|for|with|include|included|were|was|are|is|remain)\b",
    r"\b(?:fewer|many|key|major|main|several|common|these|significant|reported|faced|face|facing|"
    r"persistent|ongoing) challenges?\b", r"\bhinder", r"\bimped",
    r"\bconstrain", r"\black of\b", r"\black(?:s|ed)?\b(?= \w)", r"\blags? behind\b", r"\bunderdeveloped\b",
    r"\bdifficult(?:y|ies)?\b", r"\breduced the (?:sustainability|ability|capacity|willingness|feasibility)\b",
    r"\bno (?:single|primary|clear|dedicated|shared)\b", r"\binsufficient\b", r"\binadequate\b",
    r"\bfragment", r"\bless likely to (?:be|receive|access|participate|have|use)\b(?!.*\b(?:OR|HR|RR)\b)",
    r"\blimit(?:ed|s|ing)? (?:the|their|its|access|capacity|ability|uptake)\b", r"\bburden",
)
STRATEGY = _rx(
    r"\bstrateg(?:y|ies)\b", r"\b(?:leveraged|leveraging|engaged|adopted|deployed)\b",
    r"\b(?:used|using) (?:\w+ ){0,2}(?:strateg|approach|fund|tool|model|technique|program)",
    r"\bpartnered with\b", r"\bbraided\b", r"\bpairing\b", r"\bkey steps?\b", r"\bexample of\b",
    r"\bable to use\b", r"\bapproach(?:es)? (?:to|for|that)\b", r"\bmodel (?:for|of) (?:care|coordination)\b",
)
FACILITATOR = _rx(
    r"\bfacilitat", r"\benabl", r"\bkey (?:factor|driver|enabler|ingredient)s?\b",
    r"\b(?:is|are|was|were) (?:required|essential|critical|necessary) for (?:effective|successful)\b",
    r"\b(?:pivotal|key|critical|important|central|crucial) role\b", r"\bsubstance of\b",
    r"\bfoundation (?:of|for)\b", r"\bbuilding blocks?\b", r"\bcornerstone\b",
    r"\ban area for better\b",
    r"\bfactors? (?:influencing|that influenced|including|associated with (?:success|sustain))",
    r"\binfluenc(?:ed|ing) (?:the )?(?:sustainability|success|implementation|adoption)\b",
)
OUTCOME = _rx(
    r"\bperceived improvements?\b", r"\bimprov(?:ed|es|ing|ements?)\b", r"\breduc(?:ed|es|tion)\b",
    r"\bincreas(?:ed|es)\b", r"\bdecreas(?:ed|es)\b", r"\blower(?:ed)?\b", r"\bhigher\b",
    r"\b(?:was|were) (?:superior|non-?inferior|more effective|less effective)\b",
    r"\bprovided superior\b", r"\bbenefit(?:ed|ted)\b",
)
RESULT = _rx(
    r"\bassociat(?:ed|ion)\b", r"\bidentified\b", r"\bsignifican", r"\bcorrelat", r"\bpredict",
    r"\bcompared (?:to|with)\b", r"\b\d", r"\bodds\b", r"\brisk\b", r"\bprevalen",
)
# Sentences in results sections that only describe the sample, flow or limitations.
NOT_A_FINDING = _rx(
    r"^(?:a total of |overall,? |in total,? )?[\d,]+ (?:[\w\-]+ ){0,5}(?:were|was) "
    r"(?:included|enrolled|randomi[sz]ed|recruited|analy[sz]ed|identified|screened|eligible)\b",
    r"^(?:a total of )?[\d,]+ (?:[\w\-]+ ){0,5}(?:underwent|met|completed|participated|responded)\b",
    r"\bwere followed (?:up )?for\b", r"^(?:this|our) (?:study|analysis) (?:has|had) (?:several )?limitations?",
    r"^limitations? (?:include|of this)", r"^(?:the )?median follow-up\b",
    r"^(?:©|\(c\)|copyright\b)", r"\(c\) \d{4}", r"\ball rights reserved\b", r"^\(?funded by\b",
    r"^trial registration\b", r"clinicaltrials\.gov", r"^\[author abstract\]", r"\bkey ?words?:",
    r"^(?:%s) (?:[\w\-]+ ){0,5}(?:were|was) (?:evaluated|included|enrolled|followed|recruited|"
    r"interviewed|surveyed)\b" % "|".join(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty thirty forty fifty hundred".split()),
    r"\bwere followed up\b", r"\bmet (?:the )?inclusion criteria\b",
)
ENUM_INTRO_KIND = (
    (re.compile(r"\b(?:barriers?|challenges?|obstacles?)\b", re.I), "barrier"),
    (re.compile(r"\b(?:facilitators?|enablers?|factors)\b", re.I), "facilitator"),
    (re.compile(r"\b(?:strateg(?:y|ies)|approaches|actions|practices)\b", re.I), "strategy"),
    (re.compile(r"\brecommendations?\b", re.I), "recommendation"),
)
PAST_VERB_EXCEPTIONS = frozenset(
    "built made took led sought held gave kept ran paid set put met brought chose began won drew "
    "found bought".split()
)
