"""Issue 14, round 4: named finding-kind model configurations compared by the same 5-fold CV grouped
by source over all tune rows of tests/gold/kinds (with the tune findings-gold extra rows training
every fold, as in train_models.py), plus the diagnosis of the baseline's errors.

    nice -n 10 .venv/bin/python benchmarks/kinds_configs.py diagnose   # baseline errors on tune CV
    nice -n 10 .venv/bin/python benchmarks/kinds_configs.py tune       # every config, writes --out
    nice -n 10 .venv/bin/python benchmarks/kinds_configs.py heldout    # once, after the decision

Ship rule (written by the lead before anything ran; copied, not changed): a candidate ships iff its
grouped-by-source 5-fold CV over ALL current tune rows beats the shipped model's configuration
retrained and scored on the same folds in the same run on BOTH kind accuracy and macro-F1, and
findings F1 does not drop by more than 0.005. Held-out is scored once, after the decision, for the
shipped and the candidate model.

How it is applied here (written before any config ran): "the shipped model's configuration" is
BASE = the shipped features (ingest.extract.kinds.kind_features) with the shipped C=1.0,
class_weight=sqrt-balanced and none-threshold 0.5. A candidate's own hyper-parameters are fixed
in its config (no grid picked on the outer folds); where a config chooses something (per-class
offsets), it chooses inside each training fold by an inner grouped CV (nested). The candidate put
to the rule is the config with the highest kind accuracy + macro-F1 among those that keep findings
F1 within 0.005 of BASE. Configs that need sentence vectors at run time are measured and reported
but are not shippable in this round: extraction (ingest.extract.run) has no sentence vectors.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import train_models as tm
from scipy import sparse
from sklearn.model_selection import GroupKFold

from ingest.extract import kinds as km
from ingest.prose import build_abstract
from kb.eval.kinds import NONE, KindAbstract, KindRow, KindScores, kind_rows, kinds_gold
from kb.model.schema import FINDING_KINDS
from kb.text.linear import ModelFile
from kb.text.sentences import split_sentences

log = logging.getLogger("kinds_configs")
LABELS = ("none", *FINDING_KINDS)
BASE = {"C": 1.0, "weight": "sqrt-balanced", "threshold": 0.5}


# ---- rows with the geometry the context features read -------------------------------------------

@dataclass(frozen=True)
class Geo:
    """Where a row's sentence sits: in its section and in the abstract."""

    section: int
    n_sections: int
    labelled: bool
    start: int  # sentence start / end in the section text
    end: int
    length: int  # the section text's length


def geometry(abstract: KindAbstract) -> list[Geo]:
    """Per kind_rows(abstract) row, its Geo (the same walk as kind_rows; checked equal in length)."""
    sections = build_abstract(abstract.paragraphs()).sections
    out, at = [], 0
    for index, section in enumerate(sections):
        units = ([(section.text, 0, len(section.text))] if section.bullet
                 else [(s.text, s.start, s.end) for s in split_sentences(section.text)])
        for text, start, end in units:
            pos = abstract.text.find(text, at)
            gold = next((g for g in abstract.sentences if g.start <= pos < g.end), None) if pos >= 0 else None
            if gold is None:
                continue
            at = pos
            out.append(Geo(index, len(sections), bool(section.label), start, end, len(section.text)))
    return out


@dataclass
class Tune:
    rows: list[KindRow]
    geo: list[Geo]
    y: np.ndarray
    groups: np.ndarray
    extra: list[km.KindInput]
    ey: np.ndarray
    vocabulary: list[str]


def load(split: str = "tune", vocabulary: list[str] | None = None) -> Tune:
    """The rows of a split with the tune findings-gold extra rows and (unless given) the n-gram
    vocabulary of those rows, as train_models builds it."""
    rows: list[KindRow] = []
    geo: list[Geo] = []
    for a in kinds_gold(split):
        r, g = kind_rows(a), geometry(a)
        assert len(r) == len(g), a.id
        rows += r
        geo += g
    extra, ekinds = tm.findings_gold_items()
    if vocabulary is None:
        vocabulary = tm._vocabulary([r.item.text for r in rows] + [i.text for i in extra], min_df=2, cap=4000)
    return Tune(rows, geo, np.array([r.gold.kind for r in rows]), np.array([r.source for r in rows]),
                extra, np.array(ekinds), vocabulary)


# ---- feature blocks -----------------------------------------------------------------------------

def _rx(p: str) -> re.Pattern[str]:
    return re.compile(p, re.I)


#: finer cue families (the issue's list); each a 0/1 column
FAMILIES = tuple(_rx(p) for p in (
    r"\b(?:should|must|ought to|need(?:s|ed)? to|have to|has to)\b",
    r"\b(?:recommend\w*|urge|call(?:s)? for|advocat\w*|policy ?makers|decision[- ]makers|would benefit|"
    r"opportunit\w*|warrant\w*|it is (?:important|essential|crucial|critical|necessary|vital) (?:to|that))\b",
    r"\b(?:future|further|more|additional|larger|longer|rigorous|high-quality|well-designed) (?:\w+ )?"
    r"(?:research|studies|study|trials|work|investigation|evaluation)s?\b",
    r"\b(?:barrier\w*|challeng\w*|obstacle\w*|hinder\w*|imped\w*|constrain\w*|burden\w*|shortage\w*)\b",
    r"\b(?:lack(?:s|ed|ing)? (?:of )?|limited|insufficient|inadequate|difficult\w*|poor|concern\w*|"
    r"turnover|mistrust|stigma|cost(?:s|ly)?)\b",
    r"\b(?:facilitat\w*|enabl\w*|key to|contribut\w* to|promot\w*|strength\w*|trust|champion\w*|buy-in|"
    r"leadership|success\w*)\b",
    r"\b(?:support\w*|help\w*|partner\w*|collaborat\w*|engag\w*|relationship\w*|communicat\w*)\b",
    r"\b(?:implement\w*|adopt\w*|used|using|developed|established|strateg\w*|approach\w*|deliver\w*|"
    r"integrat\w*|train\w*|offer\w*|provid\w*)\b",
    r"\b(?:participants|respondents|interviewees|stakeholders|staff|providers|informants|clinicians|"
    r"nurses|physicians|leaders) (?:\w+ ){0,3}(?:described|reported|noted|expressed|identified|perceived|"
    r"cited|mentioned|felt|said|valued|emphasi[sz]ed)\b",
    r"\b(?:these|our|the) (?:findings|results|data|study|analysis|evidence)\b",
    r"\b(?:in conclusion|overall|taken together|collectively|thus|therefore|in summary)\b",
    r"\b(?:suggest\w*|indicat\w*|demonstrat\w*|highlight\w*|underscor\w*|show(?:s|ed|n)?|provid\w* evidence)\b",
    r"\b(?:may|might|could|likely|potential\w*|promising|feasible|acceptable)\b",
    r"\b(?:was|were|had|did)\b",
    r"\b(?:is|are|has|have|can|will|remain\w*)\b",
    r"\b(?:compared (?:with|to)|versus|vs\.?|relative to|than (?:the )?(?:control|usual|placebo|comparison|"
    r"before|baseline|pre))\b",
    r"\b(?:after|following|post-?|since) (?:the )?(?:\w+ ){0,2}(?:intervention|program\w*|implementation|"
    r"enrol\w*|policy|launch|introduction|expansion|training)\b",
    r"\b(?:did not|no|not) (?:\w+ ){0,3}(?:differ\w*|change\w*|effect\w*|improv\w*|reduc\w*|increas\w*)",
    r"\b(?:themes?|categories|domains|subthemes?)\b",
    r"\b(?:associat\w+|correlat\w+|predict\w+|odds|risk factor\w*|prevalen\w*|proportion)\b",
    r"\b(?:aim\w*|objective\w*|purpose|we (?:sought|examined|conducted|assessed|evaluated|investigated|"
    r"describe|explore))\b",
))


def families(items: list[km.KindInput]) -> np.ndarray:
    out = np.zeros((len(items), len(FAMILIES)), np.float32)
    for r, item in enumerate(items):
        text = " ".join(item.text.split())
        for c, rx in enumerate(FAMILIES):
            out[r, c] = 1.0 if rx.search(text) else 0.0
    return out


def _geo_row(g: Geo | None, role: str) -> list[float]:
    if g is None:  # a findings-gold extra row: no geometry known
        return [0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]
    first = g.start <= 3
    last = g.end >= g.length - 3
    concl = role == "conclusions"
    return [g.start / max(g.length, 1), float(first), float(last), float(g.section == g.n_sections - 1),
            float(concl and first), float(concl and last), float(g.labelled), 0.0]


def context(rows_geo: list[Geo | None], items: list[km.KindInput]) -> np.ndarray:
    """Relative position in the section, first / last sentence of the section, last section, first /
    last sentence of the conclusions, labelled section, geometry unknown."""
    return np.array([_geo_row(g, i.role) for g, i in zip(rows_geo, items, strict=True)],
                    np.float32).reshape(len(items), 8)


@dataclass
class Matrix:
    x: sparse.csr_matrix  # gold rows
    ex: sparse.csr_matrix  # extra rows
    scale: np.ndarray


def matrix(t: Tune, blocks: tuple[str, ...], vectors: tuple[np.ndarray, np.ndarray] | None = None,
           bag: float = 1.0) -> Matrix:
    """The base features then the named extra blocks (fam, ctx, vec), scaled as train_models does
    (the binary n-gram bag unscaled, every other column by its standard deviation); `bag` < 1
    shrinks the n-gram columns (a stronger L2 penalty on them alone), 0 drops them."""
    shell = ModelFile(meta={}, vocabulary={g: i for i, g in enumerate(t.vocabulary)})
    items = [r.item for r in t.rows]
    xs = [km.kind_features(shell, items)]
    es = [km.kind_features(shell, t.extra)]
    if "fam" in blocks:
        xs.append(families(items))
        es.append(families(t.extra))
    if "ctx" in blocks:
        xs.append(context(list(t.geo), items))
        es.append(context([None] * len(t.extra), t.extra))
    if "vec" in blocks:
        assert vectors is not None
        xs.append(vectors[0])
        es.append(vectors[1])
    x, ex = sparse.csr_matrix(np.hstack(xs)), sparse.csr_matrix(np.hstack(es))
    _, scale = tm._scaler(sparse.vstack([x, ex]).tocsr(), len(t.vocabulary))
    scale[:len(t.vocabulary)] = 1.0 / bag if bag > 0 else np.inf
    return Matrix(x, ex, scale)


# ---- heads ----------------------------------------------------------------------------------------

Head = Callable[[sparse.csr_matrix, np.ndarray, sparse.csr_matrix], tuple[np.ndarray, list[str]]]


def _weights(y: np.ndarray, how: str | None) -> dict[str, float] | None:
    if how in (None, "sqrt-balanced"):
        return tm._weights(y, how)
    counts = Counter(y.tolist())
    return {k: len(y) / (len(counts) * n) for k, n in counts.items()}  # balanced


def lr_head(c: float, weight: str | None) -> Head:
    from sklearn.linear_model import LogisticRegression

    def fit(x: sparse.csr_matrix, y: np.ndarray, xt: sparse.csr_matrix) -> tuple[np.ndarray, list[str]]:
        clf = LogisticRegression(C=c, max_iter=400, tol=1e-3, class_weight=_weights(y, weight)).fit(x, y)
        return clf.predict_proba(xt), [str(k) for k in clf.classes_]
    return fit


def two_stage_head(c1: float, c2: float, weight: str | None) -> Head:
    """p(none) from a finding-vs-none LR; p(kind) = (1 - p(none)) * p(kind | finding) from an LR
    trained on the finding rows only."""
    from sklearn.linear_model import LogisticRegression

    def fit(x: sparse.csr_matrix, y: np.ndarray, xt: sparse.csr_matrix) -> tuple[np.ndarray, list[str]]:
        b = (y == NONE).astype(int)
        s1 = LogisticRegression(C=c1, max_iter=400, tol=1e-3).fit(x, b)
        f = y != NONE
        s2 = LogisticRegression(C=c2, max_iter=400, tol=1e-3, class_weight=_weights(y[f], weight)).fit(x[f], y[f])
        pn = s1.predict_proba(xt)[:, 1]
        classes = [NONE, *(str(k) for k in s2.classes_)]
        return np.column_stack([pn, (1 - pn)[:, None] * s2.predict_proba(xt)]), classes
    return fit


def svc_head(c: float, weight: str | None) -> Head:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    def fit(x: sparse.csr_matrix, y: np.ndarray, xt: sparse.csr_matrix) -> tuple[np.ndarray, list[str]]:
        clf = CalibratedClassifierCV(LinearSVC(C=c, class_weight=_weights(y, weight), max_iter=5000),
                                     cv=3, method="sigmoid").fit(x, y)
        return clf.predict_proba(xt), [str(k) for k in clf.classes_]
    return fit


def hgb_head(skip_bag: int) -> Head:
    """Gradient boosting over the columns after the n-gram bag (dense features, cues, vectors)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    def fit(x: sparse.csr_matrix, y: np.ndarray, xt: sparse.csr_matrix) -> tuple[np.ndarray, list[str]]:
        clf = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.08, max_leaf_nodes=15,
                                             class_weight="balanced", random_state=0)
        clf.fit(x[:, skip_bag:].toarray(), y)
        return clf.predict_proba(xt[:, skip_bag:].toarray()), [str(k) for k in clf.classes_]
    return fit


def mlp_head() -> Head:
    from sklearn.neural_network import MLPClassifier

    def fit(x: sparse.csr_matrix, y: np.ndarray, xt: sparse.csr_matrix) -> tuple[np.ndarray, list[str]]:
        clf = MLPClassifier(hidden_layer_sizes=(64,), alpha=1e-2, max_iter=300, early_stopping=True,
                            random_state=0).fit(x, y)
        return clf.predict_proba(xt), [str(k) for k in clf.classes_]
    return fit


# ---- CV -------------------------------------------------------------------------------------------

def _aligned(p: np.ndarray, classes: list[str]) -> np.ndarray:
    out = np.zeros((p.shape[0], len(LABELS)))
    for j, c in enumerate(classes):
        out[:, LABELS.index(c)] = p[:, j]
    return out


def oof(t: Tune, m: Matrix, head: Head, idx: np.ndarray | None = None, folds: int = 5) -> np.ndarray:
    """Out-of-fold probabilities (columns LABELS) of the rows idx (default all), folds grouped by
    source; the extra rows train every fold."""
    idx = np.arange(len(t.rows)) if idx is None else idx
    xs = tm._scaled(m.x, m.scale)
    exs = tm._scaled(m.ex, m.scale)
    out = np.zeros((len(idx), len(LABELS)))
    for train, test in GroupKFold(n_splits=folds).split(idx, t.y[idx], t.groups[idx]):
        tr, te = idx[train], idx[test]
        p, classes = head(sparse.vstack([xs[tr], exs]).tocsr(), np.concatenate([t.y[tr], t.ey]), xs[te])
        out[test] = _aligned(p, classes)
    return out


def predict(t: Tune, proba: np.ndarray, threshold: float, idx: np.ndarray | None = None,
            offsets: np.ndarray | None = None) -> list[str]:
    idx = np.arange(len(t.rows)) if idx is None else idx
    logp = np.log(np.clip(proba, 1e-12, 1.0)) + (0.0 if offsets is None else offsets)
    out = []
    for i, p, lp in zip(idx, proba, logp, strict=True):
        if not t.rows[i].candidate or p[0] >= threshold:
            out.append(NONE)
        else:
            out.append(LABELS[1 + int(np.argmax(lp[1:]))])
    return out


def scores(t: Tune, pred: list[str], idx: np.ndarray | None = None) -> KindScores:
    idx = np.arange(len(t.rows)) if idx is None else idx
    s = KindScores()
    s.add([t.rows[i].gold for i in idx], pred)
    return s


def summary(s: KindScores) -> dict:
    per = s.per_kind()
    return {"kind_accuracy": round(s.kind_accuracy, 4), "macro_f1": round(s.macro_f1, 4),
            "findings_f1": round(s.findings.f1, 4), "per_kind_f1": {k: round(per[k].f1, 3) for k in FINDING_KINDS}}


OFFSET_GRID = (0.0, 0.4, 0.8, 1.2)
RARE = ("strategy", "barrier", "facilitator", "recommendation")


def choose_offsets(t: Tune, proba: np.ndarray, idx: np.ndarray, threshold: float) -> np.ndarray:
    """Per-class log-offsets for the rare kinds, coordinate-wise, maximising kind accuracy +
    macro-F1 of the rows idx whose out-of-fold probabilities are proba."""
    off = np.zeros(len(LABELS))

    def key(o: np.ndarray) -> float:
        s = scores(t, predict(t, proba, threshold, idx, o), idx)
        return s.kind_accuracy + s.macro_f1
    for _ in range(2):
        for kind in RARE:
            j = LABELS.index(kind)
            best = max(OFFSET_GRID, key=lambda v: (key(np.where(np.arange(len(LABELS)) == j, v, off)), -v))
            off[j] = best
    return off


def nested_offsets_predict(t: Tune, m: Matrix, head: Head, threshold: float) -> tuple[list[str], list]:
    """Outer grouped 5-fold; inside each training part a grouped 4-fold CV gives out-of-fold
    probabilities to choose the offsets on; the outer test rows get them."""
    xs = tm._scaled(m.x, m.scale)
    exs = tm._scaled(m.ex, m.scale)
    pred: list[str] = [NONE] * len(t.rows)
    chosen = []
    for train, test in GroupKFold(n_splits=5).split(xs, t.y, t.groups):
        inner = oof(t, m, head, train, folds=4)
        off = choose_offsets(t, inner, train, threshold)
        chosen.append({k: float(off[LABELS.index(k)]) for k in RARE})
        p, classes = head(sparse.vstack([xs[train], exs]).tocsr(), np.concatenate([t.y[train], t.ey]), xs[test])
        for i, lab in zip(test, predict(t, _aligned(p, classes), threshold, test, off), strict=True):
            pred[i] = lab
    return pred, chosen


# ---- configs --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Config:
    name: str
    blocks: tuple[str, ...]
    head: str  # lr | two | svc | hgb | mlp
    c: float = 1.0
    weight: str | None = "sqrt-balanced"
    threshold: float = 0.5
    nested_offsets: bool = False
    c2: float = 1.0
    bag: float = 1.0  # matrix(bag=)
    all_roles: bool = False  # every sentence not filtered by NOT_A_FINDING is a candidate, whatever its role

    @property
    def needs_vectors(self) -> bool:
        return "vec" in self.blocks


CONFIGS = (
    Config("BASE", (), "lr"),
    Config("C0.3", (), "lr", c=0.3),
    Config("C3", (), "lr", c=3.0),
    Config("balanced", (), "lr", weight="balanced"),
    Config("fam", ("fam",), "lr"),
    Config("ctx", ("ctx",), "lr"),
    Config("fam+ctx", ("fam", "ctx"), "lr"),
    Config("fam+ctx C0.3", ("fam", "ctx"), "lr", c=0.3),
    Config("two-stage", (), "two"),
    Config("two-stage fam+ctx", ("fam", "ctx"), "two"),
    Config("two-stage C0.3", (), "two", c=0.3, c2=0.3),  # added after the first pass over the others
    Config("offsets (nested)", (), "lr", nested_offsets=True),
    Config("fam+ctx offsets (nested)", ("fam", "ctx"), "lr", nested_offsets=True),
    Config("svc fam+ctx", ("fam", "ctx"), "svc", c=0.05),
    Config("hgb fam+ctx", ("fam", "ctx"), "hgb"),
    Config("mlp fam+ctx", ("fam", "ctx"), "mlp"),
    Config("bag0.5", (), "lr", bag=0.5),
    Config("bag0.3", (), "lr", bag=0.3),
    Config("bag0.3 fam+ctx", ("fam", "ctx"), "lr", bag=0.3),
    Config("bag0.5 fam+ctx", ("fam", "ctx"), "lr", bag=0.5),
    Config("no bag fam+ctx", ("fam", "ctx"), "lr", bag=0.0),
    Config("all roles", (), "lr", all_roles=True),
    Config("all roles bag0.5 fam+ctx", ("fam", "ctx"), "lr", bag=0.5, all_roles=True),
    Config("vec", ("vec",), "lr"),
    Config("vec+fam+ctx", ("vec", "fam", "ctx"), "lr"),
    Config("hgb vec+fam+ctx", ("vec", "fam", "ctx"), "hgb"),
)


def head_of(cfg: Config, vocab: int) -> Head:
    if cfg.head == "lr":
        return lr_head(cfg.c, cfg.weight)
    if cfg.head == "two":
        return two_stage_head(cfg.c, cfg.c2, cfg.weight)
    if cfg.head == "svc":
        return svc_head(cfg.c, cfg.weight)
    if cfg.head == "hgb":
        return hgb_head(vocab)
    return mlp_head()


def every_role(t: Tune) -> Tune:
    """The rows with `candidate` = not filtered as not-a-finding, whatever the role."""
    from dataclasses import replace

    from ingest.extract import lexicon as lx
    rows = [replace(r, candidate=not lx.NOT_A_FINDING.search(" ".join(r.item.text.split()))) for r in t.rows]
    return replace(t, rows=rows)


def run_config(t: Tune, cfg: Config, vectors: tuple[np.ndarray, np.ndarray] | None) -> tuple[dict, list[str]]:
    if cfg.all_roles:
        t = every_role(t)
    m = matrix(t, cfg.blocks, vectors, cfg.bag)
    head = head_of(cfg, len(t.vocabulary))
    t0 = time.perf_counter()
    extra: dict = {}
    if cfg.nested_offsets:
        pred, extra["offsets_per_fold"] = nested_offsets_predict(t, m, head, cfg.threshold)
    else:
        pred = predict(t, oof(t, m, head), cfg.threshold)
    out = {**summary(scores(t, pred)), "features": m.x.shape[1], "seconds": round(time.perf_counter() - t0, 1),
           "needs_vectors": cfg.needs_vectors, **extra}
    log.info("%-26s kind acc %.3f  macro-F1 %.3f  findings F1 %.3f  (%s s) %s", cfg.name, out["kind_accuracy"],
             out["macro_f1"], out["findings_f1"], out["seconds"], out["per_kind_f1"])
    return out, pred


def embed(texts: list[str]) -> np.ndarray:
    from kb.embed import int8_embedder

    return np.asarray(int8_embedder().encode([" ".join(x.split()) for x in texts]), np.float32)


def decide(results: dict) -> dict:
    """The ship rule of the module docstring."""
    base = results["BASE"]
    eligible = {n: r for n, r in results.items() if n != "BASE" and not r["needs_vectors"]
                and r["findings_f1"] >= base["findings_f1"] - 0.005}
    if not eligible:
        return {"candidate": None, "ship": False}
    name = max(eligible, key=lambda n: eligible[n]["kind_accuracy"] + eligible[n]["macro_f1"])
    r = eligible[name]
    ship = r["kind_accuracy"] > base["kind_accuracy"] and r["macro_f1"] > base["macro_f1"]
    return {"candidate": name, "ship": bool(ship)}


def run_tune(out: Path, only: list[str]) -> None:
    t = load()
    log.info("tune: %d rows, %d sources, %d extra rows, vocabulary %d", len(t.rows), len(set(t.groups)),
             len(t.extra), len(t.vocabulary))
    doc = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {"configs": {}}
    vectors = None
    for cfg in CONFIGS:
        if cfg.name not in only:
            continue
        if cfg.needs_vectors and vectors is None:
            vectors = (embed([r.item.text for r in t.rows]), embed([i.text for i in t.extra]))
        doc["configs"][cfg.name], _ = run_config(t, cfg, vectors)
        out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")  # kept if stopped
    if "BASE" in doc["configs"]:
        doc["decision"] = decide(doc["configs"])
        log.info("decision: %s", doc["decision"])
    out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


# ---- diagnosis ------------------------------------------------------------------------------------

def confusion(t: Tune, pred: list[str]) -> list[str]:
    head = "gold \\ pred     " + " ".join(f"{p[:5]:>5}" for p in LABELS)
    rows = [head]
    for g in LABELS:
        rows.append(f"{g:<16}" + " ".join(f"{sum(1 for r, p in zip(t.rows, pred, strict=True) if r.gold.kind == g and p == q):>5}"
                                          for q in LABELS))
    return rows


def run_diagnose(name: str) -> None:
    t = load()
    cfg = next(c for c in CONFIGS if c.name == name)
    _, pred = run_config(t, cfg, None)
    gold = [r.gold.kind for r in t.rows]
    fn = sum(g != NONE and p == NONE for g, p in zip(gold, pred, strict=True))
    fp = sum(g == NONE and p != NONE for g, p in zip(gold, pred, strict=True))
    kk = sum(g != NONE and p != NONE and g != p for g, p in zip(gold, pred, strict=True))
    ok = sum(g != NONE and g == p for g, p in zip(gold, pred, strict=True))
    not_cand = sum(g != NONE and not r.candidate for g, r in zip(gold, t.rows, strict=True))
    print(f"{cfg.name}: findings right kind {ok}, kind-vs-kind {kk}, finding->none {fn} "
          f"(of which not a candidate by role/filter: {not_cand}), none->finding {fp}")
    print("\n".join(confusion(t, pred)))
    print("\nper source (rows, findings, kind accuracy among extracted findings):")
    for src in sorted(set(t.groups), key=lambda s: -int((t.groups == s).sum())):
        idx = np.flatnonzero(t.groups == src)
        s = scores(t, [pred[i] for i in idx], idx)
        found = sum(v for (g, p), v in s.confusion.items() if g != NONE and p != NONE)
        print(f"  {src[:48]:<48} {len(idx):>4} {sum(gold[i] != NONE for i in idx):>4} "
              f"{s.kind_accuracy:.2f} (n={found})")


def run_errors(name: str, n: int) -> None:
    """Every n-th out-of-fold error of a config on tune (gold, predicted, role, source, text)."""
    t = load()
    cfg = next(c for c in CONFIGS if c.name == name)
    _, pred = run_config(t, cfg, None)
    if cfg.all_roles:
        t = every_role(t)
    wrong = [(r, p) for r, p in zip(t.rows, pred, strict=True) if r.gold.kind != p]
    print(f"{len(wrong)} errors; every {max(len(wrong) // n, 1)}th:")
    for r, p in wrong[:: max(len(wrong) // n, 1)][:n]:
        second = f"/{r.gold.kind2}" if r.gold.kind2 else ""
        print(f"- gold {r.gold.kind}{second} -> {p} [{r.item.role}{'' if r.candidate else ', not a candidate'}; "
              f"{r.source[:30]}] {' '.join(r.item.text.split())[:220]}")


def shipped(t: Tune) -> list[str]:
    """The shipped model file's row-wise predictions (the same candidate and threshold rule)."""
    classes, proba = km.kind_proba([r.item for r in t.rows])
    return predict(t, _aligned(proba, list(classes)), km.none_threshold())


def fitted(t: Tune, h: Tune, cfg: Config) -> list[str]:
    """A config fitted on all of t (with its extra rows) and applied to the rows of h."""
    if cfg.all_roles:
        h = every_role(h)
    m, mh = matrix(t, cfg.blocks, None, cfg.bag), matrix(h, cfg.blocks, None, cfg.bag)
    xs, exs, hs = (tm._scaled(a, m.scale) for a in (m.x, m.ex, mh.x))
    p, classes = head_of(cfg, len(t.vocabulary))(sparse.vstack([xs, exs]).tocsr(), np.concatenate([t.y, t.ey]), hs)
    return predict(h, _aligned(p, classes), cfg.threshold)


def run_heldout(decision_file: Path) -> None:
    """Once, after the decision: the shipped file (row-wise and with the package's scorer), BASE
    and the candidate fitted on all tune, on held-out; confusion and every n-th error of the
    candidate."""
    from kb.eval.kinds import confusion_table, evaluate_kinds

    doc = json.loads(decision_file.read_text(encoding="utf-8"))
    if "decision" not in doc or "heldout" in doc:
        raise SystemExit("no decision recorded, or held-out already scored")
    t = load()
    h = load("heldout", t.vocabulary)
    name = doc["decision"]["candidate"]
    result = {"S (shipped file), package scorer": summary(evaluate_kinds("heldout")),
              "S (shipped file), row-wise": summary(scores(h, shipped(h)))}
    preds = {}
    for cfg in CONFIGS:
        if cfg.name in ("BASE", name):
            preds[cfg.name] = fitted(t, h, cfg)
            result[f"{cfg.name}, row-wise"] = summary(scores(h, preds[cfg.name]))
    doc["heldout"] = result
    decision_file.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    for k, v in result.items():
        print(f"{k:<40} {v}")
    s = scores(h, preds[name])
    print("\n".join(confusion_table(s)))
    hh = every_role(h) if next(c for c in CONFIGS if c.name == name).all_roles else h
    wrong = [(r, p) for r, p in zip(hh.rows, preds[name], strict=True) if r.gold.kind != p]
    print(f"{len(wrong)} held-out errors of {name}; every {max(len(wrong) // 20, 1)}th:")
    for r, p in wrong[:: max(len(wrong) // 20, 1)][:20]:
        second = f"/{r.gold.kind2}" if r.gold.kind2 else ""
        print(f"- gold {r.gold.kind}{second} -> {p} [{r.item.role}{'' if r.candidate else ', not a candidate'}; "
              f"{r.source[:30]}] {' '.join(r.item.text.split())[:220]}")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=("diagnose", "tune", "errors", "heldout"))
    parser.add_argument("--out", type=Path, default=Path("kinds_configs.json"))
    parser.add_argument("--only", nargs="*", help="config names to run (tune)")
    parser.add_argument("--skip", nargs="*", default=[], help="config names not to run (tune)")
    parser.add_argument("--config", default="BASE", help="config to diagnose")
    args = parser.parse_args()
    if args.phase == "diagnose":
        run_diagnose(args.config)
    elif args.phase == "errors":
        run_errors(args.config, 20)
    elif args.phase == "heldout":
        run_heldout(args.out)
    else:
        run_tune(args.out, [c.name for c in CONFIGS if (not args.only or c.name in args.only)
                            and c.name not in args.skip])


if __name__ == "__main__":
    main()
