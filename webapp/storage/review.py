"""Review: approve, clear, restore, paragraph saves and merges, and spreading corrections.

Part of the units aggregate, written only through ``Units``' public methods. A paragraph
(segment) edited as a whole is saved one of two ways, each in one unit of work:

* ``save_segment``: one text per sentence, in order: each unit whose text changed gets a new
  revision; any unit changed since the reader's base revision refuses the whole save (Conflict).
* ``merge_segment``: when the reader's English no longer splits into the same number of
  sentences, the segment's units become one: the first unit keeps its id, its source becomes the
  concatenation of all the sources (nothing lost, nothing added), and the other units' revisions
  are moved onto it, renumbered in time order, before those units are deleted; the merged text is
  the newest revision. Memory is written for the merged source.

``propagate`` copies a human translation onto every unit elsewhere with the same normalised
source that no person has touched (untranslated, machine or memory), as status ``memory``. SQL
narrows the candidates to sources containing the key's longest run of ideographs; Python
compares their normalised keys.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from webapp.errors import Conflict, EnfaceError, NotFound
from webapp.vocabulary import (
    APPROVED,
    EDITED,
    MEMORY,
    ORIGIN_HUMAN,
    ORIGIN_MEMORY,
    REVIEWED,
    UNTOUCHED,
    UNTRANSLATED,
)

from .database import Database, memory_key
from .memory import HUMAN, Memory
from .tables import document, revision, segment, unit
from .units import Units

_IDEOGRAPHS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def _probe(key: str) -> str:
    """A part of a memory key every source with that key contains: its longest ideograph run.

    Ideographs are NFKC-stable and never whitespace, so normalising cannot have produced them
    (except from rare radical and compatibility forms); with none, "" matches every source.
    """
    return max(_IDEOGRAPHS.findall(key), key=len, default="")


class Review:
    """What people do to translations beyond typing one sentence."""

    def __init__(self, db: Database, units: Units, memory: Memory) -> None:
        self.db = db
        self.units = units
        self.memory = memory

    def approve(self, unit_id: int, *, base_revision: int) -> dict[str, Any]:
        """Mark a translated unit approved (its text unchanged)."""
        found = self.units.get(unit_id)
        if not found["translation"]:
            raise EnfaceError("There is nothing to approve: this sentence is not translated.")
        return self.units.update(unit_id, found["translation"], base_revision=base_revision,
                                 status=APPROVED)

    def clear(self, unit_id: int, *, base_revision: int) -> dict[str, Any]:
        """Remove a unit's translation (a new revision with no text)."""
        return self.units.update(unit_id, None, base_revision=base_revision, status=UNTRANSLATED)

    def restore(self, unit_id: int, number: int, *, base_revision: int) -> dict[str, Any]:
        """Bring back the text of an old revision as a new revision (a person's choice)."""
        text = self.units.revision_text(unit_id, number)
        return self.units.update(unit_id, text, base_revision=base_revision,
                                 status=EDITED if text else UNTRANSLATED)

    def _checked(self, segment_id: int, bases: dict[int, int]) -> list[dict[str, Any]]:
        """Inside a unit of work: the segment's units, locked; Conflict unless all are at their
        base revision."""
        ids = self.db.rows(sa.select(unit.c.id).where(unit.c.segment_id == segment_id))
        rows = sorted(self.units.locked(r["id"] for r in ids).values(),
                      key=lambda r: r["position"])
        if not rows:
            raise NotFound(f"There is no paragraph {segment_id}.")
        if set(bases) != {r["id"] for r in rows} or any(
            bases[r["id"]] != r["revision"] for r in rows
        ):
            raise Conflict("This paragraph was changed elsewhere since you started editing it.")
        return rows

    def save_segment(
        self, segment_id: int, texts: list[str | None], bases: dict[int, int]
    ) -> list[dict[str, Any]]:
        """Save one text per unit of a segment as edits, all or nothing; return the units."""
        with self.db.transaction():
            rows = self._checked(segment_id, bases)
            if len(texts) != len(rows):
                raise ValueError("one text per sentence is needed")
            for row, text in zip(rows, texts, strict=True):
                if text == row["translation"]:
                    continue
                self.units.write_revision(row["id"], row["revision"], text,
                                          EDITED if text else UNTRANSLATED, ORIGIN_HUMAN, None)
                if text:
                    self.memory.remember(row["source"], row["source_lang"], row["target_lang"],
                                         text, ORIGIN_HUMAN, HUMAN)
        return self.units.segment(segment_id)["units"]

    def merge_segment(
        self, segment_id: int, translation: str, bases: dict[int, int]
    ) -> dict[str, Any]:
        """Make a segment's units one unit translated as ``translation``, keeping all history."""
        with self.db.transaction() as conn:
            rows = self._checked(segment_id, bases)
            first, ids = rows[0], [r["id"] for r in rows]
            if len(rows) > 1:
                # out of the way of (unit_id, revision)'s uniqueness first, then renumbered
                conn.execute(sa.update(revision).where(revision.c.unit_id.in_(ids))
                             .values(revision=-revision.c.id))
                order = (sa.select(revision.c.id, sa.func.row_number().over(
                    order_by=(revision.c.created_at, revision.c.id)).label("n"))
                    .where(revision.c.unit_id.in_(ids)).subquery())
                conn.execute(sa.update(revision).where(revision.c.unit_id.in_(ids)).values(
                    unit_id=first["id"],
                    revision=sa.select(order.c.n).where(order.c.id == revision.c.id)
                    .scalar_subquery()))
                conn.execute(sa.delete(unit).where(unit.c.id.in_(ids[1:])))
            source = "".join(r["source"] for r in rows)
            last = conn.execute(sa.select(sa.func.coalesce(sa.func.max(revision.c.revision), 0))
                                .where(revision.c.unit_id == first["id"])).scalar_one()
            # the unit's own counter follows its history, so the write below is revision last+1
            conn.execute(sa.update(unit).where(unit.c.id == first["id"])
                         .values(source=source, revision=last))
            self.units.write_revision(first["id"], last, translation, EDITED, ORIGIN_HUMAN, None)
            self.memory.remember(source, first["source_lang"], first["target_lang"], translation,
                                 ORIGIN_HUMAN, HUMAN)
        return self.units.get(first["id"])

    def propagate(self, unit_id: int) -> list[dict[str, Any]]:
        """Give this unit's human translation to untouched units with the same source elsewhere."""
        found = self.units.get(unit_id)
        if found["status"] not in REVIEWED or not found["translation"]:
            return []
        key = memory_key(found["source"])
        langs = self.db.row(sa.select(document.c.source_lang, document.c.target_lang)
                            .where(document.c.id == found["document_id"]))
        query = (
            sa.select(unit.c.id, unit.c.source, unit.c.revision)
            .select_from(unit.join(segment, segment.c.id == unit.c.segment_id)
                         .join(document, document.c.id == segment.c.document_id))
            .where(unit.c.id != unit_id, unit.c.status.in_(UNTOUCHED),
                   unit.c.translation.is_distinct_from(found["translation"]),
                   document.c.source_lang == langs["source_lang"],
                   document.c.target_lang == langs["target_lang"],
                   unit.c.source.contains(_probe(key), autoescape=True))
        )

        def matching() -> list[dict[str, Any]]:
            return [r for r in self.db.rows(query) if memory_key(r["source"]) == key]

        if not matching():  # the usual case: read only, no write lock
            return []
        with self.db.transaction():
            changed = [r for r in matching()
                       if self.units.write_revision(r["id"], r["revision"], found["translation"],
                                                    MEMORY, ORIGIN_MEMORY, None,
                                                    only_if=UNTOUCHED)]
        return [self.units.get(r["id"]) for r in changed]
