"""A PDF (.pdf): the text layer of its first pages (pypdf), which then goes the way pasted
text goes. A scanned PDF with no text layer, an encrypted one and a damaged one are refused
with a reason naming the file."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from ingest.document import document_text
from kb.errors import IngestError

NAME = "pdf"
FORMAT = "pdf"
VERSION = "1.0"
BINARY = True
MAGIC = b"%PDF-"
FIRST_PAGES = 3  # the title, authors and abstract of a paper (or a report's summary) are in these
MIN_WORDS = 20  # fewer words than this on the first pages: no text layer (a scanned image)
log = logging.getLogger(__name__)
for noisy in ("pypdf", "pypdf._reader", "pypdf.generic"):
    logging.getLogger(noisy).setLevel(logging.ERROR)  # its warnings on damaged files reach the user as our error


def sniff(text: str, name: str = "") -> float:
    """Never text: a PDF is recognised from its bytes (sniff_bytes)."""
    return 0.0


def sniff_bytes(head: bytes, name: str = "") -> bool:
    """True when the bytes open with the PDF header (within the first kilobyte, as readers allow)."""
    return MAGIC in head[:1024]


def text_of(data: bytes, source: str) -> str:
    """The text of the first pages, one paragraph a line; IngestError for an encrypted,
    damaged or text-less (scanned) PDF."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _opened_without_password(reader):
            raise IngestError(source, "the PDF is encrypted (password-protected); save an unprotected copy, "
                                      "or paste its abstract")
        lines: list[str] = []
        for page in reader.pages[:FIRST_PAGES]:
            lines.extend((page.extract_text() or "").splitlines())
    except (DependencyError, FileNotDecryptedError) as err:
        raise IngestError(source, "the PDF is encrypted (password-protected); save an unprotected copy, "
                                  "or paste its abstract") from err
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, ZeroDivisionError, AssertionError) as err:
        log.warning("%s: pypdf could not read the PDF", source, exc_info=err)
        raise IngestError(source, f"the PDF is damaged or cannot be read ({type(err).__name__})") from err
    text = document_text(lines, wrapped=True)
    if len(text.split()) < MIN_WORDS:
        raise IngestError(source, f"the PDF has no text layer on its first {FIRST_PAGES} pages (a scanned image?); "
                                  "run it through OCR, or paste its abstract")
    return text


def _opened_without_password(reader: PdfReader) -> bool:
    """An encrypted PDF that opens with the empty user password (permissions only) can be read."""
    try:
        return bool(reader.decrypt(""))
    except (DependencyError, FileNotDecryptedError, PyPdfError, ValueError, KeyError, TypeError):
        return False
