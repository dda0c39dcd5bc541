"""Speed benchmark (issue 19): the shipped default embedder against plain sentence-transformers
float32 (torch) on the same real texts in the same run — throughput, query-embedding latency,
cold load, the dense arm's nDCG@10 on the judged queries of `kb eval search`, and hybrid query
latency over a knowledge base of real finding sentences.

Texts are real abstract sentences (split by kb.text.sentences) from the repository's own data:
tests/gold/kinds/abstracts.jsonl, the section texts of tests/gold/roles/*.jsonl.gz and the web
captures tests/data/captures/*.txt (their MANIFESTs give each file's origin). Larger corpora are
made by sampling them with replacement; a repeated sentence gets a small perturbation (one word
dropped) so no two findings are equal and the keyword arm still sees a real vocabulary. As in
benchmarks/search_bench.py, a perturbed copy's vectors are its source sentence's real vectors
plus fixed noise (10k findings would otherwise take minutes to encode); queries are encoded by
the real models at query time. nDCG needs ../shared/data/external (the evaluation corpus).

    nice -n 10 python benchmarks/speed_bench.py --quick   # < 5 minutes on 2 cores
    nice -n 10 python benchmarks/speed_bench.py           # more texts, 10k and 100k findings

The last line is `embedding_speedup=X.XX ndcg_ratio=Y.YYY query_p95_ms=Z`: int8 texts/s over
torch texts/s, int8 dense nDCG@10 over torch dense nDCG@10 (all judged queries), and the hybrid
p95 (k = 10, with query embedding) at the smallest size.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from kb.config import embed_backend, thread_count
from kb.embed import (
    Embedder,
    SentenceTransformerEmbedder,
    get_multilingual_embedder,
    int8_embedder,
    model_embedder,
)
from kb.model.taxonomy import load_taxonomy
from kb.search.hybrid import search
from kb.search.index import Index
from kb.text.sentences import split_sentences

GOLD, DATA = ROOT / "tests" / "gold", ROOT / "tests" / "data"
FINDINGS_PER_RECORD = 10
KINDS = ["strategy", "barrier", "facilitator", "outcome", "result", "recommendation", "conclusion"]


# --- real texts --------------------------------------------------------------------------------

def _abstract_texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in
             (GOLD / "kinds" / "abstracts.jsonl").read_text(encoding="utf-8").splitlines() if line]
    for path in sorted((GOLD / "roles").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                texts.extend(s["text"] for s in json.loads(line).get("sections", []) if s.get("text"))
    texts.extend(p.read_text(encoding="utf-8") for p in sorted((DATA / "captures").glob("*.txt")))
    return texts


def real_sentences() -> list[str]:
    """Distinct real sentences of 40–400 characters, in a shuffled but fixed order."""
    seen: dict[str, None] = {}
    for text in _abstract_texts():
        for sentence in split_sentences(text):
            words = " ".join(sentence.text.split())
            if 40 <= len(words) <= 400 and len(words.split()) >= 6:
                seen.setdefault(words, None)
    out = list(seen)
    random.Random(5).shuffle(out)
    return out


def perturbed(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    del words[rng.randrange(len(words))]
    return " ".join(words)


def sample(sentences: list[str], n: int, seed: int) -> list[tuple[int, str]]:
    """n (source row, text) pairs: every sentence once, then perturbed copies of random ones."""
    rng = random.Random(seed)
    rows = list(range(len(sentences)))
    rng.shuffle(rows)
    out = [(i, sentences[i]) for i in rows[:n]]
    while len(out) < n:
        i = rng.randrange(len(sentences))
        out.append((i, perturbed(sentences[i], rng)))
    return out


# --- embedding ---------------------------------------------------------------------------------

COLD = ("import time; t = time.perf_counter(); from kb.embed import model_embedder; "
        "model_embedder().encode(['a first query']); print(time.perf_counter() - t)")


def cold_start(backend: str) -> float:
    """Seconds a fresh process takes from importing kb.embed to its first query vector (what a
    `kb search` or an app start pays for the English model), with KB_EMBED_BACKEND=backend."""
    env = {**os.environ, "KB_EMBED_BACKEND": backend, "KB_EMBEDDER": "model"}
    done = subprocess.run([sys.executable, "-c", COLD], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return float(done.stdout.split()[-1])


def throughput(models: dict[str, Embedder], texts: list[str], rounds: int) -> dict[str, tuple[float, np.ndarray]]:
    """Texts/s of each model on the same texts, in interleaved chunks (so a change in the load
    of a shared machine falls on every model alike), and the vectors."""
    seconds = dict.fromkeys(models, 0.0)
    parts: dict[str, list[np.ndarray]] = {name: [] for name in models}
    step = -(-len(texts) // rounds)
    for start in range(0, len(texts), step):
        chunk = texts[start:start + step]
        for name, model in models.items():
            began = time.perf_counter()
            parts[name].append(model.encode(chunk))
            seconds[name] += time.perf_counter() - began
    return {name: (len(texts) / seconds[name], np.concatenate(parts[name])) for name in models}


def query_latency(embedder: Embedder, queries: list[str]) -> tuple[float, float]:
    times = []
    for q in queries:
        started = time.perf_counter()
        embedder.encode([q])
        times.append((time.perf_counter() - started) * 1000)
    return percentiles(times)


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


# --- relevance ---------------------------------------------------------------------------------

def dense_ndcg(models: dict[str, Embedder], external: Path | None) -> dict[str, dict[str, float]]:
    """nDCG@10 of the dense and hybrid arms (English model only) per model over the evaluation
    corpus of `kb eval search`, per group (all, tune, heldout); one corpus, indexed per model."""
    import kb.eval.search as eval_search
    from kb.eval.search import eval_corpus, evaluate, load_queries

    if external is not None:
        eval_search.EXTERNAL = external

    queries = load_queries().queries
    out: dict[str, dict[str, float]] = {}
    with eval_corpus() as home:
        for name, model in models.items():
            index = Index.open(home, model, multilingual=False)  # a new model id rebuilds the vectors
            try:
                scores = evaluate(index, queries, modes=("dense", "hybrid"))
            finally:
                index.close()
            for s in scores:
                if s.group in ("all", "split:tune", "split:heldout"):
                    out.setdefault(name, {})[f"{s.mode} {s.group.removeprefix('split:')}"] = s.ndcg_at_10
    return out


# --- hybrid latency over real findings ---------------------------------------------------------

class PoolEmbedder:
    """Real vectors of the source sentences plus fixed noise for perturbed copies; any other
    text (a query) goes to the model."""

    def __init__(self, model: Embedder, sentences: list[str], vectors: np.ndarray) -> None:
        self.model, self.dim, self.model_id = model, model.dim, f"bench-pool:{model.model_id}"
        self.row = {s: i for i, s in enumerate(sentences)}
        self.vectors = vectors
        self.noise = np.random.default_rng(0).normal(0, 0.02, (10007, self.dim)).astype(np.float32)
        self.source: dict[str, int] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        unknown = []
        for i, text in enumerate(texts):
            finding = text.split(" | ", 1)[0]  # a finding's vector text ends with its record's title
            row = self.row.get(finding, self.source.get(finding))
            if row is None:
                unknown.append(i)
            else:
                h = int(hashlib.md5(text.encode()).hexdigest()[:8], 16) % 10007
                out[i] = self.vectors[row] + self.noise[h]
        if unknown:
            out[unknown] = self.model.encode([texts[i] for i in unknown])
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def write_kb(home: Path, findings: list[tuple[int, str]], seed: int) -> None:
    rng = random.Random(seed)
    themes = [t.id for t in load_taxonomy().themes]
    (home / "records").mkdir(parents=True)
    for r in range(0, len(findings), FINDINGS_PER_RECORD):
        texts = [t for _, t in findings[r:r + FINDINGS_PER_RECORD]]
        rid = f"bench-{r // FINDINGS_PER_RECORD:07d}"
        record = {"id": rid, "title": texts[0][:120], "year": rng.randint(2000, 2025),
                  "resource_type": "journal-article", "authors": [{"family": f"Author{r % 997}", "given": "A"}],
                  "abstract": [{"role": "results", "text": t} for t in texts],
                  "findings": [{"id": f"f{j}-0", "kind": rng.choice(KINDS), "text": t, "section": j,
                                "role": "results", "span": [0, len(t)],
                                "themes": rng.sample(themes, rng.randint(0, 2))}
                               for j, t in enumerate(texts)]}
        (home / "records" / f"{rid}.json").write_text(json.dumps(record), encoding="utf-8")


def hybrid_latency(size: int, sentences: list[str], spaces: tuple[PoolEmbedder, PoolEmbedder],
                   queries: list[str], workdir: Path) -> dict[str, float]:
    findings = sample(sentences, size, seed=size)
    for space in spaces:
        space.source = {t: i for i, t in findings}
    home = workdir / f"kb-{size}"
    started = time.perf_counter()
    write_kb(home, findings, seed=size)
    index = Index.open(home, spaces[0], multilingual=spaces[1])
    build = time.perf_counter() - started
    search(index, "warm up the search", k=10)
    times = []
    for q in queries:
        started = time.perf_counter()
        search(index, q, k=10)
        times.append((time.perf_counter() - started) * 1000)
    index.close()
    p50, p95 = percentiles(times)
    return {"findings": size, "build s": build, "p50 ms": p50, "p95 ms": p95}


def bench_queries(sentences: list[str], n: int) -> list[str]:
    """The judged queries of kb eval search, then 3–8-word spans of real sentences, all distinct."""
    from kb.eval.search import load_queries

    out = dict.fromkeys(q.query for q in load_queries().queries)
    rng = random.Random(11)
    while len(out) < n:
        words = rng.choice(sentences).split()
        width = rng.randint(3, min(8, len(words)))
        start = rng.randrange(len(words) - width + 1)
        out.setdefault(" ".join(words[start:start + width]).strip(".,;:()"), None)
    return list(out)[:n]


# --- report ------------------------------------------------------------------------------------

def table(rows: list[dict]) -> str:
    cols = list(rows[0])
    lines = [" | ".join(f"{c:>14}" for c in cols)]
    for row in rows:
        lines.append(" | ".join(f"{v:>14.2f}" if isinstance(v, float) else f"{v!s:>14}" for v in row.values()))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer texts, 10k findings only (< 5 min)")
    parser.add_argument("--texts", type=int, help="texts embedded by each model (default 1200, quick 600)")
    parser.add_argument("--sizes", type=int, nargs="+", help="findings in the latency KBs")
    parser.add_argument("--queries", type=int, help="queries timed (default 200, quick 100)")
    parser.add_argument("--external", type=Path,
                        help="the shared data/external folder (default: ../shared/data/external)")
    parser.add_argument("--no-ndcg", action="store_true", help="skip the relevance comparison")
    parser.add_argument("--threads", type=int, help="threads of both models (default: the usable cores)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.threads:
        import torch

        os.environ["KB_THREADS"] = str(args.threads)
        torch.set_num_threads(args.threads)
    n_texts = args.texts or (400 if args.quick else 1200)
    sizes = args.sizes or ([10_000] if args.quick else [10_000, 100_000])
    n_queries = args.queries or (100 if args.quick else 200)

    sentences = real_sentences()
    texts = [t for _, t in sample(sentences, n_texts, seed=1)]
    queries = bench_queries(sentences, n_queries)
    print(f"{len(sentences)} distinct real sentences; {len(texts)} embedded per model; "
          f"{len(queries)} queries", flush=True)

    started = time.perf_counter()
    int8_embedder().encode(["build"])  # builds the int8 model on first use (once per machine)
    build_s = time.perf_counter() - started
    loads = {"torch fp32": cold_start("torch"), "default": cold_start(embed_backend())}
    fp32, default = SentenceTransformerEmbedder(), model_embedder()  # the shipped default
    models: dict[str, Embedder] = {"torch fp32": fp32, "default": default}
    for model in models.values():
        model.encode(texts[:32])  # warm
    measured = throughput(models, texts, rounds=6)
    rows = []
    for name, model in models.items():
        p50, p95 = query_latency(model, queries[:50])
        rows.append({"model": name, "id": model.model_id, "texts/s": measured[name][0],
                     "query p50 ms": p50, "query p95 ms": p95,
                     "cold start s": loads[name]})
    cos = np.sum(measured["torch fp32"][1] * measured["default"][1], axis=1)
    speedup = rows[1]["texts/s"] / rows[0]["texts/s"]
    print(f"\nembedding ({thread_count()} threads; int8 build or cache check {build_s:.1f} s; "
          "cold start = a new process's import of kb.embed to its first vector)")
    print(table(rows))
    print(f"default vs fp32 cosine of the same text: mean {cos.mean():.4f}, min {cos.min():.4f}", flush=True)

    ndcg_ratio = float("nan")
    if not args.no_ndcg:
        try:
            ndcg = dense_ndcg(models, args.external)
        except Exception as err:  # noqa: BLE001 — report why, go on with the latency figures
            print(f"\nnDCG not measured: {err}")
        else:
            keys = list(ndcg["torch fp32"])
            print("\nnDCG@10 (English model only) " + " | ".join(f"{k:>14}" for k in keys))
            for name, row in ndcg.items():
                print(f"{name:>29} " + " | ".join(f"{row[k]:>14.3f}" for k in keys))
            print(f"{'ratio default/fp32':>29} " + " | ".join(
                f"{ndcg['default'][k] / ndcg['torch fp32'][k]:>14.3f}" for k in keys))
            ndcg_ratio = ndcg["default"]["dense all"] / ndcg["torch fp32"]["dense all"]

    pool = texts  # distinct real sentences, already encoded by the default model above
    multilingual = get_multilingual_embedder()
    started = time.perf_counter()
    spaces = (PoolEmbedder(default, pool, measured["default"][1]),
              PoolEmbedder(multilingual, pool, multilingual.encode(pool)))
    print(f"\nhybrid search over real sentences (default models: {default.model_id} + "
          f"{multilingual.model_id}; {len(pool)} distinct sentences, the rest perturbed copies; "
          f"multilingual vectors in {time.perf_counter() - started:.0f} s)", flush=True)
    with tempfile.TemporaryDirectory(prefix="kb-speed-") as tmp:
        latency = [hybrid_latency(size, pool, spaces, queries, Path(tmp)) for size in sizes]
    print(table(latency))
    print(f"embedding_speedup={speedup:.2f} ndcg_ratio={ndcg_ratio:.3f} "
          f"query_p95_ms={latency[0]['p95 ms']:.0f}")


if __name__ == "__main__":
    main()
