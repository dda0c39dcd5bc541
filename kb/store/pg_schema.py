"""The PostgreSQL schema as numbered migrations, each applied once and recorded in kb_migrations.

Truth: `records` (the record JSON as jsonb for queries, its file text byte for byte — jsonb
reorders object keys — and typed columns; a DOI is unique), `sources` (raw
inputs as bytes with their sha256) and `documents` (curated files such as _decisions.json).
Derived (kb.search.pg_index keeps them; `kb reindex --full` rebuilds them): `search_records`
(with a whole-record tsvector), `findings` and `search_sentences` (every title, keywords and
abstract sentence of a record; tsvector + GIN for keywords, pgvector columns for meaning). Roles: kb_researcher may
read, kb_librarian may also write; the database enforces it.
"""

from __future__ import annotations

import logging

import psycopg

from kb.errors import StorageError

log = logging.getLogger(__name__)

READER_ROLE = "kb_researcher"
EDITOR_ROLE = "kb_librarian"
ADVISORY_KEY = 7_320_020  # serialises two processes migrating the same database at once

M001_TABLES = """
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE kb_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE SEQUENCE record_versions;
CREATE TABLE records (
    id text PRIMARY KEY,
    body jsonb NOT NULL,
    file text NOT NULL,
    hash text NOT NULL,
    version bigint NOT NULL DEFAULT nextval('record_versions'),
    doi text,
    pmid text,
    title text,
    year integer,
    resource_type text,
    review_status text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now());
CREATE UNIQUE INDEX records_doi ON records (doi) WHERE doi IS NOT NULL;
CREATE INDEX records_pmid ON records (pmid) WHERE pmid IS NOT NULL;
CREATE TABLE sources (
    sha256 text PRIMARY KEY,
    suffix text NOT NULL,
    data bytea NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE documents (
    name text PRIMARY KEY,
    data bytea NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now());
"""

M002_SEARCH = """
CREATE TABLE search_records (
    rid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE REFERENCES records (id) ON DELETE CASCADE,
    version bigint NOT NULL,
    title text,
    authors text NOT NULL,
    families text NOT NULL,
    year integer,
    venue text,
    resource_type text,
    designs text[] NOT NULL,
    populations text[] NOT NULL,
    languages text[] NOT NULL,
    citation text NOT NULL,
    glossary jsonb NOT NULL,
    title_tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, ''))) STORED);
CREATE INDEX search_records_title ON search_records USING gin (title_tsv);
CREATE TABLE findings (
    fid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rid bigint NOT NULL REFERENCES search_records (rid) ON DELETE CASCADE,
    record_id text NOT NULL,
    finding_id text NOT NULL,
    kind text NOT NULL,
    role text NOT NULL,
    section integer NOT NULL,
    span_start integer NOT NULL,
    span_end integer NOT NULL,
    text text NOT NULL,
    context text NOT NULL,
    zh text NOT NULL,
    zh_grams text NOT NULL,
    themes text[] NOT NULL,
    effects jsonb NOT NULL,
    year integer,
    resource_type text,
    languages text[] NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', text), 'A') || setweight(to_tsvector('english', context), 'B')) STORED,
    zh_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', zh_grams)) STORED,
    emb vector,
    emb_ml vector);
CREATE INDEX findings_rid ON findings (rid);
CREATE INDEX findings_tsv ON findings USING gin (tsv);
CREATE INDEX findings_zh ON findings USING gin (zh_tsv);
CREATE INDEX findings_kind ON findings (kind);
CREATE INDEX findings_themes ON findings USING gin (themes);
CREATE INDEX findings_year ON findings (year);
"""

M003_ROLES = f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
    CREATE ROLE {READER_ROLE} NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{EDITOR_ROLE}') THEN
    CREATE ROLE {EDITOR_ROLE} NOLOGIN IN ROLE {READER_ROLE}; END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'cannot create the roles {READER_ROLE} and {EDITOR_ROLE}: ask an administrator';
END $$;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER_ROLE};
GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {EDITOR_ROLE};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {EDITOR_ROLE};
REVOKE INSERT, UPDATE, DELETE ON kb_migrations FROM {EDITOR_ROLE};
"""

# what a record's findings rows and vector texts hash to (kb.search.pg_index): a change that
# leaves them as they were (a merge adding a source) updates the record's row only
M004_FINDINGS_DIGEST = "ALTER TABLE search_records ADD COLUMN findings_digest text;"

# the record-level arms of search (kb.search.pg_records): keywords over the whole record (title
# A, keywords B, every abstract sentence C; English stemming and Chinese bigrams) and every
# sentence by meaning. Every indexed record's version is reset, so the next refresh of a writer
# (`kb` opening the knowledge base) re-indexes it with its new rows; until then its old rows
# keep answering through its findings.
M005_RECORD_ARMS = f"""
ALTER TABLE search_records ADD COLUMN tsv tsvector;
CREATE INDEX search_records_tsv ON search_records USING gin (tsv);
CREATE TABLE search_sentences (
    sid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rid bigint NOT NULL REFERENCES search_records (rid) ON DELETE CASCADE,
    position integer NOT NULL,
    section integer NOT NULL,
    span_start integer NOT NULL,
    span_end integer NOT NULL,
    text text NOT NULL,
    has_finding boolean NOT NULL,
    emb vector);
CREATE INDEX search_sentences_rid ON search_sentences (rid);
UPDATE search_records SET version = 0;
DO $$ BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{EDITOR_ROLE}') THEN
    GRANT SELECT ON search_sentences TO {READER_ROLE};
    GRANT INSERT, UPDATE, DELETE ON search_sentences TO {EDITOR_ROLE};
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {EDITOR_ROLE};
  END IF;
END $$;
"""

# every record's library row (kb.model.present.LibraryRow as JSON text), so the app's Library and
# Record pages list a knowledge base without reading its records; the reset re-indexes every record
M006_LISTING = """
ALTER TABLE search_records ADD COLUMN listing text NOT NULL DEFAULT '';
UPDATE search_records SET version = 0;
"""

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "m001_create_tables", M001_TABLES),
    (2, "m002_search_tables", M002_SEARCH),
    (3, "m003_roles", M003_ROLES),
    (4, "m004_findings_digest", M004_FINDINGS_DIGEST),
    (5, "m005_record_arms", M005_RECORD_ARMS),
    (6, "m006_listing", M006_LISTING),
]
LATEST = MIGRATIONS[-1][0]


def applied(conn: psycopg.Connection) -> set[int]:
    """The versions already applied (none on an empty database)."""
    exists = conn.execute("SELECT to_regclass('kb_migrations') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return set()
    return {row[0] for row in conn.execute("SELECT version FROM kb_migrations")}


def migrate(conn: psycopg.Connection) -> list[str]:
    """Apply the missing migrations in order, each in its own transaction; returns their names.
    A role that may not change the schema gets a clear error when something is missing."""
    done = applied(conn)
    if all(v in done for v, _, _ in MIGRATIONS):
        return []
    names: list[str] = []
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_KEY,))
            conn.execute("CREATE TABLE IF NOT EXISTS kb_migrations (version integer PRIMARY KEY, "
                         "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
            done = applied(conn)
            for version, name, ddl in MIGRATIONS:
                if version in done:
                    continue
                conn.execute(ddl)  # our own constant DDL
                conn.execute("INSERT INTO kb_migrations (version, name) VALUES (%s, %s)", (version, name))
                names.append(name)
                log.info("database migration applied: %s", name)
    except psycopg.errors.InsufficientPrivilege as err:
        raise StorageError("the database's schema is missing or out of date and this role may not "
                           "change it: run any `kb --db URL …` command once as the database's owner"
                           ) from err
    return names

