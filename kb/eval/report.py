"""Text reports of measured quality, printed by `kb eval`."""

from __future__ import annotations

from kb.embed import get_embedder
from kb.model.taxonomy import load_taxonomy

SPLITS = ("tune", "heldout")


def _prf(p: float, r: float, f: float) -> str:
    return f"P {p:.2f}  R {r:.2f}  F1 {f:.2f}"


def extraction_report(*, use_embeddings: bool = True) -> str:
    """Per split: findings, kind accuracy, effects, themes, study facts and glossary."""
    from kb.eval.effects import effect_scores
    from kb.eval.extraction import evaluate_findings
    from kb.eval.study import glossary_scores, study_scores

    taxonomy = load_taxonomy()
    embedder = get_embedder() if use_embeddings else None
    lines = [f"extraction vs tests/gold/findings  (themes: "
             f"{'keywords + ' + embedder.model_id if embedder else 'keywords only'})", ""]
    for split in SPLITS:
        s = evaluate_findings(split, taxonomy, embedder)
        f = s.findings
        lines += [
            f"[{split}] {s.files} abstracts",
            f"  findings        {_prf(f.precision, f.recall, f.f1)}   (tp {f.tp}, fp {f.fp}, fn {f.fn})",
            f"  kind accuracy   {s.kind_accuracy:.2f}   ({s.kind_correct}/{s.kind_total} matched findings)",
            f"  effects (e2e)   {_prf(s.effects.precision, s.effects.recall, s.effects.f1)}",
            f"  effects (parse) {_prf(*effect_scores(split))}",
            f"  themes          {_prf(s.themes.precision, s.themes.recall, s.themes.f1)}",
            f"  glossary        {_prf(*glossary_scores(split))}",
        ]
        lines += [f"  {name:<15} {_prf(*prf)}" for name, prf in study_scores(split).items()]
        lines.append("")
    lines += kinds_report()
    seeds = evaluate_findings("seeds", taxonomy, embedder)
    f = seeds.findings
    lines += [f"[seeds] {seeds.files} seed inputs (part of tune)",
              f"  findings        {_prf(f.precision, f.recall, f.f1)}   (tp {f.tp}, fp {f.fp}, fn {f.fn})",
              f"  kind accuracy   {seeds.kind_accuracy:.2f}   ({seeds.kind_correct}/{seeds.kind_total})",
              f"  effects (e2e)   {_prf(seeds.effects.precision, seeds.effects.recall, seeds.effects.f1)}",
              ""]
    return "\n".join(lines)


def _kind_lines(split: str, decider: str) -> list[str]:
    from kb.eval.kinds import confusion_table, evaluate_kinds, extractor_kinds

    s = evaluate_kinds(split, extractor_kinds(decider))
    f = s.findings
    lines = [f"  [{decider}] kind accuracy {s.kind_accuracy:.2f}   macro-F1 {s.macro_f1:.2f}   "
             f"findings {_prf(f.precision, f.recall, f.f1)}   all-label accuracy {s.accuracy:.2f}"]
    if decider != "model":
        return lines
    lines.append(f"    {'kind':<15} {'P':>5} {'R':>5} {'F1':>5} {'gold':>5}")
    for kind, prf in s.per_kind().items():
        lines.append(f"    {kind:<15} {prf.precision:5.2f} {prf.recall:5.2f} {prf.f1:5.2f} {prf.tp + prf.fn:5d}")
    return lines + ["    confusion:"] + ["    " + row for row in confusion_table(s)]


def kinds_report() -> list[str]:
    """Finding kinds against tests/gold/kinds per split: the kind model and the rule baseline."""
    lines = ["kinds vs tests/gold/kinds (sentence level; `none` = not a finding)", ""]
    for split in SPLITS:
        lines.append(f"[{split}]")
        lines += _kind_lines(split, "model") + _kind_lines(split, "rules") + [""]
    return lines
