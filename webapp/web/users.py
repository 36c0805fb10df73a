"""The Users page (admins): add people, change roles and passwords, issue and revoke tokens."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from htmx_flask import request as htmx_request

from webapp.actions import accounts
from webapp.web.db import lib

bp = Blueprint("users", __name__, url_prefix="/users")


def _render(status: int = 200, **extra):
    template = "_users.html" if htmx_request.htmx else "users.html"
    people = accounts.list_users(lib())
    return render_template(template, users=people, roles=accounts.ROLES, **extra), status


def _name(user_id: int) -> str:
    return accounts.user_name(lib(), user_id)


@bp.get("", strict_slashes=False)
def index():
    """Everyone who can sign in, and the forms to change them."""
    return _render()


@bp.post("", strict_slashes=False)
def add():
    """Add a person with a role and a first password."""
    form = request.form
    user = accounts.add_user(lib(), form.get("name", "").strip(), form.get("role", ""),
                             form.get("password", ""))
    return _render(201, message=f"Added {user.name} ({user.role}).")


@bp.post("/<int:user_id>/role")
def role(user_id: int):
    """Change someone's role."""
    user = accounts.set_role(lib(), _name(user_id), request.form.get("role", ""))
    return _render(message=f"{user.name} is now {user.role}.")


@bp.post("/<int:user_id>/password")
def password(user_id: int):
    """Set someone's password (their sessions end)."""
    name = _name(user_id)
    accounts.set_password(lib(), name, request.form.get("password", ""))
    return _render(message=f"Changed {name}'s password; their sessions have ended.")


@bp.post("/<int:user_id>/remove")
def remove(user_id: int):
    """Remove someone (their revisions keep their name)."""
    name = _name(user_id)
    accounts.remove_user(lib(), name)
    return _render(message=f"Removed {name}.")


@bp.post("/<int:user_id>/token")
def token(user_id: int):
    """Issue an API token, shown this once."""
    name = _name(user_id)
    _, secret = accounts.issue_token(lib(), name)
    return _render(201, message=f"New API token for {name} (copy it now, it is not shown again):",
                   secret=secret)


@bp.post("/<int:user_id>/revoke")
def revoke(user_id: int):
    """Revoke all of someone's API tokens."""
    name = _name(user_id)
    count = accounts.revoke_tokens(lib(), name)
    return _render(message=f"Revoked {count} token{'s' if count != 1 else ''} of {name}.")
