"""Search filters: the choices offered by the shipped records, and widget values as SearchFilters."""

from __future__ import annotations

from pathlib import Path

from kb.app.search_form import FilterOptions, build_filters, filter_options, year_bounds
from kb.model.taxonomy import load_taxonomy
from kb.search.facets import Facets
from kb.search.live import LiveIndex
from kb.store import Store


def test_options_of_the_shipped_records(shipped_copy: Path) -> None:
    options = filter_options(LiveIndex(Store(shipped_copy)).facets(), load_taxonomy())
    assert "barrier" in options.kinds and "facilitator" in options.kinds
    assert options.themes["housing"] == "Housing and homelessness"
    assert list(options.themes)[0] == "target-population"  # taxonomy order
    assert (options.year_min, options.year_max) == (2025, 2025) and not options.has_year_range
    assert options.designs[0] == "qualitative"  # the most frequent design comes first
    assert options.languages == ["en", "zh"]
    assert options.resource_types == ["discussion-paper", "journal-article"]


def test_free_text_values_are_grouped_case_insensitively() -> None:
    facets = Facets(designs={"Qualitative": 1, "survey": 1, "qualitative ": 1, "Survey": 2,
                             "interviews": 3, "  ": 4})
    # qualitative: 2 records in a tie of spellings; survey: 3, its most frequent spelling wins
    assert filter_options(facets, load_taxonomy()).designs == ["interviews", "Survey", "Qualitative"]


def test_years_only_filter_when_the_slider_leaves_its_edges() -> None:
    options = FilterOptions(year_min=2000, year_max=2025)
    assert year_bounds(options, (2000, 2025)) == (None, None)
    assert year_bounds(options, (2010, 2025)) == (2010, None)
    assert year_bounds(options, (2000, 2020)) == (None, 2020)
    assert year_bounds(FilterOptions(year_min=2025, year_max=2025), (2025, 2025)) == (None, None)


def test_values_the_options_do_not_offer_are_dropped() -> None:
    options = FilterOptions(themes={"housing": "Housing"}, languages=["en"],
                            resource_types=["report"], year_min=2000, year_max=2025)
    filters = build_filters(options, kinds=["barrier", "nonsense"], themes=["housing", "gone"],
                            years=(2005, 2025), designs=["qualitative"], languages=["en", "fr"],
                            resource_types=["report", "blog"])
    assert filters.kinds == ["barrier"] and filters.themes == ["housing"]
    assert (filters.year_from, filters.year_to) == (2005, None)
    assert filters.designs == ["qualitative"] and filters.languages == ["en"]
    assert filters.resource_types == ["report"]
    assert not build_filters(options).active()
