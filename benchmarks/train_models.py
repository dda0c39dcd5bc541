"""Train the two linear models the package ships, from the tune split only:

1. the section-role model (`kb/text/role_model.{json,npz}`) on the tune sources of tests/gold/roles
   (evidence-inference-pmc, csabstruct, scifact-inline-labels; authors' / annotators' labels
   stripped, each abstract read as one paragraph of sentences; its configuration was chosen by
   cross-source CV in benchmarks/roles_experiment.py);
2. the finding-kind model (`ingest/extract/kind_model.{json,npz}`) on the tune split of
   tests/gold/kinds (labels_final.jsonl), each sentence with the role the role model gives it.

Both are logistic regressions (scikit-learn, pinned in the dev extra); the files hold weights,
vocabulary, training data hash and held-out scores, and run time needs only numpy. The role model's
regularisation is fixed; the kind model is trained in the shipped configuration (SHIPPED, the BASE
of `benchmarks/kinds_configs.py`: one LR over the seven kinds and none) and records its CV grouped
by source inside tune; the two-stage configuration (TWO_STAGE) was not shipped (commit 6ebcf82).
Held-out figures are measured once, after fitting, and
only recorded.

    nice -n 10 .venv/bin/python benchmarks/train_models.py [--only roles|kinds]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from ingest.extract import kinds as km
from kb.eval.gold import KINDS_GOLD, ROLE_SPLITS, ROLES_GOLD, findings_gold
from kb.eval.kinds import NONE, KindRow, evaluate_kinds, kind_rows, kinds_gold
from kb.eval.roles import RoleAbstract, model_sentence_roles, roles_gold, score_paragraphs, score_sentences
from kb.text import linear, roles
from kb.text.linear import LEXICAL, ModelFile, Variant, ngrams, save_model

log = logging.getLogger("train_models")
FIVE = {"setting": "methods", "design": "methods", "other": "background"}


def files_digest(paths: list[Path]) -> str:
    """sha256 over the files' names and bytes, in name order: a model's training-data hash."""
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _vocabulary(texts: list[str], min_df: int, cap: int) -> list[str]:
    df = Counter(g for t in texts for g in ngrams(t))
    kept = sorted((g for g, n in df.items() if n >= min_df), key=lambda g: (-df[g], g))[:cap]
    return sorted(kept)


def _scaler(x: sparse.csr_matrix, dense_from: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean (zero: centring would only move the unpenalised intercept) and scale (the standard
    deviation of the dense columns; the binary bags, before dense_from, stay as they are)."""
    scale = np.ones(x.shape[1])
    sd = x[:, dense_from:].toarray().std(axis=0)
    scale[dense_from:] = np.where(sd > 1e-9, sd, 1.0)
    return np.zeros(x.shape[1]), scale


def _scaled(x: sparse.csr_matrix, scale: np.ndarray) -> sparse.csr_matrix:
    return sparse.csr_matrix(x.multiply(1.0 / scale[None, :]))


def _fit(x: sparse.csr_matrix, y: np.ndarray, scale: np.ndarray, c: float,
         weight: str | None) -> LogisticRegression:
    clf = LogisticRegression(C=c, max_iter=400, tol=1e-3, class_weight=_weights(y, weight))
    clf.fit(_scaled(x, scale), y)
    return clf


def _variant(clf: LogisticRegression, mean: np.ndarray, scale: np.ndarray) -> Variant:
    return Variant(name=LEXICAL, classes=tuple(str(c) for c in clf.classes_),
                   weights=clf.coef_.astype(np.float64), bias=clf.intercept_.astype(np.float64),
                   mean=mean, scale=scale)


# ---- roles -------------------------------------------------------------------------------------

def _role_matrix(model: ModelFile, abstracts: list[RoleAbstract], *, drop_mixed: bool = False
                 ) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Features and roles of every sentence (each abstract one sequence); with drop_mixed, the rows
    of sentences whose section label named two roles are left out (their features still see them)."""
    probe = Variant(LEXICAL, (), np.zeros((0, 0)), np.zeros(0), np.zeros(0), np.zeros(0))
    blocks, labels = [], []
    for a in abstracts:
        x = sparse.csr_matrix(roles.sequence_features(model, probe, list(a.sentences)))
        keep = np.array([not (drop_mixed and m) for m in (a.mixed or [False] * len(a.roles))])
        blocks.append(x[keep])
        labels += [FIVE.get(r, r) for r, k in zip(a.roles, keep, strict=True) if k]
    return sparse.vstack(blocks).tocsr(), np.array(labels)


#: optional feature blocks of the role model (kb.text.roles.feature_blocks), chosen by
#: benchmarks/roles_experiment.py (cross-source CV on tune)
ROLE_BLOCKS: tuple[str, ...] = ("objective", "context")
#: train on unambiguous sections only (a "Methods and results" section's sentences are not all methods)
ROLE_DROP_MIXED = True


def train_roles(c: float = 0.5, blocks: tuple[str, ...] = ROLE_BLOCKS, drop_mixed: bool = ROLE_DROP_MIXED) -> dict:
    tune = roles_gold("tune")
    texts = [s for a in tune for s in a.sentences]
    vocabulary = _vocabulary(texts, min_df=5, cap=3000)
    shell = ModelFile(meta={"feature_blocks": list(blocks)}, vocabulary={g: i for i, g in enumerate(vocabulary)})
    x, y = _role_matrix(shell, tune, drop_mixed=drop_mixed)
    dense_from = len(vocabulary)  # the binary bag first
    mean, scale = _scaler(x, dense_from)
    for lo, hi in _bag_columns(len(vocabulary)):
        scale[lo:hi] = 1.0
    log.info("roles: %d sentences, %d features", x.shape[0], x.shape[1])
    clf = _fit(x, y, scale, c, None)
    sources = sorted(s for s, split in ROLE_SPLITS.items() if split == "tune")
    meta = {"what": "section roles of unlabelled abstract sentences (kb.text.roles)",
            "trained_on": "tests/gold/roles tune sources: " + ", ".join(sources),
            "training_data_sha256": files_digest([ROLES_GOLD / f"{s}.jsonl.gz" for s in sources]),
            "C": c, "feature_blocks": list(blocks), "mixed_sections_left_out": drop_mixed}
    save_model(roles.MODEL_STEM, meta, vocabulary, [_variant(clf, mean, scale)])
    linear.load_model.cache_clear()
    return rescore_roles()


def rescore_roles() -> dict:
    """Measure the shipped role model on both splits and record the figures in its JSON file."""
    path = roles.MODEL_STEM.with_suffix(".json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    scores = {}
    for split in ("tune", "heldout"):
        gold = roles_gold(split)
        scores[split] = {"sentence_accuracy": round(score_sentences(gold, model_sentence_roles(None)).accuracy, 4),
                         "section_accuracy": round(score_paragraphs(gold).accuracy, 4)}
    doc["scores"] = scores
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", "utf-8")
    linear.load_model.cache_clear()
    return scores


def _bag_columns(v: int) -> list[tuple[int, int]]:
    """Column ranges of the binary bag in roles.sequence_features."""
    return [(0, v)]


# ---- kinds -------------------------------------------------------------------------------------

def _kind_matrix(model: ModelFile, rows: list[KindRow]) -> sparse.csr_matrix:
    return sparse.csr_matrix(km.kind_features(model, [r.item for r in rows]))


def _predict(rows: list[KindRow], proba: np.ndarray, classes: list[str], threshold: float) -> list[str]:
    none = classes.index(NONE)
    kinds = [c for c in range(len(classes)) if c != none]
    out = []
    for row, p in zip(rows, proba, strict=True):
        if not row.candidate or p[none] >= threshold:
            out.append(NONE)
        else:
            out.append(classes[max(kinds, key=lambda c: p[c])])
    return out


def _cv(rows: list[KindRow], x: sparse.csr_matrix, y: np.ndarray, extra: tuple[sparse.csr_matrix, np.ndarray],
        scale: np.ndarray, c: float, weight: str | None) -> tuple[np.ndarray, list[str]]:
    """Out-of-fold class probabilities of the kinds-gold rows, five folds grouped by source (the
    extra rows only ever train)."""
    groups = np.array([r.source for r in rows])
    classes = sorted(set(y))
    out = np.zeros((len(rows), len(classes)))
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        clf = _fit(sparse.vstack([x[train], extra[0]]).tocsr(), np.concatenate([y[train], extra[1]]),
                   scale, c, weight)
        p = clf.predict_proba(_scaled(x[test], scale))
        for j, cls in enumerate(clf.classes_):
            out[test, classes.index(cls)] = p[:, j]
    return out, classes


def findings_gold_items() -> tuple[list[km.KindInput], list[str]]:
    """Every finding of the tune half of tests/gold/findings (kinds relabelled under issue 14's
    definitions, tests/gold/findings/MANIFEST.md), placed in its abstract by where its text first
    occurs."""
    items, kinds = [], []
    for _, gold in findings_gold("tune"):
        abstract = gold["abstract"]
        context = km.abstract_context(abstract)
        for f in gold["findings"]:
            at = max(abstract.find(f["text"]), 0)
            items.append(km.KindInput(f["text"], f.get("role", "results"), False, bool(f["effects"]),
                                      km.abstract_position([len(abstract)], 0, at), context))
            kinds.append(f["kind"])
    return items, kinds


def _weights(y: np.ndarray, how: str | None) -> dict[str, float] | None:
    """Class weights: none, or the square root of 'balanced' (rare kinds count more, but a class
    of a dozen examples does not swamp the others)."""
    if how is None:
        return None
    counts = Counter(y.tolist())
    return {k: float(np.sqrt(len(y) / (len(counts) * n))) for k, n in counts.items()}


#: the kind model's configuration, as chosen by benchmarks/kinds_configs.py ("two-stage", issue 14
#: round 4): finding-vs-none LR (C1, no class weights), then an LR over the kinds of the finding rows
#: (C2, sqrt-balanced), a candidate dropped when p(none) >= threshold
TWO_STAGE = {"stages": 2, "C1": 1.0, "C2": 1.0, "class_weight": "sqrt-balanced", "none_threshold": 0.5,
             "chosen_by": "benchmarks/kinds_configs.py tune (config 'two-stage')"}

#: the shipped kind model's configuration (BASE of kinds_configs.py): one LR over the seven kinds
#: and none. The two-stage model was not shipped (commit 6ebcf82); the retrain of this one on the
#: tune set enlarged by batch 4 did not ship either (benchmarks/kinds_batch4.py, rule (b))
SHIPPED = {"C": 1.0, "class_weight": "sqrt-balanced", "none_threshold": 0.5,
           "chosen_by": "benchmarks/kinds_configs.py tune (config 'BASE', the shipped configuration)"}


def _two_stage(x: sparse.csr_matrix, y: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> list[Variant]:
    """The two variants of a two-stage kind model fitted on (x, y): FINDING_STAGE (a two-class
    softmax equal to the binary LR's sigmoid) and LEXICAL (the kinds of the finding rows)."""
    binary = np.where(y == NONE, NONE, km.FINDING)
    s1 = LogisticRegression(C=TWO_STAGE["C1"], max_iter=400, tol=1e-3).fit(_scaled(x, scale), binary)
    assert [str(c) for c in s1.classes_] == [km.FINDING, NONE]
    stage = Variant(name=km.FINDING_STAGE, classes=(km.FINDING, NONE),
                    weights=np.vstack([np.zeros(x.shape[1]), s1.coef_[0]]).astype(np.float64),
                    bias=np.array([0.0, float(s1.intercept_[0])]), mean=mean, scale=scale)
    found = y != NONE
    s2 = _fit(x[found], y[found], scale, TWO_STAGE["C2"], TWO_STAGE["class_weight"])
    return [stage, _variant(s2, mean, scale)]


def train_kinds() -> dict:
    """Fit the kind model in its shipped configuration (SHIPPED) on tune, record its grouped CV
    (kinds_configs.py's folds), then the tune and held-out scores."""
    import kinds_configs as kc  # the CV of the decision; imported here (it imports this module)

    gold = kinds_gold("tune")
    rows = [r for a in gold for r in kind_rows(a)]
    extra_items, extra_kinds = findings_gold_items()
    vocabulary = _vocabulary([r.item.text for r in rows] + [i.text for i in extra_items], min_df=2, cap=4000)
    shell = ModelFile(meta={}, vocabulary={g: i for i, g in enumerate(vocabulary)})
    x = _kind_matrix(shell, rows)
    y = np.array([r.gold.kind for r in rows])
    extra = (sparse.csr_matrix(km.kind_features(shell, extra_items)), np.array(extra_kinds))
    mean, scale = _scaler(sparse.vstack([x, extra[0]]).tocsr(), len(vocabulary))
    log.info("kinds: %d gold sentences + %d findings-gold findings, %d features", len(rows),
             len(extra_items), x.shape[1])
    cv, _ = kc.run_config(kc.load(), next(c for c in kc.CONFIGS if c.name == "BASE"), None)
    clf = _fit(sparse.vstack([x, extra[0]]).tocsr(), np.concatenate([y, extra[1]]), scale,
               SHIPPED["C"], SHIPPED["class_weight"])
    variants = [_variant(clf, mean, scale)]
    meta = {"what": "finding kinds (ingest.extract.kinds); classes = seven kinds + none",
            "trained_on": "tests/gold/kinds tune split (labels_final.jsonl) + the findings of the tune "
                          "half of tests/gold/findings (kinds relabelled for issue 14)",
            "training_data_sha256": files_digest([KINDS_GOLD / n for n in
                                             ("abstracts.jsonl", "sentences.jsonl", "labels_final.jsonl")]
                                            + [p for p, _ in findings_gold("tune")]),
            **SHIPPED,
            "cv_tune": {k: cv[k] for k in ("kind_accuracy", "macro_f1", "findings_f1")}}
    save_model(km.MODEL_STEM, meta, vocabulary, variants)
    linear.load_model.cache_clear()
    for split in ("tune", "heldout"):
        s = evaluate_kinds(split)
        meta[f"scores_{split}"] = {"kind_accuracy": round(s.kind_accuracy, 4),
                                   "macro_f1": round(s.macro_f1, 4), "findings_f1": round(s.findings.f1, 4)}
    save_model(km.MODEL_STEM, meta, vocabulary, variants)
    linear.load_model.cache_clear()
    return meta


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("roles", "kinds", "rescore-roles"))
    args = parser.parse_args()
    if args.only in (None, "roles"):
        log.info("roles: %s", train_roles())
    if args.only == "rescore-roles":
        log.info("roles: %s", rescore_roles())
    if args.only in (None, "kinds"):
        meta = train_kinds()
        log.info("kinds: C=%s weight=%s threshold=%s cv=%s tune=%s heldout=%s", meta["C"],
                 meta["class_weight"], meta["none_threshold"], meta["cv_tune"], meta["scores_tune"],
                 meta["scores_heldout"])


if __name__ == "__main__":
    main()
