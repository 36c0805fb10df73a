"""``enface users``: add, list, remove people, change passwords and roles, issue API tokens.

Passwords are prompted for (twice) on a terminal, or read from the first line of standard input
when it is not one (``echo "$PW" | enface users add ann --role editor``); they are never echoed,
logged or accepted as an option.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable

import click

from webapp.actions import accounts
from webapp.cli import Context, fail, main, pass_ctx
from webapp.errors import EnfaceError


def _password(prompt: str) -> str:
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


def reported(command: Callable) -> Callable:
    """Domain errors of ``command`` become CLI errors (message on stderr, exit 1)."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except EnfaceError as exc:
            raise fail(exc) from exc

    return run


@main.group()
def users() -> None:
    """People who can sign in when the server is shared (accounts and roles)."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(accounts.ROLES), default=accounts.EDITOR,
              show_default=True, help="reader: read, download; editor: also import, translate, "
              "edit, review; admin: also models, users, delete.")
@pass_ctx
@reported
def add(ctx: Context, name: str, role: str) -> None:
    """Add a user (password prompted, or read from standard input)."""
    accounts.check_name(name)
    user = accounts.add_user(ctx.library, name, role, _password(f"Password for {name}"))
    click.echo(f"Added {user.name} ({user.role}).")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@reported
def list_(ctx: Context, as_json: bool) -> None:
    """List the users: name, role, live API tokens, created."""
    people = accounts.list_users(ctx.library)
    if as_json:
        click.echo(json.dumps(people, indent=2))
        return
    for u in people:
        click.echo(f"{u['name']}\t{u['role']}\t{u['tokens']} token(s)\t{u['created_at']}")


@users.command()
@click.argument("name")
@pass_ctx
@reported
def remove(ctx: Context, name: str) -> None:
    """Remove a user and their tokens (their revisions keep their name)."""
    accounts.remove_user(ctx.library, name)
    click.echo(f"Removed {name}.")


@users.command()
@click.argument("name")
@pass_ctx
@reported
def passwd(ctx: Context, name: str) -> None:
    """Set a user's password (their sessions end)."""
    accounts.get_user(ctx.library, name)  # before asking for a password
    accounts.set_password(ctx.library, name, _password(f"New password for {name}"))
    click.echo(f"Changed the password of {name}.")


@users.command()
@click.argument("name")
@click.argument("role", type=click.Choice(accounts.ROLES))
@pass_ctx
@reported
def role(ctx: Context, name: str, role: str) -> None:
    """Change a user's role."""
    accounts.set_role(ctx.library, name, role)
    click.echo(f"{name} is now {role}.")


@users.command()
@click.argument("name")
@click.option("--list", "list_only", is_flag=True, help="List the user's tokens instead.")
@click.option("--revoke", "revoke_id", type=int, help="Revoke the token with this id.")
@click.option("--revoke-all", is_flag=True, help="Revoke all of the user's tokens.")
@pass_ctx
@reported
def token(ctx: Context, name: str, list_only: bool, revoke_id: int | None,
          revoke_all: bool) -> None:
    """Issue an API token for NAME (printed once), or list or revoke their tokens."""
    if list_only:
        for t in accounts.list_tokens(ctx.library, name):
            state = f"revoked {t['revoked_at']}" if t["revoked_at"] else "live"
            click.echo(f"{t['id']}\t{state}\tcreated {t['created_at']}\t"
                       f"last used {t['last_used_at'] or 'never'}")
    elif revoke_id is not None or revoke_all:
        count = accounts.revoke_tokens(ctx.library, name, revoke_id)
        click.echo(f"Revoked {count} token(s) of {name}.")
    else:
        token_id, secret = accounts.issue_token(ctx.library, name)
        click.echo(f"Token {token_id} for {name} (send it as 'Authorization: Bearer …'; "
                   "it is not shown again):", err=True)
        click.echo(secret)
