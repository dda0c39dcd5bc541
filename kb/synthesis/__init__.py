"""Evidence synthesis over records: evidence rows, maps, comparisons, briefs, citations, plots."""
