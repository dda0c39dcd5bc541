"""Language split and alignment of translations to English sections."""

from __future__ import annotations

from pathlib import Path

from kb.model.schema import Section
from kb.text.bilingual import align, detect_language, split_languages


def test_detect_language() -> None:
    assert detect_language("数据共享对于系统整合是必要的,但并不充分。") == "zh"
    assert detect_language("Data sharing is necessary but not sufficient for systems alignment.") == "en"
    assert detect_language("WPC (n = 26)") == "und"


def test_split_seed_001(seeds: list[Path]) -> None:
    lines = [ln for ln in seeds[1].read_text(encoding="utf-8").splitlines() if ln.strip()][4:]
    split = split_languages(lines)
    assert split.primary == "en" and len(split.paragraphs) == 5 and len(split.others["zh"]) == 5


def test_alignment_uses_numbers_when_counts_differ() -> None:
    english = [Section(role="objective", text="To assess 26 pilots."),
               Section(role="methods", text="We interviewed 58 staff in 2021."),
               Section(role="results", text="Of 26 pilots, 22 sustained.")]
    chinese = ["评估26个试点项目。", "2021年访谈了58名员工。", "在26个试点中,", "22个得以维持。"]
    out = align(english, chinese)
    assert [s.role for s in out] == ["objective", "methods", "results"]
    assert out[2].text == "在26个试点中,\n22个得以维持。"


def test_chinese_only_text_is_primary() -> None:
    split = split_languages(["数据共享对于系统整合是必要的,但并不充分。还需要专注于消除整合的财务障碍。"])
    assert split.primary == "zh" and split.others == {}
