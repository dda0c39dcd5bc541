"""Section labels ("OBJECTIVE:", "Methods:", "研究设计/数据收集:") and section roles.

Labelled paragraphs take the role their label names; unlabelled ones get a role inferred from
cue phrases and position, constrained so that roles follow the usual order of an abstract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.model.schema import Section
from kb.text.normalize import CJK_CHARS, has_cjk
from kb.text.roles import CUES, cue_role_scores

CUE_ROLES = tuple(CUES)

# role -> rank in the canonical order of an abstract (equal ranks may interleave)
RANK = {
    "background": 0, "objective": 1, "setting": 2, "design": 3, "methods": 3,
    "results": 4, "conclusions": 5,
}
ROLES = tuple(RANK)

_LABEL_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("conclu", "conclusions"), ("implication", "conclusions"), ("interpretation", "conclusions"),
    ("discussion", "conclusions"), ("relevance", "conclusions"), ("recommendation", "conclusions"),
    ("finding", "results"), ("result", "results"), ("outcome", "results"),
    ("barrier", "results"), ("facilitator", "results"), ("challenge", "results"), ("topline", "results"),
    ("lessons learned", "conclusions"),
    ("design", "design"), ("data collection", "design"),
    ("method", "methods"), ("analys", "methods"), ("measure", "methods"), ("participant", "methods"),
    ("intervention", "methods"), ("procedure", "methods"), ("data source", "setting"),
    ("sample", "methods"), ("setting", "setting"), ("population", "setting"),
    ("objective", "objective"), ("aim", "objective"), ("purpose", "objective"),
    ("goal", "objective"), ("question", "objective"),
    ("background", "background"), ("introduction", "background"), ("context", "background"),
    ("rationale", "background"), ("importance", "background"),
)
_ZH_LABEL_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("结论", "conclusions"), ("意义", "conclusions"), ("结果", "results"), ("发现", "results"),
    ("设计", "design"), ("数据收集", "design"), ("方法", "methods"), ("数据来源", "setting"),
    ("背景", "background"), ("目的", "objective"), ("目标", "objective"),
)
_UPPER_LABEL = re.compile(r"^(?P<label>[A-Z][A-Z0-9 ,/&()'\-]{2,80}?)\s*[:：]\s*(?P<rest>\S.*)?$", re.S)
_TITLE_LABEL = re.compile(
    r"^(?P<label>[A-Z][a-z]+(?:[ /,\-](?:and|of|the|to|or|for|[A-Za-z][a-z]+)){0,6})\s*[:：]\s*"
    r"(?P<rest>\S.*)?$", re.S
)
_ZH_LABEL = re.compile(rf"^(?P<label>[{CJK_CHARS}][{CJK_CHARS}/、与和及]{{1,15}})\s*[:：]\s*(?P<rest>.*)$", re.S)


@dataclass(frozen=True)
class Labelled:
    """A paragraph split into its label (if any) and its text."""

    label: str | None
    role: str | None
    text: str


def role_of_label(label: str) -> str:
    """The section role a label names ('DATA SOURCES AND STUDY SETTING' -> setting), else 'other'."""
    low = label.lower()
    if has_cjk(label):
        return next((role for key, role in _ZH_LABEL_KEYWORDS if key in label), "other")
    if "setting" in low and "design" in low:
        return "setting"
    return next((role for key, role in _LABEL_KEYWORDS if key in low), "other")


_DOT_LABEL = re.compile(r"^(?P<label>[A-Z][A-Za-z /&,\-]{2,50}?)\.\s+(?P<rest>[A-Z(].*)$", re.S)


def split_label(paragraph: str) -> Labelled:
    """Separate a leading section label ('RESULTS:', 'Methods:', 'BACKGROUND.') from a paragraph."""
    text = paragraph.strip()
    dot = _DOT_LABEL.match(text)
    if dot and _is_known_label(dot.group("label")):
        label = dot.group("label")
        return Labelled(label=label, role=role_of_label(label), text=dot.group("rest").strip())
    for pattern, needs_known in ((_UPPER_LABEL, False), (_ZH_LABEL, True), (_TITLE_LABEL, True)):
        m = pattern.match(text)
        if not m:
            continue
        label = m.group("label").strip()
        role = role_of_label(label)
        words = re.findall(r"[A-Za-z]{3,}", label)
        if needs_known and role == "other":
            continue
        if not needs_known and role == "other" and (len(words) < 2 or len(label) < 6):
            continue
        return Labelled(label=label, role=role, text=(m.group("rest") or "").strip())
    return Labelled(label=None, role=None, text=text)


_SENTENCE_GAP = re.compile(r"(?<=[.!?\"')\]])\s+")
_LABEL_AT = re.compile(
    r"(?P<label>[A-Z][A-Z /&,\-]{2,50}[A-Z]|[A-Z][a-z]+(?:\(s\))?(?: (?:and|of|the|[A-Z]?[a-z]+)){0,4})"
    r"\s*[:.]\s+(?=[A-Z0-9(])"
)


def split_inline_labels(paragraph: str) -> list[str]:
    """Break 'BACKGROUND: … METHODS: … RESULTS: …' run together in one paragraph into parts."""
    cuts = []
    for gap in _SENTENCE_GAP.finditer(paragraph):
        m = _LABEL_AT.match(paragraph, gap.end())
        if m and _is_known_label(m.group("label")):
            cuts.append(gap.end())
    if not cuts:
        return [paragraph]
    bounds = [0, *cuts, len(paragraph)]
    parts = [paragraph[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    return [p for p in parts if p]


def _is_known_label(label: str) -> bool:
    """Short labels made of section-label words only ('Main outcome measures', 'RESULTS')."""
    words = label.lower().replace("(s)", "s").split()
    return 1 <= len(words) <= 5 and role_of_label(label) != "other" and all(
        w in _LABEL_WORDS for w in words)


_LABEL_WORDS = frozenset(
    """background introduction context objective objectives aim aims purpose purposes goal goals
    methods method design setting settings participants participant interventions intervention
    measures measurement outcome outcomes main primary secondary results result findings finding
    principal key conclusion conclusions conclusions. discussion interpretation implications
    implication relevance and of the study data sources source collection extraction analysis
    analyses sample analytic population patients subjects materials procedures importance
    significance limitations rationale research question questions policy practice clinical
    trial registration evidence synthesis summary barriers barrier facilitators facilitator challenges
    lessons learned toplines""".split()
)


def is_label_line(line: str) -> bool:
    """True for a line that is only a known section label, with or without its colon
    ('Methods', 'MAIN OUTCOME MEASURES:'; 'Abstract' excluded)."""
    text = line.strip().rstrip(":").strip()
    return 0 < len(text) < 60 and "\n" not in text and _is_known_label(text)


def _position_prior(i: int, n: int, role: str) -> float:
    """Openings tend to be background/objective, endings results then conclusions."""
    if n == 1:
        return 0.0
    if i == 0 and role in ("background", "objective"):
        return 1.0
    if i == n - 1 and role == "conclusions":
        return 2.0
    if i == n - 2 and role == "results":
        return 0.8
    return 0.0


def infer_roles(paragraphs: list[Labelled], *, trailing: int = 0) -> list[str]:
    """A role per paragraph: fixed where labelled, else the best order-respecting assignment of cue
    phrases and position. (Measured on tests/gold/roles, the learned kb.text.roles model does no
    better on whole paragraphs and knows no setting / design, so it reads sentences only.)

    trailing: number of paragraphs known to follow (e.g. key-finding bullets), for position priors.
    """
    n = len(paragraphs) + trailing
    if n == 0:
        return []
    fixed = [p.role if p.label and p.role != "other" else None for p in paragraphs]
    best: list[dict[str, tuple[float, list[str]]]] = []
    for i, para in enumerate(paragraphs):
        row: dict[str, tuple[float, list[str]]] = {}
        cues = dict(zip(CUE_ROLES, cue_role_scores(para.text), strict=True))  # once per paragraph
        for role in ROLES:
            if fixed[i] and role != fixed[i]:
                continue
            gain = cues[role] + _position_prior(i, n, role)
            if i == 0:
                row[role] = (gain, [role])
                continue
            options = [
                (score - (0.6 if prev == role and role not in ("results",) else 0.0), path)
                for prev, (score, path) in best[i - 1].items()
                if RANK[prev] <= RANK[role]
            ]
            if options:
                score, path = max(options, key=lambda o: o[0])
                row[role] = (score + gain, path + [role])
        if not row:  # labels out of canonical order: keep the label's role, restart the chain
            role = fixed[i] or "other"
            prev_best = max((s for s, _ in best[i - 1].values()), default=0.0) if i else 0.0
            prev_path = max(best[i - 1].values(), key=lambda v: v[0])[1] if i else []
            row[role if role in RANK else "results"] = (prev_best, prev_path + [role])
        best.append(row)
    return max(best[-1].values(), key=lambda v: v[0])[1]


def _labelled(paragraphs: list[str]) -> list[Labelled]:
    """Label-split paragraphs; a paragraph that is only a section heading ('Methods' on a line
    of its own, as web pages and PDFs print them) labels the paragraph after it instead of
    becoming a section of one word."""
    out: list[Labelled] = []
    heading: str | None = None
    for paragraph in paragraphs:
        if is_label_line(paragraph):
            heading = paragraph.strip().rstrip(":").strip()
            continue
        part = split_label(paragraph)
        if heading is not None and part.label is None and part.text:
            part = Labelled(label=heading, role=role_of_label(heading), text=part.text)
        heading = None
        if part.text or part.label:
            out.append(part)
    return out


def to_sections(paragraphs: list[str], *, trailing: int = 0) -> list[Section]:
    """Label-split paragraphs and give each a role."""
    labelled = _labelled(paragraphs)
    if not labelled:
        return []
    roles = infer_roles(labelled, trailing=trailing)
    sections = []
    for para, role in zip(labelled, roles, strict=True):
        if para.label and para.role == "other":
            role = "other"
        sections.append(Section(role=role if role in RANK or role == "other" else "other",
                                label=para.label, text=para.text or ""))
    return [s for s in sections if s.text]
