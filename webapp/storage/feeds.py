"""The feeds repository: subscriptions and the items already imported from them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from webapp.errors import NotFound

from .database import Database, utcnow
from .tables import feed, feed_item

_FEED = (feed.c.id, feed.c.url, feed.c.title, feed.c.created_at, feed.c.checked_at,
         feed.c.error)


class Feeds:
    """Feed subscriptions."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, url: str, title: str | None) -> tuple[int, bool]:
        """Subscribe to a feed; return (id, created) — an existing subscription is kept."""
        try:
            with self.db.transaction() as conn:
                found = conn.execute(sa.select(feed.c.id).where(feed.c.url == url)).scalar()
                if found is not None:
                    return found, False
                return conn.execute(sa.insert(feed).returning(feed.c.id).values(
                    url=url, title=title, created_at=utcnow())).scalar_one(), True
        except sa.exc.IntegrityError:  # subscribed meanwhile by another process
            return self.db.scalar(sa.select(feed.c.id).where(feed.c.url == url)), False

    def all(self) -> list[dict[str, Any]]:
        """Every subscription with how many of its items are in the library."""
        return self.db.rows(
            sa.select(*_FEED, sa.func.count(feed_item.c.document_id).label("documents"))
            .select_from(feed.outerjoin(feed_item, feed_item.c.feed_id == feed.c.id))
            .group_by(feed.c.id).order_by(feed.c.id))

    def get(self, feed_id: int) -> dict[str, Any]:
        """One subscription; NotFound if absent."""
        found = self.db.row(sa.select(*_FEED).where(feed.c.id == feed_id))
        if found is None:
            raise NotFound(f"There is no feed {feed_id}.")
        return found

    def remove(self, feed_id: int) -> None:
        """Unsubscribe (the documents imported from the feed stay in the library)."""
        with self.db.transaction() as conn:
            if conn.execute(sa.delete(feed).where(feed.c.id == feed_id)).rowcount == 0:
                raise NotFound(f"There is no feed {feed_id}.")

    def seen(self, feed_id: int) -> set[str]:
        """The keys (guid or link) of the items already imported from a feed."""
        return {r["item_key"] for r in self.db.rows(
            sa.select(feed_item.c.item_key).where(feed_item.c.feed_id == feed_id))}

    def mark_item(self, feed_id: int, key: str, document_id: int | None) -> None:
        """Record that a feed's item is in the library (as ``document_id``)."""
        with self.db.transaction() as conn:
            conn.execute(
                sa.text("INSERT INTO feed_item (feed_id, item_key, document_id, seen_at)"
                        " VALUES (:feed, :key, :doc, :now) ON CONFLICT (feed_id, item_key)"
                        " DO UPDATE SET document_id = excluded.document_id"),
                {"feed": feed_id, "key": key, "doc": document_id, "now": utcnow()})

    def checked(self, feed_id: int, title: str | None, error: str | None) -> None:
        """Note when a feed was last read, its title, and the error if reading failed."""
        with self.db.transaction() as conn:
            conn.execute(sa.update(feed).where(feed.c.id == feed_id).values(
                checked_at=utcnow(), error=error,
                title=sa.func.coalesce(sa.literal(title, sa.Text), feed.c.title)))
