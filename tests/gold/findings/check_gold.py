"""Stand-alone sanity check of the hand-written findings gold (stdlib only, no project code).

Run: python tests/gold/findings/check_gold.py
Checks every *.json here: valid JSON, expected keys, allowed kinds/roles/splits, and that every
finding text, effect text, sample-size text and glossary expansion is an exact substring of "abstract".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = {"strategy", "barrier", "facilitator", "outcome", "result", "recommendation", "conclusion"}
ROLES = {"background", "objective", "setting", "methods", "design", "results", "conclusions", "other"}
TOP = {"source", "split", "abstract", "findings", "sample_sizes", "design", "periods", "setting", "glossary", "notes"}
EFFECT_KEYS = {"measure", "value", "value_high", "ci_low", "ci_high", "ci_level", "p", "p_relation", "subgroup", "text"}
RELATIONS = {None, "=", "<", "<=", ">", ">="}


def check(path: Path) -> list[str]:
    errs: list[str] = []
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        return [f"invalid JSON: {e}"]
    if set(d) != TOP:
        errs.append(f"top-level keys {sorted(set(d) ^ TOP)} differ")
    ab = d.get("abstract", "")
    src = d.get("source", {})
    if "seed" in src:
        if d.get("split") != "tune":
            errs.append("seeds must be split 'tune'")
    elif not {"file", "pmid", "doi", "title"} <= set(src):
        errs.append("external source needs file, pmid, doi, title")
    if d.get("split") not in {"tune", "heldout"}:
        errs.append(f"bad split {d.get('split')!r}")
    if not d.get("findings"):
        errs.append("no findings")
    for i, f in enumerate(d.get("findings", [])):
        tag = f"finding {i}"
        if f.get("kind") not in KINDS:
            errs.append(f"{tag}: bad kind {f.get('kind')!r}")
        if f.get("role") not in ROLES:
            errs.append(f"{tag}: bad role {f.get('role')!r}")
        if not f.get("text") or f["text"] not in ab:
            errs.append(f"{tag}: text not a substring of abstract: {f.get('text', '')[:70]!r}")
        if f.get("text", "") != f.get("text", "").strip():
            errs.append(f"{tag}: text has surrounding whitespace")
        for j, e in enumerate(f.get("effects", [])):
            if set(e) != EFFECT_KEYS:
                errs.append(f"{tag} effect {j}: keys {sorted(set(e) ^ EFFECT_KEYS)} differ")
            if e.get("text") not in ab:
                errs.append(f"{tag} effect {j}: text not in abstract: {e.get('text')!r}")
            if e.get("p_relation") not in RELATIONS:
                errs.append(f"{tag} effect {j}: bad p_relation")
            if (e.get("ci_low") is None) != (e.get("ci_high") is None):
                errs.append(f"{tag} effect {j}: half a CI")
            for k in ("value", "value_high", "ci_low", "ci_high", "ci_level", "p"):
                if e.get(k) is not None and not isinstance(e[k], (int, float)):
                    errs.append(f"{tag} effect {j}: {k} not a number")
    for s in d.get("sample_sizes", []):
        if not isinstance(s.get("n"), int) or s.get("text") not in ab:
            errs.append(f"sample size bad or not in abstract: {s}")
    for k, v in d.get("glossary", {}).items():
        if v not in ab:
            errs.append(f"glossary {k}: expansion not in abstract")
    return errs


def main() -> int:
    files = sorted(HERE.glob("*.json"))
    bad = 0
    counts: dict[str, list[int]] = {}
    for p in files:
        errs = check(p)
        d = json.loads(p.read_text(encoding="utf-8")) if not errs or "invalid JSON" not in errs[0] else {}
        counts.setdefault(d.get("split", "?"), []).append(len(d.get("findings", [])))
        for e in errs:
            print(f"{p.name}: {e}")
        bad += bool(errs)
    for split, ns in sorted(counts.items()):
        print(f"{split}: {len(ns)} files, {sum(ns)} findings")
    print(f"{len(files)} files checked, {bad} with errors")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
