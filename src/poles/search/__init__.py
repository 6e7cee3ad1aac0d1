"""Full-text search of the register: clusters, organisations and projects, public fields only.

The index lives in the database (SQLite FTS5, PostgreSQL tsvector); `index` keeps it, `engine`
queries it, `results` answers a reader through the permission layer.
"""
