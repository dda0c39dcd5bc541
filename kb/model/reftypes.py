"""The resource-type vocabulary of records and how it maps to RIS, BibTeX and CSL types."""

from __future__ import annotations

# resource_type -> (RIS TY, BibTeX entry type, CSL type). The first row for a foreign type
# is the one it is read back as, so every type survives a round trip through each format
# it can be written in.
TYPES: dict[str, tuple[str, str, str]] = {
    "journal-article": ("JOUR", "article", "article-journal"),
    "book": ("BOOK", "book", "book"),
    "book-chapter": ("CHAP", "incollection", "chapter"),
    "conference-paper": ("CPAPER", "inproceedings", "paper-conference"),
    "report": ("RPRT", "techreport", "report"),
    "discussion-paper": ("RPRT", "techreport", "report"),
    "thesis": ("THES", "phdthesis", "thesis"),
    "dataset": ("DATA", "misc", "dataset"),
    "webpage": ("ELEC", "online", "webpage"),
    "blog-summary": ("BLOG", "online", "post-weblog"),
    "preprint": ("UNPB", "unpublished", "article"),
    "magazine-article": ("MGZN", "article", "article-magazine"),
    "newspaper-article": ("NEWS", "article", "article-newspaper"),
    "patent": ("PAT", "misc", "patent"),
    "other": ("GEN", "misc", "article"),
}
DEFAULT = "other"

_RIS_EXTRA = {
    "EJOUR": "journal-article", "JFULL": "journal-article", "ABST": "journal-article",
    "INPR": "journal-article", "EBOOK": "book", "EDBOOK": "book", "ECHAP": "book-chapter",
    "CONF": "conference-paper", "GOVDOC": "report", "ICOMM": "webpage", "MANSCPT": "preprint",
    "SER": "journal-article", "DBASE": "dataset", "AGGR": "dataset",
}
_BIBTEX_EXTRA = {
    "conference": "conference-paper", "proceedings": "book", "inbook": "book-chapter",
    "mastersthesis": "thesis", "thesis": "thesis", "report": "report", "booklet": "book",
    "manual": "report", "electronic": "webpage", "www": "webpage", "misc": "other",
}
_CSL_EXTRA = {
    "review": "journal-article", "review-book": "journal-article", "entry-encyclopedia": "book-chapter",
    "entry-dictionary": "book-chapter", "post": "webpage", "manuscript": "preprint",
    "article": "preprint",
}


def _first_by(column: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, row in TYPES.items():
        if name != DEFAULT:
            out.setdefault(row[column], name)
    return out


# A generic type ('GEN', 'misc', 'document') says nothing: it reads back as no type at all.
FROM_RIS = {**_first_by(0), **_RIS_EXTRA}
FROM_BIBTEX = {k: v for k, v in {**_first_by(1), **_BIBTEX_EXTRA}.items() if k != "misc"}
FROM_CSL = {**_first_by(2), **_CSL_EXTRA}


def _row(resource_type: str | None) -> tuple[str, str, str]:
    return TYPES.get(resource_type or DEFAULT, TYPES[DEFAULT])


def to_ris(resource_type: str | None) -> str:
    """RIS TY code of a resource type ('journal-article' -> 'JOUR')."""
    return _row(resource_type)[0]


def to_bibtex(resource_type: str | None) -> str:
    """BibTeX entry type of a resource type ('journal-article' -> 'article')."""
    return _row(resource_type)[1]


def to_csl(resource_type: str | None) -> str:
    """CSL item type of a resource type ('journal-article' -> 'article-journal')."""
    return _row(resource_type)[2]


def from_ris(code: str | None) -> str | None:
    """Resource type of a RIS TY code; None when the code is empty or unknown."""
    return FROM_RIS.get((code or "").strip().upper()) if code else None


def from_bibtex(entry_type: str | None) -> str | None:
    """Resource type of a BibTeX entry type; None when unknown."""
    return FROM_BIBTEX.get((entry_type or "").strip().lower()) if entry_type else None


def from_csl(csl_type: str | None) -> str | None:
    """Resource type of a CSL item type; None when unknown."""
    return FROM_CSL.get((csl_type or "").strip().lower()) if csl_type else None
