"""Run every extraction step over a record: findings (with effects, themes, translations),
study facts and glossary. Curated findings are never replaced."""

from __future__ import annotations

from dataclasses import replace

from ingest.extract.effects import effect_spans
from ingest.extract.findings import (
    FINDING_ROLES,
    Candidate,
    sentence_candidates,
    sentence_roles,
)
from ingest.extract.glossary import extract_glossary
from ingest.extract.kinds import (
    KindInput,
    abstract_context,
    abstract_position,
    classify_kinds,
    none_threshold,
)
from ingest.extract.study import extract_study
from ingest.extract.themes import tag_themes
from ingest.extract.translate import translate_finding
from ingest.limits import MAX_FINDINGS
from kb.embed import Embedder
from kb.errors import RecordError
from kb.model.schema import Effect, Finding, Record, Section
from kb.model.taxonomy import Taxonomy
from kb.text.sentences import split_sentences

#: how findings get their kind: the learned model (default) or the cue-phrase rules (the baseline)
KIND_DECIDERS = ("model", "rules")


def _section_candidates(index: int, section: Section, n_sections: int) -> list[tuple[Candidate, list]]:
    """Candidates of a section with the effects (start, end, Effect) of their sentences."""
    if section.bullet:
        spans = effect_spans(section.text)
        sentence = split_sentences(section.text)
        whole = type(sentence[0])(section.text, 0, len(section.text)) if sentence else None
        if whole is None:
            return []
        cands = sentence_candidates(index, "results", section.text, whole,
                                    [s for s, _, _ in spans], bullet=True)
        return [(c, spans) for c in cands]
    sentences = split_sentences(section.text)
    roles = sentence_roles(section, sentences, n_sections)
    out = []
    for sentence, role in zip(sentences, roles, strict=True):
        if role not in FINDING_ROLES:
            continue
        spans = [(s + sentence.start, e + sentence.start, eff)
                 for s, e, eff in effect_spans(sentence.text)]
        for cand in sentence_candidates(index, role, section.text, sentence, [s for s, _, _ in spans]):
            out.append((cand, spans))
    return out


def _effects_for(cand: Candidate, spans: list, n_items: int) -> list[Effect]:
    if n_items == 1:
        return [eff for s, _, eff in spans if cand.sentence_start <= s < cand.sentence_end]
    return [eff for s, _, eff in spans if cand.start <= s < cand.end]


def _learned(abstract: list[Section], pairs: list[tuple[Candidate, list]]) -> list[tuple[Candidate, list]]:
    """The candidates with the kind model's kind and confidence; those it judges not to be
    findings (p(none) at or above the trained threshold) are dropped, except summary bullets
    (each bullet is a finding, DESIGN.md) and the items of a list whose intro names their kind."""
    lengths = [len(section.text) for section in abstract]
    context = abstract_context("\n\n".join(section.text for section in abstract)) if pairs else frozenset()
    items = [KindInput(abstract[c.section].text[c.start:c.end], c.role, abstract[c.section].bullet,
                       any(c.start <= s < c.end for s, _, _ in spans),
                       abstract_position(lengths, c.section, c.sentence_start), context)
             for c, spans in pairs]
    threshold = none_threshold()
    out = []
    for (cand, spans), (kind, conf, p_none) in zip(pairs, classify_kinds(items), strict=True):
        if p_none >= threshold and not cand.fixed and not abstract[cand.section].bullet:
            continue
        if not cand.fixed:
            cand = replace(cand, kind=kind, confidence=round(conf * (1.0 - p_none), 3))
        out.append((cand, spans))
    return out


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without whitespace at its ends (a finding's text is stored stripped, so its span
    must be too: a stray carriage return once sat at the start of a span)."""
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    return start + lead, start + len(piece.rstrip())


def extract_findings(abstract: list[Section], *, kinds: str = "model") -> list[Finding]:
    """Findings of an abstract, in text order, without themes or translations; `kinds` says
    who decides each finding's kind (KIND_DECIDERS)."""
    pairs = [pair for i, section in enumerate(abstract)
             for pair in _section_candidates(i, section, len(abstract))]
    kept = _learned(abstract, pairs) if kinds == "model" else pairs
    per_sentence: dict[tuple[int, int], int] = {}
    for cand, _ in kept:
        key = (cand.section, cand.sentence_start)
        per_sentence[key] = per_sentence.get(key, 0) + 1
    findings: list[Finding] = []
    for cand, spans in kept:
        text = abstract[cand.section].text
        start, end = _trimmed(text, cand.start, cand.end)
        findings.append(Finding(
            id=f"f{cand.section}-{cand.start}", kind=cand.kind, text=text[start:end],
            section=cand.section, role=cand.role, span=(start, end),
            sentence_span=(cand.sentence_start, cand.sentence_end),
            effects=_effects_for(cand, spans, per_sentence[(cand.section, cand.sentence_start)]),
            confidence=cand.confidence))
    return findings


def _translations(record: Record, findings: list[Finding]) -> list[Finding]:
    out = []
    for finding in findings:
        texts = {lang: text for lang, secs in record.translations.items()
                 if (text := translate_finding(finding, record.abstract, secs))}
        out.append(finding.model_copy(update={"translations": texts}))
    return out


def extract(record: Record, taxonomy: Taxonomy, embedder: Embedder | None) -> Record:
    """The record with findings, study facts and glossary (re)extracted from its abstract."""
    curated = [f for f in record.findings if f.origin == "curated"]
    taken = {(f.section, f.span) for f in curated}
    fresh = [f for f in extract_findings(record.abstract) if (f.section, f.span) not in taken]
    if len(fresh) > MAX_FINDINGS:
        raise RecordError(f"{len(fresh):,} findings were found in this one record, more than the "
                          f"{MAX_FINDINGS:,} a record can hold: is it a whole report, or several "
                          "abstracts in one? Import its parts separately")
    fresh = _translations(record, fresh)
    themes = tag_themes([f.text for f in fresh], taxonomy, embedder)
    fresh = [f.model_copy(update={"themes": t}) for f, t in zip(fresh, themes, strict=True)]
    findings = sorted(curated + fresh, key=lambda f: (f.section, f.span))
    glossary = extract_glossary(record.abstract_text())
    if record.title:
        glossary = {**extract_glossary(record.title), **glossary}
    return record.model_copy(update={
        "findings": findings, "study": extract_study(record.abstract), "glossary": glossary})


def retag(record: Record, taxonomy: Taxonomy, embedder: Embedder | None) -> Record:
    """The record with every non-curated finding's themes recomputed."""
    todo = [f for f in record.findings if f.origin != "curated"]
    themes = iter(tag_themes([f.text for f in todo], taxonomy, embedder))
    findings = [f if f.origin == "curated" else f.model_copy(update={"themes": next(themes)})
                for f in record.findings]
    return record.model_copy(update={"findings": findings})
