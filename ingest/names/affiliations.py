"""Affiliation lines ('1 School of Social Welfare, University of California, Berkeley, USA.')."""

from __future__ import annotations

import re

INSTITUTION = re.compile(
    r"\b(?:University|Universit[äéàa]|Universidad|Universidade|School|Department|Dept|Institute|"
    r"Instituto|Hospital|Center|Centre|Centro|College|Faculty|Facultad|Division|Laboratory|Ministry|"
    r"Agency|Clinic|Foundation|Council|Academy|Health System|Medical Cent|Research|Program(?:me)?|"
    r"Unit|Inc\.|LLC|Corporation|Ayuntamiento)\b"
)


def is_affiliation_line(line: str) -> bool:
    """An institution line: names an institution, short, not a sentence of prose."""
    text = re.sub(r"^\s*(?:[•\-]\s*)?(?:\d+|[a-z])[.)]?\s*(?=[A-Z])", "", line)
    if len(text) > 400 or not INSTITUTION.search(text) or re.search(r"[^\W\d_]:\s", text):
        return False  # 'Expanding Research on …: A Discussion of …' is a title
    lowered = text.lower()
    verbs = len(re.findall(r"\b(?:was|were|is|are|we|our|used|found|this|these)\b", lowered))
    return verbs == 0 and text.count(",") >= 1


def clean_affiliation(line: str) -> str:
    """Drop a leading reference number: '1 School of …' -> 'School of …'."""
    return re.sub(r"^\s*(?:[•\-]\s*)?\d+[.)]?\s*(?=[A-Z])", "", line).strip()
