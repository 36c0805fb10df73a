"""``term_checks(unit)`` for templates: a sentence's missing glossary terms and its fix.

Units from the reader's document already carry them; a unit rendered alone (after an edit, a
cancel, a progress poll) gets them here, with the document's glossary read once per request.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g

from webapp.actions import glossary
from webapp.web.db import lib


def term_checks(unit: dict[str, Any], doc_id: int | None = None) -> dict[str, Any]:
    """``{"missing": [...], "fix": text or None}`` for one unit."""
    if "terms" not in unit:
        doc = unit.get("document_id") or doc_id
        if doc is None:
            return {"missing": [], "fix": None}
        cache = g.setdefault("glossary_terms", {})
        if doc not in cache:
            cache[doc] = glossary.terms_for(lib(), doc)
        glossary.check_units_with(unit, cache[doc])
    return {"missing": unit.get("missing_terms", []), "fix": unit.get("fix")}


def init_app(app: Flask) -> None:
    """Make ``term_checks`` a template global."""
    app.jinja_env.globals["term_checks"] = term_checks
