"""The Library page's table: which rows a librarian's filters keep, and the choices offered."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from kb.model.present import STAND_IN_MARK, LibraryRow
from kb.model.schema import Record
from kb.store import RecordStore

NO_TYPE = "(type unknown)"


class LibraryFilter(BaseModel):
    """Filters of the library table (empty = keep everything)."""

    text: str = ""
    types: list[str] = Field(default_factory=list)
    statuses: list[str] = Field(default_factory=list)
    flagged_only: bool = False
    year_from: int | None = None
    year_to: int | None = None


class LibraryChoices(BaseModel):
    """Values the library filters offer."""

    types: list[str]
    statuses: list[str]
    year_min: int | None = None
    year_max: int | None = None


def readable_records(store: RecordStore) -> tuple[list[Record], list[str]]:
    """Every record that loads, and a one-line problem for each record file that does not (the
    app keeps working when one file is broken)."""
    return store.readable()


def library_choices(rows: Sequence[LibraryRow]) -> LibraryChoices:
    """Types (with one entry for unknown), review statuses and the year span present."""
    years = [r.year for r in rows if r.year is not None]
    return LibraryChoices(
        types=sorted({r.resource_type or NO_TYPE for r in rows}),
        statuses=sorted({r.status for r in rows}),
        year_min=min(years, default=None), year_max=max(years, default=None))


def _matches_text(row: LibraryRow, words: list[str]) -> bool:
    haystack = " ".join((row.title, row.authors, row.venue, row.id)).casefold()
    return all(w in haystack for w in words)


def _in_years(row: LibraryRow, low: int | None, high: int | None) -> bool:
    if low is None and high is None:
        return True
    if row.year is None:
        return False
    return (low is None or row.year >= low) and (high is None or row.year <= high)


def filter_rows(rows: Sequence[LibraryRow], chosen: LibraryFilter) -> list[LibraryRow]:
    """The rows every filter keeps: all words of `text` in title, authors, venue or id; one of
    the types and statuses; flagged records only; years within the range (undated records
    drop out once a year bound is set)."""
    words = chosen.text.casefold().split()
    return [r for r in rows
            if _matches_text(r, words)
            and (not chosen.types or (r.resource_type or NO_TYPE) in chosen.types)
            and (not chosen.statuses or r.status in chosen.statuses)
            and (not chosen.flagged_only or bool(r.flags))
            and _in_years(r, chosen.year_from, chosen.year_to)]


PICKER_LIMIT = 200  # records a picker lists at once; words typed into its filter narrow the rest


class PickerChoices(BaseModel):
    """What a record picker offers: ids with their labels, and how many records matched."""

    ids: list[str]
    labels: dict[str, str]
    matching: int


def _picker_key(row: LibraryRow) -> tuple[bool, str]:
    return row.title.startswith(STAND_IN_MARK), row.title.casefold()  # titled first, alphabetically


def picker_choices(rows: Sequence[LibraryRow], text: str, keep: Sequence[str] = (),
                   limit: int = PICKER_LIMIT) -> PickerChoices:
    """The records whose title, authors, venue or id hold every word of `text`, titled records
    alphabetically then the untitled ones, at most `limit` of them; the ids in `keep` (what is
    chosen now) are always offered, first, when they exist."""
    matching = sorted(filter_rows(rows, LibraryFilter(text=text)), key=_picker_key)
    by_id = {r.id: r for r in rows}
    kept = [by_id[i] for i in dict.fromkeys(keep) if i in by_id]
    shown = kept + [r for r in matching[:limit] if r.id not in set(keep)]
    return PickerChoices(ids=[r.id for r in shown], labels={r.id: r.title for r in shown},
                         matching=len(matching))
