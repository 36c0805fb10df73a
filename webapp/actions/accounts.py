"""Accounts and roles: adding people, signing in, API tokens, and what each role may do.

Used by the web layer (sign-in, the Users page, the per-request check) and ``enface users``.
Passwords are hashed with werkzeug's scrypt; API tokens are long random strings stored as their
SHA-256 (they are not guessable, so a fast hash suffices and finds them by index). Nothing here
imports Flask.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from webapp.errors import EnfaceError, NotFound
from webapp.storage import Library
from webapp.vocabulary import ADMIN, EDITOR, READER, ROLES

#: What each role may do; each role may also do everything the roles before it may.
GRANTS = {
    READER: ("read", "download", "learn"),  # learn: one's own word statuses
    EDITOR: ("import", "translate", "edit", "review", "glossary", "organize"),
    ADMIN: ("models", "users", "delete"),
}
PERMISSIONS = tuple(p for role in ROLES for p in GRANTS[role])
MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
TOKEN_PREFIX = "enf_"


class AccountError(EnfaceError):
    """A user that cannot be added or changed as asked."""


class SignInRefused(EnfaceError):
    """A wrong name or password, or no valid token."""

    status = 401


class Throttled(EnfaceError):
    """Too many failed sign-ins from one address or for one name."""

    status = 429


def permissions_of(role: str) -> frozenset[str]:
    """Everything a role may do."""
    granted: list[str] = []
    for each in ROLES[: ROLES.index(role) + 1]:
        granted.extend(GRANTS[each])
    return frozenset(granted)


def least_role(permission: str) -> str:
    """The first role that may do ``permission``."""
    return next(role for role in ROLES if permission in GRANTS[role])


@dataclass(frozen=True)
class User:
    """A person using Enface: an account, the local user (accounts off) or the shared token."""

    id: int | None
    name: str
    role: str

    @property
    def permissions(self) -> frozenset[str]:
        """What this user may do."""
        return permissions_of(self.role)

    def can(self, permission: str) -> bool:
        """True if the user's role grants ``permission``."""
        return permission in self.permissions


LOCAL = User(None, "local", ADMIN)  # loopback without accounts: one person, who may do anything
SHARED_TOKEN = User(None, "api-token", ADMIN)  # ENFACE_API_TOKEN


def check_name(name: str) -> str:
    """A valid user name; AccountError otherwise."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise AccountError("A user name is 1 to 64 letters, digits, '.', '_', '@' or '-', "
                           "starting with a letter or digit.")
    return name


def check_role(role: str) -> str:
    """A valid role; AccountError otherwise."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}: choose {', '.join(ROLES)}.")
    return role


def _hash_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError(f"A password needs at least {MIN_PASSWORD} characters.")
    if len(password) > 1024:
        raise AccountError("A password may be at most 1024 characters long.")
    return generate_password_hash(password, method="scrypt")


@cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, so they take as long as known ones."""
    return generate_password_hash(secrets.token_urlsafe(16), method="scrypt")


def _user(account: dict) -> User:
    return User(account["id"], account["name"], account["role"])


def _account(library: Library, name: str) -> dict:
    account = library.accounts.find(name)
    if account is None:
        raise NotFound(f"There is no user {name!r}.")
    return account


def get_user(library: Library, name: str) -> User:
    """The user called ``name``; NotFound if there is none."""
    return _user(_account(library, name))


def anyone(library: Library) -> bool:
    """Whether any account exists (then people must sign in)."""
    return library.accounts.count() > 0


def user_name(library: Library, user_id: int) -> str:
    """The name of the account ``user_id`` (NotFound if there is none)."""
    return library.accounts.get(user_id)["name"]


def list_users(library: Library) -> list[dict]:
    """Every account (name, role, created, live tokens), by name."""
    return library.accounts.all()


def add_user(library: Library, name: str, role: str, password: str) -> User:
    """Create an account."""
    check_name(name)
    check_role(role)
    if library.accounts.find(name):
        raise AccountError(f"There is already a user called {name!r}.")
    account_id = library.accounts.add(name, role, _hash_password(password),
                                     secrets.token_urlsafe(16))
    return User(account_id, name, role)


def _keep_an_admin(library: Library, account: dict) -> None:
    """Refuse to take away the last admin while other accounts remain."""
    admins = [a for a in library.accounts.all() if a["role"] == ADMIN]
    if account["role"] == ADMIN and len(admins) == 1 and library.accounts.count() > 1:
        raise AccountError(f"{account['name']} is the last admin: make someone else admin first.")


def remove_user(library: Library, name: str) -> None:
    """Remove an account and its tokens; its revisions keep its name."""
    account = _account(library, name)
    _keep_an_admin(library, account)
    library.accounts.remove(account["id"])


def set_role(library: Library, name: str, role: str) -> User:
    """Change an account's role."""
    account = _account(library, name)
    if check_role(role) != ADMIN:
        _keep_an_admin(library, account)
    library.accounts.update(account["id"], role=role)
    return User(account["id"], account["name"], role)


def set_password(library: Library, name: str, password: str) -> None:
    """Change an account's password; its sessions everywhere end."""
    account = _account(library, name)
    library.accounts.update(account["id"], password_hash=_hash_password(password),
                           session_key=secrets.token_urlsafe(16))


def end_sessions(library: Library, account_id: int) -> None:
    """End every session of an account (signing out signs out everywhere): the key every
    session cookie carries, checked on every request, changes."""
    try:
        library.accounts.update(account_id, session_key=secrets.token_urlsafe(16))
    except NotFound:
        pass  # removed meanwhile: its sessions are over anyway


def _since(minutes: int) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign_in(library: Library, name: str, password: str, address: str, *,
            limit: int = 10, window_minutes: int = 10) -> tuple[User, str]:
    """The account's user and session key for a right name and password.

    ``limit`` failures from one address or for one name within ``window_minutes`` make every
    further try wait (Throttled) until the oldest of them leaves the window.
    """
    name = (name or "").strip()[:64]
    by_address, by_name, oldest = library.accounts.failures(address, name, _since(window_minutes))
    if by_address >= limit or by_name >= limit:
        who = "from your address" if by_address >= limit else f"for {name}"
        wait = _minutes_left(oldest, window_minutes)
        raise Throttled(f"Too many failed sign-ins {who}: wait {wait} minute"
                        f"{'s' if wait != 1 else ''} and try again.")
    account = library.accounts.find(name) if name else None
    ok = check_password_hash(account["password_hash"] if account else _dummy_hash(),
                             password or "")
    if not (account and ok):
        library.accounts.record_failure(address, name, keep_after=_since(window_minutes))
        raise SignInRefused("Wrong user name or password.")
    library.accounts.clear_failures(account["name"])
    return _user(account), account["session_key"]


def _minutes_left(oldest: str, window_minutes: int) -> int:
    try:
        then = datetime.strptime(oldest, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return window_minutes
    left = then + timedelta(minutes=window_minutes) - datetime.now(UTC)
    return max(1, -(-int(left.total_seconds()) // 60))


def session_user(library: Library, account_id: object, session_key: object) -> User | None:
    """The user a session belongs to, if the account still exists and the key is current."""
    if not isinstance(account_id, int) or not isinstance(session_key, str):
        return None
    try:
        account = library.accounts.get(account_id)
    except NotFound:
        return None
    if not hmac.compare_digest(account["session_key"], session_key):
        return None  # the password changed, or the account was signed out everywhere
    return _user(account)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(library: Library, name: str) -> tuple[int, str]:
    """A new API token for an account: (its id, the token, shown this once)."""
    account = _account(library, name)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return library.accounts.add_token(account["id"], _token_hash(token)), token


def list_tokens(library: Library, name: str) -> list[dict]:
    """An account's tokens (ids and dates, never the secrets)."""
    return library.accounts.tokens(_account(library, name)["id"])


def revoke_tokens(library: Library, name: str, token_id: int | None = None) -> int:
    """Revoke one of an account's tokens, or all of them; NotFound if there was none."""
    count = library.accounts.revoke_tokens(_account(library, name)["id"], token_id)
    if token_id is not None and count == 0:
        raise NotFound(f"{name} has no live token {token_id}.")
    return count


def token_user(library: Library, token: str, shared_token: str | None = None) -> User | None:
    """The user an API token belongs to (``shared_token`` is ENFACE_API_TOKEN), or None."""
    if not token:
        return None
    if shared_token and hmac.compare_digest(token.encode(), shared_token.encode()):
        return SHARED_TOKEN
    if not token.startswith(TOKEN_PREFIX):
        return None
    account = library.accounts.by_token(_token_hash(token))
    return _user(account) if account else None
