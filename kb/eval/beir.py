"""Record-level retrieval on a BEIR-format dataset (corpus.jsonl, queries.jsonl, qrels/<split>.tsv):
the corpus becomes the records of a knowledge base of its own (abstracts split and findings
extracted as on any import, never the user's records), the judged queries run through the
product's ranking, and nDCG@10, recall@10/100 and MRR are given for hybrid, keyword and meaning
search beside plain BM25 (bm25s, Lucene's formula, k1 1.2, b 0.75, English stemmer and stop
words) over the same documents, computed in the same run."""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from kb.errors import KBError
from kb.eval.metrics import ndcg, reciprocal_rank

log = logging.getLogger(__name__)
ARMS = ("hybrid", "lexical", "dense")
DEPTH = 100
MARKER = "beir-corpus.sha256"  # in the KB home: the corpus its records were made from


class BeirDoc(BaseModel):
    id: str = Field(alias="_id")
    title: str = ""
    text: str = ""


class BeirSet(BaseModel):
    """A corpus with the queries of one split and their judgements."""

    docs: list[BeirDoc]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]   # query id → doc id → grade (> 0 relevant)
    digest: str = ""


class ArmScores(BaseModel):
    """Mean scores of one system over the judged queries."""

    n: int
    ndcg_at_10: float
    recall_at_10: float
    recall_at_100: float
    mrr: float

    def short(self) -> dict[str, float]:
        return {"ndcg@10": round(self.ndcg_at_10, 4), "recall@10": round(self.recall_at_10, 4),
                "recall@100": round(self.recall_at_100, 4), "mrr": round(self.mrr, 4)}


def _jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        yield number, json.loads(line)
                    except ValueError as err:
                        raise KBError(f"{path}: line {number} is not JSON ({err})") from err
    except OSError as err:
        raise KBError(f"{path}: cannot read it ({err.strerror or err})") from err


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    """query id → doc id → grade from a BEIR qrels TSV (header query-id, corpus-id, score)."""
    out: dict[str, dict[str, int]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.reader(handle, delimiter="\t"), 1):
                if number == 1 and row and not row[-1].strip().lstrip("-").isdigit():
                    continue  # the header
                if len(row) != 3 or not row[2].strip().lstrip("-").isdigit():
                    raise KBError(f"{path}: line {number} is not 'query-id, corpus-id, score'")
                out.setdefault(row[0].strip(), {})[row[1].strip()] = int(row[2])
    except OSError as err:
        raise KBError(f"{path}: cannot read it ({err.strerror or err})") from err
    return out


def load_beir(folder: Path, split: str) -> BeirSet:
    """The corpus, the judged queries of `split` and their qrels."""
    folder = Path(folder)
    qrels = load_qrels(folder / "qrels" / f"{split}.tsv")
    docs, sha = [], hashlib.sha256()
    corpus = folder / "corpus.jsonl"
    for number, row in _jsonl(corpus):
        try:
            docs.append(BeirDoc.model_validate(row))
        except ValidationError as err:
            raise KBError(f"{corpus}: line {number}: {err.errors()[0]['msg']}") from err
        sha.update(json.dumps(row, sort_keys=True).encode())
    queries = {str(row.get("_id")): str(row.get("text", ""))
               for _, row in _jsonl(folder / "queries.jsonl")}
    missing = sorted(set(qrels) - set(queries))
    if missing:
        raise KBError(f"{folder / 'queries.jsonl'}: no text for judged query {missing[0]}")
    return BeirSet(docs=docs, queries={q: queries[q] for q in qrels}, qrels=qrels,
                   digest=sha.hexdigest())


def record_id(doc_id: str) -> str:
    """The record id a BEIR document is stored under (letters, digits and dashes)."""
    return "beir-" + (re.sub(r"[^a-z0-9]+", "-", doc_id.lower()).strip("-") or "x")[:110]


def build_home(data: BeirSet, home: Path) -> int:
    """Make the corpus the records of `home` (skipped when it already holds this corpus);
    returns how many records were written."""
    from ingest.biblio import abstract_parts
    from kb.model.schema import Record
    from kb.ops.enrich import Enricher
    from kb.store import Store

    marker = home / MARKER
    if marker.exists() and marker.read_text().strip() == data.digest:
        return 0
    store, enrich = Store(home), Enricher(home, use_embeddings=False)
    written = 0
    for doc in data.docs:
        language, sections, translations = abstract_parts([doc.text] if doc.text.strip() else [])
        record = Record(id=record_id(doc.id), title=doc.title.strip() or None, abstract=sections,
                        translations=translations, language=language or "en")
        store.save(enrich(record))
        written += 1
        if written % 500 == 0:
            log.info("beir: %d of %d records written", written, len(data.docs))
    marker.write_text(data.digest + "\n")
    return written


def score_runs(runs: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> ArmScores:
    """Mean nDCG@10, recall@10, recall@100 and MRR of ranked doc ids per query."""
    rows = []
    for qid, judged in qrels.items():
        relevant = {d for d, g in judged.items() if g > 0}
        if not relevant:
            continue
        ranked = runs.get(qid, [])
        gains = [float(judged.get(d, 0)) for d in ranked]
        rows.append((ndcg(gains, [float(g) for g in judged.values() if g > 0], 10),
                     len(relevant & set(ranked[:10])) / len(relevant),
                     len(relevant & set(ranked[:100])) / len(relevant),
                     reciprocal_rank([d in relevant for d in ranked])))
    n = len(rows)
    means = [sum(r[i] for r in rows) / n if n else 0.0 for i in range(4)]
    return ArmScores(n=n, ndcg_at_10=means[0], recall_at_10=means[1], recall_at_100=means[2],
                     mrr=means[3])


def bm25_runs(data: BeirSet, depth: int = DEPTH) -> dict[str, list[str]]:
    """Plain BM25 over title + text of every document (the baseline)."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    texts = [f"{d.title} {d.text}" for d in data.docs]
    retriever = bm25s.BM25(k1=1.2, b=0.75)
    retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False),
                    show_progress=False)
    qids = list(data.queries)
    tokens = bm25s.tokenize([data.queries[q] for q in qids], stopwords="en", stemmer=stemmer,
                            show_progress=False)
    found, _ = retriever.retrieve(tokens, k=min(depth, len(texts)), show_progress=False)
    return {q: [data.docs[i].id for i in row] for q, row in zip(qids, found.tolist(), strict=True)}


def product_runs(rank: Callable[[str], list[str]], data: BeirSet) -> dict[str, list[str]]:
    """Doc ids ranked by one of the product's modes (`rank`: query → record ids)."""
    back = {record_id(d.id): d.id for d in data.docs}
    return {q: [back[r] for r in rank(text) if r in back] for q, text in data.queries.items()}


@contextmanager
def beir_home(home: Path | None) -> Iterator[Path]:
    """The given work folder (kept: records and embeddings are reused next time) or a
    temporary one."""
    if home is not None:
        home.mkdir(parents=True, exist_ok=True)
        if (home / "records").is_dir() and not (home / MARKER).exists() and \
                any((home / "records").glob("*.json")):
            raise KBError(f"{home}: holds records that are not a BEIR corpus; give an empty folder")
        yield home
        return
    with tempfile.TemporaryDirectory(prefix="kb-beir-") as tmp:
        yield Path(tmp)


def beir_scores(folder: Path, split: str = "test", home: Path | None = None,
                arms: tuple[str, ...] = ARMS, *, keywords_only: bool = False) -> dict[str, ArmScores]:
    """Scores of the product's modes and of plain BM25 on one split of a BEIR dataset.
    `keywords_only`: score the keyword arm alone, with no embedding model loaded (the index's
    vector spaces hold the deterministic fake embedder's vectors, which keyword search never
    reads), for machines where embedding the corpus would take too long."""
    from kb.embed import FakeEmbedder
    from kb.search.hybrid import rank_records
    from kb.search.index import Index

    data = load_beir(folder, split)
    out: dict[str, ArmScores] = {}
    if keywords_only:
        arms = ("lexical",)
    with beir_home(home) as where:
        build_home(data, where)
        index = (Index.open(where, FakeEmbedder(), multilingual=False) if keywords_only
                 else Index.open(where))
        try:
            for mode in arms:
                runs = product_runs(lambda q, m=mode: rank_records(index, q, k=DEPTH, mode=m), data)
                out[mode] = score_runs(runs, data.qrels)
        finally:
            index.close()
    out["bm25"] = score_runs(bm25_runs(data), data.qrels)
    return out


def beir_json(scores: dict[str, ArmScores]) -> str:
    return json.dumps({name: s.short() for name, s in scores.items()}, indent=2)


def beir_table(scores: dict[str, ArmScores], title: str) -> str:
    lines = [title, f"{'system':<8} {'n':>4}  {'nDCG@10':>7}  {'R@10':>6}  {'R@100':>6}  {'MRR':>6}"]
    for name, s in scores.items():
        lines.append(f"{name:<8} {s.n:>4}  {s.ndcg_at_10:>7.4f}  {s.recall_at_10:>6.4f}  "
                     f"{s.recall_at_100:>6.4f}  {s.mrr:>6.4f}")
    return "\n".join(lines)
