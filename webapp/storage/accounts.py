"""Accounts: people who sign in, their API tokens, failed sign-ins, and who made each revision.

Who is acting is a context variable (``acting_as``) rather than an argument threaded through
every save: the web layer sets it for the length of a request (the CLI may too), and
``units._write`` stamps it on every revision it records, so no edit path can forget it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from webapp.errors import NotFound

from .db import Database, utcnow

_ACTOR: ContextVar[str | None] = ContextVar("enface_actor", default=None)
ACCOUNT_COLUMNS = "id, name, role, password_hash, session_key, created_at"


def actor() -> str | None:
    """The name of the person the current changes are made for (None: nobody signed in)."""
    return _ACTOR.get()


@contextmanager
def acting_as(name: str | None) -> Iterator[None]:
    """Record ``name`` on every revision written inside the block."""
    token = _ACTOR.set(name)
    try:
        yield
    finally:
        _ACTOR.reset(token)


class Accounts:
    """Mixin: accounts, tokens and sign-in failures."""

    db: Database

    def account_count(self) -> int:
        """How many accounts exist."""
        return self.db.one("SELECT COUNT(*) AS n FROM account")["n"]

    def list_accounts(self) -> list[dict[str, Any]]:
        """Every account (without secrets) with its live token count, by name."""
        rows = self.db.query(
            "SELECT a.id, a.name, a.role, a.created_at, COUNT(t.id) AS tokens FROM account a"
            " LEFT JOIN api_token t ON t.account_id = a.id AND t.revoked_at IS NULL"
            " GROUP BY a.id ORDER BY a.name"
        )
        return [dict(r) for r in rows]

    def find_account(self, name: str) -> dict[str, Any] | None:
        """The account called ``name`` (any case), or None."""
        row = self.db.one(
            f"SELECT {ACCOUNT_COLUMNS} FROM account WHERE name = ?", (name,)  # noqa: S608
        )
        return dict(row) if row else None

    def get_account(self, account_id: int) -> dict[str, Any]:
        """One account; NotFound if absent."""
        row = self.db.one(
            f"SELECT {ACCOUNT_COLUMNS} FROM account WHERE id = ?", (account_id,)  # noqa: S608
        )
        if row is None:
            raise NotFound(f"There is no user {account_id}.")
        return dict(row)

    def add_account(self, name: str, role: str, password_hash: str, session_key: str) -> int:
        """Store a new account; return its id (the caller checks the name is free)."""
        with self.db.write() as conn:
            return conn.execute(
                "INSERT INTO account (name, role, password_hash, session_key, created_at)"
                " VALUES (?,?,?,?,?)",
                (name, role, password_hash, session_key, utcnow()),
            ).lastrowid

    def update_account(self, account_id: int, **fields: str) -> None:
        """Change an account's role, password hash and/or session key."""
        allowed = {"role", "password_hash", "session_key"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"only {sorted(allowed)} can change")
        assignments = ", ".join(f"{key} = ?" for key in fields)
        with self.db.write() as conn:
            if conn.execute(
                f"UPDATE account SET {assignments} WHERE id = ?",  # noqa: S608 - fixed keys
                (*fields.values(), account_id),
            ).rowcount == 0:
                raise NotFound(f"There is no user {account_id}.")

    def remove_account(self, account_id: int) -> None:
        """Remove an account and its tokens (its revisions keep its name)."""
        with self.db.write() as conn:
            if conn.execute("DELETE FROM account WHERE id = ?", (account_id,)).rowcount == 0:
                raise NotFound(f"There is no user {account_id}.")

    def add_token(self, account_id: int, token_hash: str) -> int:
        """Store a token's hash for an account; return the token's id."""
        with self.db.write() as conn:
            return conn.execute(
                "INSERT INTO api_token (account_id, token_hash, created_at) VALUES (?,?,?)",
                (account_id, token_hash, utcnow()),
            ).lastrowid

    def list_tokens(self, account_id: int) -> list[dict[str, Any]]:
        """An account's tokens (never their secrets), newest first."""
        rows = self.db.query(
            "SELECT id, created_at, last_used_at, revoked_at FROM api_token"
            " WHERE account_id = ? ORDER BY id DESC",
            (account_id,),
        )
        return [dict(r) for r in rows]

    def token_account(self, token_hash: str) -> dict[str, Any] | None:
        """The account a live token belongs to (noting its use), or None."""
        row = self.db.one(
            "SELECT t.id AS token_id, t.last_used_at, a.id, a.name, a.role, a.session_key"
            " FROM api_token t JOIN account a ON a.id = t.account_id"
            " WHERE t.token_hash = ? AND t.revoked_at IS NULL",
            (token_hash,),
        )
        if row is None:
            return None
        now = utcnow()
        if row["last_used_at"] != now:  # at most one write per token per second
            with self.db.write() as conn:
                conn.execute("UPDATE api_token SET last_used_at = ? WHERE id = ?",
                             (now, row["token_id"]))
        return dict(row)

    def revoke_tokens(self, account_id: int, token_id: int | None = None) -> int:
        """Revoke one of an account's tokens (or all of them); return how many."""
        query = "UPDATE api_token SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL"
        params: tuple = (utcnow(), account_id)
        if token_id is not None:
            query += " AND id = ?"
            params += (token_id,)
        with self.db.write() as conn:
            return conn.execute(query, params).rowcount

    def record_login_failure(self, address: str, name: str, *, keep_after: str) -> None:
        """Note a failed sign-in (and forget those older than ``keep_after``)."""
        with self.db.write() as conn:
            conn.execute("DELETE FROM login_failure WHERE at < ?", (keep_after,))
            conn.execute("INSERT INTO login_failure (address, name, at) VALUES (?,?,?)",
                         (address, name, utcnow()))

    def login_failures(self, address: str, name: str, since: str) -> tuple[int, int, str]:
        """Failures since ``since``: (from this address, for this name, the oldest counted)."""
        row = self.db.one(
            "SELECT SUM(address = ?) AS by_address, SUM(name = ?) AS by_name, MIN(at) AS oldest"
            " FROM login_failure WHERE at >= ? AND (address = ? OR name = ?)",
            (address, name, since, address, name),
        )
        return row["by_address"] or 0, row["by_name"] or 0, row["oldest"] or ""

    def clear_login_failures(self, name: str) -> None:
        """Forget an account's failed sign-ins (after a successful one)."""
        with self.db.write() as conn:
            conn.execute("DELETE FROM login_failure WHERE name = ?", (name,))

    def last_editors(self, doc_ids: Iterable[int]) -> dict[int, dict[str, str]]:
        """Per document of ``doc_ids``: who made its newest attributed revision, and when."""
        rows = self.db.query(
            "SELECT s.document_id, r.user_name, MAX(r.created_at) AS at FROM segment s"
            " JOIN unit u ON u.segment_id = s.id JOIN revision r ON r.unit_id = u.id"
            " WHERE s.document_id IN (SELECT value FROM json_each(?))"
            " AND r.user_name IS NOT NULL GROUP BY s.document_id",
            (json.dumps(list(doc_ids)),),
        )
        return {r["document_id"]: {"user_name": r["user_name"], "at": r["at"]} for r in rows}

    def last_editor(self, doc_id: int) -> dict[str, str] | None:
        """Who made a document's newest attributed revision, and when (None: nobody yet)."""
        row = self.db.one(
            "SELECT r.user_name, r.created_at AS at FROM revision r"
            " JOIN unit u ON u.id = r.unit_id JOIN segment s ON s.id = u.segment_id"
            " WHERE s.document_id = ? AND r.user_name IS NOT NULL"
            " ORDER BY r.created_at DESC, r.id DESC LIMIT 1",
            (doc_id,),
        )
        return dict(row) if row else None

    def unit_authors(self, doc_id: int) -> dict[int, tuple[str | None, str | None]]:
        """Per unit: (who made its first attributed revision, who made its newest revision)."""
        rows = self.db.query(
            "SELECT r.unit_id, r.user_name FROM revision r JOIN unit u ON u.id = r.unit_id"
            " JOIN segment s ON s.id = u.segment_id WHERE s.document_id = ?"
            " ORDER BY r.unit_id, r.revision",
            (doc_id,),
        )
        authors: dict[int, tuple[str | None, str | None]] = {}
        for r in rows:
            first = authors.get(r["unit_id"], (None, None))[0] or r["user_name"]
            authors[r["unit_id"]] = (first, r["user_name"])
        return authors
