"""Quantitative effects in a sentence: ratios with CIs, ranges over models, percents, counts, p.

`effect_spans(text)` finds every statistic the findings guideline (tests/gold/findings/GUIDELINE.md)
counts as an effect and returns its character span with a `kb.model.schema.Effect` whose `text` is the
verbatim substring; `parse_effects(text)` returns just the effects, in text order.

How it works: several independent regex passes propose *candidates* (a span, a priority and the
Effect fields). Spans that are not effects (sample sizes "n = 221", thresholds ">50%", years,
durations) are proposed as *blocks*. Candidates are accepted by priority, then position, and any
candidate overlapping an accepted span is dropped. A few passes then fill in context: a bare
"0.83 (95% CI ...)" inherits the measure of the preceding ratio, a p-value sharing a parenthesis
with exactly one estimate is attached to it, and "diet-based (30.7%), body-based (25.1%)" lists give
their items as subgroups.

Every quantifier in the patterns is bounded, so matching is linear in the input length, and no
exception escapes `effect_spans` for any string.
"""

from ingest.extract.effects.select import effect_spans, parse_effects

__all__ = ["effect_spans", "parse_effects"]
