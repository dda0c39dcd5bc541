"""Merge two versions of the same publication into one record: fill gaps, keep the richer
value, append sources, flag real conflicts. The result does not depend on the order."""

from __future__ import annotations

from rapidfuzz import fuzz

from kb.dedup.evidence import same_venue_name
from kb.dedup.match import normalize_title
from kb.model.schema import Author, Identifiers, Record, ReviewFlag, Section
from kb.text.bilingual import realign

SCALARS = ("venue", "venue_full", "volume", "issue", "supplement", "pages", "article_number", "publisher")
LISTS = ("affiliations", "partners", "funders", "keywords", "publication_types")


def _union(a: list[str], b: list[str]) -> list[str]:
    seen = {x.casefold() for x in a}
    return a + [x for x in b if x.casefold() not in seen and not seen.add(x.casefold())]


def _conflict(field: str, a: object, b: object) -> ReviewFlag:
    values = sorted([str(a), str(b)])
    return ReviewFlag(code="merge-conflict", field=field,
                      message=f"sources disagree on {field}: '{values[0]}' vs '{values[1]}'")


def _richer_date(a: str | None, b: str | None) -> str | None:
    if not a or not b:
        return a or b
    return max(a, b, key=len) if (a.startswith(b) or b.startswith(a)) else min(a, b)


def _merge_author(a: Author, b: Author) -> Author:
    given = max([a.given or "", b.given or ""], key=len) or None
    initials = max([a.initials or "", b.initials or ""], key=len) or None
    return Author(family=a.family or b.family, given=given, initials=initials,
                  collective=a.collective or b.collective,
                  affiliations=_union(a.affiliations, b.affiliations), orcid=a.orcid or b.orcid)


def _same_people(a: list[Author], b: list[Author]) -> bool:
    return len(a) == len(b) and all(
        fuzz.ratio(x.ascii_family(), y.ascii_family()) >= 85 for x, y in zip(a, b, strict=True))


def _merge_authors(a: list[Author], b: list[Author], flags: list[ReviewFlag]) -> list[Author]:
    if not a or not b:
        return a or b
    if _same_people(a, b):
        return [_merge_author(x, y) for x, y in zip(a, b, strict=True)]
    flags.append(_conflict("authors", "; ".join(x.display() for x in a),
                           "; ".join(x.display() for x in b)))
    return max(a, b, key=lambda lst: (len(lst), sum(bool(x.given) for x in lst)))


def _abstract_quality(sections: list[Section]) -> tuple[int, int, int]:
    return (sum(1 for s in sections if s.label), len(sections), sum(len(s.text) for s in sections))


def merge_text(a: Record, b: Record) -> tuple[list[Section], dict[str, list[Section]]]:
    """The better-labelled abstract, with every translation aligned to it."""
    keep, other = (a, b) if _abstract_quality(a.abstract) >= _abstract_quality(b.abstract) else (b, a)
    translations = dict(keep.translations)
    for lang, sections in other.translations.items():
        if lang not in translations:
            translations[lang] = (sections if keep is other or keep.abstract == other.abstract
                                  else realign(keep.abstract, sections))
    return keep.abstract, translations


def _merge_ids(a: Identifiers, b: Identifiers, flags: list[ReviewFlag]) -> Identifiers:
    values = {}
    for key in ("doi", "pmid", "pmcid", "isbn", "url"):
        va, vb = getattr(a, key), getattr(b, key)
        if va and vb and va != vb:
            flags.append(_conflict(key, va, vb))
        values[key] = min(v for v in (va, vb) if v) if (va or vb) else None
    return Identifiers(**values)


def _merge_title(a: Record, b: Record, flags: list[ReviewFlag]) -> str | None:
    if not a.title or not b.title:
        return a.title or b.title
    if fuzz.ratio(normalize_title(a.title), normalize_title(b.title)) < 95:
        flags.append(_conflict("title", a.title, b.title))
    return a.title


def merge(existing: Record, new: Record) -> Record:
    """One record from two versions of a publication; `existing` keeps its id."""
    flags: list[ReviewFlag] = list(existing.review.flags) + list(new.review.flags)
    data = existing.model_dump()
    data["identifiers"] = _merge_ids(existing.identifiers, new.identifiers, flags).model_dump()
    data["title"] = _merge_title(existing, new, flags)
    data["authors"] = [x.model_dump() for x in _merge_authors(existing.authors, new.authors, flags)]
    for field in SCALARS + ("resource_type",):
        va, vb = getattr(existing, field), getattr(new, field)
        if field == "venue" and va and vb and same_venue_name(va, vb):
            data[field] = max(va, vb, key=lambda v: (len(v), v))  # the full title, either order
            continue
        if va and vb and va != vb and field != "resource_type":
            flags.append(_conflict(field, va, vb))
        data[field] = va or vb
    if existing.year and new.year and existing.year != new.year:
        flags.append(_conflict("year", existing.year, new.year))
    data["year"] = existing.year or new.year
    data["published"] = _richer_date(existing.published, new.published)
    data["epub"] = _richer_date(existing.epub, new.epub)
    for field in LISTS:
        data[field] = _union(getattr(existing, field), getattr(new, field))
    facets = {name: list(values) for name, values in existing.facets.items()}
    for name, values in new.facets.items():
        facets[name] = _union(facets.get(name, []), values)
    data["facets"] = facets
    names = {f.name for f in existing.frameworks}
    data["frameworks"] = [f.model_dump() for f in existing.frameworks] + [
        f.model_dump() for f in new.frameworks if f.name not in names]
    data["title_translations"] = {**new.title_translations, **existing.title_translations}
    abstract, translations = merge_text(existing, new)
    data["abstract"] = [s.model_dump() for s in abstract]
    data["translations"] = {k: [s.model_dump() for s in v] for k, v in translations.items()}
    if existing.language != new.language and abstract == new.abstract:
        data["language"] = new.language
    data["glossary"] = {**new.glossary, **existing.glossary}
    shas = {s.sha256 for s in existing.sources}
    sources = list(existing.sources) + [s for s in new.sources if s.sha256 not in shas]
    data["sources"] = [s.model_dump() for s in sorted(sources, key=lambda s: s.sha256)]
    data["review"]["flags"] = [f.model_dump() for f in flags]
    return Record.model_validate(data)
