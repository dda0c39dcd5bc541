"""The rows a record becomes in a PostgreSQL knowledge base's search index, and their writing:
its search_records row (with the whole-record tsvector: title A, keywords B, abstract C, each in
English stemming and as Chinese bigrams), its findings rows and its search_sentences rows (the
title, the keywords and every abstract sentence, as the folder index's sentences table has
them), with the texts their vectors are made of. A record's rows are replaced together, inside
the caller's transaction (kb.search.pg_index)."""

from __future__ import annotations

import hashlib
import json
from typing import NamedTuple

import numpy as np
import psycopg
from psycopg.types.json import Jsonb

from kb.model.present import authors_line, library_row
from kb.model.schema import Record
from kb.search import index_db
from kb.search.lexical import cjk_bigrams

FINDING_COLUMNS = ("rid", "record_id", "finding_id", "kind", "role", "section", "span_start",
                   "span_end", "text", "context", "zh", "zh_grams", "themes", "effects", "year",
                   "resource_type", "languages", "emb", "emb_ml")
RECORD_COLUMNS = ("id", "version", "title", "authors", "families", "year", "venue",
                  "resource_type", "designs", "populations", "languages", "citation", "glossary",
                  "listing", "findings_digest")
SENTENCE_COLUMNS = ("rid", "position", "section", "span_start", "span_end", "text", "has_finding", "emb")
# the whole-record tsvector from (title, its bigrams, keywords, theirs, abstract, its bigrams)
TSV_SQL = " || ".join(f"setweight(to_tsvector('english', %s) || to_tsvector('simple', %s), '{w}')"
                      for w in "ABC")
SPACES = ("main", "multilingual")


class IndexRows(NamedTuple):
    """A record's rows in the index: its search_records values, the six texts of its tsvector
    (TSV_SQL), its findings rows (without rid and vectors) and the text each finding's vector
    is made of, its sentence rows (without rid and vector) and the text of each one's vector
    (in the English model's space only)."""

    values: tuple
    words: tuple[str, ...]
    findings: list[list]
    texts: list[str]
    sentences: list[list]
    sentence_texts: list[str]

    @property
    def id(self) -> str:
        return str(self.values[0])

    @property
    def version(self) -> int:
        return int(self.values[1])

    @property
    def digest(self) -> str:
        return str(self.values[-1])


def record_values(record: Record, version: int, digest: str) -> tuple:
    """The search_records row of a record, but its tsvector (`digest`: of its other index rows)."""
    return (record.id, version, record.title, authors_line(record),
            " ".join(a.ascii_family() for a in record.authors), record.year, record.venue,
            record.resource_type, record.study.design, record.study.population,
            index_db.record_languages(record), record.citation_short(), Jsonb(record.glossary),
            library_row(record).model_dump_json(), digest)


def record_words(record: Record) -> tuple[str, ...]:
    """The texts of the whole-record tsvector: what the folder's records_fts row holds
    (index_db.record_fts_row), each also as Chinese bigrams."""
    out: list[str] = []
    for text in index_db.record_fts_row(record):
        out += [text, cjk_bigrams(text)]
    return tuple(out)


def finding_values(record: Record) -> list[list]:
    """The findings rows of a record (without rid and vectors)."""
    languages = index_db.record_languages(record)
    rows = []
    for f in record.findings:
        zh = f.translations.get("zh", "")
        rows.append([record.id, f.id, f.kind, f.role, f.section, f.span[0], f.span[1], f.text,
                     index_db.finding_context(record, f), zh, cjk_bigrams(zh), f.themes,
                     Jsonb([e.model_dump(exclude_none=True) for e in f.effects]), record.year,
                     record.resource_type, languages])
    return rows


def sentence_values(record: Record) -> tuple[list[list], list[str]]:
    """The search_sentences rows of a record (position, section, span, text, whether a finding
    lies in it; the folder's index_db.sentence_rows) and the text of each one's vector."""
    rows = index_db.sentence_rows(0, 0, record, list(range(1, len(record.findings) + 1)))
    values = [[sid, section, start, end, text, fid != 0] for sid, _, section, start, end, text, fid in rows]
    texts = [index_db.sentence_vector_text(text, section, record.title)
             for _, _, section, _, _, text, _ in rows]
    return values, texts


def vector_texts(record: Record) -> list[str]:
    """What each finding's vectors are made of, in the record's order of findings."""
    return [index_db.vector_text(f.text, record.title) for f in record.findings]


def _plain(value: object) -> object:
    if isinstance(value, Jsonb):
        return value.obj
    raise TypeError(f"cannot hash a {type(value).__name__}")


def rows_digest(*parts: object) -> str:
    """What a record's index rows and vector texts hash to: equal digests, equal rows."""
    data = json.dumps(list(parts), default=_plain, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def index_rows(record: Record, version: int) -> IndexRows:
    findings, texts = finding_values(record), vector_texts(record)
    sentences, sentence_texts = sentence_values(record)
    words = record_words(record)
    digest = rows_digest(findings, texts, sentences, sentence_texts, words)
    return IndexRows(record_values(record, version, digest), words, findings, texts, sentences,
                     sentence_texts)


KEEP_OR_DELETE = (f"WITH kept AS (UPDATE search_records SET ({', '.join(RECORD_COLUMNS[1:])}) = "
                  f"({', '.join(['%s'] * (len(RECORD_COLUMNS) - 1))}) WHERE id = %s AND findings_digest = %s "
                  "RETURNING rid), gone AS (DELETE FROM search_records WHERE id = %s AND NOT EXISTS "
                  "(SELECT FROM kept)) SELECT count(*) FROM kept")


def keep_or_delete(conn: psycopg.Connection, rows: IndexRows) -> bool:
    """In one statement: when the record's findings, sentences and words are indexed as `rows`
    has them already (the same digest), update its search_records row alone and return True;
    else delete its rows (findings and sentences cascade) for write_rows to write afresh, and
    return False."""
    row = conn.execute(KEEP_OR_DELETE, (*rows.values[1:], rows.id, rows.digest, rows.id)).fetchone()
    return bool(row and row[0])


INSERT_RECORD = (f"INSERT INTO search_records ({', '.join(RECORD_COLUMNS)}, tsv) VALUES "
                 f"({', '.join(['%s'] * len(RECORD_COLUMNS))}, {TSV_SQL}) RETURNING id, rid")


def write_rows(conn: psycopg.Connection, built: list[IndexRows], vectors: dict[str, np.ndarray | None], *,
               deleted: bool = False) -> None:
    """Replace these records' search_records, findings and search_sentences rows on `conn`
    (inside the caller's transaction): one delete (unless `deleted` already), the record rows
    in one pipelined batch, the findings and the sentences by COPY. `vectors` holds each
    space's vectors of every finding text of `built`, in order, and under "sentences" the
    English model's vectors of every sentence text."""
    if not built:
        return
    if not deleted:
        conn.execute("DELETE FROM search_records WHERE id = ANY(%s)", ([b.id for b in built],))
    rids: dict[str, int] = {}
    with conn.cursor() as cur:
        cur.executemany(INSERT_RECORD, [(*b.values, *b.words) for b in built], returning=True)
        while True:
            for record_id, rid in cur.fetchall():
                rids[record_id] = rid
            if not cur.nextset():
                break
    offset = 0
    with conn.cursor() as cur, cur.copy(f"COPY findings ({', '.join(FINDING_COLUMNS)}) FROM STDIN") as copy:
        for b in built:
            for i, finding in enumerate(b.findings):
                copy.write_row([rids[b.id], *finding, *[_vec(vectors.get(c), offset + i) for c in SPACES]])
            offset += len(b.texts)
    offset = 0
    with conn.cursor() as cur, cur.copy(f"COPY search_sentences ({', '.join(SENTENCE_COLUMNS)}) FROM STDIN") as copy:
        for b in built:
            for i, sentence in enumerate(b.sentences):
                copy.write_row([rids[b.id], *sentence, _vec(vectors.get("sentences"), offset + i)])
            offset += len(b.sentences)


def chosen_vectors(vectors: dict[str, np.ndarray | None], built: list[IndexRows],
                   keep: list[int]) -> dict[str, np.ndarray | None]:
    """The vectors of the records `keep` (positions in `built`) out of those of all of `built`."""
    counts = {"sentences": [len(b.sentences) for b in built]}
    out: dict[str, np.ndarray | None] = {}
    for name, block in vectors.items():
        if block is None:
            out[name] = None
            continue
        offsets = np.cumsum([0] + counts.get(name, [len(b.texts) for b in built]))
        out[name] = np.concatenate([block[offsets[i]:offsets[i + 1]] for i in keep] or [block[:0]])
    return out


def _vec(block: np.ndarray | None, i: int) -> np.ndarray | None:
    return None if block is None else block[i].astype(np.float32)
