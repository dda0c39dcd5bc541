"""Check the section-role gold files in this folder (stdlib only).

    python tests/gold/roles/check_roles.py        # exit 0 when everything holds

Checks every <source>.jsonl.gz here: each line is a JSON object with id/source/origin/
sections; source equals the file's slug; ids are unique; every abstract has >= 3 sections;
every section has a non-empty text, a label that is a string (or null where the dataset did
not keep it) and a role in the five allowed; no abstract appears twice (normalised text) in
one source or across sources, and no long section (>= 100 normalised chars) is shared
between sources.  MANIFEST.md's table must list every file with the right counts and a
split of tune/heldout, with at least 2 heldout sources holding >= 300 abstracts, at least
4 sources, >= 1200 abstracts, and no source above 60% of them.
"""
import glob
import gzip
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROLES = {"background", "objective", "methods", "results", "conclusions"}
REQUIRED = ("id", "source", "origin", "sections")
MAX_BYTES = 3_200_000


def norm(s):
    return re.sub(r"[^a-z0-9]+", "", s.lower())


def read_manifest(folder=HERE):
    rows = {}
    path = os.path.join(folder, "MANIFEST.md")
    if not os.path.exists(path):
        return None
    for line in open(path, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and cells[0].startswith("`") and cells[0].endswith(".jsonl.gz`"):
            try:
                rows[cells[0].strip("`")] = {"abstracts": int(cells[3]), "sections": int(cells[4]),
                                             "split": cells[5]}
            except ValueError:
                rows[cells[0].strip("`")] = {"abstracts": None, "sections": None, "split": cells[5]}
    return rows


def check(folder=HERE):
    errors = []
    files = sorted(glob.glob(os.path.join(folder, "*.jsonl.gz")))
    if not files:
        return ["no *.jsonl.gz files"], {}
    counts = {}
    abstract_owner = {}
    section_owner = {}
    total_bytes = 0
    for path in files:
        name = os.path.basename(path)
        slug = name[: -len(".jsonl.gz")]
        total_bytes += os.path.getsize(path)
        ids = set()
        n_abs = n_sec = 0
        local_sections = {}
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for ln, line in enumerate(fh, 1):
                where = "%s:%d" % (name, ln)
                try:
                    rec = json.loads(line)
                except ValueError as e:
                    errors.append("%s: not JSON (%s)" % (where, e))
                    continue
                if not isinstance(rec, dict):
                    errors.append("%s: not an object" % where)
                    continue
                missing = [k for k in REQUIRED if k not in rec]
                if missing:
                    errors.append("%s: missing %s" % (where, missing))
                    continue
                if rec["source"] != slug:
                    errors.append("%s: source %r is not the file slug %r" % (where, rec["source"], slug))
                if not isinstance(rec["id"], str) or not rec["id"]:
                    errors.append("%s: bad id" % where)
                elif rec["id"] in ids:
                    errors.append("%s: duplicate id %s" % (where, rec["id"]))
                ids.add(rec["id"])
                if not isinstance(rec["origin"], str) or not rec["origin"].strip():
                    errors.append("%s: empty origin" % where)
                secs = rec["sections"]
                if not isinstance(secs, list) or len(secs) < 3:
                    errors.append("%s: fewer than 3 sections" % where)
                    continue
                ok = True
                for i, s in enumerate(secs):
                    if not isinstance(s, dict):
                        errors.append("%s: section %d not an object" % (where, i))
                        ok = False
                        continue
                    if s.get("role") not in ROLES:
                        errors.append("%s: section %d role %r" % (where, i, s.get("role")))
                        ok = False
                    if not (s.get("label") is None or isinstance(s.get("label"), str)):
                        errors.append("%s: section %d label %r" % (where, i, s.get("label")))
                        ok = False
                    if not isinstance(s.get("text"), str) or not s["text"].strip():
                        errors.append("%s: section %d empty text" % (where, i))
                        ok = False
                    if "mixed" in s and not isinstance(s["mixed"], bool):
                        errors.append("%s: section %d mixed not bool" % (where, i))
                if not ok:
                    continue
                n_abs += 1
                n_sec += len(secs)
                key = norm(" ".join(s["text"] for s in secs))
                prev = abstract_owner.get(key)
                if prev:
                    errors.append("%s: abstract duplicates %s" % (where, prev))
                else:
                    abstract_owner[key] = "%s id %s" % (slug, rec["id"])
                for s in secs:
                    k = norm(s["text"])
                    if len(k) >= 100:
                        local_sections.setdefault(k[:200], rec["id"])
        for k, rid in local_sections.items():
            other = section_owner.get(k)
            if other and other[0] != slug:
                errors.append("%s id %s: a section also appears in %s id %s" % (slug, rid, other[0], other[1]))
            section_owner.setdefault(k, (slug, rid))
        counts[name] = (n_abs, n_sec)

    if total_bytes > MAX_BYTES:
        errors.append("gold files take %d bytes (> %d)" % (total_bytes, MAX_BYTES))

    manifest = read_manifest(folder)
    if manifest is None:
        errors.append("MANIFEST.md missing")
        return errors, counts
    for name, (n_abs, n_sec) in counts.items():
        row = manifest.get(name)
        if row is None:
            errors.append("MANIFEST.md has no row for %s" % name)
            continue
        if row["abstracts"] != n_abs or row["sections"] != n_sec:
            errors.append("MANIFEST.md says %s has %s abstracts / %s sections, file has %d / %d"
                          % (name, row["abstracts"], row["sections"], n_abs, n_sec))
        if row["split"] not in ("tune", "heldout"):
            errors.append("MANIFEST.md split for %s is %r" % (name, row["split"]))
    for name in manifest:
        if name not in counts:
            errors.append("MANIFEST.md lists %s, which is not here" % name)
    total = sum(a for a, _ in counts.values())
    if len(counts) < 4:
        errors.append("only %d sources" % len(counts))
    if total < 1200:
        errors.append("only %d abstracts" % total)
    for name, (a, _) in counts.items():
        if total and a > 0.6 * total:
            errors.append("%s holds %.0f%% of the abstracts" % (name, 100.0 * a / total))
    held = [n for n in counts if manifest.get(n, {}).get("split") == "heldout"]
    if len(held) < 2 or sum(counts[n][0] for n in held) < 300:
        errors.append("heldout needs >= 2 sources and >= 300 abstracts (has %d sources, %d abstracts)"
                      % (len(held), sum(counts[n][0] for n in held)))
    return errors, counts


def main():
    errors, counts = check()
    for name, (a, s) in sorted(counts.items()):
        print("%-40s %6d abstracts %7d sections" % (name, a, s))
    if errors:
        for e in errors[:200]:
            print("ERROR", e)
        print("%d problem(s)" % len(errors))
        return 1
    print("roles gold: OK (%d files, %d abstracts)" % (len(counts), sum(a for a, _ in counts.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
