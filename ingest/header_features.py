"""Features of one page-header line in its context, for the title decision: the line's shape
(length, case pattern, terminal punctuation, digits, script), its kind and its neighbours' kinds,
its place relative to the byline and the abstract, and whether the page repeats it. The rules of
ingest.header and the learned title model (ingest.title_model) read the same features."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.prose import is_sentence
from kb.text.normalize import fold

KINDS = ("chrome", "label", "identifier", "citation", "date", "authors", "affiliation", "title", "other")
_FUNCTION = frozenset("a an the of to and for in on by with from at or as".split())
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_BYLINE_LABEL = re.compile(r"^\W*(?:authors?|author\(s\)|by|written by)\s*[:：]?\s*$", re.I)
_METADATA = frozenset(("citation", "date", "identifier"))
PAGE_WINDOW = 400


@dataclass(frozen=True)
class Context:
    """A header as the features see it: each line's text and kind, and the page's first lines
    (at most PAGE_WINDOW: a page title or citation that repeats the title stands near the top, and
    a huge input must not be scanned once per header line)."""

    texts: list[str]
    kinds: list[str]
    page: list[str]


def continues_previous(previous: str | None) -> bool:
    """The previous line stops mid-phrase (a function word, a comma, a hyphen, 'the degree of'):
    this line is the rest of it, not a line of its own."""
    if not previous:
        return False
    text = previous.rstrip()
    if text.endswith((",", "-", "–", "—", "&")):
        return True
    words = text.split()
    return bool(words) and fold(words[-1]) in _FUNCTION


def echoed(line: str, page: list[str]) -> bool:
    """The line's opening words appear again elsewhere on the page, in a line that is not prose
    (a citation, a page title, a running head) — a sentence that names the same subject is no echo."""
    key = fold(" ".join(line.split()[:6]))
    return len(key) >= 20 and any(key in fold(o) and not is_sentence(o) for o in page if o != line)


def recurs(line: str, page: list[str]) -> bool:
    """The very same line stands more than once on the page (a site or section name)."""
    return sum(o == line for o in page) >= 2


def first_content(ctx: Context, n: int) -> bool:
    """No line before this one says anything (only chrome or one- to three-word lines)."""
    return all(k == "chrome" or len(t.split()) <= 3 for t, k in zip(ctx.texts[:n], ctx.kinds[:n], strict=True))


def _near(kinds: list[str], n: int, wanted: frozenset[str], before: int, after: int) -> bool:
    lo, hi = max(0, n - before), min(len(kinds), n + after + 1)
    return any(kinds[i] in wanted for i in range(lo, hi) if i != n)


def line_features(ctx: Context, n: int) -> dict[str, float]:
    """The features of line n of the header (numbers; booleans as 0/1)."""
    text, kinds = ctx.texts[n], ctx.kinds
    words = text.split()
    alpha = _WORD.findall(text)
    content = [w for w in alpha if fold(w) not in _FUNCTION]
    letters = [c for c in text if c.isalpha()]
    previous = ctx.texts[n - 1] if n else None
    following = ctx.texts[n + 1:n + 4]
    f: dict[str, float] = {
        "words": min(len(words), 60) / 10,
        "short": float(len(words) < 5),
        "long": float(len(words) > 30),
        "capitalised": sum(w[0].isupper() for w in content) / len(content) if content else 0.0,
        "upper": sum(w.isupper() and len(w) > 1 for w in content) / len(content) if content else 0.0,
        "starts_upper": float(text[:1].isupper() or text[:1].isdigit() or text[:1] in "“\"'‘"),
        "ends_period": float(text.rstrip().endswith(".")),
        "ends_question": float(text.rstrip().endswith("?")),
        "ends_colon": float(text.rstrip().endswith((":", "："))),
        "ends_function": float(bool(words) and fold(words[-1].strip(".,;")) in _FUNCTION),
        "has_colon_inside": float(":" in text.rstrip()[:-1]),
        "digits": sum(c.isdigit() for c in text) / max(1, len(text)),
        "non_latin": sum(not ("a" <= fold(c) <= "z") for c in letters) / len(letters) if letters else 1.0,
        "sentence": float(is_sentence(text, min_words=12)),
        "position": min(n, 30) / 10,
        "to_body": min(len(ctx.texts) - n, 30) / 10,
        "first_content": float(first_content(ctx, n)),
        "continues": float(continues_previous(previous)),
        "authors_after": float(_near(kinds, n, frozenset({"authors"}), 0, 3)
                               or any(_BYLINE_LABEL.match(t) for t in following[:2])),
        "authors_before": float(_near(kinds, n, frozenset({"authors"}), 3, 0)),
        "metadata_near": float(_near(kinds, n, _METADATA, 2, 2)),
        "chrome_before": float(n > 0 and kinds[n - 1] == "chrome"),
        "echoed": float(echoed(text, ctx.page[:PAGE_WINDOW])),
        "recurs": float(recurs(text, ctx.page[:PAGE_WINDOW])),
    }
    for kind in KINDS:
        f[f"kind={kind}"] = float(kinds[n] == kind)
        f[f"prev={kind}"] = float(n > 0 and kinds[n - 1] == kind)
        f[f"next={kind}"] = float(n + 1 < len(kinds) and kinds[n + 1] == kind)
    return f


FEATURES = tuple(line_features(Context(["A line"], ["title"], ["A line"]), 0))
