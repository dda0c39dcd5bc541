"""The theme taxonomy (kb/taxonomy.toml, editable): loading, validation and keyword rules."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kb.errors import KBError
from kb.model.settings_file import read_toml

DEFAULT_TAXONOMY = Path(__file__).with_name("taxonomy.toml")


class Theme(BaseModel):
    """One theme findings can be tagged with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    label_zh: str = ""
    description: str
    keywords: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9\-]*", v):
            raise ValueError(f"theme id '{v}' must be lower-case letters, digits and dashes")
        return v

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """Keywords as one case-insensitive regex matching at word starts."""
        if not self.keywords:
            return None
        alts = sorted((re.escape(k.lower()) for k in self.keywords), key=len, reverse=True)
        return re.compile(r"(?<![\w-])(?:%s)" % "|".join(alts), re.I)

    def keyword_hits(self, text: str) -> list[str]:
        """The keywords found in a text (lower-cased, distinct)."""
        if self.pattern is None:
            return []
        return sorted({m.group(0).lower() for m in self.pattern.finditer(text)})


class Taxonomy(BaseModel):
    """All themes, in file order."""

    model_config = ConfigDict(extra="forbid")

    themes: list[Theme]

    def by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.themes}


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy file (the shipped default when path is None)."""
    path = path or DEFAULT_TAXONOMY
    data = read_toml(path, "taxonomy")
    try:
        taxonomy = Taxonomy(themes=data.get("theme", []))
    except ValueError as err:
        raise KBError(f"{path}: invalid theme ({str(err).splitlines()[-1].strip()})") from err
    ids = [t.id for t in taxonomy.themes]
    if len(ids) != len(set(ids)):
        raise KBError(f"{path}: duplicate theme ids")
    return taxonomy
