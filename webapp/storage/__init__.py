"""Storage: the one module that holds SQL. ``Library`` wraps the SQLite file."""

from __future__ import annotations

from pathlib import Path

from .accounts import Accounts, acting_as, actor
from .db import Database, iso, utcnow
from .documents import Documents
from .feeds import Feeds
from .glossary import Glossary
from .jobs import Jobs
from .review import Review
from .search import Search
from .units import Units, memory_key

__all__ = ["Library", "Database", "acting_as", "actor", "iso", "utcnow", "memory_key"]


class Library(Documents, Units, Jobs, Review, Accounts, Feeds, Glossary, Search):
    """The document library in one SQLite file (schema migrated on open)."""

    def __init__(self, path: Path | str) -> None:
        self.db = Database(path)

    def close(self) -> None:
        """Close this thread's connection."""
        self.db.close()
