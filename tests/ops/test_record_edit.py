"""Editing a stored record: metadata, identifiers, facets and findings changed in the file, the
change kept in the review history with who and when, curated findings and metadata surviving
`kb reextract`, and deleted findings staying deleted."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import main
from kb.errors import RecordError
from kb.model.taxonomy import load_taxonomy
from kb.ops.curation import FindingEdit, finding_edits, metadata_of
from kb.ops.enrich import Enricher
from kb.ops.record_edit import RecordEdit, apply_edit, save_edit
from kb.ops.reextract import reextract
from kb.store import Store

SEED_003 = "improve-integration-health"
CHUANG = "chuang-2025-collaboration-strategies"
TITLE = "Integrating health care and social needs in California: a qualitative study"


def _edit(store: Store, rid: str, **meta: object) -> RecordEdit:
    record = store.load(rid)
    return RecordEdit(metadata=metadata_of(record).model_copy(update=meta),
                      findings=finding_edits(record))


def test_an_unchanged_form_changes_nothing(shipped_copy: Path) -> None:
    store = Store(shipped_copy)
    for record in store.load_all():
        edit = RecordEdit(metadata=metadata_of(record), findings=finding_edits(record))
        assert apply_edit(record, edit, load_taxonomy(), by="ana", at="2026-01-01T00:00:00+00:00") is record


def test_metadata_edit_is_saved_with_who_and_when(shipped_copy: Path) -> None:
    store = Store(shipped_copy)
    edit = _edit(store, SEED_003, title=TITLE, year=2024, venue="Health Serv Res",
                 doi="https://doi.org/10.1111/ABC.1", url="https://example.org/paper",
                 facets="Population: Adults; Older adults\nSetting:")
    saved = save_edit(store, SEED_003, edit, load_taxonomy(), by="Ana Librarian",
                      at="2026-02-03T04:05:06+00:00")
    stored = store.load(SEED_003)
    assert stored == saved
    assert (stored.title, stored.year, stored.venue) == (TITLE, 2024, "Health Serv Res")
    assert stored.identifiers.doi == "10.1111/abc.1"
    assert stored.identifiers.url == "https://example.org/paper"
    assert stored.facets == {"Population": ["Adults", "Older adults"], "Setting": []}
    event = stored.review.history[-1]
    assert (event.by, event.at, event.action) == ("Ana Librarian", "2026-02-03T04:05:06+00:00", "edited")
    assert event.fields == ["title", "venue", "year", "identifiers", "facets"]
    assert "title-missing" not in {f.code for f in stored.review.flags}


def test_the_editor_defaults_to_the_login_or_kb_user(shipped_copy: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_USER", "desk-3")
    store = Store(shipped_copy)
    save_edit(store, SEED_003, _edit(store, SEED_003, title=TITLE), load_taxonomy())
    assert store.load(SEED_003).review.history[-1].by == "desk-3"


def test_a_bad_field_is_named_and_nothing_is_saved(shipped_copy: Path) -> None:
    store = Store(shipped_copy)
    before = store.path_of(SEED_003).read_bytes()
    with pytest.raises(RecordError, match="facets, line 1"):
        save_edit(store, SEED_003, _edit(store, SEED_003, facets=": Adults"), load_taxonomy())
    assert store.path_of(SEED_003).read_bytes() == before


def test_edits_and_deletions_survive_reextract(shipped_copy: Path) -> None:
    store = Store(shipped_copy)
    record = store.load(CHUANG)
    rows = finding_edits(record)
    deleted, changed = rows[0], rows[1]
    other = "conclusion" if changed.kind != "conclusion" else "result"
    rows = [r.model_copy(update={"kind": other}) if r.id == changed.id else r
            for r in rows if r.id != deleted.id]
    edit = RecordEdit(metadata=metadata_of(record).model_copy(update={"venue": "HSR"}),
                      findings=rows, status="reviewed", note="checked against the PDF")
    save_edit(store, CHUANG, edit, load_taxonomy(), by="ana", at="2026-02-03T04:05:06+00:00")
    edited = store.load(CHUANG)
    assert deleted.id not in {f.id for f in edited.findings}
    assert [r.text for r in edited.review.removed_findings] == [deleted.text]
    assert edited.review.history[-1].fields == ["venue", "venue_full", "findings", "status"]  # the old full title goes
    assert edited.review.history[-1].note == "checked against the PDF"

    again = reextract(edited, store, Enricher(store.home, use_embeddings=False))
    assert deleted.text not in {f.text for f in again.findings}
    kept = next(f for f in again.findings if f.id == changed.id)
    assert (kept.kind, kept.origin) == (other, "curated")
    assert (again.venue, again.review.status) == ("HSR", "reviewed")
    assert again.review.history == edited.review.history


def test_a_replaced_finding_does_not_come_back_at_its_old_place(shipped_copy: Path) -> None:
    store = Store(shipped_copy)
    record = store.load(CHUANG)
    rows = finding_edits(record)
    first = record.findings[0]
    shorter = " ".join(first.text.split()[:6])
    rows[0] = FindingEdit(id=first.id, kind=first.kind, text=shorter, themes=first.themes)
    saved = save_edit(store, CHUANG, RecordEdit(metadata=metadata_of(record), findings=rows),
                      load_taxonomy(), by="ana")
    assert shorter in {f.text for f in saved.findings}
    assert first.text in {r.text for r in saved.review.removed_findings}
    again = reextract(saved, store, Enricher(store.home, use_embeddings=False))
    texts = [f.text for f in again.findings]
    assert first.text not in texts and shorter in texts


def test_kb_reextract_keeps_a_deleted_finding_deleted(shipped_copy: Path) -> None:
    store = Store(shipped_copy)
    record = store.load(SEED_003)
    rows = finding_edits(record)[1:]
    save_edit(store, SEED_003, RecordEdit(metadata=metadata_of(record), findings=rows),
              load_taxonomy(), by="ana")
    result = CliRunner().invoke(main, ["--kb", str(shipped_copy), "reextract", SEED_003])
    assert result.exit_code == 0, result.output
    assert record.findings[0].text not in {f.text for f in store.load(SEED_003).findings}
    assert len(store.load(SEED_003).findings) == len(record.findings) - 1
