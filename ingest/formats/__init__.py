"""One module per input format; each exposes NAME, FORMAT, VERSION, sniff() and parse() — or, for
binary documents (PDF, Word), sniff_bytes() and text_of(), whose text is read as prose."""
