"""The shipped taxonomy and its keyword rules; invalid taxonomies are reported clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.errors import KBError
from kb.model.taxonomy import load_taxonomy

WPC_ELEMENTS = {"target-population", "patient-centered-care", "cross-sector-coordination",
                "data-sharing", "financial-flexibility", "collaborative-leadership"}


def test_default_taxonomy_covers_the_field() -> None:
    taxonomy = load_taxonomy()
    ids = {t.id for t in taxonomy.themes}
    assert ids >= WPC_ELEMENTS
    assert {"contracting", "workforce", "sustainability", "policy", "health-equity", "housing", "rural",
            "program-adaptability", "infrastructure-capacity", "eligibility-enrollment",
            "behavioral-health-integration", "managed-care", "community-partnership"} <= ids
    assert all(t.label_zh and t.description and t.keywords for t in taxonomy.themes)


def test_keywords_match_at_word_starts() -> None:
    theme = load_taxonomy().by_id()["contracting"]
    assert theme.keyword_hits("challenges in managing contractual relationships") == ["contractual"]
    assert load_taxonomy().by_id()["sustainability"].keyword_hits("sustaining the pilots") == ["sustain"]
    assert theme.keyword_hits("subcontinental data") == []


def test_bad_taxonomy_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "t.toml"
    bad.write_text('[[theme]]\nid = "Bad Id"\nlabel = "x"\ndescription = "y"\n')
    with pytest.raises(KBError, match="t.toml: invalid theme"):
        load_taxonomy(bad)
    bad.write_text("[[theme]\n")
    with pytest.raises(KBError, match="cannot read the taxonomy"):
        load_taxonomy(bad)
