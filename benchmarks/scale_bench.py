"""Scale benchmark of the vector store (issue 19, item 3): memory, disk, recall@10 and dense
query time of the shipped float16 exact and IVF indexes (and the int8 IVF index of an approximate
sentence space) against exact float32 search, at 100k and 1M vectors of real-sentence embeddings.

What the vectors are, plainly: 1M real embeddings cannot be computed here (about 100 texts/s on
2 cores), so a base set of real abstract sentences (benchmarks/speed_bench.py's real_sentences:
the repository's gold abstracts, role sections and web captures) is embedded once by the shipped
default model and cached outside the repository (kb.config.cache_dir()/bench); every further
vector is a real base vector plus small Gaussian noise (sigma 0.02 a dimension, the same as
speed_bench.py's perturbed copies), renormalised. Queries are other real sentence spans, embedded
by the model. Recall@10 is the share of exact float32 top-10 ids (faiss IndexFlatIP over the
same vectors) that an index returns. The probe fraction the index ships with
(kb.config.IVF_PROBE_FRACTION) is chosen from the table this prints.

    nice -n 10 python benchmarks/scale_bench.py --sizes 100000        # about 2 minutes
    nice -n 10 python benchmarks/scale_bench.py --sizes 100000 1000000

`--pipeline N` instead builds a whole knowledge base of N findings (10 a record, texts sampled
from the real sentences with one word dropped from repeats, vectors the base vectors plus noise
as above: speed_bench.py's PoolEmbedder; the multilingual space off) and prints the build's peak
RSS (and the RSS before the build: the benchmark's corpus and the query model), `.kb/` on disk
(and its vector files, embedding cache and SQLite index), the time to add one record (`add one
s`: the index told which record was saved, as a caller that saved it does; `add one (scan) s`:
records/ scanned for changes), and the hybrid query p50/p95 including the query's embedding by
the real model — run it alone, as the peak RSS is the process's. With `--db URL` the same
records are copied into a throwaway database on that PostgreSQL server and measured beside the
folder (build = copy + index + HNSW; add one = an insert indexed in its transaction).

    nice -n 10 python benchmarks/scale_bench.py --pipeline 100000
    nice -n 10 python benchmarks/scale_bench.py --pipeline 100000 --db postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import math
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed_bench import PoolEmbedder, percentiles, real_sentences, sample, table, write_kb

from kb import config
from kb.config import cache_dir
from kb.embed import model_embedder
from kb.search.vectors import VectorIndex, ivf_lists

NOISE = 0.02
CHUNK = 50_000


def base_vectors(n: int) -> tuple[list[str], np.ndarray]:
    """The first n real sentences and their vectors by the default model (cached on disk)."""
    sentences = real_sentences()[:n]
    model = model_embedder()
    key = hashlib.sha256(("\n".join(sentences) + model.model_id).encode()).hexdigest()[:16]
    path = cache_dir() / "bench" / f"base-{len(sentences)}-{key}.npy"
    if path.exists():
        return sentences, np.load(path)
    started = time.perf_counter()
    vectors = np.concatenate([model.encode(sentences[i:i + 512]) for i in range(0, len(sentences), 512)])
    logging.warning("embedded %d base sentences in %.0f s", len(sentences), time.perf_counter() - started)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors.astype(np.float32))
    return sentences, vectors


def corpus(base: np.ndarray, n: int, seed: int) -> np.ndarray:
    """n unit vectors: every base vector once, then noisy copies of random ones."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    out[:min(n, len(base))] = base[:n]
    for start in range(len(base), n, CHUNK):
        stop = min(n, start + CHUNK)
        rows = base[rng.integers(0, len(base), stop - start)]
        rows = rows + rng.normal(0, NOISE, rows.shape).astype(np.float32)
        out[start:stop] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return out


def queries(sentences: list[str], count: int) -> np.ndarray:
    """Vectors of 3–8-word spans of real sentences (what people type), by the model."""
    rng = random.Random(19)
    texts = []
    while len(texts) < count:
        words = rng.choice(sentences).split()
        width = rng.randint(3, min(8, len(words)))
        start = rng.randrange(len(words) - width + 1)
        texts.append(" ".join(words[start:start + width]).strip(".,;:()"))
    return model_embedder().encode(texts)


def timed_search(index: VectorIndex, q: np.ndarray, k: int = 10) -> tuple[np.ndarray, float]:
    ids, times = [], []
    for row in q:
        started = time.perf_counter()
        found, _ = index.search(row, k)
        times.append((time.perf_counter() - started) * 1000)
        ids.append(np.pad(found, (0, k - len(found)), constant_values=-1))
    return np.stack(ids), percentiles(times)[1]


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth, strict=True)]))


def disk_bytes(index: VectorIndex, folder: Path) -> int:
    path = folder / "v.faiss"
    index.save(path, "bench")
    size = path.stat().st_size
    path.unlink()
    return size


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_size(n: int, base: np.ndarray, q: np.ndarray, probes: list[float], folder: Path) -> list[dict]:
    x = corpus(base, n, seed=n)
    ids = np.arange(n, dtype=np.int64)
    rows = []
    config.APPROX_THRESHOLD = n + 1  # the baseline and the float16 one: exact
    started = time.perf_counter()
    exact32 = VectorIndex.build(x.shape[1], ids, x, codec="fp32")
    truth, p95 = timed_search(exact32, q)
    rows.append({"n": n, "index": "flat fp32 (baseline)", "probe": "-", "recall@10": "1.0000",
                 "dense p95 ms": p95, "MB": disk_bytes(exact32, folder) / 2**20,
                 "build s": time.perf_counter() - started, "peak RSS MB": rss_mb()})
    del exact32
    started = time.perf_counter()
    exact16 = VectorIndex.build(x.shape[1], ids, x)
    found, p95 = timed_search(exact16, q)
    rows.append({"n": n, "index": "flat fp16", "probe": "-", "recall@10": f"{recall(found, truth):.4f}",
                 "dense p95 ms": p95, "MB": disk_bytes(exact16, folder) / 2**20,
                 "build s": time.perf_counter() - started, "peak RSS MB": rss_mb()})
    del exact16
    config.APPROX_THRESHOLD = 1
    for codec in ("fp16", "sq8"):  # the findings' codec, the approximate sentence space's
        started = time.perf_counter()
        ivf = VectorIndex.build(x.shape[1], ids, x, ivf_codec=codec)
        build_s = time.perf_counter() - started
        size = disk_bytes(ivf, folder) / 2**20
        for fraction in probes:
            ivf.index.nprobe = max(1, math.ceil(ivf.index.nlist * fraction))
            found, p95 = timed_search(ivf, q)
            rows.append({"n": n, "index": f"IVF{ivf.index.nlist} {codec}", "probe": f"{fraction:.3f}",
                         "recall@10": f"{recall(found, truth):.4f}", "dense p95 ms": p95, "MB": size,
                         "build s": build_s, "peak RSS MB": rss_mb()})
        del ivf
    return rows


def pipeline(size: int, sentences: list[str], base: np.ndarray, n_queries: int,
             db: str | None = None) -> list[dict]:
    """Build a knowledge base of `size` findings; its peak RSS, disk, add-one and hybrid p95 —
    on the folder, and with `db` (a PostgreSQL server URL) the same records copied into a
    throwaway database there, searched with the same queries."""
    import json

    from kb.search.index import Index

    pool = PoolEmbedder(model_embedder(), sentences, base)
    findings = sample(sentences, size, seed=size)
    pool.source = {t: i for i, t in findings}
    rng = random.Random(23)
    texts = [" ".join(rng.choice(sentences).split()[:rng.randint(3, 8)]) for _ in range(n_queries)]
    with tempfile.TemporaryDirectory(prefix="kb-scale-") as tmp:
        home = Path(tmp)
        write_kb(home, findings, seed=size)
        del findings  # the texts stay in pool.source, which embeds them
        before = rss_mb()  # the benchmark's own corpus and model, before the index is built
        started = time.perf_counter()
        index = Index.open(home, pool, multilingual=False)
        build_s, peak = time.perf_counter() - started, rss_mb()
        disk = disk_use(home / ".kb")
        one = json.loads((home / "records" / "bench-0000000.json").read_text())
        add_s = {}
        for how, names in (("named", True), ("scan", False)):
            one["id"] = f"bench-added-{how}"
            (home / "records" / f"{one['id']}.json").write_text(json.dumps(one))
            started = time.perf_counter()
            index.update(records=[one["id"]] if names else None)
            add_s[how] = time.perf_counter() - started
        p50, p95 = query_times(index, texts)
        approximate = index.vectors.approximate
        index.close()
        rows = [{"backend": "folder", "findings": size, "build s": build_s,
                 "RSS before build MB": before, "build peak RSS MB": peak, "stored MB": disk["all"],
                 "vectors MB": disk["vectors"], "cache MB": disk["cache"], "sqlite MB": disk["sqlite"],
                 "add one s": add_s["named"], "add one (scan) s": add_s["scan"],
                 "hybrid p50 ms": p50, "hybrid p95 ms": p95, "approx": approximate}]
        if db:
            for how in add_s:
                (home / "records" / f"bench-added-{how}.json").unlink()
            rows.append(database_pipeline(home, db, pool, texts, size))
    return rows


def query_times(index, texts: list[str]) -> tuple[float, float]:
    """p50 and p95 in ms of hybrid k=10 searches, each query embedded by the model (no query
    is asked twice, so the in-process query cache never answers)."""
    index.search("warm up", k=10)
    times = []
    for text in texts:
        started = time.perf_counter()
        index.search(text, k=10)
        times.append((time.perf_counter() - started) * 1000)
    return percentiles(times)


def database_pipeline(home: Path, server: str, pool: PoolEmbedder, texts: list[str], size: int) -> dict:
    """The folder KB's records in a throwaway database: copy, index (HNSW included), add one
    record (indexed in its own transaction) and the hybrid p95 of the same queries."""
    import psycopg

    from kb.eval.search import scratch_database
    from kb.ops.migrate import migrate
    from kb.search.pg_index import PgIndex
    from kb.store import Store
    from kb.store.postgres import PostgresStore

    with scratch_database(server) as url:
        store = PostgresStore(url, home / "pg")
        try:
            started = time.perf_counter()
            migrate(Store(home), store)
            copy_s = time.perf_counter() - started
            started = time.perf_counter()
            index = PgIndex.open(store, pool, multilingual=False)
            build_s = time.perf_counter() - started
            one = store.load("bench-0000000").model_copy(update={"id": "bench-added"})
            one.identifiers.doi = None
            started = time.perf_counter()
            store.insert(one)  # the index attached: indexed in the insert's transaction
            add_s = time.perf_counter() - started
            p50, p95 = query_times(index, texts)
            with psycopg.connect(url) as conn:
                row = conn.execute("SELECT pg_database_size(current_database()) / 1048576.0, "
                                   "(SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'findings_emb_hnsw%')"
                                   ).fetchone()
            index.close()
        finally:
            store.close()
    mb, hnsw = (float(row[0]), bool(row[1])) if row else (0.0, False)
    return {"backend": "postgresql", "findings": size, "build s": copy_s + build_s,
            "RSS before build MB": "-", "build peak RSS MB": "-", "stored MB": mb, "vectors MB": "-",
            "cache MB": "-", "sqlite MB": "-", "add one s": add_s, "add one (scan) s": "-",
            "hybrid p50 ms": p50, "hybrid p95 ms": p95, "approx": f"HNSW {hnsw}"}


def disk_use(folder: Path) -> dict[str, float]:
    """MB on disk of the index folder: all of it, the vector files, the embedding cache, the
    SQLite index (with its write-ahead log)."""
    sizes = {p.name: p.stat().st_size / 2**20 for p in folder.rglob("*") if p.is_file()}
    return {"all": sum(sizes.values()),
            "vectors": sum(v for k, v in sizes.items() if k.startswith("vectors")),
            "cache": sum(v for k, v in sizes.items() if k.startswith(config.EMBED_CACHE)),
            "sqlite": sum(v for k, v in sizes.items() if k.startswith(config.INDEX_DB))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--base", type=int, default=20_000, help="real sentences embedded")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--probes", type=float, nargs="+", default=[0.02, 0.04, 0.08, 0.12])
    parser.add_argument("--pipeline", type=int, help="build a whole KB of this many findings")
    parser.add_argument("--db", help="--pipeline: also on PostgreSQL, in a throwaway database on this "
                                     "server URL (its role may create databases)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    sentences, base = base_vectors(args.base)
    if args.pipeline:
        print(table(pipeline(args.pipeline, sentences, base, args.queries, args.db)))
        return
    q = queries(real_sentences()[args.base:], args.queries)
    print(f"{len(base)} real base vectors ({model_embedder().model_id}), {len(q)} real queries; "
          f"the rest noisy copies (sigma {NOISE}); shipped probe fraction "
          f"{config.IVF_PROBE_FRACTION}, lists 4·sqrt(n) (e.g. {ivf_lists(args.sizes[-1])})",
          flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="kb-scale-") as tmp:
        for n in args.sizes:
            rows += one_size(n, base, q, args.probes, Path(tmp))
            print(table(rows[-(2 + 2 * len(args.probes)):]), flush=True)
    print("\n" + table(rows))
    faiss.omp_set_num_threads(1)


if __name__ == "__main__":
    main()
