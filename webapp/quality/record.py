"""A unit's stored check record, and how exports show it.

``rate`` is what storage keeps with a unit whenever its English changes (the worker for
machine output, an edit, an import, a recheck): its findings, its glossary terms and the
one-click fix, its risk, and the English words the model was least sure of. ``unit_record``
is the short form (``{"checks": [...], "risk": r}``); ``review_note`` the one line an export
carries (a CSV review column, an XLIFF note).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from webapp.glossary.terms import Term, check, fixed
from webapp.quality.checks import Link, Pair, run
from webapp.quality.risk import risk

#: A word is doubtful when the model gave it less than this probability; at most
#: ``MAX_DOUBTS`` of a sentence's least likely words are marked.
DOUBT_BELOW = 0.3
MAX_DOUBTS = 3


@dataclass(frozen=True)
class Rating:
    """What the checks say of one English: findings (with spans), glossary terms, the fix that
    puts missing terms in, risk (None when there is no English) and doubtful words."""

    checks: list[dict] = field(default_factory=list)
    terms: list[dict] = field(default_factory=list)
    fix: str | None = None
    risk: float | None = None
    doubts: list[list[float]] = field(default_factory=list)  # [start, end, probability]


def doubts(words: Sequence[Sequence[float]]) -> list[list[float]]:
    """The least likely words ([start, end, probability]) below ``DOUBT_BELOW``, in text order."""
    low = sorted((w for w in words if w[2] < DOUBT_BELOW), key=lambda w: w[2])[:MAX_DOUBTS]
    return [[int(w[0]), int(w[1]), round(float(w[2]), 4)] for w in sorted(low)]


def rate(source: str, translation: str | None, *, source_lang: str = "zh",
         terms: Sequence[Term] = (), names: Mapping[str, Sequence[str]] | None = None,
         context: str = "", score: float | None = None, reviewed: bool = False,
         alignment: Sequence[Link] | None = None,
         words: Sequence[Sequence[float]] = ()) -> Rating:
    """Run every check on one unit and rate it (see ``Rating``)."""
    if not translation or not translation.strip():
        return Rating()
    found = run(Pair(source, translation, source_lang, terms, names or {}, alignment, context))
    term_checks = check(source, translation, terms) if terms else []
    fix = (fixed(source, translation, terms)
           if any(not t["ok"] for t in term_checks) else None)
    return Rating([f.to_json() for f in found], term_checks, fix, risk(found, score, reviewed),
                  doubts(words))


def unit_record(source: str, translation: str | None, *, source_lang: str = "zh",
                terms: Sequence[Term] = (), names: Mapping[str, Sequence[str]] | None = None,
                context: str = "", score: float | None = None, reviewed: bool = False,
                alignment: Sequence[Link] | None = None) -> dict:
    """The checks and the risk of one unit, as the unit JSON shows them."""
    rating = rate(source, translation, source_lang=source_lang, terms=terms, names=names,
                  context=context, score=score, reviewed=reviewed, alignment=alignment)
    return {"checks": rating.checks, "risk": rating.risk}


def review_note(record: Mapping | None) -> str:
    """One line for an export: 'risk 0.60 · number: … · negation: …' (empty if unchecked)."""
    if not record or record.get("risk") is None:
        return ""
    parts = [f"risk {record['risk']:.2f}"]
    parts += [f"{check['kind']}: {check['message']}" for check in record.get("checks", [])]
    return " · ".join(parts)
