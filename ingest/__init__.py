"""Turn source texts and bibliographic exports into kb.schema.Record objects."""
