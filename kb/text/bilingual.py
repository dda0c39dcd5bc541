"""Split bilingual text by language per paragraph and align translations to English sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from langdetect import DetectorFactory, LangDetectException, detect

from kb.model.schema import Section
from kb.text.normalize import cjk_count
from kb.text.sections import split_label

DetectorFactory.seed = 0
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z]")
_EN_WORDS = re.compile(r"\b(?:the|and|of|to|in|for|with|was|were|is|are|that|by|on)\b", re.I)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def detect_language(text: str) -> str:
    """ISO 639-1 code of a paragraph: CJK-ratio fast path, English cue words, else langdetect."""
    letters = len(_LATIN.findall(text))
    cjk = cjk_count(text)
    if _KANA.search(text) and cjk + letters and len(_KANA.findall(text)) > 5:
        return "ja"
    if len(_HANGUL.findall(text)) > 10:
        return "ko"
    if cjk and cjk / (cjk + letters) > 0.3:
        return "zh"
    words = max(1, len(text.split()))
    if letters and len(_EN_WORDS.findall(text)) / words > 0.08:
        return "en"
    if not letters or len(text) < 200:
        return "und"  # too short for a reliable guess: stays with the primary language
    try:
        code = detect(text)
    except LangDetectException:
        return "und"
    return code.split("-")[0]


@dataclass
class LanguageSplit:
    """Paragraphs grouped by language; the primary language's paragraphs keep their order."""

    primary: str
    paragraphs: list[str]
    others: dict[str, list[str]] = field(default_factory=dict)


def split_languages(paragraphs: list[str]) -> LanguageSplit:
    """English is primary when present; otherwise the language with the most text."""
    langs = [detect_language(p) for p in paragraphs]
    sizes: dict[str, int] = {}
    for lang, para in zip(langs, paragraphs, strict=True):
        if lang != "und":
            sizes[lang] = sizes.get(lang, 0) + len(para)
    primary = "en" if "en" in sizes else max(sizes, key=lambda k: sizes[k], default="en")
    split = LanguageSplit(primary=primary, paragraphs=[])
    for lang, para in zip(langs, paragraphs, strict=True):
        if lang in (primary, "und"):
            split.paragraphs.append(para)
        else:
            split.others.setdefault(lang, []).append(para)
    return split


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def _pair_score(source: str, target: str, i: int, j: int, n: int, m: int) -> float:
    a, b = _numbers(source), _numbers(target)
    overlap = len(a & b) / len(a | b) if a | b else 0.0
    position = 1.0 - abs(i / max(n, 1) - j / max(m, 1))
    return 2.0 * overlap + 0.5 * position


def _assign(sections: list[Section], texts: list[str]) -> list[int]:
    """For each foreign paragraph, the index of its English section (monotone, DP on anchors)."""
    n, m = len(sections), len(texts)
    if n == m:
        return list(range(m))
    neg = float("-inf")
    score = [[neg] * n for _ in range(m)]
    back = [[0] * n for _ in range(m)]
    for j in range(m):
        for i in range(n):
            gain = _pair_score(sections[i].text, texts[j], i, j, n, m)
            if j == 0:
                score[j][i] = gain
                continue
            k = max(range(i + 1), key=lambda k: score[j - 1][k])
            score[j][i] = score[j - 1][k] + gain
            back[j][i] = k
    i = max(range(n), key=lambda i: score[m - 1][i])
    path = [i]
    for j in range(m - 1, 0, -1):
        i = back[j][i]
        path.append(i)
    return path[::-1]


def align(sections: list[Section], paragraphs: list[str]) -> list[Section]:
    """Translation sections aligned one per English section (paragraphs merged where needed)."""
    if not sections or not paragraphs:
        return []
    parts = [split_label(p) for p in paragraphs]
    target = _assign(sections, [p.text for p in parts])
    out: list[Section] = []
    for i, section in enumerate(sections):
        mine = [parts[j] for j, t in enumerate(target) if t == i]
        if not mine:
            continue
        label = mine[0].label
        text = "\n".join(p.text for p in mine if p.text)
        if text:
            out.append(Section(role=section.role, label=label, text=text, bullet=section.bullet))
    return out


def realign(sections: list[Section], translated: list[Section]) -> list[Section]:
    """Align existing translation sections to a different English section list."""
    paragraphs = [f"{t.label}:{t.text}" if t.label else t.text for t in translated]
    return align(sections, paragraphs)
