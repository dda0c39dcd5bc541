"""Evidence KB: an evidence knowledge base of publications and their findings.

The public API — what the README's examples, the CLI and the app build on. Everything is
imported lazily (on first attribute access), so `import kb` and `kb list` stay fast and load
neither the embedding model nor faiss until they are used.

    import kb
    store = kb.Store("my-kb")                       # records/ under my-kb
    kb.ingest_paths(["exports/pubmed.nbib"], store, enrich=kb.Enricher(store.home))
    index = kb.open_index(store.home)
    hits = index.search("barriers to sustaining whole person care pilots", k=5)

Data model: Record, Finding, Author, Section, Effect, Identifiers, FINDING_KINDS.
Storage: Store. Errors: KBError, IngestError, RecordError, RecordNotFound.
Adding: ingest_paths, ingest_bytes, Enricher, parse_input (parse and extract nothing, save nothing).
Duplicates: candidate_pairs, merge_pair, mark_not_duplicate.
Search: open_index, Index (index.search(query, filters=SearchFilters(...), k=10)).
(`kb.search` is the search subpackage; the search itself is a method of the open index.)
Synthesis: compare, evidence_map, theme_synthesis, build_brief, brief_markdown, brief_docx.
Settings files: load_taxonomy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "Record": "kb.model.schema", "Finding": "kb.model.schema", "Author": "kb.model.schema",
    "Section": "kb.model.schema", "Effect": "kb.model.schema", "Identifiers": "kb.model.schema",
    "FINDING_KINDS": "kb.model.schema",
    "Store": "kb.store",
    "KBError": "kb.errors", "IngestError": "kb.errors", "RecordError": "kb.errors",
    "RecordNotFound": "kb.errors",
    "ingest_paths": "kb.ops.pipeline", "ingest_bytes": "kb.ops.pipeline",
    "Enricher": "kb.ops.enrich", "parse_input": "kb.ops.pipeline",
    "candidate_pairs": "kb.ops.duplicates", "merge_pair": "kb.ops.duplicates",
    "mark_not_duplicate": "kb.ops.duplicates",
    "open_index": "kb.search.index", "Index": "kb.search.index",
    "SearchFilters": "kb.search.types",
    "compare": "kb.synthesis.compare", "evidence_map": "kb.synthesis.evidence_map",
    "theme_synthesis": "kb.synthesis.evidence_map", "build_brief": "kb.synthesis.brief",
    "brief_markdown": "kb.export.brief", "brief_docx": "kb.export.brief",
    "load_taxonomy": "kb.model.taxonomy",
}

__all__ = [
    "Author",
    "Effect",
    "Enricher",
    "FINDING_KINDS",
    "Finding",
    "Identifiers",
    "Index",
    "IngestError",
    "KBError",
    "Record",
    "RecordError",
    "RecordNotFound",
    "SearchFilters",
    "Section",
    "Store",
    "brief_docx",
    "brief_markdown",
    "build_brief",
    "candidate_pairs",
    "compare",
    "evidence_map",
    "ingest_bytes",
    "ingest_paths",
    "load_taxonomy",
    "mark_not_duplicate",
    "merge_pair",
    "open_index",
    "parse_input",
    "theme_synthesis",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kb' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for type checkers and IDEs; never executed
    from kb.errors import IngestError, KBError, RecordError, RecordNotFound
    from kb.export.brief import brief_docx, brief_markdown
    from kb.model.schema import (
        FINDING_KINDS,
        Author,
        Effect,
        Finding,
        Identifiers,
        Record,
        Section,
    )
    from kb.model.taxonomy import load_taxonomy
    from kb.ops.duplicates import candidate_pairs, mark_not_duplicate, merge_pair
    from kb.ops.enrich import Enricher
    from kb.ops.pipeline import ingest_bytes, ingest_paths, parse_input
    from kb.search.index import Index, open_index
    from kb.search.types import SearchFilters
    from kb.store import Store
    from kb.synthesis.brief import build_brief
    from kb.synthesis.compare import compare
    from kb.synthesis.evidence_map import evidence_map, theme_synthesis
