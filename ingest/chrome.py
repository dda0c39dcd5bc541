"""Web-page boilerplate that is never part of a publication: navigation, share bars, comment forms."""

from __future__ import annotations

import re

from ingest.prose import is_sentence

# A line that is pure site chrome.
CHROME_LINE = re.compile(
    r"^(?:home|menu|search|skip to (?:main )?content|share(?: this)?:?|print|email|like this:?|"
    r"related|link to (?:the )?original source|read more|continue reading|loading\.{0,3}|"
    r"advertisements?|subscribe|follow|previous post|next post|posted in .*|tagged .*|"
    r"back to (?:search )?results|view the resource(?: opens in a new window)?|"
    r"opens in a new window|"
    # the banner of US government sites (PubMed, PMC, CDC and their mirrors)
    r"an official website of the united states government|here[’']s how you know|u\.s\. flag|dot gov|"
    r"https|the \.gov means it[’']s official\..*|federal government websites often end in \.gov or \.mil\..*|"
    r"the site is secure\.|access keys\b.*|the https:// ensures that you are connecting to the official website.*)$", re.I,
)
# A line from which everything after is a comment form, footer or share block.
TAIL_START = re.compile(
    r"^(?:leave a (?:reply|comment)|comments?$|\d+ comments?|post a comment|share this:?$|"
    r"fill in your details below|you are commenting using|connecting to %s|"
    r"about the author|related posts?:?$|you may also like)", re.I,
)


# A consent banner: a paragraph about the site's cookies and its privacy policy or terms.
_COOKIES = re.compile(r"\bcookies?\b", re.I)
_CONSENT = re.compile(r"\b(?:privacy (?:policy|statement|notice)|terms (?:of|and conditions)|consent|"
                      r"accept(?:ing)?|agree(?:ing)?|continu(?:e|ing) to (?:browse|use))\b", re.I)


def is_cookie_banner(line: str) -> bool:
    """A line that speaks of the site's cookies and of a privacy policy, terms or consent."""
    return bool(_COOKIES.search(line) and _CONSENT.search(line))


# A browser notice: 'You are using a browser version with limited support for CSS …'.
_BROWSER = re.compile(r"\bbrowser\b", re.I)
_BROWSER_ADVICE = re.compile(r"\b(?:CSS|JavaScript|compatibility mode|up[- ]to[- ]date|outdated|upgrade|"
                             r"(?:not|no longer|limited) support(?:ed)?)\b", re.I)


def is_browser_notice(line: str) -> bool:
    """A line that tells the reader about their browser and what it does not support."""
    return bool(_BROWSER.search(line) and _BROWSER_ADVICE.search(line)) and len(line) <= 600


def strip_chrome(lines: list[str]) -> list[str]:
    """Drop chrome lines (cookie banners, browser notices) and everything from the start of a
    comment form or footer — a footer follows the page's text, so a 'tail' line before any
    paragraph ('About the Author(s)' heading an author list at the top) is kept."""
    kept: list[str] = []
    for line in lines:
        if TAIL_START.match(line) and any(is_sentence(k) for k in kept):
            break
        if not CHROME_LINE.match(line) and not is_cookie_banner(line) and not is_browser_notice(line):
            kept.append(line)
    return kept
