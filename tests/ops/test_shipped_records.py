"""The shipped records/ are exactly what ingesting the five seeds produces today."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.cli import main
from tests.conftest import ROOT


def _without_times(path: Path) -> dict:
    """The record without ingest times, each finding's themes as a set: their order is by the
    embedder's similarity, and near ties turn round between CPUs (the int8 ONNX kernels differ
    between avx2 and avx512 machines), while which themes a finding carries does not."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for source in data["sources"]:
        source.pop("ingested_at")
    for finding in data.get("findings", []):
        finding["themes"] = sorted(finding.get("themes", []))
    return data


@pytest.mark.model
def test_shipped_records_match_a_fresh_ingest(seeds: list[Path], kb_home: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    monkeypatch.setenv("KB_EMBEDDER", "model")  # themes use the real model, as when shipped
    result = CliRunner().invoke(main, ["--kb", str(kb_home), "ingest", *map(str, seeds)])
    assert result.exit_code == 0, result.output
    shipped = sorted(p for p in (ROOT / "records").glob("*.json") if not p.name.startswith("_"))
    fresh = sorted(p for p in (kb_home / "records").glob("*.json") if not p.name.startswith("_"))
    assert [p.name for p in shipped] == [p.name for p in fresh]
    for ours, theirs in zip(shipped, fresh, strict=True):
        assert _without_times(ours) == _without_times(theirs), (
            f"{ours.name} is stale: re-create records/ by ingesting ../shared/seeds")
