"""Where the hand-checked gold and the external material live, in one place, and the reader of
the findings gold files (split tune / held-out / seeds)."""

from __future__ import annotations

import json
from pathlib import Path

from kb.config import REPO_ROOT

TESTS = REPO_ROOT / "tests"
FINDINGS_GOLD = TESTS / "gold" / "findings"
KINDS_GOLD = TESTS / "gold" / "kinds"
ROLES_GOLD = TESTS / "gold" / "roles"
CAPTURES = TESTS / "data" / "captures"
QUERIES_FILE = TESTS / "data" / "queries.json"
SHARED = REPO_ROOT.parent / "shared"
SEEDS_DIR = SHARED / "seeds"
EXTERNAL = SHARED / "data" / "external"
SHIPPED_RECORDS = REPO_ROOT / "records"
#: the split of each source of the roles gold (tests/gold/roles/MANIFEST.md; fixed, never moved)
ROLE_SPLITS = {
    "evidence-inference-pmc": "tune", "csabstruct": "tune", "pubmedqa": "heldout",
    "plos-starter-corpus": "heldout", "pubmed-export-fixtures": "heldout",
    "academic-site-oldmeadow": "heldout",
    # added by the rule in the MANIFEST (sha256 of the repository's name, even -> tune)
    "scifact-inline-labels": "tune", "research-assistant-grobid": "heldout",
}
#: the six sources of the first version of the roles gold, so figures stay comparable across versions
ROLE_SOURCES_V1 = ("evidence-inference-pmc", "csabstruct", "pubmedqa", "plos-starter-corpus",
                   "pubmed-export-fixtures", "academic-site-oldmeadow")


def findings_gold(split: str, folder: Path = FINDINGS_GOLD) -> list[tuple[Path, dict]]:
    """(path, gold) for every findings gold file of a split, sorted by name: 'tune', 'heldout',
    'all' for both, 'seeds' for the five seeds."""
    out = []
    for path in sorted(folder.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if split in ("all", gold.get("split")) or (split == "seeds" and gold["source"].get("seed")):
            out.append((path, gold))
    return out
