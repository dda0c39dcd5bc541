"""Metadata of real web-page captures against their hand-written gold (tests/data/captures):
title (and invented titles), first author, all authors in order, year, DOI, corporate authors
and the abstract, per split (tune / held-out by site). One snapshot shape (`Extracted`) lets the
benchmark score the output of another code version (today's main) with the same rules."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from ingest.reader import Input, open_input
from kb.errors import KBError
from kb.eval.gold import CAPTURES
from kb.model.schema import Record

SPLITS = ("tune", "heldout")
FIELDS = ("title", "invented_title", "first_family", "first_given", "authors", "year", "doi",
          "corporate", "abstract")
LABELS = {
    "title": "title exact", "invented_title": "invented titles", "first_family": "first author family",
    "first_given": "first author given", "authors": "all authors in order", "year": "year",
    "doi": "DOI", "corporate": "corporate authors", "abstract": "abstract found (or none)",
}


class Person(BaseModel):
    """One author as a parser gave it."""

    family: str | None = None
    given: str | None = None
    initials: str | None = None
    collective: str | None = None


class Extracted(BaseModel):
    """What a parser made of one capture (the first record), or the error it raised."""

    name: str
    title: str | None = None
    authors: list[Person] = Field(default_factory=list)
    year: int | None = None
    doi: str | None = None
    abstract: str = ""
    abstract_labelled: str = ""  # … with each section's label on a line before its text, as shown
    parser: str | None = None
    error: str | None = None


def captures(split: str = "all", folder: Path = CAPTURES,
             names: Collection[str] | None = None) -> list[tuple[Path, dict]]:
    """(capture .txt, gold) of a split ('tune', 'heldout' or 'all'), sorted by name; only the
    captures named in `names` (file stems) when it is given."""
    if not (folder / "gold").is_dir():
        raise KBError(f"no capture gold in {folder} (the captures ship with the repository's tests)")
    out = []
    for gold_path in sorted((folder / "gold").glob("*.json")):
        if names is not None and gold_path.stem not in names:
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if split in ("all", gold["split"]):
            out.append((folder / f"{gold_path.stem}.txt", gold))
    return out


def read_names(path: Path, folder: Path = CAPTURES) -> frozenset[str]:
    """Capture names (file stems), one a line, from a list such as captures/additions6.list;
    every name must have gold."""
    try:
        names = frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    except OSError as err:
        raise KBError(f"cannot read the capture list {path}: {err.strerror}") from err
    unknown = sorted(n for n in names if not (folder / "gold" / f"{n}.json").is_file())
    if not names or unknown:
        raise KBError(f"capture list {path}: " + (f"no gold for {', '.join(unknown[:5])}" if unknown else "empty"))
    return names


def snapshot(name: str, record: Record | None, *, parser: str | None = None,
             error: str | None = None) -> Extracted:
    """The fields scored, from a parsed record (or an error)."""
    if record is None:
        return Extracted(name=name, parser=parser, error=error)
    return Extracted(
        name=name, title=record.title, year=record.year, doi=record.identifiers.doi, parser=parser,
        authors=[Person(family=a.family, given=a.given, initials=a.initials, collective=a.collective)
                 for a in record.authors],
        abstract="\n".join(s.text for s in record.abstract),
        abstract_labelled="\n".join(f"{s.label}\n{s.text}" if s.label else s.text for s in record.abstract))


def extract_capture(path: Path) -> Extracted:
    """Ingest one capture with the real text path (as `kb ingest` and the app do), no extraction."""
    try:
        opened = open_input(Input(source=path.name, path=path))
        record = next((i for i in opened.items if isinstance(i, Record)), None)
    except KBError as err:
        return snapshot(path.stem, None, error=str(err))
    return snapshot(path.stem, record, parser=opened.parser.NAME)


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def norm_given(given: str | None) -> str:
    """Given names compared without dots and spaces: 'Sophie G. L.' == 'Sophie G.L.'."""
    return re.sub(r"[.\s]", "", given or "")


def _people(authors: Iterable[Person]) -> list[tuple[str, str]]:
    return [(_squash(a.family), norm_given(a.given or a.initials)) for a in authors if not a.collective]


def score(got: Extracted, gold: dict) -> dict[str, bool]:
    """Per field: right (True) or wrong. A missing value is right only when the gold has none."""
    title = _squash(got.title) or None
    want = [(_squash(a["family"]), norm_given(a.get("given"))) for a in gold["authors"]]
    have = _people(got.authors)
    first_ok = bool(want) == bool(have)
    text = _squash(got.abstract)
    if gold["has_abstract"]:  # the page's words, its section headings among them or not
        abstract = any(_squash(gold["abstract_first"]) in t and _squash(gold["abstract_last"]) in t
                       for t in (text, _squash(got.abstract_labelled)))
    else:
        abstract = not text
    return {
        "title": title == (_squash(gold["title"]) or None),
        "invented_title": title is not None and title != _squash(gold["title"]),
        "first_family": first_ok and (not want or have[0][0] == want[0][0]),
        "first_given": first_ok and (not want or have[0] == want[0]),
        "authors": have == want,
        "year": got.year == gold["year"],
        "doi": (got.doi or "").lower() == (gold["doi"] or "").lower(),
        "corporate": [_squash(a.collective) for a in got.authors if a.collective]
        == [_squash(c) for c in gold["corporate_authors"]],
        "abstract": abstract,
    }


class SplitScore(BaseModel):
    """Counts of right answers per field over one split."""

    split: str
    pages: int
    right: dict[str, int]
    failures: dict[str, list[str]]

    def rate(self, field: str) -> float:
        return self.right[field] / self.pages if self.pages else 0.0


def score_split(split: str, extracted: dict[str, Extracted],
                names: Collection[str] | None = None) -> SplitScore:
    """Scores of one split (only the captures in `names` when given), from snapshots keyed by
    capture name."""
    right = dict.fromkeys(FIELDS, 0)
    failures: dict[str, list[str]] = {f: [] for f in FIELDS}
    pages = captures(split, names=names)
    for path, gold in pages:
        got = extracted.get(path.stem) or Extracted(name=path.stem, error="not run")
        for field, ok in score(got, gold).items():
            right[field] += ok
            if ok == (field == "invented_title"):
                failures[field].append(path.stem)
    return SplitScore(split=split, pages=len(pages), right=right, failures=failures)


def extract_all(folder: Path = CAPTURES) -> dict[str, Extracted]:
    """Snapshots of every capture with the code of this tree."""
    return {path.stem: extract_capture(path) for path, _ in captures("all", folder)}


def _cell(s: SplitScore, field: str) -> str:
    if field == "invented_title":
        return f"{s.right[field]:>3} of {s.pages}"
    return f"{s.rate(field):.2f} ({s.right[field]:>2}/{s.pages})"


def intake_report(after: dict[str, Extracted] | None = None,
                  before: dict[str, Extracted] | None = None, *, before_name: str = "before",
                  names: Collection[str] | None = None) -> str:
    """A table per split: each field's rate (invented titles as a count), before and after;
    over the captures in `names` only when given."""
    after = after if after is not None else extract_all()
    count = len(after) if names is None else len(captures("all", names=names))
    lines = [f"intake vs tests/data/captures ({count} captures; split by site)", ""]
    for split in SPLITS:
        now = score_split(split, after, names)
        old = score_split(split, before, names) if before is not None else None
        head = f"[{split}] {now.pages} pages"
        lines.append(head)
        lines.append(f"  {'':<26}{before_name:>14}{'after':>14}" if old else f"  {'':<26}{'after':>14}")
        for field in FIELDS:
            row = f"  {LABELS[field]:<26}"
            if old:
                row += f"{_cell(old, field):>14}"
            lines.append(row + f"{_cell(now, field):>14}")
        lines.append("")
    return "\n".join(lines)


def failure_report(extracted: dict[str, Extracted], split: str, names: Collection[str] | None = None) -> str:
    """Every capture of a split (of `names` when given) that fails a field, with what was found
    and the gold."""
    golds = {p.stem: g for p, g in captures(split, names=names)}
    lines = []
    for name, gold in golds.items():
        got = extracted[name]
        bad = [f for f, ok in score(got, gold).items() if ok == (f == "invented_title")]
        if not bad:
            continue
        lines.append(f"{name} [{got.parser or got.error}]: {', '.join(bad)}")
        if {"title", "invented_title"} & set(bad):
            lines.append(f"    title  got {got.title!r}\n           want {gold['title']!r}")
        if {"first_family", "first_given", "authors"} & set(bad):
            lines.append(f"    authors got {_people(got.authors)[:4]}\n            want "
                         f"{[(a['family'], norm_given(a.get('given'))) for a in gold['authors']][:4]}")
        if "year" in bad:
            lines.append(f"    year got {got.year} want {gold['year']}")
        if "doi" in bad:
            lines.append(f"    doi got {got.doi} want {gold['doi']}")
        if "corporate" in bad:
            lines.append(f"    corporate got {[a.collective for a in got.authors if a.collective]} "
                         f"want {gold['corporate_authors']}")
        if "abstract" in bad:
            lines.append(f"    abstract got {got.abstract[:90]!r}")
    return "\n".join(lines)
