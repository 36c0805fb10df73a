"""What the reader shows of a sentence, built in one place: ``UnitView``, frozen.

A view is made from a unit and its stored check record (``storage.quality``): its findings,
risk and shade, the English words the model was least sure of, its glossary terms and the
one-click fix. Templates only read views; nothing is checked or queried while a page renders.
A unit without a current record (not translated yet, or stored before checks were kept) gets
its glossary terms from the document's glossary, read by the caller once per page.

The same place gives the document JSON's unit fields (``unit_json``), the counts of the
glossary bar (``term_counts``) and the review queue (``review_queue``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from webapp.glossary import Term, check, fixed
from webapp.storage import Library
from webapp.vocabulary import UNTOUCHED

#: Entries the review queue lists (the rest are counted).
QUEUE_SIZE = 30


@dataclass(frozen=True)
class UnitView:
    """A sentence as the reader renders it."""

    id: int
    position: int
    source: str
    translation: str | None
    status: str
    revision: int
    segment_id: int | None = None
    document_id: int | None = None
    source_html: Any = None
    terms: tuple[dict, ...] = ()
    missing_terms: tuple[dict, ...] = ()
    fix: str | None = None
    checks: tuple[dict, ...] = ()
    risk: float | None = None
    level: str | None = None
    doubts: tuple[tuple[int, int], ...] = ()

    @property
    def review_json(self) -> str:
        """The findings (kind, message, source and English spans) and the doubtful words'
        spans, for the reader's Review mode: ``{"c": [[kind, message, [[s, e]], [[s, e]]]],
        "d": [[s, e]]}``."""
        return json.dumps({"c": [[c["kind"], c["message"], c.get("source_spans", []),
                                  c.get("target_spans", [])] for c in self.checks],
                           "d": [list(d) for d in self.doubts]}, ensure_ascii=False,
                          separators=(",", ":"))

    @property
    def summary(self) -> str:
        """What the review queue says of it: its first finding, or the model's doubt."""
        if self.checks:
            return self.checks[0]["message"]
        return "The model is unsure of this English."


def build(unit: dict[str, Any], record: dict[str, Any] | None, terms: Sequence[Term] = (), *,
          segment_id: int | None = None, document_id: int | None = None) -> UnitView:
    """The view of one unit from its stored record (or, lacking one, the glossary ``terms``)."""
    from webapp.quality.risk import level  # the checks (and rjieba) load on first use
    translation = unit.get("translation")
    if record is not None:
        term_checks, fix = record["terms"], record["fix"]
        checks, risk = record["checks"], record["risk"]
        doubts = tuple((int(d[0]), int(d[1])) for d in record["doubts"])
    else:
        term_checks = check(unit["source"], translation, terms) if terms else []
        missing = [t for t in term_checks if not t["ok"]]
        fix = fixed(unit["source"], translation, terms) if translation and missing else None
        checks, risk, doubts = [], None, ()
    missing = tuple(t for t in term_checks if not t["ok"]) if translation else ()
    return UnitView(
        id=unit["id"], position=unit.get("position", 0), source=unit["source"],
        translation=translation, status=unit["status"], revision=unit["revision"],
        segment_id=unit.get("segment_id", segment_id),
        document_id=unit.get("document_id", document_id),
        source_html=unit.get("source_html"), terms=tuple(term_checks), missing_terms=missing,
        fix=fix if missing else None, checks=tuple(checks), risk=risk, level=level(risk),
        doubts=doubts)


def document_views(doc: dict[str, Any], records: dict[int, dict[str, Any]],
                   terms: Sequence[Term]) -> list[UnitView]:
    """Replace each unit of a document tree by its view (in place); every view, in order."""
    every = []
    for segment in doc["segments"]:
        segment["units"] = [build(u, records.get(u["id"]), terms, segment_id=segment["id"],
                                  document_id=doc["id"]) for u in segment["units"]]
        every += segment["units"]
    return every


def for_units(library: Library, units: Iterable[dict[str, Any]]) -> list[UnitView]:
    """Views of units read alone (after an edit, a poll), their records read at once."""
    wanted = list(units)
    with library.reading():
        records = library.quality.records(u["id"] for u in wanted)
        docs = {u.get("document_id") for u in wanted if u["id"] not in records}
        terms = {d: library.glossary.for_document(d) for d in docs if d is not None}
    return [build(u, records.get(u["id"]),
                  [_term(t) for t in terms.get(u.get("document_id"), ())]) for u in wanted]


def _term(row: dict[str, Any]) -> Term:
    return Term(row["id"], row["source"], row["target"], row["note"], row["document_id"])


def terms_of(rows: Iterable[dict[str, Any]]) -> list[Term]:
    """Glossary rows as terms."""
    return [_term(r) for r in rows]


def term_counts(views: Iterable[UnitView]) -> dict[str, int]:
    """The glossary bar: sentences with a term, those whose English lacks one, and the machine
    or memory sentences among them (what retranslating would redo)."""
    counts = {"with_terms": 0, "missing": 0, "stale": 0}
    for view in views:
        if view.terms:
            counts["with_terms"] += 1
        if view.missing_terms:
            counts["missing"] += 1
            counts["stale"] += view.status in UNTOUCHED
    return counts


def review_queue(views: Iterable[UnitView], size: int = QUEUE_SIZE) -> dict[str, Any]:
    """The document's riskiest sentences, riskiest first (ties in reading order): the first
    ``size`` of those with a shade, how many there are of each shade, and how many translated
    sentences have no current record (stored before checks were kept: *Check again*)."""
    views = list(views)
    shaded = [(-(v.risk or 0.0), n, v) for n, v in enumerate(views) if v.level]
    shaded.sort(key=lambda item: item[:2])
    return {"units": [v for _, _, v in shaded[:size]], "total": len(shaded),
            "high": sum(1 for _, _, v in shaded if v.level == "high"),
            "mid": sum(1 for _, _, v in shaded if v.level == "mid"),
            "unchecked": sum(1 for v in views if v.translation and v.risk is None)}


def unit_json(unit: dict[str, Any], view: UnitView) -> dict[str, Any]:
    """A unit of the document JSON: its fields, ``terms``, ``checks`` and ``risk``."""
    return unit | {"terms": list(view.terms),
                   "checks": [{"kind": c["kind"], "message": c["message"]} for c in view.checks],
                   "risk": view.risk}


def document_json(library: Library, doc_id: int) -> dict[str, Any]:
    """The document JSON of DESIGN.md: each unit with its ``terms``, ``checks`` and ``risk``."""
    with library.reading():
        doc = library.documents.tree(doc_id)
        records = library.quality.of_document(doc_id)
        terms = terms_of(library.glossary.for_document(doc_id)) if any(
            u["id"] not in records for s in doc["segments"] for u in s["units"]) else []
    for segment in doc["segments"]:
        segment["units"] = [unit_json(u, build(u, records.get(u["id"]), terms))
                            for u in segment["units"]]
    return doc


def with_checks(library: Library, unit: dict[str, Any]) -> dict[str, Any]:
    """One unit as the API gives it: its fields with ``terms``, ``checks`` and ``risk``."""
    (view,) = for_units(library, [unit])
    return unit_json(unit, view)


def note(view: UnitView) -> str:
    """The one line an export carries about a unit ('risk 0.60 · number: …')."""
    from webapp.quality.record import review_note
    return review_note({"risk": view.risk, "checks": list(view.checks)})
