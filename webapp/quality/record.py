"""A unit's stored check record, and how exports show it.

``unit_record`` is what storage keeps with a unit whenever its English changes (the worker for
machine output, an edit, an import): ``{"checks": [...], "risk": r}``. ``review_note`` is
the one line an export carries (a CSV review column, an XLIFF note).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from webapp.glossary.terms import Term
from webapp.quality.checks import Link, Pair, run
from webapp.quality.risk import risk


def unit_record(source: str, translation: str | None, *, source_lang: str = "zh",
                terms: Sequence[Term] = (), names: Mapping[str, Sequence[str]] | None = None,
                context: str = "", score: float | None = None, reviewed: bool = False,
                alignment: Sequence[Link] | None = None) -> dict:
    """The checks and the risk of one unit, as stored and as the unit JSON shows them."""
    if not translation or not translation.strip():
        return {"checks": [], "risk": None}
    findings = run(Pair(source, translation, source_lang, terms, names or {}, alignment,
                        context))
    return {"checks": [finding.to_json() for finding in findings],
            "risk": risk(findings, score, reviewed)}


def review_note(record: Mapping | None) -> str:
    """One line for an export: 'risk 0.60 · number: … · negation: …' (empty if unchecked)."""
    if not record or record.get("risk") is None:
        return ""
    parts = [f"risk {record['risk']:.2f}"]
    parts += [f"{check['kind']}: {check['message']}" for check in record.get("checks", [])]
    return " · ".join(parts)
