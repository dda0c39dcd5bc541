"""Quality against hand-checked gold: extraction, effects, study facts, dedup, search."""
