"""The PostgreSQL backend: records as jsonb rows with typed columns, sources as bytes with their
sha256, curated documents, over a psycopg 3 connection pool. Concurrent writers are kept apart
by the database: one transaction per change, a unique DOI, row locks for read-change-write.
An attached RecordIndexer (the search index) writes a record's derived rows inside the
transaction that writes the record, so a reader sees both old or both new."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection, Container, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool
from pydantic import ValidationError

from kb.config import DB_CACHE_PREFIX, DB_POOL_MAX, index_dir
from kb.errors import (
    IdentifierTaken,
    ReadOnlyError,
    RecordError,
    RecordExists,
    RecordNotFound,
    StorageError,
)
from kb.model.schema import Record
from kb.store.base import Backend, Change
from kb.store.files import clean_suffix, describe_validation_error, serialize
from kb.store.journal import Changes, ChangeToken
from kb.store.pg_schema import migrate

log = logging.getLogger(__name__)
COLUMNS = ("id", "body", "file", "hash", "doi", "pmid", "title", "year", "resource_type", "review_status")
UPSERT = (f"INSERT INTO records ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))}) "
          "ON CONFLICT (id) DO UPDATE SET "
          + ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[1:])
          + ", version = nextval('record_versions'), updated_at = now() "
          "WHERE records.hash <> EXCLUDED.hash RETURNING version")
INSERT = (f"INSERT INTO records ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))}) "
          "RETURNING version")


class RecordIndexer(Protocol):
    """Keeps rows derived from a record (the search index) in the record's own transaction."""

    def index_record(self, conn: psycopg.Connection, record: Record, version: int, *,
                     fresh: bool = False) -> None:
        """Replace the derived rows of `record`, stored just now as `version`, on `conn`
        (`fresh`: its row was inserted just now, so it has no derived rows yet)."""
        ...

    def prepare(self, records: list[Record]) -> None:
        """Before these records are stored one transaction each: do the work that needs no
        transaction (their vectors) for all of them at once."""
        ...


def redact(url: str) -> str:
    """A database URL without its password (for messages and cache names)."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    host, port, db = info.get("host", "localhost"), info.get("port", "5432"), info.get("dbname", "")
    user = f"{info['user']}@" if info.get("user") else ""
    return f"postgresql://{user}{host}:{port}/{db}"


def _row(record: Record) -> tuple[tuple, str]:
    """The records-table values of a record, and its canonical text."""
    text = serialize(record)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    ids = record.identifiers
    return ((record.id, Jsonb(record.model_dump(mode="json")), text, digest, ids.doi, ids.pmid,
             record.title, record.year, record.resource_type, record.review.status), text)


def _validated(record: Record) -> Record:
    if not record.id:
        raise RecordError("cannot save a record without an id")
    return Record.model_validate(record.model_dump())


def _check_name(name: str) -> str:
    if not name or "/" in name or name.startswith("."):
        raise RecordError(f"not a document name: {name!r}")
    return name


class PostgresStore:
    """The records of one knowledge base in a PostgreSQL database (kb.store.base.RecordStore)."""

    backend: Backend = "postgresql"

    def __init__(self, url: str, home: Path, *, pool_size: int = DB_POOL_MAX) -> None:
        self.url = url
        self.home = Path(home)
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                migrate(conn)
        except psycopg.OperationalError as err:
            raise StorageError(f"cannot connect to {redact(url)}: {str(err).strip()}") from err
        self.pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=True,
                                   kwargs={"autocommit": True}, configure=_configure)
        self._writable: bool | None = None
        self.indexer: RecordIndexer | None = None  # attached by kb.search.pg_index

    @property
    def location(self) -> str:
        return redact(self.url)

    @property
    def cache_dir(self) -> Path:
        """.kb/pg-<digest>/ under the local home: this database's derived caches."""
        digest = hashlib.sha256(self.location.encode()).hexdigest()[:12]
        return index_dir(self.home) / f"{DB_CACHE_PREFIX}{digest}"

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection (autocommit; use `conn.transaction()` for several statements)."""
        try:
            with self.pool.connection() as conn:
                yield conn
        except psycopg.errors.InsufficientPrivilege as err:
            raise ReadOnlyError(f"your database role may not do this on {self.location} "
                                f"({str(err).strip()})") from err
        except psycopg.OperationalError as err:
            raise StorageError(f"the database {self.location} failed: {str(err).strip()}") from err

    def close(self) -> None:
        self.pool.close()

    # -- reading -------------------------------------------------------------------------
    def ids(self) -> list[str]:
        with self.connection() as conn:
            return [r[0] for r in conn.execute("SELECT id FROM records ORDER BY id")]

    def _parse(self, record_id: str, file: str) -> Record:
        """A record from its stored file text, validated."""
        try:
            return Record.model_validate_json(file)
        except ValidationError as err:
            raise RecordError(describe_validation_error(f"{self.location} record {record_id}", err)) from err

    def load(self, record_id: str) -> Record:
        with self.connection() as conn:
            row = conn.execute("SELECT file FROM records WHERE id = %s", (record_id,)).fetchone()
        if row is None:
            raise RecordNotFound(record_id)
        return self._parse(record_id, row[0])

    def _bodies(self) -> Iterator[tuple[str, str]]:
        with self.connection() as conn, conn.cursor() as cur:
            cur.execute("SELECT id, file FROM records ORDER BY id")
            yield from cur

    def load_all(self) -> list[Record]:
        return [self._parse(rid, body) for rid, body in self._bodies()]

    def readable(self) -> tuple[list[Record], list[str]]:
        records, problems = [], []
        for rid, body in self._bodies():
            try:
                records.append(self._parse(rid, body))
            except RecordError as err:
                problems.append(str(err))
        return records, problems

    def fingerprint(self) -> tuple:
        """(count, newest version): changes on every add, change and removal."""
        with self.connection() as conn:
            row = conn.execute("SELECT count(*), coalesce(max(version), 0) FROM records").fetchone()
        return tuple(row) if row else ()

    def changes_since(self, token: ChangeToken | None) -> Changes:
        """Never known here: the fingerprint is one cheap query, so readers compare it."""
        return Changes(token=token or ChangeToken())

    def stamps(self) -> dict[str, str]:
        with self.connection() as conn:
            return {rid: str(v) for rid, v in conn.execute("SELECT id, version FROM records")}

    def stamp(self, record_id: str) -> str:
        with self.connection() as conn:
            row = conn.execute("SELECT version FROM records WHERE id = %s", (record_id,)).fetchone()
        if row is None:
            raise RecordNotFound(record_id)
        return str(row[0])

    def source_bytes(self, sha: str) -> bytes | None:
        with self.connection() as conn:
            row = conn.execute("SELECT data FROM sources WHERE sha256 = %s", (sha,)).fetchone()
        return bytes(row[0]) if row else None

    def source_text(self, sha: str) -> str | None:
        data = self.source_bytes(sha)
        try:
            return data.decode("utf-8-sig") if data is not None else None
        except UnicodeDecodeError:
            return None

    def source_hashes(self) -> list[str]:
        with self.connection() as conn:
            return [r[0] for r in conn.execute("SELECT sha256 FROM sources ORDER BY sha256")]

    def source_suffix(self, sha: str) -> str | None:
        with self.connection() as conn:
            row = conn.execute("SELECT suffix FROM sources WHERE sha256 = %s", (sha,)).fetchone()
        return row[0] if row else None

    def iter_problems(self) -> Iterator[str]:
        """Records that do not validate, and sources missing or whose bytes changed."""
        with self.connection() as conn:
            actual = dict(conn.execute("SELECT sha256, encode(sha256(data), 'hex') FROM sources"))
        for rid, body in self._bodies():
            try:
                record = self._parse(rid, body)
            except RecordError as err:
                yield str(err)
                continue
            for src in record.sources:
                if src.sha256 not in actual:
                    yield f"{record.id}: source {src.sha256[:12]}… is missing from the database"
                elif actual[src.sha256] != src.sha256:
                    yield f"{record.id}: source {src.sha256[:12]}… was changed (hash {actual[src.sha256][:12]}…)"

    def read_document(self, name: str) -> bytes | None:
        with self.connection() as conn:
            row = conn.execute("SELECT data FROM documents WHERE name = %s", (_check_name(name),)).fetchone()
        return bytes(row[0]) if row else None

    def stored_meanwhile(self, dois: Collection[str], *, known: Container[str] = ()) -> list[Record]:
        """Every stored record holding one of these DOIs whose id is not `known` (other writers
        store records at any time): one query on the unique DOI index, its known rows unread."""
        if not dois:
            return []
        with self.connection() as conn:
            rows = conn.execute("SELECT id FROM records WHERE doi = ANY(%s) ORDER BY id",
                                (sorted(set(dois)),)).fetchall()
            unknown = [rid for (rid,) in rows if rid not in known]
            if not unknown:
                return []
            rows = conn.execute("SELECT id, file FROM records WHERE id = ANY(%s) ORDER BY id", (unknown,)).fetchall()
        return [self._parse(rid, body) for rid, body in rows]

    def can_write(self) -> bool:
        """Whether this role may insert records (a kb_researcher may not)."""
        if self._writable is None:
            with self.connection() as conn:
                row = conn.execute("SELECT has_table_privilege(current_user, 'records', 'INSERT')").fetchone()
            self._writable = bool(row and row[0])
        return self._writable

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def lock(self, timeout: float = 0.0) -> Iterator[None]:
        """No lock: each change is a transaction and the constraints keep writers apart."""
        yield

    def _taken(self, conn: psycopg.Connection, err: psycopg.errors.UniqueViolation,
               record: Record) -> Exception:
        """The KBError a unique violation on saving `record` means."""
        constraint = getattr(err.diag, "constraint_name", "") or ""
        doi = record.identifiers.doi
        if constraint == "records_doi" and doi:
            row = conn.execute("SELECT id FROM records WHERE doi = %s", (doi,)).fetchone()
            return IdentifierTaken("doi", doi, row[0] if row else "?")
        return RecordExists(record.id)

    def save(self, record: Record) -> bool:
        """Insert or replace a record; False when the stored one had the same text."""
        record = _validated(record)
        values, _ = _row(record)
        with self.connection() as conn:
            try:
                with conn.transaction():
                    return self._written(conn, record, conn.execute(UPSERT, values).fetchone())
            except psycopg.errors.UniqueViolation as err:
                raise self._taken(conn, err, record) from err

    def insert(self, record: Record) -> None:
        record = _validated(record)
        values, _ = _row(record)
        with self.connection() as conn:
            try:
                with conn.transaction():
                    self._written(conn, record, conn.execute(INSERT, values).fetchone(), fresh=True)
            except psycopg.errors.UniqueViolation as err:
                raise self._taken(conn, err, record) from err

    def update(self, record_id: str, change: Change) -> tuple[Record, bool]:
        """Read the record with a row lock, change it and write it back in one transaction."""
        with self.connection() as conn:
            try:
                with conn.transaction():
                    row = conn.execute("SELECT file FROM records WHERE id = %s FOR UPDATE",
                                       (record_id,)).fetchone()
                    if row is None:
                        raise RecordNotFound(record_id)
                    new = _validated(change(self._parse(record_id, row[0])))
                    values, _ = _row(new)
                    if new.id == record_id:
                        return new, self._written(conn, new, conn.execute(UPSERT, values).fetchone())
                    conn.execute("DELETE FROM records WHERE id = %s", (record_id,))
                    self._written(conn, new, conn.execute(INSERT, values).fetchone(), fresh=True)
                    return new, True
            except psycopg.errors.UniqueViolation as err:
                raise self._taken(conn, err, new) from err

    def _written(self, conn: psycopg.Connection, record: Record, row: tuple | None, *,
                 fresh: bool = False) -> bool:
        """After a record's row was written (`row` holds its new version; None: the same text
        was stored already): its derived rows, in the same transaction (`fresh`: a row just
        inserted, whose derived rows cannot exist: they cascade from the records row)."""
        if row is None:
            return False
        if self.indexer is not None:
            self.indexer.index_record(conn, record, int(row[0]), fresh=fresh)
        return True

    def delete(self, record_id: str) -> None:
        with self.connection() as conn:
            conn.execute("DELETE FROM records WHERE id = %s", (record_id,))

    def save_source(self, data: bytes, suffix: str) -> str:
        sha = hashlib.sha256(data).hexdigest()
        with self.connection() as conn:
            conn.execute("INSERT INTO sources (sha256, suffix, data) VALUES (%s, %s, %s) "
                         "ON CONFLICT (sha256) DO NOTHING", (sha, clean_suffix(suffix), data))
        return sha

    def save_source_file(self, path: Path, sha: str, suffix: str) -> None:
        with self.connection() as conn:
            if conn.execute("SELECT 1 FROM sources WHERE sha256 = %s", (sha,)).fetchone():
                return
        data = Path(path).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha:
            raise RecordError(f"{path}: the file changed while it was being read")
        self.save_source(data, suffix)

    def write_document(self, name: str, data: bytes) -> None:
        with self.connection() as conn:
            conn.execute("INSERT INTO documents (name, data) VALUES (%s, %s) ON CONFLICT (name) "
                         "DO UPDATE SET data = EXCLUDED.data, updated_at = now()", (_check_name(name), data))


def _configure(conn: psycopg.Connection) -> None:
    """Every pooled connection understands pgvector's vector type."""
    from pgvector.psycopg import register_vector

    register_vector(conn)
