"""Record files of schema version 1 read as version 2; a newer file is refused with a message."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from kb.model.schema import SCHEMA_VERSION, Record
from tests.conftest import ROOT


def test_a_version_1_file_reads_with_an_empty_history() -> None:
    data = json.loads((ROOT / "records" / "improve-integration-health.json").read_text())
    data["schema_version"] = 1
    data["review"].pop("history", None)
    data["review"].pop("removed_findings", None)
    record = Record.model_validate(data)
    assert record.schema_version == SCHEMA_VERSION == 2
    assert record.review.history == [] and record.review.removed_findings == []
    assert record.findings and record.abstract


def test_a_file_from_a_newer_program_is_refused() -> None:
    with pytest.raises(ValidationError, match="newer than this program's 2; update Evidence KB"):
        Record.model_validate({"schema_version": 3, "id": "x"})
