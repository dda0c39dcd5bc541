"""The Record page edits a stored record: the form saves it as curated with who and when, a
wrong field is named and nothing is saved, and the raw source is shown by its opening only."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from kb.app.record_view import source_head
from kb.store import Store
from tests.app.test_pages import SEED_003, _open, _text

TITLE = "Integrating health care and social needs in California"


def test_an_untitled_record_reads_as_its_objective_marked(shipped_copy: Path) -> None:
    at = _open("record", params={"id": SEED_003})
    assert at.header[0].value.startswith("\\[no title\\] To improve integration across health care")


def test_edit_a_stored_record_from_the_record_page(shipped_copy: Path) -> None:
    at = _open("record", params={"id": SEED_003})
    key = f"rec_{SEED_003}"
    at.text_input(key=f"title_{key}").set_value(TITLE)
    at.text_input(key=f"pmcid_{key}").set_value("PMC1234567")
    at.text_input(key=f"venue_full_{key}").set_value("Health Affairs Scholar")
    at.text_area(key=f"facets_{key}").set_value("Population: Medi-Cal members")
    at.text_input(key="editor_name").set_value("Ana Librarian")
    at.selectbox(key=f"status_{SEED_003}").set_value("reviewed")
    at.text_input(key=f"note_{SEED_003}").set_value("title from the journal site")
    at.button(key=f"save_{SEED_003}").click().run()
    assert not at.exception, at.exception
    saved = json.loads((shipped_copy / "records" / f"{SEED_003}.json").read_text())
    assert saved["title"] == TITLE and saved["identifiers"]["pmcid"] == "PMC1234567"
    assert saved["facets"] == {"Population": ["Medi-Cal members"]}
    assert saved["venue_full"] == "Health Affairs Scholar"
    assert saved["review"]["status"] == "reviewed"
    event = saved["review"]["history"][-1]
    assert (event["by"], event["fields"], event["note"]) == (
        "Ana Librarian", ["title", "venue_full", "identifiers", "facets", "status"], "title from the journal site")
    assert at.header[0].value == TITLE
    assert "Your changes are saved" in _text(at)
    history = next(d.value for d in at.dataframe if "who" in d.value.columns)
    assert list(history["who"]) == ["Ana Librarian"]


def test_a_wrong_field_is_named_and_nothing_is_saved(shipped_copy: Path) -> None:
    path = shipped_copy / "records" / f"{SEED_003}.json"
    before = path.read_bytes()
    at = _open("record", params={"id": SEED_003})
    at.text_input(key=f"doi_rec_{SEED_003}").set_value("not-a-doi")
    at.button(key=f"save_{SEED_003}").click().run()
    assert any("doi" in e.value and "is not a DOI" in e.value for e in at.error)
    assert path.read_bytes() == before


def test_source_head_sends_the_opening_of_a_large_source(tmp_path: Path) -> None:
    store = Store(tmp_path)
    big = store.save_source(("TITLE\n" + "word " * 100_000).encode(), ".txt")
    head = source_head(store, big, limit=1_000)
    assert len(head.text or "") == 1_000 and head.text.startswith("TITLE") and not head.complete
    assert head.size == 6 + 5 * 100_000
    small = store.save_source(gzip.compress(b"<PubmedArticleSet/>"), ".xml.gz")
    assert source_head(store, small).text == "<PubmedArticleSet/>" and source_head(store, small).complete
    binary = store.save_source(b"\x00\x01\x02", ".bin")
    assert source_head(store, binary).text is None
    assert source_head(store, "0" * 64).text is None


RIS_TWO = """TY  - JOUR
TI  - Collaboration strategies for bridging health, behavioral health, and social services in California's Medi-Cal Whole Person Care pilot program
AU  - Chuang, Emmeline
PY  - 2025
DO  - 10.1111/1475-6773.14417
AB  - OBJECTIVE: To describe collaboration strategies. RESULTS: Pilots used braided funds.
ER  - 
TY  - JOUR
TI  - Street medicine teams and emergency department use among unhoused adults
AU  - Rivera, Ana
PY  - 2024
AB  - OBJECTIVE: To assess street medicine. RESULTS: Emergency visits fell after enrolment.
ER  - 
"""


def test_a_multi_record_paste_names_every_duplicate_up_front(shipped_copy: Path) -> None:
    at = _open("add")
    at.text_area(key="paste_text").set_value(RIS_TWO).run()
    at.button(key="preview_paste").click().run()
    assert not at.exception, at.exception
    summary = next(w.value for w in at.warning if "look like stored ones" in w.value)
    assert summary.startswith("1 of these records look like stored ones")
    assert "already stored as chuang\\-2025\\-collaboration\\-strategies" in summary
