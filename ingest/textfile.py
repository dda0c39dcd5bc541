"""Read an input file's bytes as text, refusing what is not text with a one-line reason."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ingest.limits import MAX_EXPORT_BYTES, MAX_TEXT_BYTES
from kb.errors import IngestError
from kb.text.normalize import CJK_CHARS, CJK_PUNCTUATION, CJK_RUN

_CJK_OK = re.compile(f"[{CJK_PUNCTUATION}{CJK_CHARS}]")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"))


def looks_binary(data: bytes) -> bool:
    """NUL bytes (outside UTF-16/32) or many control characters in the first 8 kB."""
    head = data[:8192]
    if any(head.startswith(bom) for bom, enc in _BOMS if enc != "utf-8-sig"):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(head) // 50)


def decode(data: bytes, source: str, *, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """Text of an input; IngestError for empty, binary, oversized or undecodable input."""
    if not data.strip():
        raise IngestError(source, "the file is empty")
    if len(data) > max_bytes:
        raise IngestError(source, f"the file is {len(data) / 1e6:.0f} MB, more than the "
                                  f"{max_bytes / 1e6:.0f} MB limit for one text input")
    if looks_binary(data):
        raise IngestError(source, "this is a binary file, not text (expected .txt, .ris, .bib, …)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_marked(data, encoding, source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise IngestError(
            source, f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
                    "save the file as UTF-8 and try again") from err


def _decode_marked(data: bytes, encoding: str, source: str) -> str:
    """Text of bytes that open with a byte-order mark; IngestError when the rest does not
    follow it (the error's cause is the UnicodeDecodeError, so a legacy guess may follow)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        name = encoding.removesuffix("-sig").upper()
        raise IngestError(source, f"the file starts with a {name} byte-order mark but is not valid "
                                  f"{name} (at byte {err.start}); save it as UTF-8 and try again") from err


@dataclass(frozen=True)
class Decoded:
    """Text of an input and how it was read; `guessed` when it was not UTF-8."""

    text: str
    encoding: str
    guessed: bool = False


def _plausible_cjk(text: str) -> bool:
    """GB18030-decoded text that reads as Chinese, not as Latin-1 bytes paired into
    stray ideographs ('Müller' -> 'M黮ler': single ideographs wedged between letters)."""
    runs = list(CJK_RUN.finditer(text))
    wider = [ch for ch in text if ord(ch) > 127]
    if not runs or sum(bool(_CJK_OK.match(ch)) for ch in wider) < 0.95 * len(wider):
        return False
    wedged = sum(1 for m in runs if m.end() - m.start() == 1
                 and text[m.start() - 1:m.start()].isascii() and text[m.start() - 1:m.start()].isalpha()
                 and text[m.end():m.end() + 1].isascii() and text[m.end():m.end() + 1].isalpha())
    return wedged <= 0.2 * len(runs)


def guess_legacy(data: bytes) -> tuple[str, str]:
    """(text, encoding) of bytes that are not UTF-8: GB18030 when that reads as Chinese,
    else Windows-1252, else Latin-1 (which accepts any byte)."""
    for encoding in ("gb18030", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "gb18030" or _plausible_cjk(text):
            return text, encoding
    return data.decode("latin-1"), "latin-1"


def decode_any(data: bytes, source: str, *, max_bytes: int = MAX_EXPORT_BYTES) -> Decoded:
    """Like decode(), but bytes that are not UTF-8 are read in a guessed legacy encoding
    (for bibliographic exports, which old tools still write in GBK or Latin-1)."""
    try:
        return Decoded(decode(data, source, max_bytes=max_bytes), "utf-8")
    except IngestError as err:
        if not isinstance(err.__cause__, UnicodeDecodeError):
            raise
    text, encoding = guess_legacy(data.removeprefix(codecs.BOM_UTF8))  # a BOM the bytes belie
    return Decoded(text, encoding, guessed=True)
