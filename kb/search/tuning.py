"""The numbers that shape ranking (candidate depths, cosine floor, fusion constants and weights,
keyword field weights), in one model so a benchmark can vary them; the defaults are the values
chosen on SciFact's train claims and the project's own tune queries (benchmarks/beir_tune.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Tuning(BaseModel):
    """Ranking parameters; the defaults are what ships."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # finding level: each arm's depth, the meaning arm's floor, reciprocal rank fusion
    candidates: int = Field(default=100, ge=1)
    dense_floor: float = 0.2          # meaning-only finding hits below this cosine are dropped
    rrf_k: int = Field(default=60, ge=1)
    lexical_weight: float = 1.0
    dense_weight: float = 1.0
    # record level: whole-record keywords, best-sentence meaning, best finding; fused by
    # standardised scores (kb.search.fusion) or by weighted reciprocal rank
    record_fusion: Literal["scores", "rrf"] = "scores"
    record_keyword_share: float = Field(default=0.5, ge=0.0, le=1.0)
    record_findings_bonus: float = Field(default=0.2, ge=0.0)
    record_candidates: int = Field(default=100, ge=1)
    sentence_candidates: int = Field(default=1000, ge=1)   # sentences read for the record arm
    record_rrf_k: int = Field(default=60, ge=1)
    record_findings_weight: float = 1.0
    record_lexical_weight: float = 1.0
    record_dense_weight: float = 1.0
    record_expansions: bool = False   # acronyms expanded in the whole-record keyword arm too
    # bm25 column weights of the whole-record keyword index (title, keywords, body)
    title_weight: float = 1.0
    keywords_weight: float = 1.0
    body_weight: float = 1.0


DEFAULT = Tuning()
