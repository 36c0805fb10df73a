"""Units: translations, edits with optimistic concurrency, history and translation memory."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from webapp.errors import Conflict, NotFound
from webapp.vocabulary import (
    MACHINE,
    MEMORY,
    ORIGIN_HUMAN,
    ORIGIN_IMPORT,
    ORIGIN_MACHINE,
    ORIGIN_MEMORY,
    REVIEWED,
    UNTRANSLATED,
)

from .accounts import actor
from .db import Database, utcnow
from .documents import UNIT_COLUMNS, unit_dict

_SPACE = re.compile(r"\s+")
HUMAN = ""  # model_id of human translations in the memory: they win over any model's


def memory_key(source: str) -> str:
    """A source sentence normalised for the memory: NFKC, whitespace collapsed, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", source)).strip()


class Units:
    """Mixin: the sentence side of the library."""

    db: Database

    def get_unit(self, unit_id: int) -> dict[str, Any]:
        """One unit with its document id; NotFound if absent."""
        row = self.db.one(
            f"SELECT {UNIT_COLUMNS}, s.document_id, s.id AS segment_id FROM unit u"  # noqa: S608
            " JOIN segment s ON s.id = u.segment_id WHERE u.id = ?",
            (unit_id,),
        )
        if row is None:
            raise NotFound(f"There is no sentence {unit_id}.")
        return unit_dict(row) | {"document_id": row["document_id"], "segment_id": row["segment_id"]}

    def revisions(self, unit_id: int) -> list[dict[str, Any]]:
        """A unit's history, oldest first."""
        self.get_unit(unit_id)
        rows = self.db.query(
            "SELECT revision, text, status, origin, model_id, created_at, user_name FROM revision"
            " WHERE unit_id = ? ORDER BY revision",
            (unit_id,),
        )
        return [dict(r) for r in rows]

    def update_unit(
        self,
        unit_id: int,
        translation: str | None,
        *,
        base_revision: int,
        status: str,
        origin: str = ORIGIN_HUMAN,
        model_id: str | None = None,
    ) -> dict[str, Any]:
        """Change a unit's translation and status if still at ``base_revision``, else Conflict."""
        with self.db.write() as conn:
            _change(conn, unit_id, translation, base_revision, status, origin, model_id)
        return self.get_unit(unit_id)

    def apply_changes(self, changes: Iterable[Any], *, origin: str = ORIGIN_IMPORT) -> int:
        """Apply many (unit_id, translation, status, base_revision) changes: all or none."""
        count = 0
        with self.db.write() as conn:
            for change in changes:
                count += _change(conn, change.unit_id, change.translation, change.base_revision,
                                 change.status, origin, None)
        return count

    def pending_units(self, doc_id: int) -> list[tuple[int, str]]:
        """(unit id, source) of a document's untranslated units, in reading order."""
        rows = self.db.query(
            "SELECT u.id, u.source FROM unit u JOIN segment s ON s.id = u.segment_id"
            " WHERE s.document_id = ? AND u.status = 'untranslated'"
            " ORDER BY s.position, u.position",
            (doc_id,),
        )
        return [(r["id"], r["source"]) for r in rows]

    def pending_segments(self, doc_id: int) -> dict[int, tuple[int, int]]:
        """unit id -> (segment id, segment position) of a document's untranslated units."""
        rows = self.db.query(
            "SELECT u.id, s.id AS segment_id, s.position FROM unit u"
            " JOIN segment s ON s.id = u.segment_id"
            " WHERE s.document_id = ? AND u.status = 'untranslated'",
            (doc_id,),
        )
        return {r["id"]: (r["segment_id"], r["position"]) for r in rows}

    def memory_lookup(
        self, sources: Iterable[str], source_lang: str, target_lang: str, model_id: str
    ) -> dict[str, tuple[str, str]]:
        """Memory hits for these sources: key -> (translation, origin). Human entries win."""
        keys = sorted({memory_key(s) for s in sources})
        hits: dict[str, tuple[str, str]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.query(
                "SELECT source_key, translation, origin, model_id FROM memory"  # noqa: S608
                f" WHERE source_lang = ? AND target_lang = ? AND model_id IN (?, ?)"
                f" AND source_key IN ({marks}) ORDER BY model_id = '' ",
                (source_lang, target_lang, model_id, HUMAN, *chunk),
            )
            for r in rows:  # the human entry sorts last, so it overwrites the model's
                hits[r["source_key"]] = (r["translation"], r["origin"])
        return hits

    def machine_units(self, doc_id: int) -> list[tuple[int, str, str | None, int]]:
        """(id, source, translation, revision) of a document's machine and memory units."""
        rows = self.db.query(
            "SELECT u.id, u.source, u.translation, u.revision FROM unit u"
            " JOIN segment s ON s.id = u.segment_id WHERE s.document_id = ?"
            " AND u.status IN ('machine', 'memory') ORDER BY s.position, u.position",
            (doc_id,),
        )
        return [(r["id"], r["source"], r["translation"], r["revision"]) for r in rows]

    def replace_machine_translations(
        self, results: Iterable[tuple[int, str, int]], *, model_id: str
    ) -> int:
        """New machine output (unit id, text, base revision) for units nobody touched since."""
        now = utcnow()
        stored = 0
        with self.db.write() as conn:
            for unit_id, text, base in results:
                row = conn.execute("SELECT revision, status FROM unit WHERE id = ?",
                                   (unit_id,)).fetchone()
                if row is None or row["revision"] != base or row["status"] not in (
                        MACHINE, MEMORY):
                    continue  # a person edited or approved it meanwhile: theirs stays
                _write(conn, unit_id, base + 1, text, MACHINE, ORIGIN_MACHINE, model_id, now)
                stored += 1
        return stored

    def store_translations(
        self, results: Iterable[tuple[int, str]], *, model_id: str, origin: str = ORIGIN_MACHINE,
        remember: bool = True,
    ) -> int:
        """Store machine (or memory) output for units still untranslated; return how many.

        ``remember=False`` keeps the output out of the memory (glossary-bound translations).
        """
        now = utcnow()
        stored = 0
        status = MEMORY if origin == ORIGIN_MEMORY else MACHINE
        with self.db.write() as conn:
            for unit_id, text in results:
                row = conn.execute(
                    "SELECT u.revision, u.source, u.status, d.source_lang, d.target_lang"
                    " FROM unit u JOIN segment s ON s.id = u.segment_id"
                    " JOIN document d ON d.id = s.document_id WHERE u.id = ?",
                    (unit_id,),
                ).fetchone()
                if row is None or row["status"] != UNTRANSLATED:
                    continue  # deleted meanwhile, or a person got there first
                _write(conn, unit_id, row["revision"] + 1, text, status, origin, model_id, now)
                if origin == ORIGIN_MACHINE and remember:
                    _remember(conn, row, text, ORIGIN_MACHINE, model_id, now)
                stored += 1
        return stored


def _change(
    conn: Any,
    unit_id: int,
    translation: str | None,
    base_revision: int,
    status: str,
    origin: str,
    model_id: str | None,
) -> int:
    """Inside a write: check the base revision, write the change; 1 if it changed, else 0."""
    row = conn.execute(
        "SELECT u.revision, u.source, u.translation, u.status, d.source_lang,"
        " d.target_lang FROM unit u JOIN segment s ON s.id = u.segment_id"
        " JOIN document d ON d.id = s.document_id WHERE u.id = ?",
        (unit_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no sentence {unit_id}.")
    if row["revision"] != base_revision:
        current = conn.execute(
            f"SELECT {UNIT_COLUMNS} FROM unit u WHERE u.id = ?", (unit_id,)  # noqa: S608
        ).fetchone()
        raise Conflict(
            "This sentence was changed elsewhere since you started editing it.",
            current=unit_dict(current),
        )
    if row["translation"] == translation and row["status"] == status:
        return 0
    now = utcnow()
    _write(conn, unit_id, base_revision + 1, translation, status, origin, model_id, now)
    if status in REVIEWED and translation:
        kept_as = ORIGIN_IMPORT if origin == ORIGIN_IMPORT else ORIGIN_HUMAN
        _remember(conn, row, translation, kept_as, HUMAN, now)
    return 1


def _write(
    conn: Any,
    unit_id: int,
    revision: int,
    text: str | None,
    status: str,
    origin: str,
    model_id: str | None,
    now: str,
) -> None:
    """Set a unit's translation and record it as a revision, with who made it."""
    conn.execute(
        "UPDATE unit SET translation = ?, status = ?, revision = ?, updated_at = ? WHERE id = ?",
        (text, status, revision, now, unit_id),
    )
    conn.execute(
        "INSERT INTO revision (unit_id, revision, text, status, origin, model_id, created_at,"
        " user_name) VALUES (?,?,?,?,?,?,?,?)",
        (unit_id, revision, text, status, origin, model_id, now, actor()),
    )


def _remember(conn: Any, row: Any, translation: str, origin: str, model_id: str, now: str) -> None:
    conn.execute(
        "INSERT INTO memory (source_key, source_lang, target_lang, model_id, translation, origin,"
        " updated_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET"
        " translation = excluded.translation, origin = excluded.origin,"
        " updated_at = excluded.updated_at",
        (memory_key(row["source"]), row["source_lang"], row["target_lang"], model_id,
         translation, origin, now),
    )
