"""Rebuild BEIR SciFact (the folder benchmarks/beir_bench.py reads) from two public repository
snapshots, fetching nothing: the allenai/scifact CSVs in sumithra-p-v/claimverifier and BEIR's
queries and train qrels in Kirloxious/CSI4107_Assignment2 (commits in beir_bench.py's docstring).

    python benchmarks/beir_scifact_data.py SCIFACT_ZIP KIRLOXIOUS_SCIFACT_DIR OUT_DIR

SCIFACT_ZIP is data/scifact.zip of claimverifier; KIRLOXIOUS_SCIFACT_DIR holds queries.jsonl and
qrels/train.tsv (its corpus.jsonl is not in the snapshot, hence the CSV). Writes corpus.jsonl,
queries.jsonl, qrels/train.tsv, qrels/test.tsv and MANIFEST.md with each file's sha256.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import io
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

# a Python string literal of numpy's repr of an array of sentences: 'a' or "it's"
_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.S)


def sentences(cell: str) -> list[str]:
    """The sentences of the CSV's `abstract` cell (numpy's repr of a string array)."""
    return [ast.literal_eval(m.group(0)) for m in _LITERAL.finditer(cell)]


def corpus_lines(rows: list[dict[str, str]]) -> list[str]:
    return [json.dumps({"_id": r["doc_id"], "title": r["title"], "text": " ".join(sentences(r["abstract"])),
                        "metadata": {}}) for r in rows]


def test_qrels(rows: list[dict[str, str]]) -> list[str]:
    """One line per distinct (claim id, cited doc id) of the validation claims, score 1."""
    seen: dict[tuple[str, str], None] = {}
    for row in rows:
        for doc in re.findall(r"\d+", row["cited_doc_ids"]):
            seen.setdefault((row["id"], doc))
    return ["query-id\tcorpus-id\tscore", *(f"{q}\t{d}\t1" for q, d in seen)]


def _read_csv(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with archive.open(name) as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("zip", type=Path)
    parser.add_argument("beir_dir", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    (args.out / "qrels").mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(args.zip) as archive:
        corpus = corpus_lines(_read_csv(archive, "corpus_train.csv"))
        test = test_qrels(_read_csv(archive, "claims_validation.csv"))
    (args.out / "corpus.jsonl").write_text("\n".join(corpus) + "\n", encoding="utf-8")
    (args.out / "qrels" / "test.tsv").write_text("\n".join(test) + "\n", encoding="utf-8")
    shutil.copyfile(args.beir_dir / "queries.jsonl", args.out / "queries.jsonl")
    shutil.copyfile(args.beir_dir / "qrels" / "train.tsv", args.out / "qrels" / "train.tsv")
    names = ["corpus.jsonl", "queries.jsonl", "qrels/train.tsv", "qrels/test.tsv"]
    digests = {n: hashlib.sha256((args.out / n).read_bytes()).hexdigest() for n in names}
    (args.out / "MANIFEST.md").write_text(
        "# BEIR SciFact, rebuilt by benchmarks/beir_scifact_data.py\n\n"
        + "\n".join(f"- `{n}` sha256 {d}" for n, d in digests.items()) + "\n", encoding="utf-8")
    for name, digest in digests.items():
        print(f"{name}\t{digest}")


if __name__ == "__main__":
    main()
