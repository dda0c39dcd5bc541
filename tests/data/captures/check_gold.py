#!/usr/bin/env python3
"""Consistency check for the web-page capture corpus (project issue 13).

Stdlib only. Run from anywhere:  python tests/data/captures/check_gold.py

For every gold/<name>.json it checks that the gold can be verified against
<name>.txt by plain reading:
  * every .txt has a gold file and every gold file has a .txt; id == file stem
  * required keys exist; layout is one of the allowed values; split follows
    sha256(site) % 2 (1 -> "heldout", 0 -> "tune")
  * title, abstract_first and abstract_last are exact substrings of the
    capture; if the gold "notes" mention "wrapped", a match after collapsing
    every whitespace run (in capture and field) to one space is accepted
  * abstract_first is 60-80 characters, abstract_last 40-60 characters;
    both are null when has_abstract is false
  * every author family name occurs in the capture
  * doi is lower-case, has no resolver prefix and occurs (case-insensitive)
  * pmid / pmcid / venue / venue_abbrev, when given, occur in the capture
Exit status 0 when everything passes, 1 otherwise.
"""
import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold"
LAYOUTS = {"publisher", "pmc", "europepmc", "pubmed", "preprint", "aggregator", "foreign-interface",
           # second half of the corpus (libraries, repositories, grey literature, CORD-19 rows)
           "evidence-library", "repository", "grey-literature", "government", "blog", "one-line-record"}
REQUIRED = ["id", "url", "site", "layout", "split", "title", "authors", "corporate_authors", "year",
            "doi", "pmid", "pmcid", "venue", "venue_abbrev", "has_abstract", "abstract_first",
            "abstract_last", "resource_type", "interface_language", "notes"]


def squash(s):
    return re.sub(r"\s+", " ", s)


def expected_split(site):
    return "heldout" if int(hashlib.sha256(site.encode()).hexdigest(), 16) % 2 else "tune"


def check_one(gold_path, errors):
    name = gold_path.stem
    err = lambda msg: errors.append(f"{name}: {msg}")
    try:
        g = json.loads(gold_path.read_text(encoding="utf-8"))
    except ValueError as e:
        err(f"invalid JSON: {e}")
        return
    txt_path = HERE / (name + ".txt")
    if not txt_path.exists():
        err("no capture .txt for this gold file")
        return
    text = txt_path.read_text(encoding="utf-8")
    for k in REQUIRED:
        if k not in g:
            err(f"missing key {k!r}")
    if g.get("id") != name:
        err(f"id {g.get('id')!r} != file name")
    if g.get("layout") not in LAYOUTS:
        err(f"bad layout {g.get('layout')!r}")
    site = g.get("site") or ""
    if not site:
        err("empty site")
    elif g.get("split") != expected_split(site):
        err(f"split {g.get('split')!r} should be {expected_split(site)!r} for site {site!r}")

    wrapped = "wrapped" in (g.get("notes") or "").lower()

    def occurs(field, value):
        if value in text:
            return True
        if wrapped and squash(value) in squash(text):
            return True
        err(f"{field} not found in capture: {value!r}")
        return False

    if g.get("title") is not None:
        if "\n" in g["title"]:
            err("title must be one line")
        occurs("title", g["title"])

    has_abs = g.get("has_abstract")
    if has_abs not in (True, False):
        err("has_abstract must be true/false")
    for field, lo, hi in (("abstract_first", 60, 80), ("abstract_last", 40, 60)):
        v = g.get(field)
        if not has_abs:
            if v is not None:
                err(f"{field} must be null when has_abstract is false")
            continue
        if v is None:
            err(f"{field} is null but has_abstract is true")
            continue
        if not lo <= len(v) <= hi:
            err(f"{field} has {len(v)} characters, expected {lo}-{hi}")
        occurs(field, v)

    authors = g.get("authors")
    if not isinstance(authors, list):
        err("authors must be a list")
    else:
        for a in authors:
            fam = a.get("family") if isinstance(a, dict) else None
            if not fam:
                err(f"author without family name: {a!r}")
            elif fam not in text:
                err(f"author family {fam!r} not in capture")
    if not isinstance(g.get("corporate_authors"), list):
        err("corporate_authors must be a list")

    doi = g.get("doi")
    if doi is not None:
        if doi != doi.lower():
            err("doi must be lower-case")
        if re.match(r"(https?://|doi:)", doi, re.I) or "doi.org" in doi:
            err("doi must not carry a resolver prefix")
        if doi.lower() not in text.lower():
            err(f"doi {doi!r} not in capture")
    year = g.get("year")
    if year is not None and not (isinstance(year, int) and 1800 <= year <= 2100):
        err(f"bad year {year!r}")
    if g.get("pmid") is not None:
        if not re.fullmatch(r"\d+", g["pmid"]):
            err("pmid must be a digit string")
        elif g["pmid"] not in text:
            err("pmid not in capture")
    if g.get("pmcid") is not None:
        if not re.fullmatch(r"PMC\d+", g["pmcid"]):
            err("pmcid must look like PMC123")
        elif g["pmcid"] not in text:
            err("pmcid not in capture")
    for field in ("venue", "venue_abbrev"):
        if g.get(field) is not None:
            occurs(field, g[field])


def main():
    errors = []
    txt = {p.stem for p in HERE.glob("*.txt")}
    gold = {p.stem for p in GOLD.glob("*.json")}
    for n in sorted(txt - gold):
        errors.append(f"{n}: capture has no gold file")
    for p in sorted(GOLD.glob("*.json")):
        check_one(p, errors)
    for e in errors:
        print("FAIL", e)
    print(f"{len(txt)} captures, {len(gold)} gold files, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
