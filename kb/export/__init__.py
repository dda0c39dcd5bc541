"""Writing records and syntheses out: references, briefs, comparisons, terminal and Markdown."""
