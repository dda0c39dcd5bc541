"""Issue 14, batch 4 of the kinds gold (labels_b8): the shipped kind-model configuration (BASE of
kinds_configs.py: one LR, C 1.0, sqrt-balanced weights, none-threshold 0.5) by 5-fold CV grouped by
source, on the old tune set (batches 1-3) and on the enlarged tune set (with batch 4), in one run.

    nice -n 10 .venv/bin/python benchmarks/kinds_batch4.py tune

Ship rule (fixed by the lead before this ran): the retrained configuration ships iff its CV on the
enlarged tune set is >= its CV on the old tune rows (same run) minus 0.01 on both kind accuracy and
macro-F1, the kind and seed gold tests pass, and extraction stays >= 50 abstracts/s. "CV on the old
tune rows" is read as the same CV run over the old tune set alone; the old rows' scores inside the
enlarged CV are printed beside it.
"""

from __future__ import annotations

import argparse
import json
import logging

import kinds_configs as kc
import numpy as np
import train_models as tm

from kb.eval.kinds import KINDS_GOLD, kind_rows, kinds_gold

log = logging.getLogger("kinds_batch4")
BATCH = "labels_b8.jsonl"


def batch_abstracts() -> set[str]:
    """The abstracts whose sentences batch 4 labelled."""
    with (KINDS_GOLD / BATCH).open(encoding="utf-8") as handle:
        return {json.loads(line)["sid"].split("#")[0] for line in handle if line.strip()}


def load_old() -> kc.Tune:
    """The tune rows of batches 1-3 only, with their own vocabulary (as train_models built it then)."""
    new = batch_abstracts()
    rows, geo = [], []
    for a in kinds_gold("tune"):
        if a.id in new:
            continue
        r, g = kind_rows(a), kc.geometry(a)
        rows += r
        geo += g
    extra, ekinds = tm.findings_gold_items()
    vocabulary = tm._vocabulary([r.item.text for r in rows] + [i.text for i in extra], min_df=2, cap=4000)
    return kc.Tune(rows, geo, np.array([r.gold.kind for r in rows]), np.array([r.source for r in rows]),
                   extra, np.array(ekinds), vocabulary)


def run_tune() -> dict:
    base = next(c for c in kc.CONFIGS if c.name == "BASE")
    old = load_old()
    old_cv, _ = kc.run_config(old, base, None)
    t = kc.load()
    all_cv, pred = kc.run_config(t, base, None)
    new = batch_abstracts()
    is_new = np.array([r.gold.sid.split("#")[0] in new for r in t.rows])
    subsets = {name: kc.summary(kc.scores(t, [pred[i] for i in idx], idx))
               for name, idx in (("old rows", np.flatnonzero(~is_new)), ("batch-4 rows", np.flatnonzero(is_new)))}
    ship = (all_cv["kind_accuracy"] >= old_cv["kind_accuracy"] - 0.01
            and all_cv["macro_f1"] >= old_cv["macro_f1"] - 0.01)
    out = {"old tune set": {**old_cv, "rows": len(old.rows)}, "enlarged tune set": {**all_cv, "rows": len(t.rows)},
           "inside the enlarged CV": subsets, "rule (a) holds": ship,
           "confusion (enlarged CV)": kc.confusion(t, pred)}
    print(json.dumps(out, indent=1))
    return out


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=("tune",))
    parser.parse_args()
    run_tune()


if __name__ == "__main__":
    main()
