"""Helpers for tests with accounts on: make users, sign in through the real form."""

from __future__ import annotations

import re
import secrets
from functools import cache

from werkzeug.security import generate_password_hash

PASSWORD = "correct horse battery"


@cache
def _password_hash() -> str:
    return generate_password_hash(PASSWORD, method="scrypt")


def add_user(library, name: str, role: str) -> None:
    """An account with the shared test password (hashed once per test session: scrypt is slow
    on purpose; ``actions.accounts.add_user`` is tested on its own)."""
    library.accounts.add(name, role, _password_hash(), secrets.token_urlsafe(16))


def csrf_of(client) -> str:
    """The CSRF token of the client's session (the sign-in page makes one)."""
    html = client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if match:
        return match.group(1)
    with client.session_transaction() as session:
        return session["csrf"]


def sign_in(client, name: str, password: str = PASSWORD, **environ):
    """Post the sign-in form; return the response."""
    return client.post("/login", data={"name": name, "password": password,
                                       "csrf_token": csrf_of(client)}, **environ)
