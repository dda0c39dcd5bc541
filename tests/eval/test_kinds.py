"""Scoring finding kinds on tests/gold/kinds: reading the gold, locating findings, the scores."""

from __future__ import annotations

from kb.eval.kinds import GoldSentence, KindAbstract, KindScores, kinds_gold, kinds_of_sentences
from kb.model.schema import Finding


def test_gold_splits_hold_the_manifest_counts() -> None:
    tune, heldout = kinds_gold("tune"), kinds_gold("heldout")
    assert (len(tune), sum(len(a.sentences) for a in tune)) == (227, 1981)
    assert (len(heldout), sum(len(a.sentences) for a in heldout)) == (198, 1867)
    assert not {a.source for a in tune} & {a.source for a in heldout}


def _gold(parts: list[str], kinds: list[str]) -> KindAbstract:
    text = " ".join(parts)
    sents, at = [], 0
    for i, (part, kind) in enumerate(zip(parts, kinds, strict=True)):
        sents.append(GoldSentence(f"x#{i}", at, at + len(part), part, kind, None))
        at += len(part) + 1
    return KindAbstract("x", "s", "tune", text, tuple(sents))


def test_findings_are_located_in_their_sentences() -> None:
    abstract = _gold(["Methods: we did it.", "Results: costs fell by 10%.", "Programs should expand."],
                     ["none", "outcome", "recommendation"])
    found = [Finding(id="a", kind="outcome", text="costs fell by 10%", section=1, span=(0, 17)),
             Finding(id="b", kind="conclusion", text="Programs should expand", section=2, span=(0, 22))]
    got = kinds_of_sentences(abstract, found, [f.text for f in found])
    assert got == ["none", "outcome", "conclusion"]
    scores = KindScores()
    scores.add(list(abstract.sentences), got)
    assert scores.findings.f1 == 1.0 and scores.kind_accuracy == 0.5
    per = scores.per_kind()
    assert per["recommendation"].recall == 0.0 and per["conclusion"].precision == 0.0
    assert scores.macro_f1 == (1.0 + 0.0 + 0.0) / 3
