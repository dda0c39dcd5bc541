"""fold: lower case without accents, the form every layer compares words in."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.text.normalize import fold


def _by_character(text: str) -> str:
    """The definition: NFKD of the lower-cased text without its combining marks."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_accents_go_and_other_characters_stay() -> None:
    assert fold("Échelle naïve") == "echelle naive"
    assert fold("Ångström — ≥ 3 数据") == "angstrom — ≥ 3 数据"
    assert fold("ﬁnal") == "final"  # a compatibility ligature is decomposed too
    assert fold(None) == fold("") == ""


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_fold_is_its_definition(text: str) -> None:
    assert fold(text) == _by_character(text)
