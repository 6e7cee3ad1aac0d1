"""No Django models: the index tables are created by this app's migrations (FTS5, tsvector)."""
