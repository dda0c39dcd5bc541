"""Open one input (bytes or a file, gzipped or not), pick its parser and stream its parsed items:
PubMed XML is parsed straight from the file; text formats are decoded (legacy encodings are
accepted for bibliographic exports only) and parsed record by record."""

from __future__ import annotations

import gzip
import hashlib
import io
import logging
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import IO

from ingest.biblio import Item
from ingest.formats import docx_file, html_page, pdf_file, pubmed_xml
from ingest.journals import full_title
from ingest.limits import (
    MAX_DOCUMENT_BYTES,
    MAX_EXPORT_BYTES,
    MAX_PROSE_CHARS,
    MAX_PROSE_LINES,
    MAX_TEXT_BYTES,
    too_large,
)
from ingest.sniff import choose_parser, is_bibliographic
from ingest.textfile import decode, decode_any
from ingest.unfold import unfold
from kb.errors import IngestError
from kb.model.schema import Record, ReviewFlag

log = logging.getLogger(__name__)
GZIP_MAGIC = b"\x1f\x8b"
# What a parser may raise on input it cannot cope with. At this boundary each becomes an
# IngestError for the one file (logged with its traceback), so the rest of a batch goes on.
PARSER_FAILURES = (RecursionError, MemoryError, UnicodeError, ValueError, LookupError, TypeError,
                   AttributeError, ArithmeticError)
HEAD_BYTES = 64 * 1024
DOCUMENTS: tuple[ModuleType, ...] = (pdf_file, docx_file)  # binary documents whose text is read as prose
MAX_UNPACKED_BYTES = 8 * 1024 ** 3  # a gzip bomb stops here


@dataclass(frozen=True)
class Input:
    """An input to ingest: its name for reports, and its bytes or the file holding them."""

    source: str
    data: bytes | None = None
    path: Path | None = None

    def open(self) -> IO[bytes]:
        return io.BytesIO(self.data) if self.data is not None else self.path.open("rb")  # type: ignore[union-attr]

    @property
    def suffix(self) -> str:
        name = Path(self.source).name.lower()
        return ".xml.gz" if name.endswith(".xml.gz") else (Path(name).suffix or ".txt")

    def sha256(self) -> str:
        if self.data is not None:
            return hashlib.sha256(self.data).hexdigest()
        digest = hashlib.sha256()
        with self.open() as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()


@dataclass
class Opened:
    """The parser chosen for an input and the stream of its parsed items."""

    parser: ModuleType
    items: Iterator[Item]
    notes: list[str] = field(default_factory=list)


class _Guarded(io.RawIOBase):
    """A decompressing reader that turns a corrupt or bomb-sized gzip into an IngestError."""

    def __init__(self, inner: IO[bytes], source: str) -> None:
        self.inner, self.source, self.total = inner, source, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        try:
            chunk = self.inner.read(len(buffer))
        except (OSError, EOFError, zlib.error) as err:
            raise IngestError(self.source, f"the gzip data is corrupt ({err})") from err
        self.total += len(chunk)
        if self.total > MAX_UNPACKED_BYTES:
            raise IngestError(self.source, f"unpacks to more than {MAX_UNPACKED_BYTES / 1e9:.0f} GB; refused")
        buffer[:len(chunk)] = chunk
        return len(chunk)


def _unpacked(inp: Input) -> tuple[IO[bytes], bool]:
    """The input's bytes, decompressed when gzipped; and whether it was."""
    raw = inp.open()
    gzipped = raw.read(2) == GZIP_MAGIC
    raw.seek(0)
    if not gzipped:
        return raw, False
    return io.BufferedReader(_Guarded(gzip.GzipFile(fileobj=raw), inp.source)), True


def _read_all(stream: IO[bytes], source: str, limit: int, what: str = "one text export") -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise IngestError(source, f"the file is more than {limit / 1e6:.0f} MB, the limit for {what} "
                                  "(PubMed XML has no limit)")
    return data


def _open_document(document: ModuleType, data: bytes, source: str) -> Opened:
    """A PDF or Word file: the text of its first pages read as pasted text is."""
    opened = open_prose(document.text_of(data, source), source)
    return Opened(document, opened.items, [f"read from the {document.FORMAT.upper()}'s text: check the "
                                           "title, authors and sections"])


def failure(source: str, err: BaseException, parser: str = "") -> IngestError:
    """The IngestError a parser's unexpected exception becomes (its cause is kept)."""
    log.warning("%s: %s parser failed", source, parser or "the", exc_info=err)
    if isinstance(err, RecursionError):
        reason = "nested too deeply to read (brackets or braces inside each other thousands of times)"
    elif isinstance(err, MemoryError):
        reason = "too large to read in the memory available"
    elif isinstance(err, UnicodeError):
        reason = f"the text cannot be decoded ({err})"
    else:
        reason = (f"the {parser + ' ' if parser else ''}parser could not read this file "
                  f"({type(err).__name__}: {str(err)[:200]})")
    error = IngestError(source, reason)
    error.__cause__ = err
    return error


def _guarded(items: Iterator[Item], source: str, parser: str) -> Iterator[Item]:
    """The parsed items; a parser failure part-way ends the stream with an IngestError."""
    try:
        yield from items
    except PARSER_FAILURES as err:
        yield failure(source, err, parser)


def open_input(inp: Input) -> Opened:
    """Sniff and open an input; IngestError when it cannot be read at all (whatever the parser
    raised), and a parser failure while reading becomes the stream's last item. Each record
    gets its journal's full title when the source gives only an abbreviation."""
    try:
        opened = _open(inp)
    except PARSER_FAILURES as err:
        raise failure(inp.source, err) from err
    opened.items = _guarded(_with_full_venue(opened.items), inp.source, opened.parser.NAME)
    return opened


_FUNCTION_WORDS = frozenset("a an and at for in of on the to und de la le der des du y e".split())


def _sentence_case(title: str) -> bool:
    """A title NLM-style, lower case after its first word ('The New England journal of medicine')."""
    words = [w for w in re.findall(r"[^\W\d_]+", title)[1:] if w not in _FUNCTION_WORDS and len(w) > 3]
    return any(w.islower() for w in words)


def _with_full_venue(items: Iterator[Item]) -> Iterator[Item]:
    """Records with venue_full from the journal list: the full title of an abbreviated venue,
    or the list's casing of a full title written in sentence case ('Health services research')."""
    for item in items:
        if isinstance(item, Record) and item.venue:
            given = item.venue_full
            # the source's own full title stands, unless NLM's sentence case ('Health services research')
            listed = full_title(given or item.venue) if not given or _sentence_case(given) else None
            full = listed or given
            item.venue_full = full if full and full != item.venue else None
        yield item


def _open(inp: Input) -> Opened:
    stream, gzipped = _unpacked(inp)
    with stream:
        head = stream.read(HEAD_BYTES)
        if pubmed_xml.sniff_bytes(head) > 0:
            return Opened(pubmed_xml, _stream_xml(inp))
        if gzipped:
            raise IngestError(inp.source, "a gzip file that does not hold PubMed XML")
        if (document := next((d for d in DOCUMENTS if d.sniff_bytes(head, inp.source)), None)) is not None:
            data = head + _read_all(stream, inp.source, MAX_DOCUMENT_BYTES - len(head), "one document")
            return _open_document(document, data, inp.source)
        if (root := pubmed_xml.other_xml_root(head)) is not None:
            raise IngestError(inp.source, f"XML with root <{root}> is not supported; export the "
                                          "records from PubMed as PubMed XML, MEDLINE, RIS or BibTeX")
        data = head + _read_all(stream, inp.source, MAX_EXPORT_BYTES - len(head))
    return _open_text(data, inp.source)


def _stream_xml(inp: Input) -> Iterator[Item]:
    """PubMed XML records straight from the (decompressed) file, closed when done."""
    stream, _ = _unpacked(inp)
    with stream:
        yield from pubmed_xml.iter_parse_stream(stream, source=inp.source)


def _open_text(data: bytes, source: str) -> Opened:
    decoded = decode_any(data, source)
    try:
        parser = choose_parser(decoded.text, source)
    except IngestError:
        if decoded.guessed:
            decode(data, source)  # raises why the bytes are not text: that is the problem to fix
        raise
    if parser is html_page:
        if len(data) > MAX_TEXT_BYTES:
            decode(data, source)  # raises the size error
        return _open_page(decoded.text, source)
    if not is_bibliographic(parser):
        if decoded.guessed or len(data) > MAX_TEXT_BYTES:
            decode(data, source)  # raises the prose error: not UTF-8, or too large
        return open_prose(decoded.text, source)
    notes = []
    items = parser.iter_parse(decoded.text, source=source)
    if decoded.guessed:
        note = (f"the file is not UTF-8; it was read as {decoded.encoding.upper()} — check accented "
                "and non-Latin characters")
        notes.append(note)
        items = _flagged(items, ReviewFlag(code="encoding-guessed", message=note))
    return Opened(parser, items, notes)


def open_prose(text: str, source: str) -> Opened:
    """Prose (pasted text, a page's or a document's text) read by the parser its layout fits."""
    _bound_prose(text, source)
    parser = choose_parser(text, source)
    unfolded = unfold(text)  # a reference and its abstract folded into one paragraph
    if unfolded != text:
        parser = choose_parser(unfolded, source)
    return Opened(parser, iter(parser.parse(unfolded, source=source)))


def _open_page(text: str, source: str) -> Opened:
    """A web page: its embedded metadata, or else its visible text read as prose (with what
    tags it has filled in)."""
    try:
        return Opened(html_page, iter(html_page.parse(text, source=source)))
    except html_page.PageText as page:
        fields = page.fields
        try:
            opened = open_prose(page.text, source)
        except IngestError as err:
            raise IngestError(source, "the page has no abstract and no citation metadata "
                                      f"({err.reason}); save the article's own page, or paste its abstract") from err
        records = (html_page.fill(r, fields) if isinstance(r, Record) else r for r in opened.items)
        return Opened(html_page, records, ["the page has no citation metadata: its text was read as pasted text"])


def _bound_prose(text: str, source: str) -> None:
    """IngestError for prose too long for section and role inference (characters or lines)."""
    if len(text) > MAX_PROSE_CHARS:
        raise IngestError(source, too_large(len(text), MAX_PROSE_CHARS, "this text")
                          + " (split it, or import it as a bibliographic export)")
    lines = sum(1 for line in text.splitlines() if line.strip())
    if lines > MAX_PROSE_LINES:
        raise IngestError(source, f"this text has {lines:,} lines, more than the {MAX_PROSE_LINES:,} "
                                  "one abstract or summary can hold (split it)")


def _flagged(items: Iterator[Item], flag: ReviewFlag) -> Iterator[Item]:
    for item in items:
        if hasattr(item, "review"):
            item.review.flags.append(flag)
        yield item
