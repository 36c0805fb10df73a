"""Enface: a bilingual reader. ``create_app()`` builds the Flask app (see ``webapp.web.app``).

The package reads like the data flow: ``importing`` → ``segmenting`` → ``storage`` → ``engine``
(translation) → ``actions`` (what people do) → ``exports``; ``web`` and ``cli`` are the two ways
in. Importing ``webapp`` itself loads nothing heavy (not even Flask).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app: settings, library and queue, blueprints, security, error handlers."""
    from webapp.web.app import create_app as build

    return build(test_config)
