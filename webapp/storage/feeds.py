"""Feed subscriptions and the items already imported from them."""

from __future__ import annotations

from typing import Any

from webapp.errors import NotFound

from .db import Database, utcnow


class Feeds:
    """Mixin: the feed side of the library."""

    db: Database

    def add_feed(self, url: str, title: str | None) -> tuple[int, bool]:
        """Subscribe to a feed; return (id, created) — an existing subscription is kept."""
        with self.db.write() as conn:
            row = conn.execute("SELECT id FROM feed WHERE url = ?", (url,)).fetchone()
            if row:
                return row["id"], False
            cur = conn.execute("INSERT INTO feed (url, title, created_at) VALUES (?, ?, ?)",
                               (url, title, utcnow()))
            return cur.lastrowid, True

    def list_feeds(self) -> list[dict[str, Any]]:
        """Every subscription with how many of its items are in the library."""
        rows = self.db.query(
            "SELECT f.id, f.url, f.title, f.created_at, f.checked_at, f.error,"
            " COUNT(i.document_id) AS documents FROM feed f"
            " LEFT JOIN feed_item i ON i.feed_id = f.id GROUP BY f.id ORDER BY f.id"
        )
        return [dict(row) for row in rows]

    def get_feed(self, feed_id: int) -> dict[str, Any]:
        """One subscription; NotFound if absent."""
        row = self.db.one("SELECT id, url, title, created_at, checked_at, error FROM feed"
                          " WHERE id = ?", (feed_id,))
        if row is None:
            raise NotFound(f"There is no feed {feed_id}.")
        return dict(row)

    def remove_feed(self, feed_id: int) -> None:
        """Unsubscribe (the documents imported from the feed stay in the library)."""
        self.get_feed(feed_id)
        with self.db.write() as conn:
            conn.execute("DELETE FROM feed WHERE id = ?", (feed_id,))

    def seen_items(self, feed_id: int) -> set[str]:
        """The keys (guid or link) of the items already imported from a feed."""
        rows = self.db.query("SELECT item_key FROM feed_item WHERE feed_id = ?", (feed_id,))
        return {row["item_key"] for row in rows}

    def mark_item(self, feed_id: int, key: str, document_id: int | None) -> None:
        """Record that a feed's item is in the library (as ``document_id``)."""
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO feed_item (feed_id, item_key, document_id, seen_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (feed_id, item_key)"
                " DO UPDATE SET document_id = excluded.document_id",
                (feed_id, key, document_id, utcnow()),
            )

    def feed_checked(self, feed_id: int, title: str | None, error: str | None) -> None:
        """Note when a feed was last read, its title, and the error if reading failed."""
        with self.db.write() as conn:
            conn.execute("UPDATE feed SET checked_at = ?, title = COALESCE(?, title), error = ?"
                         " WHERE id = ?", (utcnow(), title, error, feed_id))
