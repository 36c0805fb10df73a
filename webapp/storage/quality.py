"""The quality repository: each unit's checks and risk, the model's judgement of its English,
and the ledger of how people render names.

Derived data, kept with the English it describes, in the same unit of work:

* ``unit_check`` holds a unit's record (``webapp.quality.record.rate``) for one revision. Every
  change of a unit's English goes through ``Units.write_revision``, which calls ``changed``; the
  record is computed just before the unit of work commits (``Database.before_commit``), once
  for all the units it changed, so no path can store English without its checks, and a failed
  change leaves no record behind. A record whose revision is not the unit's is never read.
* ``unit_alignment`` holds the model's judgement of one English (``judge``: score, word
  probabilities, word alignment); it stays valid while the unit's English is the text judged
  (its ``digest``), so approving a sentence keeps it.
* ``name_ledger`` holds, for each edited or approved unit, how its English renders the names of
  its source (``webapp.quality.names``); the ``name`` check of every other unit reads it. When a
  name gains or loses a rendering, the other units with that name are checked again (at most
  ``CASCADE_LIMIT``; a document's recheck does the rest).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from webapp.vocabulary import REVIEWED

from .database import Database, utcnow
from .glossary import Glossary
from .tables import document, name_ledger, segment, unit, unit_alignment, unit_check

log = logging.getLogger(__name__)
CASCADE_LIMIT = 500
_PENDING = "enface_quality_units"
_RECORD = (unit_check.c.unit_id, unit_check.c.checks, unit_check.c.terms, unit_check.c.fix,
           unit_check.c.risk, unit_check.c.score, unit_check.c.doubts, unit_check.c.model_id,
           unit_check.c.computed_at)
_WITH_DOC = (unit.join(segment, segment.c.id == unit.c.segment_id)
             .join(document, document.c.id == segment.c.document_id))


def digest(text: str | None) -> str:
    """What identifies an English: the start of its SHA-256."""
    return hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _record(row: dict[str, Any]) -> dict[str, Any]:
    return {"checks": json.loads(row["checks"]), "terms": json.loads(row["terms"]),
            "fix": row["fix"], "risk": row["risk"], "score": row["score"],
            "doubts": json.loads(row["doubts"]), "model_id": row["model_id"],
            "computed_at": row["computed_at"]}


def _word_rows(analysis: Any) -> list[list[float]]:
    return [[w.start, w.end, round(w.probability, 4)] for w in analysis.words]


def _link_rows(analysis: Any) -> list[list[float]]:
    return [[t0, t1, s0, s1, round(w, 3)] for (t0, t1), (s0, s1), w in analysis.links]


def judgement_record(source: str, analysis: Any) -> dict[str, Any]:
    """The model's judgement of an English (an ``engine.Analysis``) as the memory keeps it with
    that English: as ``Quality.judge`` stores it with a unit, and the digest of the exact source
    it was judged with (its spans point into that text)."""
    return {"source": digest(source), "score": analysis.score, "words": _word_rows(analysis),
            "links": _link_rows(analysis)}


class Quality:
    """Checks, judgements and the name ledger of units."""

    def __init__(self, db: Database, glossary: Glossary) -> None:
        self.db = db
        self.glossary = glossary

    # --- writing ---------------------------------------------------------------------------

    def changed(self, unit_ids: Iterable[int]) -> None:
        """Inside a unit of work: these units' English changed; check them before it commits."""
        with self.db.transaction() as conn:
            conn.info.setdefault(_PENDING, set()).update(unit_ids)
            self.db.before_commit("quality", self._flush)

    def _flush(self) -> None:
        with self.db.transaction() as conn:
            pending = conn.info.pop(_PENDING, set())
        if pending:
            self.refresh(sorted(pending))

    def judge(self, judgements: Iterable[tuple[int, str, str, Any]]) -> int:
        """Store the model's judgement (unit id, English judged, model id, ``Analysis``) of
        units whose English is still the text judged, and check them again; how many."""
        wanted = {unit_id: (text, model_id, analysis)
                  for unit_id, text, model_id, analysis in judgements}
        if not wanted:
            return 0
        now = utcnow()
        with self.db.transaction() as conn:
            current = self.db.rows(sa.select(unit.c.id, unit.c.translation, unit.c.revision)
                                   .where(self.db.among(unit.c.id, sorted(wanted))))
            rows = []
            for row in current:
                text, model_id, analysis = wanted[row["id"]]
                if row["translation"] != text or not text:
                    continue  # changed meanwhile: that English is judged when its turn comes
                rows.append({
                    "unit_id": row["id"], "revision": row["revision"], "digest": digest(text),
                    "model_id": model_id, "score": analysis.score, "computed_at": now,
                    "words": json.dumps(_word_rows(analysis)),
                    "links": json.dumps(_link_rows(analysis)),
                })
            if rows:
                conn.execute(sa.delete(unit_alignment).where(
                    self.db.among(unit_alignment.c.unit_id, [r["unit_id"] for r in rows])))
                conn.execute(sa.insert(unit_alignment), rows)
                self.changed(r["unit_id"] for r in rows)
        return len(rows)

    def refresh(self, unit_ids: Sequence[int], *, cascade: bool = True) -> None:
        """Check these units again now (inside the caller's unit of work, or one of its own)."""
        from webapp.glossary.terms import Term
        from webapp.quality.names import name_words, renderings
        from webapp.quality.record import rate

        ids = sorted(set(unit_ids))
        if not ids:
            return
        with self.db.transaction() as conn:
            units = self.db.rows(
                sa.select(unit.c.id, unit.c.source, unit.c.translation, unit.c.status,
                          unit.c.revision, segment.c.document_id, document.c.source_lang,
                          document.c.published_at, document.c.title,
                          unit_alignment.c.digest, unit_alignment.c.score,
                          unit_alignment.c.words, unit_alignment.c.links,
                          unit_alignment.c.model_id)
                .select_from(_WITH_DOC.outerjoin(unit_alignment,
                                                 unit_alignment.c.unit_id == unit.c.id))
                .where(self.db.among(unit.c.id, ids)))
            terms = {doc: [Term(t["id"], t["source"], t["target"], t["note"], t["document_id"])
                           for t in self.glossary.for_document(doc)]
                     for doc in {u["document_id"] for u in units}}
            names = {u["id"]: name_words(u["source"], u["source_lang"]) for u in units}
            known = self._renderings({(u["source_lang"], n) for u in units
                                      for n, _, _ in names[u["id"]]})
            now, records, ledger = utcnow(), [], []
            for u in units:
                judged = u["digest"] is not None and u["digest"] == digest(u["translation"])
                links = _links(u["links"]) if judged else None
                own = {n for n, _, _ in names[u["id"]]}
                others = {n: sorted({r for r, who in known.get((u["source_lang"], n), ())
                                     if who != u["id"]}) for n in own}
                try:
                    rating = rate(u["source"], u["translation"], source_lang=u["source_lang"],
                                  terms=terms[u["document_id"]],
                                  names={n: r for n, r in others.items() if r},
                                  context=f"{(u['published_at'] or '')[:10]} {u['title']}",
                                  score=u["score"] if judged else None,
                                  reviewed=u["status"] in REVIEWED, alignment=links,
                                  words=json.loads(u["words"]) if judged else ())
                    if u["status"] in REVIEWED and u["translation"]:
                        ledger += [{"unit_id": u["id"], "source_lang": u["source_lang"],
                                    "name": n, "rendering": r[:200], "created_at": now}
                                   for n, r in renderings(u["source"], u["translation"], links,
                                                          u["source_lang"])]
                except Exception:  # a check's bug must not cost a person their edit
                    log.exception("checks of unit %s failed", u["id"])
                    continue
                records.append({
                    "unit_id": u["id"], "revision": u["revision"],
                    "checks": json.dumps(rating.checks, ensure_ascii=False),
                    "terms": json.dumps(rating.terms, ensure_ascii=False), "fix": rating.fix,
                    "risk": rating.risk, "score": u["score"] if judged else None,
                    "doubts": json.dumps(rating.doubts),
                    "model_id": u["model_id"] if judged else None, "computed_at": now})
            present = [u["id"] for u in units]
            conn.execute(sa.delete(unit_check).where(self.db.among(unit_check.c.unit_id,
                                                                   present)))
            if records:
                conn.execute(sa.insert(unit_check), records)
            moved = self._ledger(present, ledger, known)
        if cascade and moved:
            self.refresh(self._with_names(moved, exclude=set(present)), cascade=False)

    def _renderings(self, wanted: set[tuple[str, str]]) -> dict[tuple[str, str],
                                                               list[tuple[str, int]]]:
        """(language, name) → [(rendering, unit id)] in the ledger."""
        found: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
        for lang in {lang for lang, _ in wanted}:
            names = sorted(n for lg, n in wanted if lg == lang)
            for row in self.db.rows(sa.select(name_ledger.c.name, name_ledger.c.rendering,
                                              name_ledger.c.unit_id)
                                    .where(name_ledger.c.source_lang == lang,
                                           self.db.among(name_ledger.c.name, names))):
                found[(lang, row["name"])].append((row["rendering"], row["unit_id"]))
        return found

    def _ledger(self, unit_ids: list[int], rows: list[dict[str, Any]],
                known: dict[tuple[str, str], list[tuple[str, int]]]) -> set[tuple[str, str]]:
        """Replace these units' ledger rows; the (language, name)s whose renderings changed."""
        with self.db.transaction() as conn:
            old = self.db.rows(sa.select(name_ledger.c.source_lang, name_ledger.c.name)
                               .where(self.db.among(name_ledger.c.unit_id, unit_ids)))
            touched = {(r["source_lang"], r["name"]) for r in old}
            touched |= {(r["source_lang"], r["name"]) for r in rows}
            before = {key: {r for r, _ in known.get(key, ())} for key in touched}
            missing = {key for key in touched if key not in known}
            if missing:
                for key, found in self._renderings(missing).items():
                    before[key] = {r for r, _ in found}
            conn.execute(sa.delete(name_ledger).where(self.db.among(name_ledger.c.unit_id,
                                                                    unit_ids)))
            if rows:
                conn.execute(sa.insert(name_ledger), rows)
            after = self._renderings(touched)
        return {key for key in touched
                if before.get(key, set()) != {r for r, _ in after.get(key, ())}}

    def _with_names(self, names: set[tuple[str, str]], *, exclude: set[int]) -> list[int]:
        """Translated units (at most ``CASCADE_LIMIT``) whose source holds one of ``names``."""
        found: list[int] = []
        for lang, name in sorted(names):
            rows = self.db.rows(
                sa.select(unit.c.id).select_from(_WITH_DOC)
                .where(document.c.source_lang == lang, unit.c.translation.is_not(None),
                       unit.c.source.contains(name, autoescape=True))
                .order_by(unit.c.id.desc()).limit(CASCADE_LIMIT))
            found += [r["id"] for r in rows if r["id"] not in exclude]
        return sorted(set(found))[:CASCADE_LIMIT]

    # --- reading ---------------------------------------------------------------------------

    def records(self, unit_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """The current records of these units (those checked at their present revision)."""
        wanted = sorted(set(unit_ids))
        if not wanted:
            return {}
        rows = self.db.rows(sa.select(*_RECORD).join(unit, unit.c.id == unit_check.c.unit_id)
                            .where(self.db.among(unit_check.c.unit_id, wanted),
                                   unit_check.c.revision == unit.c.revision))
        return {r["unit_id"]: _record(r) for r in rows}

    def of_document(self, doc_id: int) -> dict[int, dict[str, Any]]:
        """The current records of a document's units, by unit id."""
        rows = self.db.rows(sa.select(*_RECORD)
                            .select_from(unit_check.join(unit, unit.c.id == unit_check.c.unit_id)
                                         .join(segment, segment.c.id == unit.c.segment_id))
                            .where(segment.c.document_id == doc_id,
                                   unit_check.c.revision == unit.c.revision))
        return {r["unit_id"]: _record(r) for r in rows}

    def alignment(self, unit_id: int) -> dict[str, Any] | None:
        """The model's judgement of a unit's present English: ``{"revision", "model_id",
        "score", "words": [[start, end, p]], "links": [[t0, t1, s0, s1, w]]}``, or None."""
        row = self.db.row(sa.select(unit_alignment, unit.c.translation)
                          .join(unit, unit.c.id == unit_alignment.c.unit_id)
                          .where(unit_alignment.c.unit_id == unit_id))
        if row is None or row["digest"] != digest(row["translation"]):
            return None
        return {"revision": row["revision"], "model_id": row["model_id"], "score": row["score"],
                "words": json.loads(row["words"]), "links": json.loads(row["links"])}

    def unjudged(self, doc_id: int, limit: int | None = None) -> list[tuple[int, str, str]]:
        """(id, source, English) of a document's translated units whose present English the
        model has not judged, in reading order."""
        rows = self.db.rows(
            sa.select(unit.c.id, unit.c.source, unit.c.translation, unit_alignment.c.digest)
            .select_from(unit.join(segment, segment.c.id == unit.c.segment_id)
                         .outerjoin(unit_alignment, unit_alignment.c.unit_id == unit.c.id))
            .where(segment.c.document_id == doc_id, unit.c.translation.is_not(None),
                   unit.c.translation != "")
            .order_by(segment.c.position, unit.c.position))
        found = [(r["id"], r["source"], r["translation"]) for r in rows
                 if r["digest"] != digest(r["translation"])]
        return found[:limit] if limit is not None else found

    def units_with(self, sources: Iterable[str], document_id: int | None = None, *,
                   limit: int | None = None) -> list[int]:
        """Translated units (of all documents, or of ``document_id``) whose source holds one of
        ``sources``, at most ``limit``."""
        texts = sorted({s for s in sources if s})
        if not texts:
            return []
        query = (sa.select(unit.c.id).select_from(unit.join(segment,
                                                            segment.c.id == unit.c.segment_id))
                 .where(sa.or_(*(unit.c.source.contains(t, autoescape=True) for t in texts)),
                        unit.c.translation.is_not(None))
                 .order_by(unit.c.id).limit(limit))
        if document_id is not None:
            query = query.where(segment.c.document_id == document_id)
        return [r["id"] for r in self.db.rows(query)]

    def documents_with(self, sources: Iterable[str], document_id: int | None = None
                       ) -> list[int]:
        """Documents (all, or only ``document_id``) with a unit whose source holds a text."""
        texts = sorted({s for s in sources if s})
        if not texts:
            return []
        query = (sa.select(segment.c.document_id).distinct()
                 .select_from(unit.join(segment, segment.c.id == unit.c.segment_id))
                 .where(sa.or_(*(unit.c.source.contains(t, autoescape=True) for t in texts)),
                        unit.c.translation.is_not(None)))
        if document_id is not None:
            query = query.where(segment.c.document_id == document_id)
        return sorted(r["document_id"] for r in self.db.rows(query))

    def ledger(self, source_lang: str, name: str) -> list[dict[str, Any]]:
        """How approved English renders a name: rendering, unit and document, newest first."""
        return self.db.rows(
            sa.select(name_ledger.c.rendering, name_ledger.c.unit_id, segment.c.document_id)
            .select_from(name_ledger.join(unit, unit.c.id == name_ledger.c.unit_id)
                         .join(segment, segment.c.id == unit.c.segment_id))
            .where(name_ledger.c.source_lang == source_lang, name_ledger.c.name == name)
            .order_by(name_ledger.c.id.desc()))


def _links(stored: str | None) -> list | None:
    """Stored links as ``quality.Link``s (None for none)."""
    from webapp.quality.checks import Link

    if not stored:
        return None
    return [Link((t0, t1), (s0, s1), w) for t0, t1, s0, s1, w in json.loads(stored)] or None
