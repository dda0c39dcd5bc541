"""Writer processes for the concurrency test (run as `python -m tests.backends.writers …`).

    edit TARGET ROUNDS append '[edited]' to the review notes of every record it finds, pass after
                       pass until the knowledge base holds TARGET records, then ROUNDS passes more;
                       each change is one store.update (under the store's writer lock). Prints
                       the ids it edited, one a line, and on stderr how many edits it made while
                       the knowledge base was still growing.

The knowledge base comes from KB_HOME / KB_DATABASE_URL, as for `kb`."""

from __future__ import annotations

import sys
import time

from kb.errors import KBError, RecordNotFound
from kb.model.schema import Record
from kb.store import open_store

MARK = "[edited]"


def _mark(record: Record) -> Record:
    notes = record.review.notes or ""
    if MARK not in notes:
        record.review.notes = (notes + " " + MARK).strip()
    return record


def edit(target: int, rounds: int, *, patience_s: float = 300.0) -> tuple[set[str], int]:
    """Mark every record seen until `target` records exist, then `rounds` passes more; returns
    the ids edited and how many edits came before the knowledge base was complete."""
    store = open_store()
    edited: set[str] = set()
    early = 0
    deadline = time.monotonic() + patience_s
    try:
        while rounds > 0:
            ids = store.ids()
            complete = len(ids) >= target
            for record_id in ids:
                try:
                    with store.lock():
                        new, _ = store.update(record_id, _mark)
                except RecordNotFound:  # merged away by an ingest meanwhile
                    continue
                edited.add(new.id)
                early += not complete
            rounds -= complete
            if not complete and time.monotonic() > deadline:
                raise KBError(f"only {len(ids)} of {target} records appeared in {patience_s:.0f} s")
            time.sleep(0 if ids else 0.05)
    finally:
        store.close()
    return edited, early


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "edit":
        sys.stderr.write(__doc__ or "")
        return 2
    try:
        edited, early = edit(int(argv[1]), int(argv[2]))
        for record_id in sorted(edited):
            sys.stdout.write(record_id + "\n")
        sys.stderr.write(f"{early} edits while the knowledge base was still growing\n")
    except KBError as err:
        sys.stderr.write(f"{err}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
