"""Grey-literature summary (blog or web page about a report): organisations, funder, framework,
prose paragraphs and key-finding bullets, with site boilerplate removed."""

from __future__ import annotations

import re

from ingest.chrome import TAIL_START, strip_chrome
from ingest.prose import BULLET, build_abstract, has_prose, lines_of
from kb.model.schema import Author, Framework, Record, Section

NAME = "grey_summary"
FORMAT = "grey-summary"
VERSION = "1.0"

DOC_TYPES = (
    "discussion paper", "issue brief", "policy brief", "white paper", "working paper",
    "research brief", "fact sheet", "case study", "toolkit", "report", "brief", "guide",
)
_DOC_TYPE = re.compile(r"\b(?:this|the|a|new) (%s)\b" % "|".join(DOC_TYPES), re.I)
_ORG = r"[A-Z][\w&.'’\-]*(?:,? (?:Inc\.|LLC|Ltd\.?)|\s+(?:of|for|and|the|on|in|&|[A-Z][\w&.'’\-]*))*"
_PREPARED = re.compile(r"\b(?:prepared|written|authored|produced|developed) by (?:the )?(?P<org>%s)" % _ORG)
_PARTNERS = re.compile(r"\bin (?:collaboration|partnership) with (?:the )?(?P<orgs>[^,;]+?)(?:,\s+[a-z]|\.|;|$)")
_FUNDED = re.compile(
    r"\b(?:funded|supported|sponsored|made possible) by (?:a grant from |grants from )?(?:the )?"
    r"(?P<org>%s)" % _ORG
)
_FRAMEWORK = re.compile(
    r"\bframework (?:of|with|comprising|consisting of) (?:the )?(?:\w+ )?(?:elements|components|"
    r"domains|pillars|principles|dimensions|building blocks)(?: of (?P<name>[^:]{3,80}?))?:\s*"
    r"(?P<items>[^.]+)\."
)
_FUNDING_SENTENCE = re.compile(r"\b(?:funded|supported|sponsored) by\b", re.I)


_ARTICLE_PAGE = re.compile(r"\bCite this article\b")


def sniff(text: str, name: str = "") -> float:
    """Medium when bullets or blog chrome surround prose that describes a document."""
    lines = lines_of(text[:200000])
    bullets = sum(1 for line in lines if BULLET.match(line))
    chrome = any(TAIL_START.match(line) for line in lines)
    describes = bool(_DOC_TYPE.search(text[:5000]))
    if not has_prose(text[:200000]) or _ARTICLE_PAGE.search(text[:20000]):
        return 0.0  # a journal's article page ('Cite this article') is no grey-literature summary
    if bullets >= 2 and (chrome or describes):
        return 0.75
    if chrome and describes:
        return 0.6
    return 0.0


def parse(text: str, *, source: str) -> list[Record]:
    """One record summarising a grey-literature document."""
    lines = strip_chrome(lines_of(text))
    prose = re.sub(r"\s+", " ", " ".join(line for line in lines if not BULLET.match(line)))
    record = Record(
        authors=[Author(collective=o) for o in _first(_PREPARED, prose)],
        partners=_partners(prose), funders=_first(_FUNDED, prose),
        frameworks=_frameworks(prose), resource_type=_doc_type(prose),
    )
    record.abstract, record.translations, record.language = _sections(lines)
    return [record]


def _sections(lines: list[str]) -> tuple[list[Section], dict[str, list[Section]], str]:
    before: list[str] = []
    bullets: list[tuple[str | None, str]] = []
    after: list[str] = []
    intro: str | None = None
    for line in lines:
        m = BULLET.match(line)
        if m:
            bullets.append((intro, m.group("text").strip()))
        elif line.endswith(":") and len(line) < 120:
            intro = line[:-1].strip()
        else:
            (after if bullets else before).append(line)
    head = build_abstract(before, trailing=1 if bullets else 0)
    tail = build_abstract(after)
    sections = list(head.sections)
    sections += [Section(role="results", label=label, text=t, bullet=True) for label, t in bullets]
    for section in tail.sections:
        role = "other" if _FUNDING_SENTENCE.search(section.text) else section.role
        sections.append(section.model_copy(update={"role": role}))
    return sections, head.translations, head.language


def _first(rx: re.Pattern[str], text: str) -> list[str]:
    m = rx.search(text)
    return [_clean_org(m.group("org"))] if m else []


def _clean_org(name: str) -> str:
    name = re.sub(r"\s+(?:in|and|the|of|for|on|&)$", "", name.strip().rstrip(","))
    return name if name.endswith(("Inc.", "Ltd.", "Co.")) else name.rstrip(".")


def _partners(text: str) -> list[str]:
    m = _PARTNERS.search(text)
    if not m:
        return []
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+(?:the\s+)?(?=[A-Z])", m.group("orgs"))
    return [_clean_org(p) for p in parts if p.strip() and p.strip()[0].isupper()]


def _frameworks(text: str) -> list[Framework]:
    out = []
    for m in _FRAMEWORK.finditer(text):
        items = re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group("items"))
        elements = [i.strip() for i in items if i.strip()]
        name = (m.group("name") or "framework").strip()
        out.append(Framework(name=name, elements=elements))
    return out


def _doc_type(text: str) -> str | None:
    m = _DOC_TYPE.search(text)
    return m.group(1).lower().replace(" ", "-") if m else "web-summary"
