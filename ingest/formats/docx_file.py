"""A Word document (.docx): its paragraphs (python-docx), up to the start of the body, which
then go the way pasted text goes. The archive's unpacked size is checked before it is opened;
an old .doc file and a damaged one are refused with a reason naming the file."""

from __future__ import annotations

import io
import logging
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ingest.document import document_text
from ingest.limits import MAX_PROSE_LINES, MAX_TEXT_BYTES
from kb.errors import IngestError

NAME = "docx"
FORMAT = "docx"
VERSION = "1.0"
BINARY = True
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc) and other old Office files
MAX_UNPACKED = 10 * MAX_TEXT_BYTES  # a Word file's XML parts, unpacked (a zip bomb stops here)
log = logging.getLogger(__name__)


def sniff(text: str, name: str = "") -> float:
    """Never text: a Word file is recognised from its bytes (sniff_bytes)."""
    return 0.0


def sniff_bytes(head: bytes, name: str = "") -> bool:
    """True for a ZIP archive holding a Word document part (or named .docx), or an old binary
    Office file."""
    if head.startswith(OLE_MAGIC):
        return True
    return head.startswith(ZIP_MAGIC) and (b"word/" in head or name.lower().endswith(".docx"))


def text_of(data: bytes, source: str) -> str:
    """The document's paragraphs before its body, one a line; IngestError when it cannot be read."""
    if data.startswith(OLE_MAGIC):
        raise IngestError(source, "an old Word 97-2003 (.doc) file; save it as .docx or PDF and try again")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise IngestError(source, f"the Word file unpacks to {unpacked / 1e6:.0f} MB, more than the "
                                      f"{MAX_UNPACKED / 1e6:.0f} MB one document may hold")
        document = docx.Document(io.BytesIO(data))
        lines = [p.text for p in document.paragraphs[:MAX_PROSE_LINES]]
    except IngestError:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.LxmlError, OSError,
            RecursionError, AttributeError, TypeError, NotImplementedError) as err:
        log.warning("%s: python-docx could not read the file", source, exc_info=err)
        raise IngestError(source, f"the Word file is damaged or cannot be read ({type(err).__name__})") from err
    text = document_text(lines, wrapped=False)
    if not text.strip():
        raise IngestError(source, "the Word file has no text")
    return text
