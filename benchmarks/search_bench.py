"""Search benchmark: build the index over synthetic knowledge bases of 10k / 100k / 1M findings
and print build time, index size, memory and hybrid query latency (p50/p95, k = 10, including
the query's embeddings with the real models) as a table.

The corpus is synthetic: findings are drawn from a few thousand template sentences about health
services research, each with its own random tail. Their vectors are the real model's vectors of
the template sentence plus fixed noise (so 1M findings need no hours of encoding), in both spaces
(the English model's and the multilingual one); queries are encoded by the real models at query
time. Records go through the real path: JSON files in
records/, validated on load, indexed by kb.search.index, searched by kb.search.hybrid.

    python benchmarks/search_bench.py                 # 10k and 100k
    python benchmarks/search_bench.py --sizes 1000000 # 1M (about 100k record files)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb.embed import Embedder, get_embedder, get_multilingual_embedder
from kb.model.taxonomy import load_taxonomy
from kb.search.hybrid import search
from kb.search.index import Index
from kb.search.types import SearchFilters

FINDINGS_PER_RECORD = 10
POOL_SIZE = 3000
SUBJECTS = ["Pilots", "Counties", "Health systems", "Managed care plans", "Social services "
            "organizations", "Community health workers", "Safety-net clinics", "Hospitals",
            "Care coordinators", "Frontline staff", "Program leaders", "Patients", "Housing agencies",
            "Behavioral health providers", "Primary care practices", "Tribal health programs"]
VERBS = ["reported", "identified", "used", "struggled with", "improved", "reduced", "expanded",
         "lacked", "relied on", "sustained", "prioritized", "described", "invested in", "avoided"]
OBJECTS = ["braided funding", "data sharing agreements", "housing navigation", "care coordination",
           "behavioral health integration", "contracts with managed care plans", "staff turnover",
           "leadership support", "eligibility verification", "shared IT infrastructure",
           "community partnerships", "case conferences", "flexible spending", "peer support",
           "transportation benefits", "medical respite", "health equity goals", "quality metrics",
           "referral platforms", "cross-sector governance", "telehealth visits", "food insecurity "
           "screening", "emergency department use", "hospital readmissions", "patient engagement"]
QUALIFIERS = ["in rural counties", "after the pilot period", "among older adults", "with limited "
              "staffing", "during the pandemic", "for people experiencing homelessness", "in "
              "urban safety-net settings", "under capitated payment", "across multiple agencies",
              "for children with complex needs", "in the first program year", "despite policy "
              "changes"]
TAIL_WORDS = ("odds ratio outcome significant cohort survey interview county enrollment cost "
              "utilization adherence barrier facilitator satisfaction access readiness capacity "
              "training turnover workload trust alignment governance").split()
KINDS = ["strategy", "barrier", "facilitator", "outcome", "result", "recommendation", "conclusion"]
TYPES = ["journal-article", "report", "discussion-paper", "blog-summary"]
DESIGNS = ["qualitative", "cross-sectional survey", "cohort study", "randomized controlled trial",
           "mixed methods", "case study"]
QUERIES = ["barriers to {o} {q}", "how did {s} use {o}", "{o} outcomes {q}",
           "facilitators of {o}", "effect of {o} on costs", "{s} and {o}"]


def pool_sentences(rng: random.Random) -> list[str]:
    out: set[str] = set()
    while len(out) < POOL_SIZE:
        out.add(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
                f"{rng.choice(QUALIFIERS)}")
    return sorted(out)


class PoolEmbedder:
    """Real-model vectors of the template sentences plus fixed noise; queries go to the model."""

    def __init__(self, sentences: list[str], cache_dir: Path, model: Embedder) -> None:
        self.model = model
        self.dim, self.model_id = self.model.dim, f"bench-pool:{self.model.model_id}"
        digest = hashlib.sha256("\n".join([model.model_id, *sentences]).encode()).hexdigest()[:12]
        path = cache_dir / f"pool-{digest}.npy"
        if path.exists():
            self.pool = np.load(path)
        else:
            self.pool = self.model.encode(sentences)
            np.save(path, self.pool)
        self.row = {s: i for i, s in enumerate(sentences)}
        self.noise = np.random.default_rng(0).normal(0, 0.02, (10007, self.dim)).astype(np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        unknown = []
        for i, text in enumerate(texts):
            row = self.row.get(text.split(" (", 1)[0].split(" | ", 1)[0])
            if row is None:
                unknown.append(i)
            else:
                h = int(hashlib.md5(text.encode()).hexdigest()[:8], 16) % 10007
                out[i] = self.pool[row] + self.noise[h]
        if unknown:
            out[unknown] = self.model.encode([texts[i] for i in unknown])
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def record_json(i: int, rng: random.Random, pool: list[str], themes: list[str]) -> dict:
    findings = []
    for j in range(FINDINGS_PER_RECORD):
        text = f"{rng.choice(pool)} ({' '.join(rng.sample(TAIL_WORDS, 3))} {i}-{j})"
        findings.append({"id": f"f{j}-0", "kind": rng.choice(KINDS), "text": text, "section": j,
                         "role": "results", "span": [0, len(text)],
                         "themes": rng.sample(themes, rng.randint(0, 3))})
    return {"id": f"bench-{i:07d}", "title": f"Synthetic study {i} of {rng.choice(OBJECTS)}",
            "year": rng.randint(2000, 2025), "resource_type": rng.choice(TYPES),
            "authors": [{"family": f"Author{i % 997}", "given": "A"}],
            "abstract": [{"role": "results", "text": f["text"]} for f in findings],
            "study": {"design": [rng.choice(DESIGNS)]}, "findings": findings}


def write_kb(home: Path, n_findings: int, pool: list[str]) -> None:
    rng = random.Random(n_findings)
    themes = [t.id for t in load_taxonomy().themes]
    records = home / "records"
    records.mkdir(parents=True)
    for i in range(n_findings // FINDINGS_PER_RECORD):
        (records / f"bench-{i:07d}.json").write_text(json.dumps(record_json(i, rng, pool, themes)))


def queries(n: int) -> list[str]:
    rng = random.Random(7)
    return [rng.choice(QUERIES).format(s=rng.choice(SUBJECTS).lower(), o=rng.choice(OBJECTS),
                                       q=rng.choice(QUALIFIERS)) + f" {i}" for i in range(n)]


def latency(index: Index, filters: SearchFilters | None, qs: list[str]) -> tuple[float, float]:
    search(index, "warm up the model", filters=filters)
    times = []
    for q in qs:
        started = time.perf_counter()
        search(index, q, filters=filters, k=10)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def dir_mb(path: Path, skip: str = "embeddings") -> float:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file() and skip not in p.name) / 1e6


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(size: int, workdir: Path, pool: list[str], embedders: tuple[PoolEmbedder, PoolEmbedder],
        n_queries: int) -> dict:
    home = workdir / f"kb-{size}"
    shutil.rmtree(home, ignore_errors=True)
    started = time.perf_counter()
    write_kb(home, size, pool)
    written = time.perf_counter() - started
    started = time.perf_counter()
    index = Index.open(home, embedders[0], multilingual=embedders[1])
    build = time.perf_counter() - started
    qs = queries(n_queries)
    plain = latency(index, None, qs)
    filtered = latency(index, SearchFilters(kinds=["barrier", "facilitator", "result"],
                                            year_from=2010, year_to=2025), qs[::-1])
    rng = random.Random(1)
    extra = record_json(10_000_000, rng, pool, [t.id for t in load_taxonomy().themes])
    extra["id"] = "bench-extra"
    (home / "records" / "bench-extra.json").write_text(json.dumps(extra))
    started = time.perf_counter()
    index.refresh()
    add_one = time.perf_counter() - started
    row = {"findings": size, "write s": written, "build s": build,
           "index MB": dir_mb(home / ".kb"), "RSS MB": rss_mb(),
           "approx": index.vectors.approximate, "p50 ms": plain[0], "p95 ms": plain[1],
           "p50 ms (filters)": filtered[0], "p95 ms (filters)": filtered[1],
           "add 1 record s": add_one}
    index.close()
    shutil.rmtree(home, ignore_errors=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kb-search-bench")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args.workdir.mkdir(parents=True, exist_ok=True)
    pool = pool_sentences(random.Random(42))
    embedders = (PoolEmbedder(pool, args.workdir, get_embedder()),
                 PoolEmbedder(pool, args.workdir, get_multilingual_embedder()))
    rows = [run(size, args.workdir, pool, embedders, args.queries) for size in args.sizes]
    cols = list(rows[0])
    print(" | ".join(f"{c:>16}" for c in cols))
    for row in rows:
        print(" | ".join(f"{v:>16.1f}" if isinstance(v, float) else f"{v!s:>16}"
                         for v in row.values()))


if __name__ == "__main__":
    main()
