"""`kb search` and `kb reindex` on a temporary copy of the shipped records."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from kb.cli import main


def _run(home: Path, *args: str):
    return CliRunner().invoke(main, ["--kb", str(home), *args])


def test_search_prints_grouped_results(shipped_copy: Path) -> None:
    result = _run(shipped_copy, "search", "braided funds", "-k", "3")
    assert result.exit_code == 0, result.output
    assert "used braided funds" in result.output
    assert "Chuang et al., 2025" in result.output
    assert "index rebuilt (no index yet)" in result.output  # first use builds the index


def test_search_json_and_filters(shipped_copy: Path) -> None:
    result = _run(shipped_copy, "search", "funding", "--kind", "facilitator", "--year",
                  "2025-", "--json")
    data = json.loads(result.stdout)
    hits = [h for g in data["groups"] for h in g["hits"]]
    assert hits and {h["kind"] for h in hits} == {"facilitator"}
    assert data["filters"]["year_from"] == 2025 and data["filters"]["year_to"] is None


def test_bad_options_are_one_line_errors(shipped_copy: Path) -> None:
    bad_year = _run(shipped_copy, "search", "x", "--year", "recent")
    assert bad_year.exit_code == 2 and "not a year or a range" in bad_year.output
    bad_kind = _run(shipped_copy, "search", "x", "--kind", "obstacle")
    assert bad_kind.exit_code == 2 and "Traceback" not in bad_kind.output
    empty = _run(shipped_copy, "search", "   ")
    assert empty.exit_code == 0 and "no searchable words" in empty.output


def test_reindex_incremental_and_full(shipped_copy: Path) -> None:
    first = _run(shipped_copy, "reindex")
    assert "4 added" in first.output
    again = _run(shipped_copy, "reindex")
    assert "0 added, 0 updated, 0 removed, 4 unchanged; 36 findings" in again.output
    full = _run(shipped_copy, "reindex", "--full")
    assert "index rebuilt (requested)" in full.output


def test_ingest_updates_an_existing_index(shipped_copy: Path, seeds: list[Path]) -> None:
    (shipped_copy / "records" / "improve-integration-health.json").unlink()
    _run(shipped_copy, "reindex")
    result = _run(shipped_copy, "ingest", str(seeds[3]))
    assert "new improve-integration-health" in result.output
    found = _run(shipped_copy, "search", "SSO employee respondents", "--json")
    assert "index rebuilt" not in found.stderr
    ids = [g["record_id"] for g in json.loads(found.stdout)["groups"]]
    assert ids[0] == "improve-integration-health"


def test_search_reads_in_words_a_researcher_uses(shipped_copy: Path) -> None:
    """Untitled records show their marked stand-in, themes their labels, the kind column keeps
    a space after 'recommendation', and why a hit matched is said in words, not cosines."""
    result = _run(shipped_copy, "search", "recommendations for sustaining pilots", "-k", "20")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "[no title] To assess multi-level factors" in text
    assert "themes: Sustainability" in text and "themes: sustainability" not in text
    assert re.search(r"recommendation [A-Z]", text) and not re.search(r"recommendation[A-Z]", text)
    assert "meaning 0." not in text and "matched words:" in text
