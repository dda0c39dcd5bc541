"""Real-world intake: metadata of the web-page captures (tests/data/captures, split tune /
held-out by site) as parsed by this tree ("after") and by another git revision ("before",
default the commit issue 13 started from), scored by kb.eval.intake with the same rules, plus
the targets of issue 13. Prints a table.

    .venv/bin/python benchmarks/intake_bench.py [--before REV] [--details heldout|tune]
        [--title-decision rules|veto|model] [--only LIST | --without LIST]

--only LIST scores only the captures named in LIST (file stems, one a line, e.g.
tests/data/captures/additions6.list); --without LIST scores all the others.

The "before" revision is unpacked with `git archive` into a temporary folder and run in a
subprocess with this interpreter (no network, nothing installed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest import title_model
from kb.eval.intake import (
    Extracted,
    captures,
    extract_all,
    failure_report,
    intake_report,
    read_names,
    score_split,
)

BASELINE_REV = "349449a"  # main when issue 13 started

# Run inside the other revision's tree: only ingest.reader's Input/open_input is assumed.
_SNAPSHOT = r"""
import json, sys
from pathlib import Path
import kb, ingest
assert Path(kb.__file__).resolve().is_relative_to(Path.cwd().resolve()), kb.__file__
from ingest.reader import Input, open_input
from kb.model.schema import Record
out = {}
for name in sys.argv[1:]:
    path = Path(name)
    try:
        opened = open_input(Input(source=path.name, path=path))
        r = next((i for i in opened.items if isinstance(i, Record)), None)
    except Exception as err:  # another revision may raise anything: record it as an error
        out[path.stem] = {"name": path.stem, "error": str(err)}
        continue
    if r is None:
        out[path.stem] = {"name": path.stem, "parser": opened.parser.NAME, "error": "no record"}
        continue
    out[path.stem] = {
        "name": path.stem, "title": r.title, "year": r.year, "doi": r.identifiers.doi,
        "parser": opened.parser.NAME, "abstract": "\n".join(s.text for s in r.abstract),
        "authors": [{"family": a.family, "given": a.given, "initials": a.initials,
                     "collective": a.collective} for a in r.authors],
    }
print(json.dumps(out))
"""


def before_snapshots(rev: str) -> dict[str, Extracted]:
    """Snapshots of every capture parsed by the code of git revision `rev`."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "rev.tar"
        subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), rev, "kb", "ingest"],
                       check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        files = [str(p) for p, _ in captures("all")]
        done = subprocess.run([sys.executable, "-c", _SNAPSHOT, *files], cwd=tmp, check=True,
                              capture_output=True, text=True, env={"PYTHONPATH": tmp, "HF_HUB_OFFLINE": "1"})
    return {k: Extracted.model_validate(v) for k, v in json.loads(done.stdout).items()}


def subset_names(every: set[str], only: Path | None, without: Path | None) -> frozenset[str] | None:
    """The captures to score: those in `only`, all but those in `without`, or all (None)."""
    if only is not None:
        return read_names(only)
    if without is not None:
        return frozenset(every - read_names(without))
    return None


TARGETS = {"title": 0.95, "first_family": 0.95, "first_given": 0.95, "year": 0.95, "doi": 0.95,
           "authors": 0.90}


def targets(after: dict[str, Extracted], names: frozenset[str] | None = None) -> str:
    held = score_split("heldout", after, names)
    lines = ["targets on held-out (issue 13)"]
    for field, goal in TARGETS.items():
        rate = held.rate(field)
        lines.append(f"  {field:<14} {rate:.2f} >= {goal:.2f}  {'met' if rate >= goal else 'NOT met'}")
    inv = held.right["invented_title"]
    lines.append(f"  invented titles {inv} == 0  {'met' if inv == 0 else 'NOT met'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=BASELINE_REV, help="git revision to compare with ('' for none)")
    parser.add_argument("--details", choices=["tune", "heldout"], help="list the failing captures of a split")
    parser.add_argument("--title-decision", choices=["rules", "veto", "model"],
                        help="decide page-header titles this way instead of as the shipped title model says")
    subset = parser.add_mutually_exclusive_group()
    subset.add_argument("--only", type=Path, metavar="LIST", help="score only the captures named in LIST")
    subset.add_argument("--without", type=Path, metavar="LIST", help="score every capture not named in LIST")
    args = parser.parse_args()
    if args.title_decision:
        title_model.OVERRIDE = args.title_decision
    after = extract_all()
    names = subset_names(set(after), args.only, args.without)
    before = before_snapshots(args.before) if args.before else None
    print(intake_report(after, before, before_name=f"before {args.before}"[:14], names=names))
    print(targets(after, names))
    if args.details:
        print()
        print(failure_report(after, args.details, names))


if __name__ == "__main__":
    main()
