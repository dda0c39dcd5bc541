"""Text handling for keyword search: query terms, safe FTS5 expressions, CJK bigrams, highlights."""

from __future__ import annotations

import re

from kb.text.normalize import CJK_RUN, fold, has_cjk

MAX_TERMS = 32
MAX_QUERY_CHARS = 2000

STOPWORDS: frozenset[str] = frozenset("""
a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most
my myself no nor not of off on once only or other our ours ourselves out over own same she should so
some such than that the their theirs them themselves then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your
yours yourself yourselves what's is there known whether among via vs versus also may might must
shall e.g i.e etc paper papers study studies find found show shows shown
""".split())

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_FTS_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def query_terms(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Distinct non-CJK word terms of a query, folded, stopwords dropped, at most MAX_TERMS."""
    text = CJK_RUN.sub(" ", text[:MAX_QUERY_CHARS])
    out: list[str] = []
    for match in _WORD.finditer(fold(text)):
        for token in _FTS_TOKEN.findall(match.group(0)):
            if token in out or (not keep_stopwords and token in STOPWORDS):
                continue
            if len(token) > 1 or token.isdigit():
                out.append(token)
    return out[:MAX_TERMS]


def cjk_bigrams(text: str) -> str:
    """Chinese runs as space-separated overlapping bigrams ('数据共享' -> '数据 据共 共享').

    Indexed this way (unicode61 tokenizer) two-character words match, which FTS5's trigram
    tokenizer cannot do.
    """
    grams: list[str] = []
    for run in CJK_RUN.findall(text):
        if len(run) == 1:
            grams.append(run)
        grams.extend(run[i:i + 2] for i in range(len(run) - 1))
    return " ".join(grams)


def cjk_query_groups(text: str) -> list[list[str]]:
    """Bigrams of each Chinese run of a query (one group per run)."""
    return [cjk_bigrams(run).split() for run in CJK_RUN.findall(text[:MAX_QUERY_CHARS])][:MAX_TERMS]


def quote_fts(term: str) -> str:
    """A term as an FTS5 string literal: user text never reaches FTS5 syntax."""
    term = _CONTROL.sub(" ", term)
    return '"' + term.replace('"', '""') + '"'


def phrase(words: list[str]) -> str:
    """An FTS5 phrase of several words."""
    return quote_fts(" ".join(words))


def any_of(parts: list[str]) -> str:
    """OR of already-quoted FTS5 expressions ('' when none)."""
    return " OR ".join(parts)


def all_of(parts: list[str]) -> str:
    """AND of already-quoted FTS5 expressions ('' when none)."""
    return " AND ".join(parts)


def stem_prefix(term: str) -> str:
    """The part of a term a word must start with to count as the same word (barrier/barriers)."""
    if len(term) <= 4:
        return term
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "y", "e"):
        if term.endswith(suffix) and len(term) - len(suffix) >= 4:
            return term[: len(term) - len(suffix)]
    return term


def highlight_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Character spans of the words of `text` that match query terms (for safe highlighting)."""
    prefixes = {t: stem_prefix(t) for t in terms if t not in STOPWORDS}
    spans: list[tuple[int, int]] = []
    for match in _FTS_TOKEN.finditer(text):
        word = match.group(0)
        word = word.lower() if word.isascii() else fold(word)  # the same, for ASCII, and faster
        for term, prefix in prefixes.items():
            if word == term or (len(prefix) >= 4 and word.startswith(prefix)):
                spans.append(match.span())
                break
    for run in CJK_RUN.finditer(text):
        for term in terms:
            if has_cjk(term):
                start = run.group(0).find(term)
                while start >= 0:
                    spans.append((run.start() + start, run.start() + start + len(term)))
                    start = run.group(0).find(term, start + 1)
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out
