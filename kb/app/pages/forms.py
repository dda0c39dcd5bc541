"""The record edit form shared by the Add page (a preview before saving) and the Record page (a
stored record): metadata, identifiers, facets and findings; it only collects the values —
kb.ops.curation and kb.ops.record_edit apply them."""

from __future__ import annotations

from typing import Any

import streamlit as st

from kb.model.schema import FINDING_KINDS, Record
from kb.model.taxonomy import Taxonomy
from kb.ops.curation import FindingEdit, MetadataEdit, edits_from_rows, finding_edits, metadata_of


def metadata_inputs(record: Record, key: str, *, full: bool) -> MetadataEdit:
    """Title, authors, venue (and its full title), year, type, identifiers, keywords (and, when `full`, PMCID, ISBN,
    URL and the facets) as form inputs; returns what they hold."""
    meta = metadata_of(record)
    title = st.text_input("Title", meta.title, key=f"title_{key}",
                          placeholder="the title as printed in the publication")
    left, right = st.columns(2)
    authors = left.text_area("Authors (one per line: Family, Given — or an organisation)",
                             meta.authors, key=f"authors_{key}", height=140)
    venue = right.text_input("Journal or publisher", meta.venue, key=f"venue_{key}")
    venue_full = right.text_input("Journal's full title", meta.venue_full or "", key=f"venue_full_{key}",
                                  placeholder="when the journal is given abbreviated")
    year = right.number_input("Year", 1500, 2100, meta.year, step=1, key=f"year_{key}",
                              placeholder="unknown")
    rtype = right.text_input("Resource type", meta.resource_type, key=f"type_{key}",
                             placeholder="journal-article, report, …")
    doi_col, pmid_col = st.columns(2)
    doi = doi_col.text_input("DOI", meta.doi, key=f"doi_{key}")
    pmid = pmid_col.text_input("PMID", meta.pmid, key=f"pmid_{key}")
    extra: dict[str, Any] = {}
    if full:
        pmcid_col, isbn_col, url_col = st.columns(3)
        extra["pmcid"] = pmcid_col.text_input("PMCID", meta.pmcid or "", key=f"pmcid_{key}")
        extra["isbn"] = isbn_col.text_input("ISBN", meta.isbn or "", key=f"isbn_{key}")
        extra["url"] = url_col.text_input("URL", meta.url or "", key=f"url_{key}")
    keywords = st.text_input("Keywords (separated by ;)", meta.keywords, key=f"kw_{key}")
    if full:
        extra["facets"] = st.text_area("Facets (one per line: Name: value; value)", meta.facets or "",
                                       key=f"facets_{key}", height=100)
    return MetadataEdit(title=title, authors=authors, year=year, venue=venue, venue_full=venue_full,
                        doi=doi, pmid=pmid,
                        resource_type=rtype, keywords=keywords, **extra)


def findings_editor(record: Record, key: str, taxonomy: Taxonomy,
                    labels: dict[str, str]) -> list[FindingEdit]:
    """The findings table editor (kind, text, themes; rows added or deleted)."""
    st.markdown("**Findings** — edit kind, text or themes, add or delete rows; a finding quotes "
                "the abstract. Edited findings are marked as curated; deleted ones stay deleted "
                "when the record is re-extracted.")
    rows = st.data_editor(
        [e.model_dump() for e in finding_edits(record)], num_rows="dynamic", key=f"findings_{key}",
        hide_index=True, column_order=["kind", "text", "themes"],
        column_config={
            "kind": st.column_config.SelectboxColumn("Kind", options=list(FINDING_KINDS), required=True),
            "text": st.column_config.TextColumn("Finding (quoted from the abstract)", width="large"),
            "themes": st.column_config.MultiselectColumn(
                "Themes", options=[t.id for t in taxonomy.themes], format_func=labels.get)})
    return edits_from_rows(rows)
