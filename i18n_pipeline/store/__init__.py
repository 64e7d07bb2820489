"""The database: an index of articles and catalogs, plus history, snapshots and memory."""
