"""The derived search index (.kb/) and hybrid search over it."""
