"""The accounts repository: people who sign in, their API tokens, failed sign-ins.

Who is acting is a context variable (``acting_as``) rather than an argument threaded through
every save: the web layer sets it for the length of a request (the CLI may too), and
``Units.write_revision`` stamps it on every revision it records, so no edit path can forget it.
Names are unique whatever their case; both sides of a comparison go through lower().
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa

from webapp.errors import NotFound

from .database import Database, utcnow
from .tables import account, api_token, login_failure
from .words import LEARNER_TABLES

_ACTOR: ContextVar[str | None] = ContextVar("enface_actor", default=None)
_ACCOUNT = (account.c.id, account.c.name, account.c.role, account.c.password_hash,
            account.c.session_key, account.c.created_at)


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


def _same_name(column: Any, name: str) -> Any:
    return sa.func.lower(column) == sa.func.lower(name)


class Accounts:
    """Accounts, tokens and sign-in failures."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def count(self) -> int:
        """How many accounts exist."""
        return self.db.scalar(sa.select(sa.func.count()).select_from(account))

    def all(self) -> list[dict[str, Any]]:
        """Every account (without secrets) with its live token count, by name."""
        return self.db.rows(
            sa.select(account.c.id, account.c.name, account.c.role, account.c.created_at,
                      sa.func.count(api_token.c.id).label("tokens"))
            .select_from(account.outerjoin(api_token, sa.and_(
                api_token.c.account_id == account.c.id, api_token.c.revoked_at.is_(None))))
            .group_by(account.c.id).order_by(account.c.name))

    def find(self, name: str) -> dict[str, Any] | None:
        """The account called ``name`` (any case), or None."""
        return self.db.row(sa.select(*_ACCOUNT).where(_same_name(account.c.name, name)))

    def get(self, account_id: int) -> dict[str, Any]:
        """One account; NotFound if absent."""
        found = self.db.row(sa.select(*_ACCOUNT).where(account.c.id == account_id))
        if found is None:
            raise NotFound(f"There is no user {account_id}.")
        return found

    def add(self, name: str, role: str, password_hash: str, session_key: str) -> int:
        """Store a new account; return its id (the caller checks the name is free)."""
        with self.db.transaction() as conn:
            return conn.execute(sa.insert(account).returning(account.c.id).values(
                name=name, role=role, password_hash=password_hash, session_key=session_key,
                created_at=utcnow())).scalar_one()

    def update(self, account_id: int, **fields: str) -> None:
        """Change an account's role, password hash and/or session key."""
        allowed = {"role", "password_hash", "session_key"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"only {sorted(allowed)} can change")
        with self.db.transaction() as conn:
            if conn.execute(sa.update(account).where(account.c.id == account_id)
                            .values(**fields)).rowcount == 0:
                raise NotFound(f"There is no user {account_id}.")

    def remove(self, account_id: int) -> None:
        """Remove an account, its tokens and its words (its revisions keep its name)."""
        with self.db.transaction() as conn:
            if conn.execute(sa.delete(account).where(account.c.id == account_id)).rowcount == 0:
                raise NotFound(f"There is no user {account_id}.")
            for table in LEARNER_TABLES:  # no foreign key: user 0 is the local user, no account
                conn.execute(sa.delete(table).where(table.c.user_id == account_id))

    def add_token(self, account_id: int, token_hash: str) -> int:
        """Store a token's hash for an account; return the token's id."""
        with self.db.transaction() as conn:
            return conn.execute(sa.insert(api_token).returning(api_token.c.id).values(
                account_id=account_id, token_hash=token_hash, created_at=utcnow())).scalar_one()

    def tokens(self, account_id: int) -> list[dict[str, Any]]:
        """An account's tokens (never their secrets), newest first."""
        return self.db.rows(
            sa.select(api_token.c.id, api_token.c.created_at, api_token.c.last_used_at,
                      api_token.c.revoked_at)
            .where(api_token.c.account_id == account_id).order_by(api_token.c.id.desc()))

    def by_token(self, token_hash: str) -> dict[str, Any] | None:
        """The account a live token belongs to (noting its use), or None."""
        found = self.db.row(
            sa.select(api_token.c.id.label("token_id"), api_token.c.last_used_at, account.c.id,
                      account.c.name, account.c.role, account.c.session_key)
            .join(account, account.c.id == api_token.c.account_id)
            .where(api_token.c.token_hash == token_hash, api_token.c.revoked_at.is_(None)))
        if found is None:
            return None
        now = utcnow()
        if found["last_used_at"] != now:  # at most one write per token per second
            with self.db.transaction() as conn:
                conn.execute(sa.update(api_token).where(api_token.c.id == found["token_id"])
                             .values(last_used_at=now))
        return found

    def revoke_tokens(self, account_id: int, token_id: int | None = None) -> int:
        """Revoke one of an account's tokens (or all of them); return how many."""
        query = sa.update(api_token).where(api_token.c.account_id == account_id,
                                           api_token.c.revoked_at.is_(None))
        if token_id is not None:
            query = query.where(api_token.c.id == token_id)
        with self.db.transaction() as conn:
            return conn.execute(query.values(revoked_at=utcnow())).rowcount

    def record_failure(self, address: str, name: str, *, keep_after: str) -> None:
        """Note a failed sign-in (and forget those older than ``keep_after``)."""
        with self.db.transaction() as conn:
            conn.execute(sa.delete(login_failure).where(login_failure.c.at < keep_after))
            conn.execute(sa.insert(login_failure).values(address=address, name=name,
                                                         at=utcnow()))

    def failures(self, address: str, name: str, since: str) -> tuple[int, int, str]:
        """Failures since ``since``: (from this address, for this name, the oldest counted)."""
        by_name = _same_name(login_failure.c.name, name)
        row = self.db.row(
            sa.select(sa.func.count().filter(login_failure.c.address == address).label("a"),
                      sa.func.count().filter(by_name).label("n"),
                      sa.func.min(login_failure.c.at).label("oldest"))
            .where(login_failure.c.at >= since,
                   sa.or_(login_failure.c.address == address, by_name)))
        return row["a"], row["n"], row["oldest"] or ""

    def clear_failures(self, name: str) -> None:
        """Forget an account's failed sign-ins (after a successful one)."""
        with self.db.transaction() as conn:
            conn.execute(sa.delete(login_failure).where(_same_name(login_failure.c.name, name)))
