"""Extraction of structure from abstract text: section roles, sentences, findings."""
