"""Scores of the study-facts and glossary extractors against the hand-written findings gold.

Each gold file in tests/gold/findings has a split ("tune" or "heldout") and an `abstract`. The
abstract is split on blank lines, run-together labels are split off, and section roles are
assigned as the pipeline does; then the extractors' output is compared with the gold:

* sample_sizes: the multiset of stated n (units and texts are not scored);
* design: the set of labels, compared lower-case;
* period: the set of normalised periods (gold field `periods`);
* setting: the set of place names;
* glossary: the set of (acronym, expansion) pairs, exact.

Scores are micro-averaged over the files of the split: (precision, recall, F1).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ingest.extract.glossary import extract_glossary
from ingest.extract.study import extract_study
from kb.eval.gold import FINDINGS_GOLD, findings_gold
from kb.eval.metrics import PRF
from kb.model.schema import Section, Study
from kb.text.sections import split_inline_labels, to_sections

log = logging.getLogger(__name__)

STUDY_FIELDS = ("sample_sizes", "design", "period", "setting")

Score = tuple[float, float, float]


def gold_files(split: str, gold_dir: Path | None = None) -> list[dict]:
    """The gold records of one split ('tune' or 'heldout'), sorted by file name."""
    records = [dict(gold, _file=path.name) for path, gold in findings_gold(split, gold_dir or FINDINGS_GOLD)
               if split != "all"]
    if not records:
        log.warning("no gold files with split %r in %s", split, gold_dir or FINDINGS_GOLD)
    return records

def sections_of(abstract: str) -> list[Section]:
    """Sections of a gold abstract, as the pipeline would build them."""
    paragraphs = [p.strip() for p in abstract.split("\n\n") if p.strip()]
    return to_sections([part for p in paragraphs for part in split_inline_labels(p)])


#: Field -> (what the extractor gives as a multiset, what the gold gives as a multiset).
_STUDY_VIEWS: dict[str, tuple[Callable[[Study], Counter], Callable[[dict], Counter]]] = {
    "sample_sizes": (lambda s: Counter(x.n for x in s.sample_sizes),
                     lambda g: Counter(x["n"] for x in g.get("sample_sizes", []))),
    "design": (lambda s: Counter({d.lower() for d in s.design}),
               lambda g: Counter({d.lower() for d in g.get("design", [])})),
    "period": (lambda s: Counter(set(s.period)), lambda g: Counter(set(g.get("periods", [])))),
    "setting": (lambda s: Counter(set(s.setting)), lambda g: Counter(set(g.get("setting", [])))),
}


def study_counts(split: str, gold_dir: Path | None = None) -> dict[str, PRF]:
    """Per-field counts of extract_study against the gold of one split."""
    counts = {name: PRF() for name in STUDY_FIELDS}
    for record in gold_files(split, gold_dir):
        study = extract_study(sections_of(record["abstract"]))
        for name, (predicted, gold) in _STUDY_VIEWS.items():
            counts[name].add_multisets(predicted(study), gold(record))
    return counts


def study_scores(split: str, gold_dir: Path | None = None) -> dict[str, Score]:
    """(precision, recall, F1) per field: sample_sizes, design, period, setting."""
    scores = {name: c.scores() for name, c in study_counts(split, gold_dir).items()}
    log.info("study scores (%s): %s", split, scores)
    return scores


def glossary_scores(split: str, gold_dir: Path | None = None) -> Score:
    """(precision, recall, F1) of extract_glossary on exact (acronym, expansion) pairs."""
    counts = PRF()
    for record in gold_files(split, gold_dir):
        predicted = Counter(extract_glossary(record["abstract"]).items())
        counts.add_multisets(predicted, Counter(record.get("glossary", {}).items()))
    score = counts.scores()
    log.info("glossary score (%s): %s", split, score)
    return score


def format_scores(split: str) -> str:
    """A small text table of all scores for one split (for reports and test output)."""
    rows = [f"{split:<8} {'field':<13} {'P':>6} {'R':>6} {'F1':>6}"]
    for name, (p, r, f) in study_scores(split).items():
        rows.append(f"{'':<8} {name:<13} {p:6.2f} {r:6.2f} {f:6.2f}")
    p, r, f = glossary_scores(split)
    rows.append(f"{'':<8} {'glossary':<13} {p:6.2f} {r:6.2f} {f:6.2f}")
    return "\n".join(rows)
