"""Read a saved web page: its embedded metadata (<meta> tags, JSON-LD) and its visible text as
lines, with scripts, styles, forms and navigation dropped. lxml's HTML parser is used with the
network off and no entity or processing-instruction handling; nothing the page links to is
fetched. Every failure is an IngestError."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree, html

from ingest.limits import MAX_NESTING
from kb.errors import IngestError

# Elements whose content is never the page's text.
DROPPED = ("script", "style", "noscript", "template", "svg", "math", "nav", "header", "footer", "aside",
           "form", "button", "select", "iframe", "object", "embed", "canvas", "head", "title", "dialog")
# Elements that start a new line of text.
BLOCKS = frozenset(("p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "table",
                    "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br", "hr",
                    "figure", "figcaption", "pre", "address", "body", "caption"))
ABSTRACT_HEADINGS = frozenset(("abstract", "summary"))
HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")  # not allowed in XML text
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2009\u200b]+")
_ABSTRACT_MARK = re.compile(r"abstract|(?:^|[\s_-])summary(?:$|[\s_-])", re.I)
MAX_ABSTRACT_TEXT = 20_000  # characters: an element holding more is a page section, not an abstract
_NOT_ABSTRACT = re.compile(r"graphical|visual|video|plain[-_ ]?language|lay[-_ ]|toggle|link|button|nav|"
                           r"tab|menu|related|similar|metric|cite|share|access", re.I)
SCHOLARLY_TYPES = frozenset(("scholarlyarticle", "medicalscholarlyarticle", "article", "report",
                             "newsarticle", "creativework", "thesis", "book", "chapter"))


@dataclass
class Page:
    """What a web page holds: its meta tags (name lower-cased -> values in page order), the
    first scholarly JSON-LD object, the visible text as lines, and the abstract's lines when an
    element marked as the abstract was found."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    json_ld: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    abstract: list[str] = field(default_factory=list)
    title: str | None = None

    def first(self, *names: str) -> str | None:
        """The first non-empty value of the first of these meta names the page has."""
        for name in names:
            for value in self.meta.get(name, []):
                if value:
                    return value
        return None

    def all(self, *names: str) -> list[str]:
        """Every value of the first of these meta names the page has."""
        for name in names:
            if values := [v for v in self.meta.get(name, []) if v]:
                return values
        return []


def clean(text: str) -> str:
    """Whitespace collapsed within a line."""
    return _SPACE.sub(" ", text).strip()


def read_page(text: str, source: str) -> Page:
    """The metadata and text of an HTML document; IngestError when it cannot be parsed."""
    text = _CONTROL.sub(" ", text)
    if not text.strip():
        raise IngestError(source, "the page is empty")
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True,
                             default_doctype=False)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.LxmlError, ValueError) as err:
        raise IngestError(source, f"the page cannot be read as HTML ({str(err)[:120] or type(err).__name__})") from err
    if root is None:
        raise IngestError(source, "the page cannot be read as HTML")
    page = Page(meta=_meta(root), json_ld=_json_ld(root), title=_title(root))
    for element in list(root.iter(*DROPPED)):
        if element.tag in ("header", "footer") and _in_article(element):
            continue  # an article's own header holds its title and byline
        _drop(element)
    page.lines = text_lines(root)
    page.abstract = _abstract(root)
    return page


def _in_article(element: etree._Element) -> bool:
    return any(a.tag in ("article", "main") for a in element.iterancestors())


def _drop(element: etree._Element) -> None:
    """Remove an element and its content but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + " " + tail
    else:
        parent.text = (parent.text or "") + " " + tail
    parent.remove(element)


def _meta(root: etree._Element) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for tag in root.iter("meta"):
        name = tag.get("name") or tag.get("property") or tag.get("itemprop")
        content = tag.get("content")
        if name and content is not None:
            out.setdefault(name.strip().lower(), []).append(clean(content))
    return out


def _title(root: etree._Element) -> str | None:
    found = next(iter(root.iter("title")), None)
    return (clean(found.text_content()) or None) if found is not None else None


def _json_ld(root: etree._Element) -> dict[str, Any]:
    """The first JSON-LD object of a scholarly type (inside @graph lists too)."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue
        if found := _scholarly(data, 0):
            return found
    return {}


def _scholarly(data: object, depth: int) -> dict[str, Any] | None:
    if depth > MAX_NESTING:
        return None
    if isinstance(data, list):
        return next((f for d in data if (f := _scholarly(d, depth + 1))), None)
    if not isinstance(data, dict):
        return None
    kinds = data.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if any(isinstance(k, str) and k.lower() in SCHOLARLY_TYPES for k in kinds) and data.get("headline", data.get("name")):
        return data
    return _scholarly(data.get("@graph"), depth + 1) if "@graph" in data else None


def text_lines(root: etree._Element, *, labels: bool = False) -> list[str]:
    """The element's text, one line per block element (a heading, a paragraph, a list item);
    walked without recursion, so deeply nested markup cannot exhaust the stack. With labels,
    a short heading becomes the label of the paragraph after it ('Methods: …')."""
    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in BLOCKS:
                parts.append("\n")
            if element.text and tag:
                parts.append(element.text)
        else:
            if labels and tag in HEADINGS:
                parts.append(_HEADING_END)
            if tag in BLOCKS:
                parts.append("\n")
            if element.tail and element is not root:
                parts.append(element.tail)
    lines = [line for raw in "".join(parts).split("\n") if (line := clean(raw))]
    return _labelled(lines) if labels else lines


_HEADING_END = "\ue000"  # private use: never in page text, not whitespace


def _labelled(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        label = previous.rstrip(_HEADING_END).rstrip(" :.")
        if previous.endswith(_HEADING_END) and not line.endswith(_HEADING_END) \
                and len(label.split()) <= 6 and label.lower() not in ABSTRACT_HEADINGS:
            out[-1] = f"{label}: {line}"
        else:
            out.append(line)
    return [plain for line in out if (plain := line.replace(_HEADING_END, "").strip())]


def _marks(element: etree._Element) -> str:
    return " ".join(filter(None, (element.get("id"), element.get("class"), element.get("itemprop"),
                                  element.get("data-title"), element.get("role"))))


def _abstract(root: etree._Element) -> list[str]:
    """Lines of the element marked as the abstract (id, class or itemprop), else of the blocks
    after a heading that reads 'Abstract' up to the next heading of the same or a higher level."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in HEADINGS or element.tag in ("html", "body"):
            continue
        marks = _marks(element)
        if marks and _ABSTRACT_MARK.search(marks) and not _NOT_ABSTRACT.search(marks):
            lines = text_lines(element, labels=True)
            if 200 <= sum(len(line) for line in lines) <= MAX_ABSTRACT_TEXT:
                return _without_heading(lines)
    for heading in root.iter(*HEADINGS):
        if clean(heading.text_content()).lower().rstrip(":") in ABSTRACT_HEADINGS:
            return _after_heading(heading)
    return []


def _without_heading(lines: list[str]) -> list[str]:
    return lines[1:] if lines and lines[0].lower().rstrip(":") in ABSTRACT_HEADINGS else lines


def _after_heading(heading: etree._Element) -> list[str]:
    level = int(heading.tag[1])
    lines: list[str] = []
    node = heading
    while node is not None:
        sibling = node.getnext()
        while sibling is None and node.getparent() is not None and not lines:
            node = node.getparent()  # the heading is wrapped (<div><h2>Abstract</h2></div><p>…)
            sibling = node.getnext()
        if sibling is None:
            break
        tag = sibling.tag if isinstance(sibling.tag, str) else ""
        if tag in HEADINGS and int(tag[1]) <= level:
            break
        if tag and any(h.tag in HEADINGS and int(h.tag[1]) <= level for h in sibling.iter(*HEADINGS)):
            break
        if tag:
            lines.extend(text_lines(sibling, labels=True))
        node = sibling
    return lines
