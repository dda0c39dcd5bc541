"""The extraction step of the pipeline, bound to a knowledge base: its taxonomy and a cached
embedder, both loaded on first use only."""

from __future__ import annotations

from pathlib import Path

from ingest.extract.run import extract, retag
from kb.embed import Embedder, cached_embedder
from kb.model.review import without_removed
from kb.model.schema import Record
from kb.model.taxonomy import Taxonomy, load_taxonomy


class Enricher:
    """Callable that (re)extracts findings, study facts, glossary and themes of a record (the
    findings a person deleted stay deleted)."""

    def __init__(self, home: Path, *, taxonomy: Taxonomy | None = None,
                 embedder: Embedder | None = None, use_embeddings: bool = True) -> None:
        self.home = home
        self._taxonomy = taxonomy
        self._embedder = embedder
        self.use_embeddings = use_embeddings

    @property
    def taxonomy(self) -> Taxonomy:
        if self._taxonomy is None:
            self._taxonomy = load_taxonomy()
        return self._taxonomy

    @property
    def embedder(self) -> Embedder | None:
        if not self.use_embeddings:
            return None
        if self._embedder is None:
            self._embedder = cached_embedder(self.home)
        return self._embedder

    def __call__(self, record: Record) -> Record:
        return without_removed(extract(record, self.taxonomy, self.embedder))

    def retag(self, record: Record) -> Record:
        return retag(record, self.taxonomy, self.embedder)
