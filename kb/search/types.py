"""The shapes search takes and returns: filters, finding hits (and sentences that matched as
context) grouped by record, the response."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kb.model.schema import FINDING_KINDS, Effect

Mode = Literal["hybrid", "dense", "lexical"]
MODES: tuple[str, ...] = ("hybrid", "dense", "lexical")


class SearchFilters(BaseModel):
    """Restrictions on which findings may be returned (empty = no restriction)."""

    model_config = ConfigDict(extra="forbid")

    kinds: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    designs: list[str] = Field(default_factory=list)
    populations: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    resource_types: list[str] = Field(default_factory=list)
    record_ids: list[str] = Field(default_factory=list)

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, v: list[str]) -> list[str]:
        bad = [k for k in v if k not in FINDING_KINDS]
        if bad:
            raise ValueError(f"unknown finding kind {bad[0]!r} (one of {', '.join(FINDING_KINDS)})")
        return v

    def active(self) -> bool:
        return any(v not in (None, []) for v in self.model_dump().values())


#: cosine similarities of the English model (MiniLM) read as words; the same bands for both arms
VERY_CLOSE, CLOSE, RELATED = 0.60, 0.45, 0.30


def meaning_words(similarity: float | None) -> str:
    """A meaning arm's cosine in words ('' when the arm did not rank the text, or barely)."""
    if similarity is None or similarity < RELATED:
        return ""
    if similarity >= VERY_CLOSE:
        return "very close in meaning"
    return "close in meaning" if similarity >= CLOSE else "related in meaning"


class FindingHit(BaseModel):
    """One finding that matched, with where it came from and why it matched."""

    record_id: str
    finding_id: str
    kind: str
    text: str
    section: int
    span: tuple[int, int]
    themes: list[str] = Field(default_factory=list)
    effects: list[Effect] = Field(default_factory=list)
    translation_zh: str = ""
    score: float
    similarity: float | None = None    # cosine similarity of the dense arm, when it found it
    dense_rank: int | None = None
    lexical_rank: int | None = None
    similarity_multilingual: float | None = None  # cosine in the multilingual space
    multilingual_rank: int | None = None
    matched_terms: list[str] = Field(default_factory=list)
    context_terms: list[str] = Field(default_factory=list)  # matched in its sentence or title
    highlights: list[tuple[int, int]] = Field(default_factory=list)      # spans in `text`
    highlights_zh: list[tuple[int, int]] = Field(default_factory=list)   # spans in translation_zh
    matched: bool = True  # False: its record matched elsewhere and this is its best finding

    @property
    def strength(self) -> int:
        """2: a strong hit (query words in its own text, or close in meaning in either space);
        1: related in meaning; 0: weak (only words of its sentence or the record's title)."""
        sims = [s for s in (self.similarity, self.similarity_multilingual) if s is not None]
        if self.matched_terms or any(s >= CLOSE for s in sims):
            return 2
        return 1 if any(s >= RELATED for s in sims) else 0

    def why(self) -> str:
        """'close in meaning · matched words: funding, braided' — why it matched, in words."""
        parts = [meaning_words(self.similarity)]
        across = meaning_words(self.similarity_multilingual)
        if across:
            parts.append(f"{across} across languages")
        if self.matched_terms:
            parts.append("matched words: " + ", ".join(self.matched_terms))
        if self.context_terms:
            parts.append("words in its sentence or title: " + ", ".join(self.context_terms))
        if not self.matched:
            parts.insert(0, "best finding of a matching record")
        return " · ".join(p for p in parts if p) or "related"


class ContextHit(BaseModel):
    """A sentence of a record that matched the query but is not a finding (background, methods,
    the title's keywords …): shown beside the record's findings as context, marked as such."""

    kind: Literal["context"] = "context"
    text: str
    section: int
    span: tuple[int, int]
    similarity: float | None = None
    matched_terms: list[str] = Field(default_factory=list)
    highlights: list[tuple[int, int]] = Field(default_factory=list)

    @property
    def strength(self) -> int:
        """As FindingHit.strength: 2 with query words or close in meaning, 1 related, 0 weak."""
        if self.matched_terms or (self.similarity is not None and self.similarity >= CLOSE):
            return 2
        return 1 if self.similarity is not None and self.similarity >= RELATED else 0

    def why(self) -> str:
        parts = [meaning_words(self.similarity)]
        if self.matched_terms:
            parts.append("matched words: " + ", ".join(self.matched_terms))
        return "context, not a finding" + "".join(f" · {p}" for p in parts if p)


class RecordGroup(BaseModel):
    """The hits of one record, best first."""

    record_id: str
    title: str | None
    authors: str
    year: int | None
    venue: str | None
    resource_type: str | None
    citation: str
    designs: list[str] = Field(default_factory=list)
    score: float  # the record's fused score (findings, whole-record keywords, best sentence)
    hits: list[FindingHit]
    context: list[ContextHit] = Field(default_factory=list)

    @property
    def strength(self) -> int:
        """The strength of its best hit or of the sentence it matched through (shown as context),
        so a record found through a methods sentence that says the query is not ranked as weak;
        0 without either."""
        return max([h.strength for h in self.hits] + [c.strength for c in self.context], default=0)


class RecordMatch(BaseModel):
    """A record whose title or author matches the query (fuzzy), e.g. 'the paper by Chuang'."""

    record_id: str
    title: str | None
    citation: str
    score: float
    matched: Literal["author", "title"]


class SearchResponse(BaseModel):
    """Everything a search returns."""

    query: str
    mode: Mode
    filters: SearchFilters
    expansions: list[str] = Field(default_factory=list)
    groups: list[RecordGroup] = Field(default_factory=list)
    record_matches: list[RecordMatch] = Field(default_factory=list)
    total_hits: int = 0
    took_ms: float = 0.0
    notice: str | None = None

    def matched_shown(self) -> int:
        """How many of the findings shown matched the query (the rest are the closest findings
        of records that matched through their other text)."""
        return sum(1 for g in self.groups for h in g.hits if h.matched)

    def hits(self) -> list[FindingHit]:
        """All finding hits in rank order (across groups): the matched findings by their fused
        score, then the best findings of records that matched through their other text."""
        return sorted((h for g in self.groups for h in g.hits), key=lambda h: (not h.matched, -h.score))
