"""Same publication or not: match keys and verdicts, blocking index, key cache, decisions, merge."""
