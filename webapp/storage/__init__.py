"""Storage: the one package that holds SQL. ``Library`` is the unit of work and its repositories.

One repository per aggregate — ``documents`` (with ``left_out``: the blocks left out of
them), ``units`` (with ``review``: sentences and their
history; and ``quality``: their checks, the model's judgement, the name ledger), ``memory``,
``jobs``, ``glossary``, ``accounts``, ``feeds``, ``search``, ``words`` (a learner's word
statuses, articles' words and difficulty), ``catalog`` (the library as a list to filter and
sort), ``tags``, ``collections``, ``archives`` (archive imports and their files) — each a small
class over the same ``Database``. A ``with library.transaction():`` block makes the calls of
several repositories one transaction; outside one, each write is its own.
"""

from __future__ import annotations

from pathlib import Path

from .accounts import Accounts, acting_as, actor
from .archives import Archives
from .catalog import Catalog
from .collections import Collections
from .database import Database, iso, memory_key, redact, refused_value, unreachable, utcnow
from .documents import Documents
from .feeds import Feeds
from .glossary import Glossary
from .jobs import Jobs
from .left_out import LeftOutBlocks
from .memory import HUMAN, Memory
from .quality import Quality
from .review import Review
from .search import Search
from .tags import Tags
from .units import Units
from .words import Words

__all__ = ["Library", "Database", "HUMAN", "acting_as", "actor", "iso", "memory_key", "redact",
           "refused_value", "unreachable", "utcnow"]


class Library:
    """A library: SQLite (a file path, or ``sqlite:///…``) or PostgreSQL (``postgresql://…``),
    migrated on open."""

    def __init__(self, url: Path | str, *, migrate: bool = True) -> None:
        self.db = Database(url, migrate=migrate)
        self.documents = Documents(self.db)
        self.left_out = LeftOutBlocks(self.db)
        self.memory = Memory(self.db)
        self.glossary = Glossary(self.db)
        self.quality = Quality(self.db, self.glossary)
        self.units = Units(self.db, self.memory, self.quality)
        self.review = Review(self.db, self.units, self.memory)
        self.jobs = Jobs(self.db)
        self.accounts = Accounts(self.db)
        self.feeds = Feeds(self.db)
        self.search = Search(self.db)
        self.words = Words(self.db)
        self.catalog = Catalog(self.db, self.search)
        self.tags = Tags(self.db)
        self.collections = Collections(self.db)
        self.archives = Archives(self.db)

    def transaction(self):
        """A unit of work over every repository (see ``Database.transaction``)."""
        return self.db.transaction()

    def generation(self) -> int:
        """How many units of work have written to the library (see ``Database.generation``)."""
        return self.db.generation()

    def reading(self):
        """Several reads on one connection (one snapshot on SQLite)."""
        return self.db.reading()

    def close(self) -> None:
        """Close the library's connections."""
        self.db.close()
