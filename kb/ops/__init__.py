"""Workflows that change the knowledge base: the add-or-merge pipeline, extraction, curation."""
