"""The comparison basket: order kept, no repeats, at most five, and the button it implies."""

from __future__ import annotations

from kb.app import basket


def test_add_remove_toggle_keep_order_and_limit() -> None:
    ids: list[str] = []
    for rid in "abcdef":
        ids = basket.add(ids, rid)
    assert ids == list("abcde")  # a sixth record is refused
    assert basket.add(ids, "a") == ids
    assert basket.remove(ids, "c") == list("abde")
    assert basket.toggle(["a"], "a") == [] and basket.toggle(["a"], "b") == ["a", "b"]
    assert basket.keep_known(["b", "x", "b", "a"], {"a", "b"}) == ["b", "a"]


def test_ready_status_and_button() -> None:
    assert not basket.is_ready(["a"]) and basket.is_ready(["a", "b"])
    assert basket.status([]) == "Add 2 more records to compare"
    assert basket.status(["a"]) == "Add 1 more record to compare"
    assert basket.status(["a", "b"]) == "2 records to compare"
    assert basket.button(["a"], "a").label == "Remove from comparison"
    full = basket.button(list("abcde"), "f")
    assert full.adds and full.disabled and "at most 5" in full.help
    assert not basket.button(["a"], "b").disabled
