"""The data model every layer shares: records, resource types, taxonomy, ids, review flags, views."""
