"""Turn source texts and bibliographic exports into kb.model.schema.Record objects."""
