"""Check the finding-kind gold files (stdlib only).

    python tests/gold/kinds/check_kinds.py [--dir DIR]

Checks abstracts.jsonl, sentences.jsonl and every labels_*.jsonl beside them (see GUIDELINE.md):
valid JSON lines, known fields and allowed values, unique ids, every sentence an exact slice of its
abstract's text, positions in order, every abstract of a source in one split (and that split the
one the source's name gives), every labelled sid present and every kind allowed. Exits 1 on any error.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

TOPICS = {"health-services", "public-health", "clinical-trial", "review", "other"}
SPLITS = {"tune", "heldout"}
KINDS = {"outcome", "result", "strategy", "barrier", "facilitator", "recommendation", "conclusion", "none"}
ABSTRACT_REQUIRED = {"id", "source", "origin", "topic", "split", "text"}
ABSTRACT_OPTIONAL = {"title", "note"}
SENTENCE_FIELDS = {"sid", "abstract_id", "start", "end", "text", "label", "position"}
LABEL_REQUIRED = {"sid", "kind"}
LABEL_OPTIONAL = {"kind2", "note", "resolved", "labelling"}


def split_for(source: str) -> str:
    """The split a source gets: held-out when sha256(name) % 5 is 0 or 1, else tune."""
    return "heldout" if int(hashlib.sha256(source.encode()).hexdigest(), 16) % 5 in (0, 1) else "tune"


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, where: str, msg: str) -> None:
        self.errors.append(f"{where}: {msg}")


def read_jsonl(path: Path, rep: Report) -> list[tuple[int, dict]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                rep.error(f"{path.name}:{n}", "blank line")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                rep.error(f"{path.name}:{n}", f"not valid JSON ({err})")
                continue
            if not isinstance(obj, dict):
                rep.error(f"{path.name}:{n}", "not a JSON object")
                continue
            rows.append((n, obj))
    return rows


def check_fields(obj: dict, required: set, optional: set, where: str, rep: Report) -> bool:
    missing = required - obj.keys()
    extra = obj.keys() - required - optional
    if missing:
        rep.error(where, f"missing field(s) {sorted(missing)}")
    if extra:
        rep.error(where, f"unknown field(s) {sorted(extra)}")
    return not missing


def check_abstracts(path: Path, rep: Report) -> dict[str, dict]:
    abstracts: dict[str, dict] = {}
    split_of_source: dict[str, set] = defaultdict(set)
    for n, a in read_jsonl(path, rep):
        where = f"{path.name}:{n}"
        if not check_fields(a, ABSTRACT_REQUIRED, ABSTRACT_OPTIONAL, where, rep):
            continue
        for key in ("id", "source", "origin", "text"):
            if not isinstance(a[key], str) or not a[key].strip():
                rep.error(where, f"'{key}' must be a non-empty string")
        if "#" in str(a["id"]):
            rep.error(where, "abstract id must not contain '#'")
        if a["topic"] not in TOPICS:
            rep.error(where, f"topic '{a['topic']}' not one of {sorted(TOPICS)}")
        if a["split"] not in SPLITS:
            rep.error(where, f"split '{a['split']}' not one of {sorted(SPLITS)}")
        if a["id"] in abstracts:
            rep.error(where, f"duplicate abstract id {a['id']}")
            continue
        abstracts[a["id"]] = a
        split_of_source[a["source"]].add(a["split"])
    for source, splits in sorted(split_of_source.items()):
        if len(splits) > 1:
            rep.error(path.name, f"source '{source}' has abstracts in both splits")
        elif splits and next(iter(splits)) != split_for(source):
            rep.error(path.name, f"source '{source}' is in '{next(iter(splits))}' but its name gives "
                                 f"'{split_for(source)}' (sources are never moved)")
    return abstracts


def check_sentences(path: Path, abstracts: dict[str, dict], rep: Report) -> dict[str, dict]:
    sentences: dict[str, dict] = {}
    by_abstract: dict[str, list[dict]] = defaultdict(list)
    for n, s in read_jsonl(path, rep):
        where = f"{path.name}:{n}"
        if not check_fields(s, SENTENCE_FIELDS, set(), where, rep):
            continue
        sid, aid = s["sid"], s["abstract_id"]
        if sid in sentences:
            rep.error(where, f"duplicate sid {sid}")
            continue
        if aid not in abstracts:
            rep.error(where, f"abstract_id {aid} not in abstracts.jsonl")
            continue
        if not all(isinstance(s[k], int) and not isinstance(s[k], bool) for k in ("start", "end", "position")):
            rep.error(where, "start, end and position must be integers")
            continue
        if sid != f"{aid}#{s['position']}":
            rep.error(where, f"sid {sid} is not '<abstract_id>#<position>'")
        if s["label"] is not None and (not isinstance(s["label"], str) or not s["label"].strip()):
            rep.error(where, "label must be a non-empty string or null")
        text = abstracts[aid]["text"]
        if not 0 <= s["start"] < s["end"] <= len(text):
            rep.error(where, f"offsets {s['start']}-{s['end']} outside the abstract (length {len(text)})")
        elif text[s["start"]:s["end"]] != s["text"]:
            rep.error(where, f"text differs from abstract text[{s['start']}:{s['end']}]")
        sentences[sid] = s
        by_abstract[aid].append(s)
    for aid, rows in by_abstract.items():
        rows.sort(key=lambda r: r["position"])
        if [r["position"] for r in rows] != list(range(len(rows))):
            rep.error(path.name, f"{aid}: positions are not 0..{len(rows) - 1}")
        for prev, cur in zip(rows, rows[1:], strict=False):
            if cur["start"] < prev["end"]:
                rep.error(path.name, f"{cur['sid']} starts before {prev['sid']} ends")
    for aid in abstracts.keys() - by_abstract.keys():
        rep.error(path.name, f"abstract {aid} has no sentences")
    return sentences


def check_labels(path: Path, sentences: dict[str, dict], rep: Report) -> Counter:
    kinds: Counter = Counter()
    seen: set[str] = set()
    for n, lab in read_jsonl(path, rep):
        where = f"{path.name}:{n}"
        if not check_fields(lab, LABEL_REQUIRED, LABEL_OPTIONAL, where, rep):
            continue
        sid = lab["sid"]
        if sid not in sentences:
            rep.error(where, f"sid {sid} not in sentences.jsonl")
        if sid in seen:
            rep.error(where, f"sid {sid} labelled twice in this file")
        seen.add(sid)
        if lab["kind"] not in KINDS:
            rep.error(where, f"kind '{lab['kind']}' not one of {sorted(KINDS)}")
        if "kind2" in lab:
            if lab["kind2"] not in KINDS - {"none"}:
                rep.error(where, f"kind2 '{lab['kind2']}' not a finding kind")
            elif lab["kind2"] == lab["kind"]:
                rep.error(where, "kind2 equals kind")
        if "note" in lab and not isinstance(lab["note"], str):
            rep.error(where, "note must be a string")
        kinds[lab["kind"]] += 1
    return kinds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    rep = Report()
    a_path, s_path = args.dir / "abstracts.jsonl", args.dir / "sentences.jsonl"
    for p in (a_path, s_path):
        if not p.exists():
            print(f"missing {p}")
            return 1
    abstracts = check_abstracts(a_path, rep)
    sentences = check_sentences(s_path, abstracts, rep)
    label_files = sorted(args.dir.glob("labels_*.jsonl"))
    label_counts = {p.name: check_labels(p, sentences, rep) for p in label_files}

    topics = Counter((a["topic"], a["split"]) for a in abstracts.values())
    sent_split = Counter(abstracts[s["abstract_id"]]["split"] for s in sentences.values())
    print(f"{len(abstracts)} abstracts from {len({a['source'] for a in abstracts.values()})} sources, "
          f"{len(sentences)} sentences (tune {sent_split['tune']}, heldout {sent_split['heldout']})")
    for topic in sorted(TOPICS):
        print(f"  {topic:16} tune {topics[(topic, 'tune')]:4}  heldout {topics[(topic, 'heldout')]:4}")
    for name, counts in label_counts.items():
        done = sum(counts.values())
        print(f"  {name}: {done} labels ({', '.join(f'{k} {v}' for k, v in counts.most_common())})")
    if rep.errors:
        print(f"{len(rep.errors)} error(s):")
        for e in rep.errors[:200]:
            print("  " + e)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
