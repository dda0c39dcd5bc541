"""One module per input format; each exposes NAME, FORMAT, VERSION, sniff() and parse()."""
