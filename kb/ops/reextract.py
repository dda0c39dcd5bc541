"""Re-run parsing of the stored sources and extraction for existing records, keeping every
curated finding and all metadata a librarian may have edited."""

from __future__ import annotations

import logging

from kb.dedup.match import find_duplicate
from kb.dedup.merge import merge_text
from kb.errors import KBError
from kb.model.review import refresh_flags
from kb.model.schema import Record
from kb.ops.pipeline import Enrich, parse_input
from kb.store import RecordStore

log = logging.getLogger(__name__)


def reparsed_text(record: Record, store: RecordStore) -> Record:
    """The record with abstract and translations rebuilt from its stored source files."""
    versions: list[Record] = []
    for source in record.sources:
        data = store.source_bytes(source.sha256)
        if data is None:
            log.warning("%s: source %s is missing; keeping the stored text", record.id, source.path)
            continue
        try:
            _, parsed = parse_input(data, source.path)
        except KBError as err:
            log.warning("%s: cannot re-parse %s (%s)", record.id, source.path, err)
            continue
        same = [p for p in parsed if find_duplicate(p, [record]) or len(parsed) == 1]
        versions.extend(same[:1])
    if not versions:
        return record
    best = versions[0]
    for other in versions[1:]:
        abstract, translations = merge_text(best, other)
        best = best.model_copy(update={"abstract": abstract, "translations": translations})
    return record.model_copy(update={"abstract": best.abstract, "translations": best.translations})


def reextract(record: Record, store: RecordStore, enrich: Enrich) -> Record:
    """Fresh text from the sources, fresh extraction; curated findings survive."""
    return refresh_flags(enrich(reparsed_text(record, store)))
