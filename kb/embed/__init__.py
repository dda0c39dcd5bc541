"""Sentence embeddings: the embedders (kb.embed.models), the int8 ONNX build of the English
model (kb.embed.build, kb.embed.onnx, kb.embed.cpu) and the vector cache by text hash."""

from kb.embed.models import (
    BATCH_SIZE,
    CachedEmbedder,
    Embedder,
    FakeEmbedder,
    MultilingualEmbedder,
    SentenceTransformerEmbedder,
    cached_embedder,
    declared_dimension,
    default_model_path,
    get_embedder,
    get_multilingual_embedder,
    int8_embedder,
    model_embedder,
    text_hash,
)

__all__ = [
    "BATCH_SIZE", "CachedEmbedder", "Embedder", "FakeEmbedder", "MultilingualEmbedder",
    "SentenceTransformerEmbedder", "cached_embedder", "declared_dimension", "default_model_path",
    "get_embedder", "get_multilingual_embedder", "int8_embedder", "model_embedder", "text_hash",
]
