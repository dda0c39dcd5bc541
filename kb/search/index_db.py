"""The SQLite side of the index: tables, and the rows a record becomes (records, findings, every
abstract sentence, FTS5 over findings and over the whole record)."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from kb.embed import text_hash
from kb.model.present import authors_line, library_row
from kb.model.schema import Finding, Record
from kb.search.lexical import cjk_bigrams
from kb.text.sentences import split_sentences

SCHEMA_VERSION = 7  # 7: records keep their library row (listing); 6: records_fts keeps no copy of the text

DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    rid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, stat TEXT NOT NULL, hash TEXT NOT NULL,
    title TEXT, authors TEXT NOT NULL, families TEXT NOT NULL, year INTEGER, venue TEXT,
    resource_type TEXT, designs TEXT NOT NULL, populations TEXT NOT NULL, languages TEXT NOT NULL,
    citation TEXT NOT NULL, glossary TEXT NOT NULL, n_findings INTEGER NOT NULL,
    lang_bits INTEGER NOT NULL, listing TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS findings (
    fid INTEGER PRIMARY KEY, rid INTEGER NOT NULL, finding_id TEXT NOT NULL, kind TEXT NOT NULL,
    role TEXT NOT NULL, section INTEGER NOT NULL, span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL, text TEXT NOT NULL, context TEXT NOT NULL, zh TEXT NOT NULL,
    zh_grams TEXT NOT NULL, themes TEXT NOT NULL, effects TEXT NOT NULL, vec_hash TEXT NOT NULL,
    theme_bits INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS codes (
    kind TEXT NOT NULL, name TEXT NOT NULL, bit INTEGER NOT NULL, PRIMARY KEY (kind, name));
CREATE INDEX IF NOT EXISTS findings_rid ON findings(rid);
CREATE VIRTUAL TABLE IF NOT EXISTS findings_fts USING fts5(
    text, context, content='findings', content_rowid='fid',
    tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS titles_fts USING fts5(
    title, content='records', content_rowid='rid', tokenize='porter unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS sentences (
    sid INTEGER PRIMARY KEY, rid INTEGER NOT NULL, section INTEGER NOT NULL,
    span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, text TEXT NOT NULL,
    fid INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sentences_rid ON sentences(rid);
CREATE VIRTUAL TABLE IF NOT EXISTS records_fts USING fts5(
    title, keywords, body, content='', tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS records_vocab USING fts5vocab(records_fts, 'row');
CREATE VIRTUAL TABLE IF NOT EXISTS findings_vocab USING fts5vocab(findings_fts, 'row');
CREATE VIRTUAL TABLE IF NOT EXISTS findings_zh USING fts5(
    zh_grams, content='findings', content_rowid='fid', tokenize='unicode61');
"""

RECORD_COLUMNS = ("rid", "id", "stat", "hash", "title", "authors", "families", "year", "venue",
                  "resource_type", "designs", "populations", "languages", "citation", "glossary",
                  "n_findings", "lang_bits", "listing")
FINDING_COLUMNS = ("fid", "rid", "finding_id", "kind", "role", "section", "span_start", "span_end",
                   "text", "context", "zh", "zh_grams", "themes", "effects", "vec_hash", "theme_bits")
SENTENCE_COLUMNS = ("sid", "rid", "section", "span_start", "span_end", "text", "fid")
TITLE_SECTION, KEYWORDS_SECTION = -1, -2  # sentence rows that hold the title and the keywords
WAL_LIMIT = 64 * 2**20  # bytes of write-ahead log kept on disk between checkpoints
BIG_CHANGE = 1_000  # records changed in one refresh past which the log is folded in at once
MAX_BITS = 63  # theme and language bitmasks live in one SQLite INTEGER


class Codes:
    """Stable bit positions of themes and languages, kept in the codes table."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.bits: dict[tuple[str, str], int] = {
            (k, n): b for k, n, b in db.execute("SELECT kind, name, bit FROM codes")}

    def bit(self, kind: str, name: str) -> int | None:
        """The bit of a theme/language, assigned on first sight (None once all 63 are taken)."""
        key = (kind, name)
        if key not in self.bits:
            used = sum(1 for k, _ in self.bits if k == kind)
            if used >= MAX_BITS:
                return None
            self.bits[key] = used
            self.db.execute("INSERT INTO codes VALUES (?, ?, ?)", (kind, name, used))
        return self.bits[key]

    def mask(self, kind: str, names: list[str]) -> int:
        """Bitmask of several names."""
        out = 0
        for name in names:
            bit = self.bit(kind, name)
            if bit is not None:
                out |= 1 << bit
        return out


def connect(path: str) -> sqlite3.Connection:
    """Open (creating if needed) the index database."""
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT}")  # the log shrinks back after a checkpoint
    db.executescript(DDL)
    return db


def connect_reader(path: str) -> sqlite3.Connection:
    """A second, read-only connection to an existing index database (for a reading thread)."""
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA query_only = 1")
    return db


def fold_log(db: sqlite3.Connection) -> None:
    """Fold the write-ahead log into the database and empty it (after a build, whose one
    transaction left a log as large as the database)."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def get_meta(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(db: sqlite3.Connection, key: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


STAMP_SQL = {  # (row id, what its vector is made from) of every row of a vector table
    "findings": "SELECT fid, vec_hash FROM findings",
    "sentences": "SELECT sid, section || ':' || text FROM sentences",  # sentences: by text
}
STAMP_MOD = 1 << 64


def _stamp_key(table: str) -> str:
    return f"stamp-{table}"


def row_stamp(row_id: int, vec_hash: str) -> int:
    """One row's share of its table's stamp: 64 bits of a hash of its id and its vector's text."""
    return int.from_bytes(hashlib.sha256(f"{row_id}:{vec_hash}".encode()).digest()[:8], "little")


def _format_stamp(count: int, total: int) -> str:
    return f"{count}:{total % STAMP_MOD:016x}"


def _parse_stamp(stamp: str) -> tuple[int, int]:
    count, total = stamp.split(":")
    return int(count), int(total, 16)


def computed_vector_stamp(db: sqlite3.Connection, table: str = "findings") -> str:
    """The stamp of a vector table recomputed from every row (what the running stamp kept in
    the meta table must always equal; used once for an index written before it was kept)."""
    count = total = 0
    for row_id, vec_hash in db.execute(STAMP_SQL[table]):
        total += row_stamp(row_id, vec_hash)
        count += 1
    return _format_stamp(count, total)


def legacy_vector_stamp(db: sqlite3.Connection, table: str = "findings") -> str:
    """The stamp vector files written before the running stamp carry (a sha256 over every row
    in id order), so those files still open."""
    digest = hashlib.sha256()
    count = 0
    for row_id, vec_hash in db.execute(STAMP_SQL[table] + (" ORDER BY fid" if table == "findings"
                                                           else " ORDER BY sid")):
        digest.update(f"{row_id}:{vec_hash}\n".encode())
        count += 1
    return f"{count}:{digest.hexdigest()[:32]}"


def vector_stamp(db: sqlite3.Connection, table: str = "findings") -> str:
    """What the vector files must have been written for: the number of rows of the table
    (findings or sentences) and the sum mod 2^64 of a 64-bit hash of every row id with its
    vector's text, as committed in this database (ids are reused after deletes, so counts or
    ids alone cannot tell stale vectors from current ones). The sum is kept in the meta table
    and changed in the same transaction as the rows (insert_record, delete_record), so reading
    it costs nothing however large the index; an index without it has it computed once."""
    stored = get_meta(db, _stamp_key(table))
    if stored is None:
        stored = computed_vector_stamp(db, table)
        set_meta(db, _stamp_key(table), stored)
    return stored


def _shift_stamp(db: sqlite3.Connection, table: str, rows: list[tuple[int, str]], sign: int) -> None:
    """Add (sign 1) or take out (sign -1) rows' shares of a table's running stamp."""
    if not rows:
        return
    count, total = _parse_stamp(vector_stamp(db, table))
    total += sign * sum(row_stamp(row_id, vec_hash) for row_id, vec_hash in rows)
    set_meta(db, _stamp_key(table), _format_stamp(count + sign * len(rows), total))


def record_languages(record: Record) -> list[str]:
    """The record's language and the languages of its translations."""
    return sorted({record.language, *record.translations, *record.title_translations})


def record_row(rid: int, record: Record, stat: str, digest: str, codes: Codes) -> tuple:
    """The records-table row of a record."""
    return (rid, record.id, stat, digest, record.title, authors_line(record),
            " ".join(a.ascii_family() for a in record.authors), record.year, record.venue,
            record.resource_type, json.dumps(record.study.design),
            json.dumps(record.study.population), json.dumps(record_languages(record)),
            record.citation_short(), json.dumps(record.glossary, ensure_ascii=False),
            len(record.findings), codes.mask("language", record_languages(record)),
            library_row(record).model_dump_json())


def vector_text(text: str, title: str | None) -> str:
    """What a finding's vector is made from: the finding, then its record's title (a short
    finding such as "used braided funds" means more beside "… Whole Person Care pilot program")."""
    return f"{text} | {title}" if title else text


def sentence_vector_text(text: str, section: int, title: str | None) -> str:
    """What a sentence's vector is made from: like a finding's (so a sentence that is a finding
    is embedded once, through the cache), the title row alone."""
    return vector_text(text, None if section == TITLE_SECTION else title)


def finding_context(record: Record, finding: Finding) -> str:
    """Text that helps keyword search find a short finding: its whole sentence and the title."""
    parts = []
    section = record.abstract[finding.section] if finding.section < len(record.abstract) else None
    if section is not None and finding.sentence_span and tuple(finding.sentence_span) != tuple(finding.span):
        start, end = finding.sentence_span
        parts.append(section.text[start:end])
    if record.title:
        parts.append(record.title)
    return " \n ".join(parts)


def finding_row(fid: int, rid: int, record: Record, finding: Finding, vec_hash: str,
                codes: Codes) -> tuple:
    """The findings-table row of a finding."""
    zh = finding.translations.get("zh", "")
    return (fid, rid, finding.id, finding.kind, finding.role, finding.section, finding.span[0],
            finding.span[1], finding.text, finding_context(record, finding), zh, cjk_bigrams(zh),
            json.dumps(finding.themes),
            json.dumps([e.model_dump(exclude_none=True) for e in finding.effects], ensure_ascii=False),
            vec_hash, codes.mask("theme", finding.themes))


def sentence_rows(sid: int, rid: int, record: Record, fids: list[int]) -> list[tuple]:
    """The sentences-table rows of a record: its title, its keywords, then every sentence of
    every abstract section (with the row id of a finding inside it, 0 when none)."""
    spans = [(f.section, f.span, fid) for f, fid in zip(record.findings, fids, strict=True)]
    rows: list[tuple] = []
    if record.title:
        rows.append((TITLE_SECTION, 0, len(record.title), record.title, 0))
    if record.keywords:
        keywords = "; ".join(record.keywords)
        rows.append((KEYWORDS_SECTION, 0, len(keywords), keywords, 0))
    for number, section in enumerate(record.abstract):
        for sentence in split_sentences(section.text):
            fid = next((f for s, (a, b), f in spans if s == number and a < sentence.end
                        and b > sentence.start), 0)
            rows.append((number, sentence.start, sentence.end, sentence.text, fid))
    return [(sid + i, rid, *row) for i, row in enumerate(rows)]


def record_fts_row(record: Record) -> tuple[str, str, str]:
    """(title, keywords, body) of the whole-record keyword index (what sentence_rows holds:
    indexed_record_fts_row rebuilds it from them to delete it)."""
    return (record.title or "", "; ".join(record.keywords),
            "\n".join(section.text for section in record.abstract))


def indexed_record_fts_row(db: sqlite3.Connection, rid: int) -> tuple[str, str, str]:
    """The (title, keywords, body) a record's row of the whole-record keyword index was made
    of, rebuilt from its sentence rows (that index keeps no copy of the text; the sentences
    hold every word of the title, the keywords and the abstract, in order, so the words and
    their positions are the same as record_fts_row's)."""
    title, keywords, body = "", "", []
    for section, text in db.execute("SELECT section, text FROM sentences WHERE rid = ? ORDER BY sid",
                                    (rid,)):
        if section == TITLE_SECTION:
            title = text
        elif section == KEYWORDS_SECTION:
            keywords = text
        else:
            body.append(text)
    return title, keywords, "\n".join(body)


def insert_record(db: sqlite3.Connection, rec_row: tuple, rows: list[tuple],
                  sentences: list[tuple], whole: tuple[str, str, str]) -> None:
    """Insert a record, its findings and its sentences, keeping the FTS tables and the
    running stamps in step."""
    # the stamps first: one computed from the tables (an index without it) must not count these
    _shift_stamp(db, "findings", [(r[0], r[14]) for r in rows], 1)
    _shift_stamp(db, "sentences", [(r[0], f"{r[2]}:{r[5]}") for r in sentences], 1)
    db.execute(f"INSERT INTO records VALUES ({','.join('?' * len(RECORD_COLUMNS))})", rec_row)
    if rec_row[4]:
        db.execute("INSERT INTO titles_fts(rowid, title) VALUES (?, ?)", (rec_row[0], rec_row[4]))
    # whole: record_fts_row of the record whose sentences these are (delete_record rebuilds it)
    db.execute("INSERT INTO records_fts(rowid, title, keywords, body) VALUES (?, ?, ?, ?)",
               (rec_row[0], *whole))
    db.executemany(f"INSERT INTO sentences VALUES ({','.join('?' * len(SENTENCE_COLUMNS))})",
                   sentences)
    db.executemany(f"INSERT INTO findings VALUES ({','.join('?' * len(FINDING_COLUMNS))})", rows)
    db.executemany("INSERT INTO findings_fts(rowid, text, context) VALUES (?, ?, ?)",
                   [(r[0], r[8], r[9]) for r in rows])
    db.executemany("INSERT INTO findings_zh(rowid, zh_grams) VALUES (?, ?)",
                   [(r[0], r[11]) for r in rows if r[11]])


def vector_hashes(db: sqlite3.Connection, rid: int) -> dict[str, list[tuple[int, str]]]:
    """(row id, hash of the vector text) of a record's findings and sentences, by table."""
    title_row = db.execute("SELECT title FROM records WHERE rid = ?", (rid,)).fetchone()
    title = title_row[0] if title_row else None
    return {"findings": db.execute("SELECT fid, vec_hash FROM findings WHERE rid = ?",
                                   (rid,)).fetchall(),
            "sentences": [(sid, text_hash(sentence_vector_text(text, section, title)))
                          for sid, section, text in db.execute(
                              "SELECT sid, section, text FROM sentences WHERE rid = ?", (rid,))]}


def delete_record(db: sqlite3.Connection, rid: int) -> tuple[list[int], list[int]]:
    """Delete a record, its findings and sentences (and their FTS entries); returns the finding
    ids and the sentence ids."""
    rows = db.execute("SELECT fid, text, context, zh_grams, vec_hash FROM findings WHERE rid = ?",
                      (rid,)).fetchall()
    db.executemany("INSERT INTO findings_fts(findings_fts, rowid, text, context) "
                   "VALUES ('delete', ?, ?, ?)", [(f, t, c) for f, t, c, _, _ in rows])
    db.executemany("INSERT INTO findings_zh(findings_zh, rowid, zh_grams) VALUES ('delete', ?, ?)",
                   [(f, z) for f, _, _, z, _ in rows if z])
    title = db.execute("SELECT title FROM records WHERE rid = ?", (rid,)).fetchone()
    if title and title[0]:
        db.execute("INSERT INTO titles_fts(titles_fts, rowid, title) VALUES ('delete', ?, ?)",
                   (rid, title[0]))
    sentences = db.execute("SELECT sid, section || ':' || text FROM sentences WHERE rid = ?",
                           (rid,)).fetchall()
    _shift_stamp(db, "findings", [(r[0], r[4]) for r in rows], -1)
    _shift_stamp(db, "sentences", sentences, -1)
    db.execute("INSERT INTO records_fts(records_fts, rowid, title, keywords, body) "
               "VALUES ('delete', ?, ?, ?, ?)", (rid, *indexed_record_fts_row(db, rid)))
    db.execute("DELETE FROM sentences WHERE rid = ?", (rid,))
    db.execute("DELETE FROM findings WHERE rid = ?", (rid,))
    db.execute("DELETE FROM records WHERE rid = ?", (rid,))
    return [r[0] for r in rows], [r[0] for r in sentences]
