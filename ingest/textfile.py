"""Read an input file's bytes as text, refusing what is not text with a one-line reason."""

from __future__ import annotations

import codecs

from kb.errors import IngestError

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a prose abstract or summary page is far smaller than this
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
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise IngestError(
            source, f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
                    "save the file as UTF-8 and try again") from err
