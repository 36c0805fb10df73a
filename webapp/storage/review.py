"""Review: approve, clear, restore, paragraph saves and merges, and spreading corrections.

A paragraph (segment) edited as a whole is saved one of two ways, each in one transaction:

* ``save_segment``: one text per sentence, in order: each unit whose text changed gets a new
  revision; any unit changed since the reader's base revision refuses the whole save (Conflict).
* ``merge_segment``: when the reader's English no longer splits into the same number of
  sentences, the segment's units become one: the first unit keeps its id, its source becomes the
  concatenation of all the sources (nothing lost, nothing added), and the other units' revisions
  are moved onto it, renumbered in time order, before those units are deleted; the merged text is
  the newest revision. Memory is written for the merged source.

``propagate`` copies a human translation onto every unit elsewhere with the same normalised
source that no person has touched (untranslated, machine or memory), as status ``memory``. SQL
narrows the candidates to sources containing the key's longest run of ideographs before Python
compares normalised keys, so a save does not normalise the whole library.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from webapp.errors import Conflict, EnfaceError, NotFound
from webapp.vocabulary import (
    APPROVED,
    EDITED,
    MEMORY,
    ORIGIN_HUMAN,
    ORIGIN_MEMORY,
    REVIEWED,
    STATUSES,
    UNTOUCHED,
    UNTRANSLATED,
)

from .db import Database, utcnow
from .documents import UNIT_COLUMNS, unit_dict
from .units import HUMAN, _remember, _write, memory_key

_IDEOGRAPHS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def _probe(key: str) -> str:
    """A part of a memory key every source with that key contains: its longest ideograph run.

    Ideographs are NFKC-stable and never whitespace, so normalising cannot have produced them
    (except from rare radical and compatibility forms); with none, "" matches every source.
    """
    return max(_IDEOGRAPHS.findall(key), key=len, default="")


def _key_function(conn: sqlite3.Connection) -> None:
    conn.create_function("enface_memory_key", 1, memory_key, deterministic=True)


class Review:
    """Mixin: reviewing translations (uses ``get_unit`` and ``update_unit`` of Units)."""

    db: Database

    def approve_unit(self, unit_id: int, *, base_revision: int) -> dict[str, Any]:
        """Mark a translated unit approved (its text unchanged)."""
        unit = self.get_unit(unit_id)
        if not unit["translation"]:
            raise EnfaceError("There is nothing to approve: this sentence is not translated.")
        return self.update_unit(unit_id, unit["translation"], base_revision=base_revision,
                                status=APPROVED)

    def clear_unit(self, unit_id: int, *, base_revision: int) -> dict[str, Any]:
        """Remove a unit's translation (a new revision with no text)."""
        return self.update_unit(unit_id, None, base_revision=base_revision,
                                status=UNTRANSLATED)

    def restore_revision(self, unit_id: int, revision: int, *, base_revision: int) -> dict:
        """Bring back the text of an old revision as a new revision (a person's choice)."""
        row = self.db.one(
            "SELECT text FROM revision WHERE unit_id = ? AND revision = ?", (unit_id, revision)
        )
        if row is None:
            self.get_unit(unit_id)
            raise NotFound(f"Sentence {unit_id} has no revision {revision}.")
        text = row["text"]
        return self.update_unit(unit_id, text, base_revision=base_revision,
                                status=EDITED if text else UNTRANSLATED)

    def revision_texts(self, unit_id: int) -> list[dict[str, Any]]:
        """A unit's history, newest first."""
        rows = self.db.query(
            "SELECT revision, text, status, origin, model_id, created_at, user_name FROM revision"
            " WHERE unit_id = ? ORDER BY revision DESC",
            (unit_id,),
        )
        return [dict(r) for r in rows]

    def status_counts(self, doc_id: int) -> dict[str, int]:
        """How many of a document's units have each status (every status present, maybe 0)."""
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.db.query(
            "SELECT u.status, COUNT(*) AS n FROM unit u JOIN segment s ON s.id = u.segment_id"
            " WHERE s.document_id = ? GROUP BY u.status",
            (doc_id,),
        ):
            counts[row["status"]] = row["n"]
        return counts

    def get_segment(self, segment_id: int) -> dict[str, Any]:
        """One segment with its units in order and its document's languages; NotFound if absent."""
        seg = self.db.one(
            "SELECT s.id, s.position, s.kind, s.href, s.document_id, d.source_lang,"
            " d.target_lang FROM segment s JOIN document d ON d.id = s.document_id"
            " WHERE s.id = ?",
            (segment_id,),
        )
        if seg is None:
            raise NotFound(f"There is no paragraph {segment_id}.")
        rows = self.db.query(
            f"SELECT {UNIT_COLUMNS} FROM unit u WHERE u.segment_id = ?"  # noqa: S608
            " ORDER BY u.position",
            (segment_id,),
        )
        return dict(seg) | {"units": [unit_dict(r) for r in rows]}

    def _locked_units(self, conn: sqlite3.Connection, segment_id: int,
                      bases: dict[int, int]) -> list[sqlite3.Row]:
        """The segment's units inside a write; Conflict unless all are at their base revision."""
        rows = conn.execute(
            f"SELECT {UNIT_COLUMNS}, d.source_lang, d.target_lang FROM unit u"  # noqa: S608
            " JOIN segment s ON s.id = u.segment_id JOIN document d ON d.id = s.document_id"
            " WHERE u.segment_id = ? ORDER BY u.position",
            (segment_id,),
        ).fetchall()
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
        now = utcnow()
        with self.db.write() as conn:
            rows = self._locked_units(conn, segment_id, bases)
            if len(texts) != len(rows):
                raise ValueError("one text per sentence is needed")
            for row, text in zip(rows, texts, strict=True):
                if text == row["translation"]:
                    continue
                status = EDITED if text else UNTRANSLATED
                _write(conn, row["id"], row["revision"] + 1, text, status, ORIGIN_HUMAN,
                       None, now)
                if text:
                    _remember(conn, row, text, ORIGIN_HUMAN, HUMAN, now)
        return self.get_segment(segment_id)["units"]

    def merge_segment(
        self, segment_id: int, translation: str, bases: dict[int, int]
    ) -> dict[str, Any]:
        """Make a segment's units one unit translated as ``translation``, keeping all history."""
        now = utcnow()
        with self.db.write() as conn:
            rows = self._locked_units(conn, segment_id, bases)
            first = rows[0]
            ids = [r["id"] for r in rows]
            marks = ",".join("?" * len(ids))
            if len(rows) > 1:
                conn.execute(
                    f"UPDATE revision SET revision = -id WHERE unit_id IN ({marks})",  # noqa: S608
                    ids,
                )
                conn.execute(
                    "UPDATE revision SET unit_id = ?, revision = (SELECT n FROM"  # noqa: S608
                    " (SELECT id, ROW_NUMBER() OVER (ORDER BY created_at, id)"
                    f" AS n FROM revision WHERE unit_id IN ({marks})) r"
                    f" WHERE r.id = revision.id) WHERE unit_id IN ({marks})",
                    (first["id"], *ids, *ids),
                )
                conn.execute(f"DELETE FROM unit WHERE id IN ({marks[2:]})", ids[1:])  # noqa: S608
            source = "".join(r["source"] for r in rows)
            last = conn.execute(
                "SELECT COALESCE(MAX(revision), 0) FROM revision WHERE unit_id = ?", (first["id"],)
            ).fetchone()[0]
            conn.execute("UPDATE unit SET source = ? WHERE id = ?", (source, first["id"]))
            _write(conn, first["id"], last + 1, translation, EDITED, ORIGIN_HUMAN, None, now)
            merged = {"source": source, "source_lang": first["source_lang"],
                      "target_lang": first["target_lang"]}
            _remember(conn, merged, translation, ORIGIN_HUMAN, HUMAN, now)
        return self.get_unit(first["id"])

    def propagate(self, unit_id: int) -> list[dict[str, Any]]:
        """Give this unit's human translation to untouched units with the same source elsewhere."""
        unit = self.get_unit(unit_id)
        if unit["status"] not in REVIEWED or not unit["translation"]:
            return []
        conn = self.db.conn
        _key_function(conn)
        query = (
            "SELECT u.id, u.revision FROM unit u JOIN segment s ON s.id = u.segment_id"
            " JOIN document d ON d.id = s.document_id"
            " WHERE u.id != ? AND u.status IN (?, ?, ?) AND u.translation IS NOT ?"
            " AND d.source_lang = ? AND d.target_lang = ? AND instr(u.source, ?) > 0"
            " AND enface_memory_key(u.source) = ?"
        )
        key = memory_key(unit["source"])
        params = (unit_id, *UNTOUCHED, unit["translation"], *self._langs(unit["document_id"]),
                  _probe(key), key)
        if not self.db.query(query, params):  # the usual case: read only, no write lock
            return []
        now = utcnow()
        with self.db.write() as conn:
            rows = conn.execute(query, params).fetchall()
            for row in rows:
                _write(conn, row["id"], row["revision"] + 1, unit["translation"],
                       MEMORY, ORIGIN_MEMORY, None, now)
        return [self.get_unit(row["id"]) for row in rows]

    def _langs(self, doc_id: int) -> tuple[str, str]:
        row = self.db.one("SELECT source_lang, target_lang FROM document WHERE id = ?", (doc_id,))
        return row["source_lang"], row["target_lang"]
