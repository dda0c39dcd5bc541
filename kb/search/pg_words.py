"""Query words as PostgreSQL lexemes for the keyword arms (kb.search.pg_search for findings,
kb.search.pg_records for whole records): stemmed by PostgreSQL's english configuration, counted
in a table up to a cap, quoted into tsquery text (user text never reaches SQL otherwise)."""

from __future__ import annotations

import psycopg

from kb.search.acronyms import Expansion
from kb.search.keyword import RANK_BUDGET
from kb.search.lexical import query_terms


def quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


# Capped counts whose scans need no heap page that the visibility map marks all-visible: the
# select list is empty (`SELECT FROM`), so PostgreSQL counts from the GIN bitmap alone there.
COUNT_SQL = "SELECT count(*) FROM (SELECT FROM {table} WHERE {column} @@ {q} LIMIT {cap}) x"
DF_CAP = RANK_BUDGET + 1


class Lexemes:
    """Query words as tsquery text, stemmed by PostgreSQL's english configuration, and how many
    rows of a table (findings by default; search_records for the whole-record arm) contain
    them (counted up to a cap), remembered per index generation. The words of a query are
    stemmed and counted in one statement."""

    def __init__(self, conn: psycopg.Connection, cache: dict, *, table: str = "findings",
                 cap: int = DF_CAP) -> None:
        self.conn, self.table, self.cap = conn, table, cap
        prefix = "" if table == "findings" else f"{table}:"
        self.words: dict[tuple[str, bool], str] = cache.setdefault(f"{prefix}lexemes", {})
        self.counts: dict[str, int] = cache.setdefault(f"{prefix}df", {})

    def load(self, words: list[str], *, phrase: bool = False) -> None:
        missing = [w for w in dict.fromkeys(words) if (w, phrase) not in self.words]
        if missing:
            fn = "phraseto_tsquery" if phrase else "plainto_tsquery"
            count = COUNT_SQL.format(table=self.table, column="tsv", q="q", cap=self.cap)
            for word, text, df in self.conn.execute(
                    f"SELECT w, q::text, CASE WHEN q::text = '' THEN 0 ELSE ({count}) END "
                    f"FROM unnest(%s::text[]) w, LATERAL {fn}('english', w) q", (missing,)):
                self.words[(word, phrase)] = text
                if text:
                    self.counts.setdefault(text, int(df))

    def of(self, word: str, *, phrase: bool = False) -> str:
        self.load([word], phrase=phrase)
        return self.words[(word, phrase)]

    def df(self, tsq: str) -> int:
        """Rows matching a tsquery, counted up to the cap."""
        if not tsq:
            return 0
        if tsq not in self.counts:
            row = self.conn.execute(COUNT_SQL.format(table=self.table, column="tsv", q="%s::tsquery",
                                                     cap=self.cap), (tsq,)).fetchone()
            self.counts[tsq] = int(row[0]) if row else 0
        return self.counts[tsq]


def alternatives(lex: Lexemes, term: str, expansions: list[Expansion]) -> list[str]:
    out = [lex.of(term)]
    for exp in expansions:
        if exp.direction == "acronym→words" and exp.acronym.lower() == term:
            out += [lex.of(" ".join(query_terms(e, keep_stopwords=True)), phrase=True) for e in exp.expansions]
    return [a for a in out if a]


def any_of(parts: list[str]) -> str:
    parts = [p for p in dict.fromkeys(parts) if p]
    return " | ".join(f"({p})" for p in parts)


