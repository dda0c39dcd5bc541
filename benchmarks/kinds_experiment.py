"""Issue 14: do sentence vectors or context features improve the finding-kind model? The
pre-registered comparison of the shipped model (S), the current features retrained on the current
tune split (A) and candidates with more features (B1 vectors, B2 context, B3 both); the rule is in
the commit that added this file's first version.

    nice -n 10 .venv/bin/python benchmarks/kinds_experiment.py tune      # grouped CV inside tune
    nice -n 10 .venv/bin/python benchmarks/kinds_experiment.py heldout   # once, after the decision

A new labelled batch is compared the same way with S and A only (the rule of MANIFEST.md "Batch 3"):

    nice -n 10 .venv/bin/python benchmarks/kinds_experiment.py batch-tune --batch labels_b7.jsonl
    nice -n 10 .venv/bin/python benchmarks/kinds_experiment.py batch-heldout --batch labels_b7.jsonl

`tune` writes the CV figures and the decision to --out (JSON); `heldout` refuses to run without it.
Every score is row-wise (kb.eval.kinds.kind_rows: a sentence is `none` when extraction would not
classify it or p(none) reaches the threshold), the same way for every model.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import train_models as tm
from scipy import sparse
from sklearn.model_selection import GroupKFold

from ingest.extract import kinds as km
from ingest.prose import build_abstract
from kb.eval.gold import KINDS_GOLD
from kb.eval.kinds import KindAbstract, KindRow, KindScores, kind_rows, kinds_gold
from kb.model.schema import FINDING_KINDS
from kb.text.linear import ModelFile, ngrams
from kb.text.sentences import split_sentences

log = logging.getLogger("kinds_experiment")
GRID_C = (0.3, 1.0, 3.0)
GRID_WEIGHT = ("sqrt-balanced", None)
GRID_THRESHOLD = (0.5, 0.7, 1.01)
CANDIDATES = ("B1", "B2", "B3", "B4a", "B4b", "B5", "B6", "B7")
ALPHA = {"B4a": 0.1, "B4b": 0.3}
CENTROID = "B7"


@dataclass(frozen=True)
class Row:
    """A kind row with what the context features read: its section's label and its neighbours."""

    row: KindRow
    label: str | None
    prev: km.KindInput | None
    next: km.KindInput | None


def context_rows(abstract: KindAbstract) -> list[Row]:
    """kind_rows(abstract), each with its section label and the neighbouring rows' inputs (the
    same walk as kind_rows; checked equal to it)."""
    sections = build_abstract(abstract.paragraphs()).sections
    labels = []
    at = 0
    for section in sections:
        if section.bullet:
            units = [section.text]
        else:
            units = [s.text for s in split_sentences(section.text)]
        for text in units:
            pos = abstract.text.find(text, at)
            gold = next((g for g in abstract.sentences if g.start <= pos < g.end), None) if pos >= 0 else None
            if gold is None:
                continue
            at = pos
            labels.append(section.label)
    rows = kind_rows(abstract)
    assert len(rows) == len(labels), abstract.id
    out = []
    for i, row in enumerate(rows):
        out.append(Row(row, labels[i], rows[i - 1].item if i else None,
                       rows[i + 1].item if i + 1 < len(rows) else None))
    return out


def _heading_grams(label: str | None) -> set[str]:
    return {f"h:{g}" for g in ngrams(label)} if label else set()


def _neighbour(item: km.KindInput | None) -> list[float]:
    if item is None:
        return [1.0] + [0.0] * km.DENSE_SIZE
    return [0.0, *km._dense(item)]


def context_block(rows: list[Row], headings: dict[str, int]) -> np.ndarray:
    """Heading n-grams (binary, over the tune headings' vocabulary), then the previous and next
    row's dense features with an 'absent' flag each."""
    out = np.zeros((len(rows), len(headings) + 2 * (km.DENSE_SIZE + 1)), np.float32)
    for r, row in enumerate(rows):
        for g in _heading_grams(row.label):
            if g in headings:
                out[r, headings[g]] = 1.0
        out[r, len(headings):] = _neighbour(row.prev) + _neighbour(row.next)
    return out


def _embed(texts: list[str]) -> np.ndarray:
    from kb.embed import int8_embedder

    embedder = int8_embedder()
    t0 = time.perf_counter()
    vectors = embedder.encode([" ".join(t.split()) for t in texts])
    log.info("embedded %d texts with %s in %.1f s", len(texts), embedder.model_id, time.perf_counter() - t0)
    return np.asarray(vectors, np.float32)


@dataclass
class Data:
    """One model's training matrix (gold rows then the findings-gold extra rows) and scaler."""

    x: sparse.csr_matrix
    extra: sparse.csr_matrix
    scale: np.ndarray


def _neighbour_roles(rows: list[Row]) -> np.ndarray:
    """The previous and next row's role, one-hot over results / conclusions / other, with an
    'absent' flag each."""
    def one(item: km.KindInput | None) -> list[float]:
        if item is None:
            return [1.0, 0.0, 0.0, 0.0]
        role = item.role if item.role in km.ROLES else "other"
        return [0.0, *(1.0 if role == r else 0.0 for r in (*km.ROLES, "other"))]
    return np.array([one(r.prev) + one(r.next) for r in rows], np.float32).reshape(len(rows), 8)


def _heading_bag(rows: list[Row], headings: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(rows), len(headings)), np.float32)
    for r, row in enumerate(rows):
        for g in _heading_grams(row.label):
            if g in headings:
                out[r, headings[g]] = 1.0
    return out


def build(name: str, rows: list[Row], extra_items: list[km.KindInput], vocabulary: list[str],
          headings: dict[str, int], vectors: np.ndarray | None, extra_vectors: np.ndarray | None) -> Data:
    shell = ModelFile(meta={}, vocabulary={g: i for i, g in enumerate(vocabulary)})
    blocks = [km.kind_features(shell, [r.row.item for r in rows])]
    eblocks = [km.kind_features(shell, extra_items)]
    binary: list[tuple[int, int]] = []  # column ranges left unscaled (binary bags)
    penalised: list[tuple[int, int, float]] = []  # column ranges whose scale is divided by alpha

    def add(block: np.ndarray, eblock: np.ndarray | None = None) -> tuple[int, int]:
        lo = sum(b.shape[1] for b in blocks)
        blocks.append(block)
        eblocks.append(np.zeros((len(extra_items), block.shape[1]), np.float32) if eblock is None else eblock)
        return lo, lo + block.shape[1]

    if name in ("B2", "B3"):
        blocks.append(context_block(rows, headings))
        eblocks.append(np.zeros((len(extra_items), blocks[-1].shape[1]), np.float32))
        lo = len(vocabulary) + km.DENSE_SIZE
        binary.append((lo, lo + len(headings)))
    if name in ("B5", "B6"):
        binary.append(add(_heading_bag(rows, headings)))
    if name == "B6":
        add(_neighbour_roles(rows))
    if name in ("B1", "B3", *ALPHA):
        assert vectors is not None and extra_vectors is not None
        lo, hi = add(vectors, extra_vectors)
        if name in ALPHA:
            penalised.append((lo, hi, ALPHA[name]))
    x = sparse.csr_matrix(np.hstack(blocks))
    extra = sparse.csr_matrix(np.hstack(eblocks))
    _, scale = tm._scaler(sparse.vstack([x, extra]).tocsr(), len(vocabulary))
    for lo, hi in binary:
        scale[lo:hi] = 1.0
    for lo, hi, alpha in penalised:
        scale[lo:hi] /= alpha
    return Data(x, extra, scale)


def centroids(vectors: np.ndarray, y: np.ndarray, classes: list[str]) -> np.ndarray:
    """The unit mean vector of each class (classes x dim)."""
    out = np.stack([vectors[y == c].mean(axis=0) for c in classes])
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def with_centroids(base: Data, vectors: np.ndarray, extra_vectors: np.ndarray, cents: np.ndarray) -> Data:
    x = sparse.hstack([base.x, sparse.csr_matrix(vectors @ cents.T)]).tocsr()
    extra = sparse.hstack([base.extra, sparse.csr_matrix(extra_vectors @ cents.T)]).tocsr()
    sd = np.concatenate([(vectors @ cents.T), (extra_vectors @ cents.T)]).std(axis=0)
    return Data(x, extra, np.concatenate([base.scale, np.where(sd > 1e-9, sd, 1.0)]))


def centroid_cv(rows: list[Row], base: Data, y: np.ndarray, ey: np.ndarray, vectors: np.ndarray,
                extra_vectors: np.ndarray, c: float, weight: str | None) -> tuple[np.ndarray, list[str]]:
    """tm._cv for B7: the centroid columns of each fold come from its training rows only."""
    groups = np.array([r.row.source for r in rows])
    classes = sorted(set(y))
    out = np.zeros((len(rows), len(classes)))
    for train, test in GroupKFold(n_splits=5).split(base.x, y, groups):
        cents = centroids(np.vstack([vectors[train], extra_vectors]), np.concatenate([y[train], ey]), classes)
        data = with_centroids(base, vectors, extra_vectors, cents)
        clf = tm._fit(sparse.vstack([data.x[train], data.extra]).tocsr(), np.concatenate([y[train], ey]),
                      data.scale, c, weight)
        p = clf.predict_proba(tm._scaled(data.x[test], data.scale))
        for j, cls in enumerate(clf.classes_):
            out[test, classes.index(cls)] = p[:, j]
    return out, classes


def scores_of(rows: list[Row], predicted: list[str], keep: np.ndarray | None = None) -> dict:
    idx = range(len(rows)) if keep is None else np.flatnonzero(keep)
    s = KindScores()
    s.add([rows[i].row.gold for i in idx], [predicted[i] for i in idx])
    per = s.per_kind()
    return {"kind_accuracy": round(s.kind_accuracy, 4), "macro_f1": round(s.macro_f1, 4),
            "findings_f1": round(s.findings.f1, 4), "n": len(list(idx)),
            "per_kind_f1": {k: round(per[k].f1, 3) for k in FINDING_KINDS},
            "per_kind_support": {k: per[k].tp + per[k].fn for k in FINDING_KINDS}}


def _key(s: dict) -> float:
    return s["kind_accuracy"] + s["macro_f1"] + s["findings_f1"]


def shipped_predictions(rows: list[Row]) -> list[str]:
    classes, proba = km.kind_proba([r.row.item for r in rows])
    return tm._predict([r.row for r in rows], proba, list(classes), km.none_threshold())


def _batch2() -> set[str]:
    with (KINDS_GOLD / "labels_b6.jsonl").open(encoding="utf-8") as handle:
        return {json.loads(line)["sid"] for line in handle if line.strip()}


def prepare(split: str) -> tuple[list[Row], list[km.KindInput], list[str]]:
    rows = [r for a in kinds_gold(split) for r in context_rows(a)]
    extra_items, extra_kinds = tm.findings_gold_items()
    return rows, extra_items, extra_kinds


def tune_vocabularies(rows: list, extra_items: list) -> tuple[list[str], dict[str, int]]:
    """The word n-gram vocabulary (tune rows and the extra findings-gold items) and the heading
    n-grams seen at least twice in tune, as the models' feature columns."""
    vocabulary = tm._vocabulary([r.row.item.text for r in rows] + [i.text for i in extra_items],
                                min_df=2, cap=4000)
    hcount: dict[str, int] = {}
    for r in rows:
        for g in _heading_grams(r.label):
            hcount[g] = hcount.get(g, 0) + 1
    return vocabulary, {g: i for i, g in enumerate(sorted(g for g, n in hcount.items() if n >= 2))}


def run_tune(out: Path) -> None:
    rows, extra_items, extra_kinds = prepare("tune")
    y = np.array([r.row.gold.kind for r in rows])
    ey = np.array(extra_kinds)
    vocabulary, headings = tune_vocabularies(rows, extra_items)
    vectors = _embed([r.row.item.text for r in rows])
    extra_vectors = _embed([i.text for i in extra_items])
    b2 = np.array([r.row.gold.sid in _batch2() for r in rows])
    log.info("tune: %d rows (%d batch 2), %d extra, vocabulary %d, headings %d", len(rows), b2.sum(),
             len(extra_items), len(vocabulary), len(headings))
    report: dict = {"rows": len(rows), "batch2_rows": int(b2.sum()), "models": {}}
    s_pred = shipped_predictions(rows)
    report["models"]["S"] = {"all_tune": scores_of(rows, s_pred), "batch2": scores_of(rows, s_pred, b2),
                             "batch1": scores_of(rows, s_pred, ~b2)}
    kind_rows_only = [r.row for r in rows]
    done = json.loads(out.read_text(encoding="utf-8"))["models"] if out.exists() else {}
    for name in ("A", *CANDIDATES):
        if name in done:  # the same folds, grid and data: a model already compared keeps its figures
            report["models"][name] = done[name]
            continue
        data = build("A" if name == CENTROID else name, rows, extra_items, vocabulary, headings, vectors,
                     extra_vectors)
        best = None
        for weight in GRID_WEIGHT:
            for c in GRID_C:
                t0 = time.perf_counter()
                if name == CENTROID:
                    proba, classes = centroid_cv(rows, data, y, ey, vectors, extra_vectors, c, weight)
                else:
                    proba, classes = tm._cv(kind_rows_only, data.x, y, (data.extra, ey), data.scale, c, weight)
                for threshold in GRID_THRESHOLD:
                    pred = tm._predict(kind_rows_only, proba, classes, threshold)
                    s = scores_of(rows, pred)
                    log.info("%s C=%s weight=%s none>=%s: kind acc %.3f macro-F1 %.3f findings F1 %.3f (%.0f s)",
                             name, c, weight, threshold, s["kind_accuracy"], s["macro_f1"], s["findings_f1"],
                             time.perf_counter() - t0)
                    if best is None or _key(s) > _key(best[0]):
                        best = (s, {"C": c, "class_weight": weight, "none_threshold": threshold}, pred)
        assert best is not None
        s, params, pred = best
        report["models"][name] = {"params": params, "features": data.x.shape[1], "all_tune": s,
                                  "batch2": scores_of(rows, pred, b2), "batch1": scores_of(rows, pred, ~b2)}
    report["decision"] = decide(report["models"])
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    log.info("decision: %s", report["decision"])


def _ka_mf(s: dict) -> float:
    return s["kind_accuracy"] + s["macro_f1"]


def decide(models: dict) -> dict:
    """The pre-registered rule (see the module docstring's commit)."""
    b = max(CANDIDATES, key=lambda n: _key(models[n]["all_tune"]))
    mb, ma, ms = models[b], models["A"], models["S"]
    rule1 = (_ka_mf(mb["batch2"]) > _ka_mf(ma["batch2"]) and _ka_mf(mb["batch2"]) > _ka_mf(ms["batch2"])
             and mb["batch2"]["findings_f1"] >= ma["batch2"]["findings_f1"] - 0.02
             and mb["batch2"]["findings_f1"] >= ms["batch2"]["findings_f1"] - 0.02)
    rule2 = (_ka_mf(mb["all_tune"]) > _ka_mf(ma["all_tune"])
             and mb["all_tune"]["findings_f1"] >= ma["all_tune"]["findings_f1"] - 0.01)
    a_beats_s = (_ka_mf(ma["batch2"]) > _ka_mf(ms["batch2"])
                 and ma["batch2"]["findings_f1"] >= ms["batch2"]["findings_f1"] - 0.02)
    needs_vectors = b in ("B1", "B3")
    rule3 = a_beats_s if needs_vectors else True
    return {"candidate": b, "rule1_batch2": rule1, "rule2_all_tune": rule2,
            "rule3_lexical_fallback": rule3, "a_beats_s_on_batch2": a_beats_s,
            "ship": bool(rule1 and rule2 and rule3)}


def run_heldout(decision_file: Path, out: Path) -> None:
    """Fit A and every B on all of tune with their chosen parameters, score S, A, B row-wise on
    held-out (all 161 abstracts, and the 129 of batch 1)."""
    report = json.loads(decision_file.read_text(encoding="utf-8"))
    if "decision" not in report:
        raise SystemExit("no decision recorded: run the tune phase first")
    tune, extra_items, extra_kinds = prepare("tune")
    held = [r for a in kinds_gold("heldout") for r in context_rows(a)]
    y = np.array([r.row.gold.kind for r in tune])
    ey = np.array(extra_kinds)
    vocabulary, headings = tune_vocabularies(tune, extra_items)
    vectors, extra_vectors = _embed([r.row.item.text for r in tune]), _embed([i.text for i in extra_items])
    held_vectors = _embed([r.row.item.text for r in held])
    b1 = np.array([r.row.gold.sid not in _batch2() for r in held])
    result: dict = {}
    s_pred = shipped_predictions(held)
    result["S"] = {"heldout_all": scores_of(held, s_pred), "heldout_batch1": scores_of(held, s_pred, b1)}
    for name in ("A", *CANDIDATES):
        params = report["models"][name]["params"]
        no_extra = np.zeros((0, held_vectors.shape[1]), np.float32)
        if name == CENTROID:
            cents = centroids(np.vstack([vectors, extra_vectors]), np.concatenate([y, ey]), sorted(set(y)))
            data = with_centroids(build("A", tune, extra_items, vocabulary, headings, vectors, extra_vectors),
                                  vectors, extra_vectors, cents)
            hdata = with_centroids(build("A", held, [], vocabulary, headings, held_vectors, no_extra),
                                   held_vectors, no_extra, cents)
        else:
            data = build(name, tune, extra_items, vocabulary, headings, vectors, extra_vectors)
            hdata = build(name, held, [], vocabulary, headings, held_vectors, no_extra)
        clf = tm._fit(sparse.vstack([data.x, data.extra]).tocsr(), np.concatenate([y, ey]), data.scale,
                      params["C"], params["class_weight"])
        proba = clf.predict_proba(tm._scaled(hdata.x, data.scale))
        pred = tm._predict([r.row for r in held], proba, [str(c) for c in clf.classes_],
                           params["none_threshold"])
        result[name] = {"heldout_all": scores_of(held, pred), "heldout_batch1": scores_of(held, pred, b1)}
    report["heldout"] = result
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    for name, r in result.items():
        for part, s in r.items():
            log.info("%s %s: kind acc %.3f macro-F1 %.3f findings F1 %.3f per-kind %s", name, part,
                     s["kind_accuracy"], s["macro_f1"], s["findings_f1"], s["per_kind_f1"])


KINDS_CONFUSION = ("none", "outcome", "result", "strategy", "barrier", "facilitator", "recommendation",
                   "conclusion")


def _batch_sids(name: str) -> set[str]:
    with (KINDS_GOLD / name).open(encoding="utf-8") as handle:
        return {json.loads(line)["sid"] for line in handle if line.strip()}


def _confusion(rows: list[Row], predicted: list[str]) -> dict[str, dict[str, int]]:
    """gold kind -> predicted kind -> count."""
    cm = {g: dict.fromkeys(KINDS_CONFUSION, 0) for g in KINDS_CONFUSION}
    for r, p in zip(rows, predicted, strict=True):
        cm[r.row.gold.kind][p] += 1
    return cm


def run_batch_tune(batch: str, out: Path) -> None:
    """S and A (the shipped features retrained, grid as in run_tune) in the grouped CV inside tune,
    on all tune rows and on the rows of one labels batch; the decision of MANIFEST.md "Batch 3"."""
    rows, extra_items, extra_kinds = prepare("tune")
    y, ey = np.array([r.row.gold.kind for r in rows]), np.array(extra_kinds)
    vocabulary, headings = tune_vocabularies(rows, extra_items)
    new = np.array([r.row.gold.sid in _batch_sids(batch) for r in rows])
    report: dict = {"batch": batch, "rows": len(rows), "batch_rows": int(new.sum()), "models": {}}
    s_pred = shipped_predictions(rows)
    report["models"]["S"] = {"all_tune": scores_of(rows, s_pred), "batch": scores_of(rows, s_pred, new),
                             "before_batch": scores_of(rows, s_pred, ~new)}
    data = build("A", rows, extra_items, vocabulary, headings, None, None)
    kind_rows_only = [r.row for r in rows]
    best = None
    for weight in GRID_WEIGHT:
        for c in GRID_C:
            proba, classes = tm._cv(kind_rows_only, data.x, y, (data.extra, ey), data.scale, c, weight)
            for threshold in GRID_THRESHOLD:
                pred = tm._predict(kind_rows_only, proba, classes, threshold)
                s = scores_of(rows, pred)
                log.info("A C=%s weight=%s none>=%s: kind acc %.3f macro-F1 %.3f findings F1 %.3f", c, weight,
                         threshold, s["kind_accuracy"], s["macro_f1"], s["findings_f1"])
                if best is None or _key(s) > _key(best[0]):
                    best = (s, {"C": c, "class_weight": weight, "none_threshold": threshold}, pred)
    assert best is not None
    s, params, pred = best
    report["models"]["A"] = {"params": params, "all_tune": s, "batch": scores_of(rows, pred, new),
                             "before_batch": scores_of(rows, pred, ~new), "confusion": _confusion(rows, pred)}
    recorded = km.kind_model().meta["cv_tune"]
    ma, ms = report["models"]["A"], report["models"]["S"]
    rule1 = (_ka_mf(ma["batch"]) > _ka_mf(ms["batch"])
             and ma["batch"]["findings_f1"] >= ms["batch"]["findings_f1"] - 0.02)
    rule2 = (_ka_mf(ma["all_tune"]) > recorded["kind_accuracy"] + recorded["macro_f1"]
             and ma["all_tune"]["findings_f1"] >= recorded["findings_f1"] - 0.01)
    report["decision"] = {"rule1_batch": rule1, "rule2_vs_recorded_cv": rule2, "recorded_cv": recorded,
                          "ship": bool(rule1 and rule2)}
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    log.info("decision: %s", report["decision"])


def run_batch_heldout(batch: str, decision_file: Path, out: Path) -> None:
    """S, and A fitted on all tune with its chosen parameters, on held-out (all, the batch's rows,
    the rows before it); once, after run_batch_tune recorded a decision."""
    report = json.loads(decision_file.read_text(encoding="utf-8"))
    if "decision" not in report:
        raise SystemExit("no decision recorded: run batch-tune first")
    params = report["models"]["A"]["params"]
    tune, extra_items, extra_kinds = prepare("tune")
    held = [r for a in kinds_gold("heldout") for r in context_rows(a)]
    y, ey = np.array([r.row.gold.kind for r in tune]), np.array(extra_kinds)
    vocabulary, headings = tune_vocabularies(tune, extra_items)
    new = np.array([r.row.gold.sid in _batch_sids(batch) for r in held])
    data = build("A", tune, extra_items, vocabulary, headings, None, None)
    hdata = build("A", held, [], vocabulary, headings, None, None)
    clf = tm._fit(sparse.vstack([data.x, data.extra]).tocsr(), np.concatenate([y, ey]), data.scale,
                  params["C"], params["class_weight"])
    proba = clf.predict_proba(tm._scaled(hdata.x, data.scale))
    a_pred = tm._predict([r.row for r in held], proba, [str(c) for c in clf.classes_], params["none_threshold"])
    result = {}
    for name, pred in (("S", shipped_predictions(held)), ("A", a_pred)):
        result[name] = {"heldout_all": scores_of(held, pred), "heldout_batch": scores_of(held, pred, new),
                        "heldout_before_batch": scores_of(held, pred, ~new)}
        for part, s in result[name].items():
            log.info("%s %s: kind acc %.3f macro-F1 %.3f findings F1 %.3f per-kind %s", name, part,
                     s["kind_accuracy"], s["macro_f1"], s["findings_f1"], s["per_kind_f1"])
    report["heldout"] = result
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=("tune", "heldout", "batch-tune", "batch-heldout"))
    parser.add_argument("--out", type=Path, default=Path("kinds_experiment.json"))
    parser.add_argument("--batch", default="labels_b7.jsonl", help="the labels file of the batch (batch-* phases)")
    args = parser.parse_args()
    held_out = args.out.with_name(args.out.stem + "_heldout.json")
    if args.phase == "tune":
        run_tune(args.out)
    elif args.phase == "heldout":
        run_heldout(args.out, held_out)
    elif args.phase == "batch-tune":
        run_batch_tune(args.batch, args.out)
    else:
        run_batch_heldout(args.batch, args.out, held_out)


if __name__ == "__main__":
    main()
