"""The search page's filters: the choices offered (from the index's facets and the taxonomy) and the
chosen values turned into SearchFilters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, Field

from kb.model.schema import FINDING_KINDS
from kb.model.taxonomy import Taxonomy
from kb.search.facets import Facets
from kb.search.types import SearchFilters

MAX_CHOICES = 200  # free-text facets (design, population) offer their most frequent values


class FilterOptions(BaseModel):
    """What the filter widgets offer."""

    kinds: list[str] = Field(default_factory=lambda: list(FINDING_KINDS))
    themes: dict[str, str] = Field(default_factory=dict)  # id -> label, taxonomy order
    year_min: int | None = None
    year_max: int | None = None
    designs: list[str] = Field(default_factory=list)
    populations: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    resource_types: list[str] = Field(default_factory=list)

    @property
    def has_year_range(self) -> bool:
        """True when records span more than one year (a range slider makes sense)."""
        return self.year_min is not None and self.year_max is not None and self.year_min < self.year_max


def _frequent(counts: Mapping[str, int], limit: int = MAX_CHOICES) -> list[str]:
    """Distinct values (case-insensitively, spaces normalised), those most records give first,
    then alphabetical; each in its most frequent spelling (ties: the first in code-point order)."""
    totals: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for value, n in counts.items():
        spelling = " ".join(value.split())
        key = spelling.casefold()
        if key:
            totals[key] += n
            spellings.setdefault(key, Counter())[spelling] += n
    ranked = sorted(totals, key=lambda k: (-totals[k], k))[:limit]
    return [min(spellings[k], key=lambda v: (-spellings[k][v], v)) for k in ranked]


def filter_options(facets: Facets, taxonomy: Taxonomy) -> FilterOptions:
    """Filter choices for what the knowledge base holds (its search index's facets): the kinds
    and themes its findings have (themes in taxonomy order, unknown ids after), the years, the
    designs and populations most records give, languages and resource types."""
    used = set(facets.themes)
    themes = {t.id: t.label for t in taxonomy.themes if t.id in used}
    themes.update({t: t for t in sorted(used - set(themes))})
    return FilterOptions(
        kinds=list(facets.kinds), themes=themes, year_min=facets.year_min, year_max=facets.year_max,
        designs=_frequent(facets.designs), populations=_frequent(facets.populations),
        languages=list(facets.languages), resource_types=list(facets.resource_types))


def year_bounds(options: FilterOptions, chosen: Sequence[int] | None) -> tuple[int | None, int | None]:
    """(year_from, year_to) from a range slider; None where the slider sits at the edge, so
    records without a year are only excluded when the user narrows the range."""
    if not chosen or not options.has_year_range:
        return None, None
    low, high = min(chosen), max(chosen)
    return (low if low > (options.year_min or low) else None,
            high if high < (options.year_max or high) else None)


def build_filters(options: FilterOptions, *, kinds: Sequence[str] = (), themes: Sequence[str] = (),
                  years: Sequence[int] | None = None, designs: Sequence[str] = (),
                  populations: Sequence[str] = (), languages: Sequence[str] = (),
                  resource_types: Sequence[str] = ()) -> SearchFilters:
    """SearchFilters from the widget values; values the options do not offer are dropped (a
    shared URL may name a kind or theme this knowledge base does not have)."""
    year_from, year_to = year_bounds(options, years)
    return SearchFilters(
        kinds=[k for k in kinds if k in FINDING_KINDS],
        themes=[t for t in themes if t in options.themes],
        year_from=year_from, year_to=year_to,
        designs=list(designs), populations=list(populations),
        languages=[lang for lang in languages if lang in options.languages],
        resource_types=[t for t in resource_types if t in options.resource_types])
