"""Crash safety under kill -9 and concurrency (issue 17's targets), on generated exports with the
deterministic fake embedder:

- kill -9 at random points: RUNS × (an RIS file of RECORDS records, a folder of FILES files)
  ingested into a knowledge base with a built index; each `kb ingest` is killed at a random
  moment of its clean duration, the knowledge base is audited (partial record files; the index
  opened and searched in a fresh process: stale when it disagrees with records/ or search fails),
  the ingest is run again, and records a clean ingest has but this one lacks are counted as lost.
- concurrency: WRITERS `kb ingest` processes at once, with readers (`kb list`, `kb check`,
  `kb search`) and a `kb dedup --merge` beside them: lost records and tracebacks are counted.

    python benchmarks/kill_bench.py [--runs 50] [--records 500] [--files 200] [--writers 4]

Targets: 0 lost, 0 partial, 0 stale index; 0 lost and 0 tracebacks with concurrent writers.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb.store import Store
from tests.faults import audit, child_env, ris_export

KB = "from kb.cli import main; main(prog_name='kb')"


def kb(home: Path, *args: str) -> subprocess.Popen[str]:
    """Start `kb --kb HOME ARGS…` in a child process."""
    return subprocess.Popen([sys.executable, "-c", KB, "--kb", str(home), *args], env=child_env(home),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def folder_of_files(folder: Path, count: int, start: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        ris_export(folder / f"file{n:04d}.ris", 1, start=start + n)
    return folder


def base_home(work: Path) -> Path:
    """A knowledge base with a few records and a built index, copied for every run."""
    home = work / "base"
    (home / "records").mkdir(parents=True)
    for args in (("ingest", str(ris_export(work / "base.ris", 5, start=90_000))),
                 ("search", "staff turnover", "--mode", "lexical")):
        proc = kb(home, *args)
        proc.communicate()
    return home


def clean_run(base: Path, work: Path, target: Path, name: str) -> tuple[float, set[str]]:
    """Seconds a clean ingest of `target` takes and the titles it leaves."""
    home = work / f"clean-{name}"
    shutil.copytree(base, home)
    started = time.perf_counter()
    out, err = kb(home, "ingest", str(target)).communicate()
    seconds = time.perf_counter() - started
    return seconds, {r.title for r in Store(home).load_all()}


def killed_run(base: Path, work: Path, target: Path, clean_s: float, titles: set[str], rng: random.Random,
               n: int) -> dict[str, int]:
    home = work / f"run-{n}"
    shutil.copytree(base, home)
    proc = kb(home, "ingest", str(target))
    time.sleep(rng.uniform(0.5, clean_s))
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    after = audit(home)
    out, err = kb(home, "ingest", str(target)).communicate()
    final = audit(home, titles)
    shutil.rmtree(home)
    return {"partial": after.partial + final.partial, "stale": after.stale_index + final.stale_index,
            "lost": final.lost, "tracebacks": int("Traceback" in err)}


def edit_all(home: Path) -> None:
    """Change every finding's text (what a retag, re-extract or re-import does to the index:
    the same number of findings under new ids)."""
    store = Store(home)
    for record in store.load_all():
        store.save(record.model_copy(update={"findings": [
            f.model_copy(update={"text": f.text + " (revised)"}) for f in record.findings]}))


def killed_reindex(base: Path, work: Path, clean_s: float, rng: random.Random, n: int) -> dict[str, int]:
    home = work / f"reindex-{n}"
    shutil.copytree(base, home)
    edit_all(home)
    proc = kb(home, "reindex")
    time.sleep(rng.uniform(0.2, clean_s))
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    after = audit(home)
    shutil.rmtree(home)
    return {"partial": after.partial, "stale": after.stale_index, "lost": 0, "tracebacks": 0}


def kills(args: argparse.Namespace, work: Path) -> None:
    base = base_home(work)
    targets = {"RIS file": ris_export(work / "export.ris", args.records),
               "folder": folder_of_files(work / "folder", args.files, start=50_000)}
    rng = random.Random(args.seed)
    print(f"kill -9 at random points: {args.runs} runs × ({args.records}-record file, "
          f"{args.files}-file folder)")
    print(f"{'input':<10} {'clean s':>8} {'runs':>5} {'lost':>6} {'partial':>8} {'stale index':>12} "
          f"{'tracebacks':>11}")
    for label, target in targets.items():
        clean_s, titles = clean_run(base, work, target, label.split()[0])
        totals = {"partial": 0, "stale": 0, "lost": 0, "tracebacks": 0}
        for n in range(args.runs):
            for key, value in killed_run(base, work, target, clean_s, titles, rng, n).items():
                totals[key] += value
        print(f"{label:<10} {clean_s:>8.1f} {args.runs:>5} {totals['lost']:>6} {totals['partial']:>8} "
              f"{totals['stale']:>12} {totals['tracebacks']:>11}")
        if label == "RIS file":  # the knowledge base this file makes, re-indexed after edits
            full = work / "clean-RIS"
            edit_all(full)
            started = time.perf_counter()
            kb(full, "reindex").communicate()
            reindex_s = time.perf_counter() - started
            totals = {"partial": 0, "stale": 0, "lost": 0, "tracebacks": 0}
            for n in range(args.runs):
                for key, value in killed_reindex(full, work, reindex_s, rng, n).items():
                    totals[key] += value
            print(f"{'reindex':<10} {reindex_s:>8.1f} {args.runs:>5} {'-':>6} {totals['partial']:>8} "
                  f"{totals['stale']:>12} {'-':>11}")


def concurrent(args: argparse.Namespace, work: Path) -> None:
    home = work / "concurrent"
    shutil.copytree(base_home(work / "cbase"), home)
    exports = [ris_export(work / f"writer{w}.ris", args.records // 5, start=10_000 * (w + 1))
               for w in range(args.writers)]
    keep, other = Store(home).ids()[:2]
    started = time.perf_counter()
    procs = [kb(home, "ingest", str(e)) for e in exports]
    procs += [kb(home, "dedup", "--merge", keep, other)]
    readers = []
    while any(p.poll() is None for p in procs):
        readers += [kb(home, "list"), kb(home, "check"), kb(home, "search", "referral", "--mode", "lexical")]
        time.sleep(1.0)
        if len(readers) > 60:
            break
    outputs = [p.communicate() for p in procs + readers]
    seconds = time.perf_counter() - started
    tracebacks = sum("Traceback" in err for _, err in outputs)
    expected = {f"Care coordination study number {n} in county {n % 17}"
                for w in range(args.writers) for n in range(10_000 * (w + 1), 10_000 * (w + 1) + args.records // 5)}
    final = audit(home, expected)
    failed = sum(p.returncode != 0 for p in procs)
    print(f"\n{args.writers} concurrent writers ({args.records // 5} records each) + a merge + "
          f"{len(readers)} readers in {seconds:.0f} s")
    print(f"{'lost':>6} {'partial':>8} {'stale index':>12} {'tracebacks':>11} {'failed writers':>15}")
    print(f"{final.lost:>6} {final.partial:>8} {final.stale_index:>12} {tracebacks:>11} {failed:>15}")
    for (_, err), proc in zip(outputs, procs + readers, strict=True):
        if "Traceback" in err:  # which command, and the exception it ended with
            print(f"  traceback in `kb {' '.join(proc.args[4:6])}`: {err.strip().splitlines()[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--skip-kills", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-kill-bench-") as tmp:
        if not args.skip_kills:
            kills(args, Path(tmp))
        concurrent(args, Path(tmp))


if __name__ == "__main__":
    main()
