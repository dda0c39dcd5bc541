"""Adding publications from the app: preview saves nothing and names the duplicate; saving adds
a record with its source kept, merges into the chosen record, or keeps a separate record."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.model.taxonomy import load_taxonomy
from kb.ops.curation import (
    FindingEdit,
    apply_findings,
    apply_metadata,
    finding_edits,
    metadata_of,
)
from kb.ops.enrich import Enricher
from kb.ops.intake import PASTED_NAME, Pending, preview, save_preview
from kb.store import Store
from tests.conftest import seed_paths

NEW = Path(__file__).resolve().parents[1] / "data" / "app" / "new_abstract.txt"
SEED_003 = "improve-integration-health"


@pytest.fixture
def kb(shipped_copy: Path) -> Store:
    return Store(shipped_copy)


def _enrich(store: Store) -> Enricher:
    return Enricher(store.home, use_embeddings=False)


def _seed_003() -> Path:
    return next(p for p in seed_paths() if p.name.startswith("003_"))


def test_preview_saves_nothing_and_finds_no_duplicate_for_a_new_abstract(kb: Store) -> None:
    before = kb.fingerprint()
    item = preview(NEW.read_bytes(), PASTED_NAME, kb, _enrich(kb))
    assert kb.fingerprint() == before and not (kb.sources / "x").exists()
    assert item.parser == "generic_text" and item.error is None and item.duplicates == [None]
    record = item.records[0]
    assert record.title.startswith("Community health workers and housing navigation")
    assert [f.kind for f in record.findings][:2] == ["barrier", "facilitator"]


def test_save_adds_the_edited_record_with_its_source(kb: Store) -> None:
    item = preview(NEW.read_bytes(), PASTED_NAME, kb, _enrich(kb))
    record = apply_metadata(item.records[0], metadata_of(item.records[0]).model_copy(
        update={"authors": "Rivera, Ana\nOkafor, Chidi", "year": 2024}))
    edits = finding_edits(record)
    edits[0] = edits[0].model_copy(update={"kind": "facilitator"})
    record = apply_findings(record, edits, load_taxonomy())
    outcomes = []
    report = save_preview(kb, item, [Pending(record=record)], _enrich(kb), on_outcome=outcomes.append)
    assert report.ok and [(o.status, o.record_id) for o in outcomes] == [
        ("new", "rivera-2024-community-health")]
    saved = kb.load("rivera-2024-community-health")
    assert saved.findings[0].kind == "facilitator" and saved.findings[0].origin == "curated"
    assert saved.sources[0].path == PASTED_NAME and saved.sources[0].format == "text"
    assert kb.source_text(saved.sources[0].sha256) == NEW.read_text()


def test_preview_names_the_duplicate_and_resaving_changes_nothing(kb: Store) -> None:
    seed = _seed_003()
    item = preview(seed.read_bytes(), seed.name, kb, _enrich(kb))
    dup = item.duplicates[0]
    assert dup is not None and dup.record_id == SEED_003 and dup.decision == "duplicate"
    assert dup.title.startswith("[no title] To improve integration")
    report = save_preview(kb, item, [Pending(record=item.records[0])], _enrich(kb))
    assert [(o.status, o.record_id) for o in report.outcomes] == [("unchanged", SEED_003)]


def test_merge_with_a_new_title_renames_and_keeps_curated_findings(kb: Store) -> None:
    seed = _seed_003()
    item = preview(seed.read_bytes(), "other-name.txt", kb, _enrich(kb))
    record = apply_metadata(item.records[0], metadata_of(item.records[0]).model_copy(update={
        "title": "Social services organizations in CalAIM", "year": 2024}))
    text = "smaller SSOs were less likely to be contracted CalAIM providers"
    record = apply_findings(record, [*finding_edits(record), FindingEdit(kind="barrier", text=text)],
                            load_taxonomy())
    report = save_preview(kb, item, [Pending(record=record, choice="merge", merge_into=SEED_003)],
                          _enrich(kb))
    outcome = report.outcomes[0]
    assert outcome.status == "merged" and outcome.record_id == "2024-social-services"
    assert SEED_003 not in kb.ids()  # the provisional id gave way to one from the title
    merged = kb.load(outcome.record_id)
    assert merged.title == "Social services organizations in CalAIM"
    assert any(f.text == text and f.origin == "curated" for f in merged.findings)
    assert len(merged.sources) == 1  # the same bytes: one source, whatever its name


def test_separate_record_despite_a_duplicate_and_failures_are_reported(kb: Store) -> None:
    seed = _seed_003()
    item = preview(seed.read_bytes(), seed.name, kb, _enrich(kb))
    report = save_preview(kb, item, [Pending(record=item.records[0], choice="new"),
                                     Pending(record=item.records[0], choice="merge",
                                             merge_into="no-such-record")], _enrich(kb))
    assert [o.status for o in report.outcomes] == ["new", "failed"]
    assert report.outcomes[0].record_id != SEED_003 and SEED_003 in kb.ids()
    assert "no-such-record" in report.outcomes[1].message


def test_unreadable_input_is_an_error_not_a_record(kb: Store) -> None:
    item = preview(b"\x00\x01\x02 binary", "junk.bin", kb, _enrich(kb))
    assert item.records == [] and item.error
    report = save_preview(kb, item, [], _enrich(kb))
    assert not report.ok and report.outcomes == []


def test_a_multi_record_preview_names_every_duplicate() -> None:
    from kb.model.schema import Record
    from kb.ops.intake import Duplicate, Preview

    records = [Record(id="a", title="First paper"), Record(id="b", title="Second paper"),
               Record(id="c", title="Third paper")]
    dups = [Duplicate(record_id="chuang-2025-x", title="First", reason="same DOI",
                      decision="duplicate", score=1.0), None,
            Duplicate(record_id="lee-2020-y", title="Third", reason="similar title, same year",
                      decision="possible", score=0.9)]
    preview = Preview(source="export.ris", data=b"", records=records, duplicates=dups)
    assert preview.duplicate_summary() == [
        "1. First paper — already stored as chuang-2025-x (same DOI)",
        "3. Third paper — possibly stored as lee-2020-y (similar title, same year)"]
