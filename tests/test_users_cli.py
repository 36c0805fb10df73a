"""``enface users``: add (password from stdin), list, role, passwd, token, remove; serve's guard."""

from __future__ import annotations

import json

from click.testing import CliRunner

from webapp.actions import accounts
from webapp.cli import main
from webapp.storage import Library


def run(tmp_path, *args, input: str | None = None):
    return CliRunner().invoke(main, ["--data-dir", str(tmp_path / "lib"), *args], input=input)


def library(tmp_path) -> Library:
    return Library(tmp_path / "lib" / "library.sqlite3")


def test_users_from_the_command_line(tmp_path):
    added = run(tmp_path, "users", "add", "ann", "--role", "admin", input="long enough pw\n")
    assert added.exit_code == 0, added.output
    assert added.stdout == "Added ann (admin).\n" and "long enough pw" not in added.output
    assert run(tmp_path, "users", "add", "bob", input="pw-bob-12345\n").exit_code == 0
    listing = json.loads(run(tmp_path, "users", "list", "--json").stdout)
    assert [(u["name"], u["role"]) for u in listing] == [("ann", "admin"), ("bob", "editor")]
    lib = library(tmp_path)
    user, _ = accounts.sign_in(lib, "bob", "pw-bob-12345", "127.0.0.1")
    assert user.role == "editor"
    assert run(tmp_path, "users", "role", "bob", "reader").exit_code == 0
    assert run(tmp_path, "users", "passwd", "bob", input="a new password\n").exit_code == 0
    assert accounts.sign_in(lib, "bob", "a new password", "127.0.0.1")[0].role == "reader"
    issued = run(tmp_path, "users", "token", "bob")
    token = issued.stdout.strip()
    assert issued.exit_code == 0 and token.startswith("enf_") and "not shown again" in issued.stderr
    assert accounts.token_user(lib, token).name == "bob"
    tokens = run(tmp_path, "users", "token", "bob", "--list").stdout
    assert tokens.startswith("1\tlive") and token not in tokens
    assert run(tmp_path, "users", "token", "bob", "--revoke", "1").exit_code == 0
    assert accounts.token_user(lib, token) is None
    assert run(tmp_path, "users", "remove", "bob").stdout == "Removed bob.\n"
    assert lib.accounts.find("bob") is None
    lib.close()


def test_bad_user_commands_say_why(tmp_path):
    short = run(tmp_path, "users", "add", "ann", input="short\n")
    assert short.exit_code == 1 and "at least 8 characters" in short.stderr
    bad = run(tmp_path, "users", "add", "no spaces", input="long enough pw\n")
    assert bad.exit_code == 1 and "user name" in bad.stderr
    run(tmp_path, "users", "add", "ann", "--role", "admin", input="long enough pw\n")
    twice = run(tmp_path, "users", "add", "ANN", input="long enough pw\n")
    assert twice.exit_code == 1 and "already a user called" in twice.stderr
    assert "There is no user 'zed'" in run(tmp_path, "users", "passwd", "zed").stderr
    run(tmp_path, "users", "add", "bob", input="long enough pw\n")
    last = run(tmp_path, "users", "remove", "ann")
    assert last.exit_code == 1 and "last admin" in last.stderr


def test_serve_beyond_loopback_needs_a_user(tmp_path):
    refused = run(tmp_path, "serve", "--host", "0.0.0.0")
    assert refused.exit_code == 1
    assert "enface users add NAME --role admin" in refused.stderr
