"""Language names and ISO 639-2/3 codes seen in bibliographic exports, mapped to ISO 639-1."""

from __future__ import annotations

import re

# code-3 (bibliographic and terminologic), English name -> ISO 639-1
_TABLE = """
ara arabic ar | bul bulgarian bg | cat catalan ca | chi zho chinese zh | cze ces czech cs |
dan danish da | dut nld dutch nl | eng english en | est estonian et | fin finnish fi |
fre fra french fr | ger deu german de | gre ell greek el | heb hebrew he | hin hindi hi |
hun hungarian hu | ice isl icelandic is | ind indonesian id | ita italian it | jpn japanese ja |
kor korean ko | lav latvian lv | lit lithuanian lt | may msa malay ms | nor norwegian no |
per fas persian fa | pol polish pl | por portuguese pt | rum ron romanian ro | rus russian ru |
scr hrv croatian hr | slo slk slovak sk | slv slovenian sl | spa spanish es | srp serbian sr |
swe swedish sv | tha thai th | tur turkish tr | ukr ukrainian uk | urd urdu ur |
vie vietnamese vi | afr afrikaans af | alb sqi albanian sq | arm hye armenian hy |
geo kat georgian ka | mac mkd macedonian mk | mao mri maori mi | wel cym welsh cy |
baq eus basque eu | glg galician gl | epo esperanto eo | lat latin la | mul multiple mul |
und undetermined und
"""
LANGUAGES: dict[str, str] = {}
for _group in _TABLE.split("|"):
    *_names, _code = _group.split()
    for _name in _names:
        LANGUAGES[_name] = _code
    LANGUAGES[_code] = _code


def language_code(value: str | None) -> str | None:
    """'eng' / 'English' / 'en' / 'en-US' / 'zh_CN' -> ISO 639-1 ('en', 'zh'); None if unknown."""
    if not value:
        return None
    key = value.strip().lower()
    key = re.split(r"[-_;,/ ]", key, maxsplit=1)[0] if key not in LANGUAGES else key
    code = LANGUAGES.get(key)
    if code in ("mul", "und"):
        return None
    return code
