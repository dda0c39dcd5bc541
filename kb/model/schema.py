"""The typed record of one publication: the data model every other module shares."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kb.model.migrate import migrate

SCHEMA_VERSION = 2  # 2: review history and removed findings (kb.model.migrate reads older files)

SectionRole = Literal[
    "background", "objective", "setting", "methods", "design", "results", "conclusions", "other"
]
SECTION_ROLES: tuple[str, ...] = (
    "background", "objective", "setting", "methods", "design", "results", "conclusions", "other"
)
FindingKind = Literal[
    "strategy", "barrier", "facilitator", "outcome", "result", "recommendation", "conclusion"
]
FINDING_KINDS: tuple[str, ...] = (
    "strategy", "barrier", "facilitator", "outcome", "result", "recommendation", "conclusion"
)
ReviewStatus = Literal["unreviewed", "needs-review", "reviewed"]
REVIEW_STATUSES: tuple[str, ...] = get_args(ReviewStatus)

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")
_DATE_SHAPE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")


class Model(BaseModel):
    """Base for all record parts: unknown fields are an error, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=True)


def normalize_doi(value: str | None) -> str | None:
    """Lower-case a DOI and drop any resolver prefix and trailing punctuation."""
    if value is None:
        return None
    doi = _DOI_PREFIX.sub("", value.strip()).strip().rstrip(".,;")
    if not doi:
        return None
    doi = doi.lower()
    if not _DOI_SHAPE.match(doi):
        raise ValueError(f"'{value}' is not a DOI (expected 10.NNNN/suffix)")
    return doi


def normalize_pmid(value: str | int | None) -> str | None:
    """Keep only the digits of a PubMed id ('PMID: 39632564' -> '39632564')."""
    if value is None:
        return None
    digits = re.sub(r"\D", "", str(value))
    if not digits:
        if str(value).strip():
            raise ValueError(f"'{value}' is not a PubMed id (digits expected)")
        return None
    return digits.lstrip("0") or None


def normalize_pmcid(value: str | None) -> str | None:
    """Return a PMC id as 'PMC' + digits."""
    if value is None:
        return None
    digits = re.sub(r"\D", "", value)
    return f"PMC{digits}" if digits else None


def initials_of(given: str | None) -> str | None:
    """Initials of given names: 'Leigh Ann' -> 'LA', 'Jean-Paul' -> 'JP', 'LA' -> 'LA'."""
    if not given:
        return None
    if given.isupper() and " " not in given and len(given) <= 4:
        return given.replace(".", "")
    parts = [p for p in re.split(r"[\s.\-]+", given) if p]
    letters = "".join(p[0] for p in parts if p[0].isalpha())
    return letters.upper() or None


class Author(Model):
    """A person (family/given) or an organisation (collective) credited as author."""

    family: str | None = None
    given: str | None = None
    initials: str | None = None
    collective: str | None = None
    affiliations: list[str] = Field(default_factory=list)
    orcid: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Author:
        if not (self.family or self.collective):
            raise ValueError("an author needs a family name or a collective name")
        if self.given and not self.initials and (initials := initials_of(self.given)):
            self.initials = initials  # (assigning None would re-run this validator forever)
        return self

    def display(self) -> str:
        """'Chuang E' style short name used in citations and lists."""
        if self.collective:
            return self.collective
        return f"{self.family} {self.initials}".strip() if self.initials else str(self.family)

    def ascii_family(self) -> str:
        """Family (or collective) name without accents, for matching."""
        name = self.family or self.collective or ""
        return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


class Identifiers(Model):
    """Persistent identifiers of a publication, normalized."""

    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    isbn: str | None = None
    url: str | None = None

    @field_validator("doi", mode="before")
    @classmethod
    def _doi(cls, v: str | None) -> str | None:
        return normalize_doi(v)

    @field_validator("pmid", mode="before")
    @classmethod
    def _pmid(cls, v: str | int | None) -> str | None:
        return normalize_pmid(v)

    @field_validator("pmcid", mode="before")
    @classmethod
    def _pmcid(cls, v: str | None) -> str | None:
        return normalize_pmcid(v)


class Section(Model):
    """One unit of abstract text: a labelled section, an inferred paragraph or a bullet."""

    role: SectionRole = "other"
    label: str | None = None
    text: str
    bullet: bool = False


class Framework(Model):
    """A named conceptual framework and its elements, as stated in the source."""

    name: str
    elements: list[str] = Field(default_factory=list)


class SampleSize(Model):
    """A sample size as stated: '(n = 221)' interviews."""

    n: int
    unit: str | None = None
    text: str


class Study(Model):
    """Facts about how the study was done."""

    design: list[str] = Field(default_factory=list)
    methods: list[str] = Field(default_factory=list)
    setting: list[str] = Field(default_factory=list)
    period: list[str] = Field(default_factory=list)
    population: list[str] = Field(default_factory=list)
    sample_sizes: list[SampleSize] = Field(default_factory=list)


class Effect(Model):
    """A quantitative result: OR 6.4, 95% CI 2.5-16.4; or a range over models (OR 2.28 to 4.97)."""

    measure: str
    value: float | None = None
    value_high: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    ci_level: float | None = None
    p: float | None = None
    p_relation: Literal["=", "<", "<=", ">", ">="] | None = None
    subgroup: str | None = None
    text: str


class Finding(Model):
    """A verbatim span of the source that states a strategy, barrier, result, …"""

    id: str
    kind: FindingKind
    text: str
    section: int
    role: SectionRole = "other"
    span: tuple[int, int]
    sentence_span: tuple[int, int] | None = None
    themes: list[str] = Field(default_factory=list)
    effects: list[Effect] = Field(default_factory=list)
    translations: dict[str, str] = Field(default_factory=dict)
    origin: Literal["extracted", "curated"] = "extracted"
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _span_order(self) -> Finding:
        if self.span[0] < 0 or self.span[1] < self.span[0]:
            raise ValueError(f"span {self.span} must be (start, end) with 0 <= start <= end")
        return self


class Provenance(Model):
    """One source file a record was built from, kept as records/_sources/<sha256>.<ext>."""

    path: str
    sha256: str
    format: str
    parser: str
    parser_version: str
    ingested_at: str

    @field_validator("sha256")
    @classmethod
    def _hex(cls, v: str) -> str:
        if not re.fullmatch(r"[0-9a-f]{64}", v):
            raise ValueError("sha256 must be 64 lower-case hex digits")
        return v


class ReviewFlag(Model):
    """Something a librarian should look at: a missing title, a merge conflict, a parser guess."""

    code: str
    message: str
    field: str | None = None


class ReviewEvent(Model):
    """One change a person made to a record: when, who, what (the fields and findings changed)."""

    at: str  # ISO 8601, UTC
    by: str
    action: str = "edited"
    fields: list[str] = Field(default_factory=list)
    note: str | None = None


class RemovedFinding(Model):
    """An extracted finding a person deleted (or replaced by an edited one): re-extraction leaves
    it out, so a deleted finding stays deleted."""

    kind: FindingKind
    text: str
    section: int
    span: tuple[int, int]
    at: str
    by: str


class Review(Model):
    """Curation state of a record: status, flags, notes, and who changed what when."""

    status: ReviewStatus = "unreviewed"
    flags: list[ReviewFlag] = Field(default_factory=list)
    notes: str | None = None
    history: list[ReviewEvent] = Field(default_factory=list)
    removed_findings: list[RemovedFinding] = Field(default_factory=list)


class Record(Model):
    """One publication with its text, study facts, findings and provenance."""

    schema_version: int = SCHEMA_VERSION
    id: str = ""
    identifiers: Identifiers = Field(default_factory=Identifiers)
    title: str | None = None
    title_translations: dict[str, str] = Field(default_factory=dict)
    authors: list[Author] = Field(default_factory=list)
    affiliations: list[str] = Field(default_factory=list)
    venue: str | None = None  # as the source names it ('Health Serv Res')
    venue_full: str | None = None  # the journal's full title when venue is not it ('Health Services Research')
    year: int | None = Field(default=None, ge=1500, le=2100)
    published: str | None = None
    epub: str | None = None
    volume: str | None = None
    issue: str | None = None
    supplement: str | None = None
    pages: str | None = None
    article_number: str | None = None
    resource_type: str | None = None
    publisher: str | None = None
    partners: list[str] = Field(default_factory=list)
    funders: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    publication_types: list[str] = Field(default_factory=list)
    facets: dict[str, list[str]] = Field(default_factory=dict)
    frameworks: list[Framework] = Field(default_factory=list)
    language: str = "en"
    abstract: list[Section] = Field(default_factory=list)
    translations: dict[str, list[Section]] = Field(default_factory=dict)
    study: Study = Field(default_factory=Study)
    findings: list[Finding] = Field(default_factory=list)
    glossary: dict[str, str] = Field(default_factory=dict)
    sources: list[Provenance] = Field(default_factory=list)
    review: Review = Field(default_factory=Review)

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: object) -> object:
        return migrate(data, SCHEMA_VERSION) if isinstance(data, dict) else data

    @field_validator("id")
    @classmethod
    def _safe_id(cls, v: str) -> str:
        if v and not re.fullmatch(r"[a-z0-9][a-z0-9\-]{0,119}", v):
            raise ValueError(f"id '{v}' must be lower-case letters, digits and dashes")
        return v

    @field_validator("published", "epub")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        if v is not None and not _DATE_SHAPE.match(v):
            raise ValueError(f"'{v}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        return v

    @field_validator("glossary", "translations", "title_translations")
    @classmethod
    def _sorted_keys(cls, v: dict) -> dict:
        return dict(sorted(v.items()))

    def abstract_text(self) -> str:
        """The English abstract as one string, sections separated by blank lines."""
        return "\n\n".join(s.text for s in self.abstract)

    def citation_short(self) -> str:
        """'Chuang et al., 2025' style label."""
        if not self.authors:
            who = "Anonymous"
        elif len(self.authors) == 1:
            who = self.authors[0].family or self.authors[0].collective or "Anonymous"
        elif len(self.authors) == 2:
            who = " & ".join(a.family or a.collective or "?" for a in self.authors)
        else:
            who = f"{self.authors[0].family or self.authors[0].collective} et al."
        return f"{who}, {self.year}" if self.year else f"{who}, n.d."


def json_schema() -> dict:
    """The JSON Schema of a record file."""
    return Record.model_json_schema()
