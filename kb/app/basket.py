"""The comparison basket: the record ids a user picked to compare (2 to 5), in the order picked."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from kb.synthesis.compare import MAX_SOURCES, MIN_SOURCES


class BasketButton(BaseModel):
    """How the add/remove button of one record looks."""

    label: str
    icon: str
    adds: bool
    disabled: bool = False
    help: str = ""


def add(basket: Sequence[str], record_id: str) -> list[str]:
    """The basket with the record added at the end (unchanged if present or full)."""
    if record_id in basket or len(basket) >= MAX_SOURCES:
        return list(basket)
    return [*basket, record_id]


def remove(basket: Sequence[str], record_id: str) -> list[str]:
    """The basket without the record."""
    return [r for r in basket if r != record_id]


def toggle(basket: Sequence[str], record_id: str) -> list[str]:
    """Remove the record if present, else add it."""
    return remove(basket, record_id) if record_id in basket else add(basket, record_id)


def keep_order(ids: Sequence[str]) -> list[str]:
    """Ids as a basket holds them (e.g. read from a URL): no repeats, at most five, order kept."""
    return list(dict.fromkeys(i for i in ids if i))[:MAX_SOURCES]


def keep_known(basket: Sequence[str], known: set[str]) -> list[str]:
    """The basket without ids no longer in the knowledge base (merged away or deleted)."""
    return [r for r in dict.fromkeys(basket) if r in known][:MAX_SOURCES]


def is_ready(basket: Sequence[str]) -> bool:
    """True when the basket holds enough records to compare."""
    return MIN_SOURCES <= len(basket) <= MAX_SOURCES


def button(basket: Sequence[str], record_id: str) -> BasketButton:
    """The add/remove button of a record given the basket."""
    if record_id in basket:
        return BasketButton(label="Remove from comparison", icon=":material/remove_circle:",
                            adds=False)
    full = len(basket) >= MAX_SOURCES
    return BasketButton(label="Add to comparison", icon=":material/add_circle:", adds=True,
                        disabled=full,
                        help=f"the comparison holds at most {MAX_SOURCES} records" if full else "")


def status(basket: Sequence[str]) -> str:
    """'2 records to compare' / 'Add 1 more record to compare'."""
    n = len(basket)
    if n < MIN_SOURCES:
        more = MIN_SOURCES - n
        return f"Add {more} more record{'s' if more != 1 else ''} to compare"
    return f"{n} records to compare" + (" (the most)" if n >= MAX_SOURCES else "")
