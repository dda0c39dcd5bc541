"""Extraction of structure from abstract text: sections, sentences, findings, effects, study
facts, glossary, themes, translations."""
