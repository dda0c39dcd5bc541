"""Legacy-encoding guesses for bibliographic exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.textfile import decode_any, guess_legacy
from kb.errors import IngestError


def test_gbk_bibtex_fixture_reads_as_chinese(external: Path) -> None:
    decoded = decode_any((external / "python-bibtexparser__tests__resources__gbk_test.bib").read_bytes(), "gbk.bib")
    assert decoded.guessed and decoded.encoding == "gb18030"
    assert "author = {凯撒}" in decoded.text and "测试期刊" in decoded.text


@pytest.mark.parametrize("text", ["Müller, José; Café société résumé naïve", "Zürich Straße", "Ærø"])
def test_latin_text_is_not_mistaken_for_chinese(text: str) -> None:
    assert guess_legacy(text.encode("latin-1"))[0] == text


def test_utf8_needs_no_guess_and_binary_is_still_refused() -> None:
    assert decode_any("naïve".encode(), "a.ris").guessed is False
    with pytest.raises(IngestError, match="binary"):
        decode_any(bytes(range(256)) * 4, "x.bin")
