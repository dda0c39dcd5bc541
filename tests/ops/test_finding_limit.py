"""A record with implausibly many findings (a whole report pasted as one abstract) is refused
with its count and what to do, never saved; the rest of the batch is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

import ingest.extract.run as run
from kb.ops.pipeline import ingest_paths
from kb.store import Store


def test_a_record_with_too_many_findings_is_refused_and_the_batch_goes_on(
        seeds: list[Path], store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from kb.ops.enrich import Enricher

    monkeypatch.setattr(run, "MAX_FINDINGS", 8)  # the seeds hold 6-13 findings each
    reports = ingest_paths(seeds, store, enrich=Enricher(store.home, use_embeddings=False))
    failed = [o for r in reports for o in r.outcomes if o.status == "failed"]
    stored = store.load_all()
    assert failed and stored, "some seeds exceed 8 findings, others not"
    assert all("findings were found in this one record, more than the 8 a record can hold" in o.message
               for o in failed)
    assert all(len(r.findings) <= 8 for r in stored)
