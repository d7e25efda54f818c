"""The embedded store (SQLite, WAL, FTS5). The only package that talks to the database."""

from .db import SearchHit, Store, StoredArticle, WriteResult

__all__ = ["SearchHit", "Store", "StoredArticle", "WriteResult"]
