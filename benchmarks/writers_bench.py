"""Concurrent-writer benchmark: W `kb ingest` processes at once on one knowledge base, some of
them killed (SIGKILL) at random moments and started again on the same input, on the folder
backend (the baseline) and on PostgreSQL. Every DOI is in two writers' inputs, so half of all
input records must merge into a record another writer stored. Both backends keep their search
index up to date (a folder refreshes its index after each writer's batch; a database writer
indexes each record in the transaction that stores it). Prints per backend: wall time,
input records per second, the writers' CPU seconds (on a shared machine the steadier measure:
wall time depends on what else runs), records stored against expected, DOIs missing or stored twice,
records that do not load, and the speed ratio to the folder measured in the same run.

The inputs are generated RIS files (titles, authors, a one-sentence abstract per record),
embedded by the real models (the English model for themes and the index, the multilingual one
for the index) unless --fake-embedder (storage under concurrency alone). PostgreSQL is --db URL
(a server the run may create a database on), else a throwaway server from the pgserver wheel
(tests/pg_server.py).

    python benchmarks/writers_bench.py                         # 4 writers x 1,000 records, 3 kills
    python benchmarks/writers_bench.py --writers 4 --records 250 --kills 2
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb.store import RecordStore, open_store

WORDS = ("housing", "care", "coordination", "funding", "outreach", "nutrition", "transport",
         "screening", "navigation", "literacy", "employment", "caregiving", "telehealth")


def _doi(n: int) -> str:
    return f"10.5555/kb.bench.{n}"


def write_inputs(folder: Path, writers: int, records: int) -> tuple[list[Path], set[str]]:
    """One RIS file per writer; DOI n is in the files of writers n's two owners."""
    pool = max(1, writers * records // 2)
    paths, dois = [], set()
    for w in range(writers):
        entries = []
        for i in range(records):
            n = (w * records // 2 + i) % pool
            dois.add(_doi(n))
            a, b = WORDS[n % len(WORDS)], WORDS[(n // len(WORDS)) % len(WORDS)]
            entries.append("\n".join([
                "TY  - JOUR", f"TI  - {a.title()} and {b} programmes in region {n}",
                f"AU  - Author{n}, Ann", f"AU  - Writer{w}, Ben", f"PY  - {1990 + n % 35}",
                f"DO  - {_doi(n)}",
                f"AB  - The {a} programme reached {50 + n % 900} adults and improved {b} outcomes "
                f"by {1 + n % 40}% within one year.", "ER  - "]))
        path = folder / f"writer{w}.ris"
        path.write_text("\n\n".join(entries) + "\n", encoding="utf-8")
        paths.append(path)
    return paths, dois


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_writers(inputs: list[Path], env: dict[str, str], kills: int,
                rng: random.Random) -> tuple[float, int, int, float]:
    """Start every writer, kill `kills` of them at random moments (each killed one starts again
    on its input), wait for all; a writer the folder's lock turned away (after 30 s) starts
    again too. Returns the wall time, how many kills landed, how many restarts the lock
    caused and the CPU seconds the writers used (killed ones included; not the database
    server's)."""
    cmd = [sys.executable, "-c", "from kb.cli import main; main()", "ingest", "--no-progress"]
    cpu = _children_cpu()
    start = time.perf_counter()
    procs = {i: subprocess.Popen([*cmd, str(p)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE) for i, p in enumerate(inputs)}
    landed = retries = 0
    plan = sorted(rng.uniform(3.0, 20.0) for _ in range(kills))
    while procs:
        now = time.perf_counter() - start
        if plan and now >= plan[0]:
            plan.pop(0)
            running = [i for i, p in procs.items() if p.poll() is None]
            if running:
                victim = rng.choice(running)
                procs[victim].kill()
                procs[victim].wait()
                landed += 1
                procs[victim] = subprocess.Popen([*cmd, str(inputs[victim])], cwd=ROOT, env=env,
                                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for i, proc in list(procs.items()):
            code = proc.poll()
            if code is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                if code != 0 and "another process is writing" in err:  # the folder's lock: try again
                    retries += 1
                    procs[i] = subprocess.Popen([*cmd, str(inputs[i])], cwd=ROOT, env=env,
                                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                    continue
                if code != 0:
                    raise SystemExit(f"writer {i} failed ({code}): {err[-2000:]}")
                del procs[i]
        time.sleep(0.1)
    return time.perf_counter() - start, landed, retries, _children_cpu() - cpu


def audit(store: RecordStore, expected: set[str]) -> dict[str, int]:
    records, problems = store.readable()
    dois = Counter(r.identifiers.doi for r in records)
    return {"stored": len(records), "expected": len(expected),
            "missing": len(expected - set(dois)), "twice": sum(1 for c in dois.values() if c > 1),
            "unreadable": len(problems)}


def bench(backend: str, url: str | None, inputs: list[Path], expected: set[str], kills: int,
          seed: int, fake: bool) -> dict[str, float]:
    home = Path(tempfile.mkdtemp(prefix=f"kb-bench-{backend}-"))
    env = {**os.environ, "KB_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    env.pop("KB_DATABASE_URL", None)
    if fake:
        env["KB_EMBEDDER"] = "fake"
    if url:
        env["KB_DATABASE_URL"] = url
    (home / "records").mkdir()
    try:
        # both backends keep a search index up to date while ingesting: a folder only refreshes
        # an index that exists, so it gets an (empty) one first, untimed, as a database has
        subprocess.run([sys.executable, "-c", "from kb.cli import main; main()", "reindex"], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, landed, retries, cpu = run_writers(inputs, env, kills, random.Random(seed))
        store = open_store(home, url)
        try:
            row = audit(store, expected)
        finally:
            store.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    total = sum(1 for p in inputs for line in p.read_text().splitlines() if line.startswith("TY  -"))
    return {"wall_s": wall, "rate": total / wall, "cpu_s": cpu, "kills": landed, "lock_retries": retries, **row}


def _fresh_database(server_url: str) -> str:
    import psycopg

    name = f"kb_bench_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    info = psycopg.conninfo.conninfo_to_dict(server_url)
    user, host, port = info.get("user", "postgres"), info.get("host", "127.0.0.1"), info.get("port", "5432")
    password = f":{info['password']}" if info.get("password") else ""
    return f"postgresql://{user}{password}@{host}:{port}/{name}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--records", type=int, default=1000, help="records per writer")
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--db", help="a PostgreSQL server URL the run may create a database on")
    parser.add_argument("--fake-embedder", action="store_true", help="hashing vectors, no model")
    parser.add_argument("--only", choices=("folder", "postgresql"), help="run one backend only")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kb-bench-writers-"))
    server_data = None
    try:
        inputs, expected = write_inputs(work, args.writers, args.records)
        server = args.db
        if not server:
            from tests import pg_server

            server_data = work / "pg"
            server = pg_server.start(server_data)
        rows = {}
        if args.only in (None, "folder"):
            rows["folder"] = bench("folder", None, inputs, expected, args.kills, args.seed, args.fake_embedder)
        if args.only in (None, "postgresql"):
            rows["postgresql"] = bench("postgresql", _fresh_database(server), inputs, expected, args.kills,
                                       args.seed, args.fake_embedder)
    finally:
        if server_data is not None:
            from tests import pg_server

            pg_server.stop(server_data)
        shutil.rmtree(work, ignore_errors=True)

    print(f"{args.writers} writers x {args.records} records, {args.kills} random kills planned, "
          f"{len(expected):,} distinct DOIs; {'fake' if args.fake_embedder else 'real'} embedder; "
          f"{os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'backend':<11} {'wall s':>8} {'in rec/s':>9} {'ratio':>6} {'cpu s':>7} {'kills':>5} {'stored':>7} "
          f"{'expected':>8} {'missing':>7} {'twice':>5} {'unreadable':>10} {'lock retries':>12}")
    base = rows["folder"]["rate"] if "folder" in rows else rows["postgresql"]["rate"]
    for name, r in rows.items():
        print(f"{name:<11} {r['wall_s']:>8.1f} {r['rate']:>9.1f} {r['rate'] / base:>6.2f} {r['cpu_s']:>7.1f} {r['kills']:>5} "
              f"{r['stored']:>7} {r['expected']:>8} {r['missing']:>7} {r['twice']:>5} {r['unreadable']:>10} "
              f"{r['lock_retries']:>12}")
    bad = any(r["missing"] or r["twice"] or r["unreadable"] or r["stored"] != r["expected"] for r in rows.values())
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
