"""Abstract structure shared by readers, extraction and merge: sections, sentences, languages."""
