"""Fuzzing of every parser through the public reader (kb.parse_input), bounded for CI: mutated
seeds of each of the 12 formats, plain and gzipped, give records or an IngestError, never another
exception, and never an IngestError wrapping a parser bug (TypeError, KeyError, …).
benchmarks/fuzz_bench.py runs the long version with time and memory guards."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.sniff import choose_parser
from tests.fuzzing import NAMES, SEEDS, gzipped, mutate, outcome, seed_bytes


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_seed_is_read_by_its_own_parser(name: str) -> None:
    assert name == choose_parser(SEEDS[name], NAMES.get(name, "x.txt")).NAME
    assert outcome(seed_bytes(name), NAMES.get(name, "x.txt")) == "records"


@pytest.mark.parametrize("name", sorted(SEEDS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2 ** 32 - 1))
def test_mutated_inputs_give_records_or_an_ingest_error(name: str, seed: int) -> None:
    rng = random.Random(seed)
    data = mutate(rng, seed_bytes(name))
    assert outcome(data, NAMES.get(name, "x.txt")) in ("records", "ingest-error")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2 ** 32 - 1), name=st.sampled_from(["pubmed_xml", "ris", "medline"]))
def test_mutated_gzip_gives_records_or_an_ingest_error(seed: int, name: str) -> None:
    rng = random.Random(seed)
    data = gzipped(rng, mutate(rng, seed_bytes(name)))
    assert outcome(data, "x.xml.gz") in ("records", "ingest-error")
