"""The translation memory: a normalised source sentence → its translation, per model or human."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from .database import Database, memory_key, utcnow
from .tables import memory

#: model_id of human translations in the memory: they win over any model's.
HUMAN = ""


class Memory:
    """What was translated before, by a model or a person, keyed by the normalised source."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def lookup(
        self, sources: Iterable[str], source_lang: str, target_lang: str, model_id: str
    ) -> dict[str, tuple[str, str]]:
        """Memory hits for these sources: key -> (translation, origin). Human entries win."""
        keys = sorted({memory_key(s) for s in sources})
        hits: dict[str, tuple[str, str]] = {}
        for start in range(0, len(keys), 500):
            rows = self.db.rows(
                sa.select(memory.c.source_key, memory.c.translation, memory.c.origin)
                .where(memory.c.source_lang == source_lang, memory.c.target_lang == target_lang,
                       memory.c.model_id.in_([model_id, HUMAN]),
                       memory.c.source_key.in_(keys[start:start + 500]))
                .order_by(memory.c.model_id == HUMAN)
            )
            for r in rows:  # the human entry sorts last, so it overwrites the model's
                hits[r["source_key"]] = (r["translation"], r["origin"])
        return hits

    def remember(self, source: str, source_lang: str, target_lang: str, translation: str,
                 origin: str, model_id: str) -> None:
        """Keep (or replace) the translation of ``source`` (inside the caller's unit of work)."""
        self.remember_many([(source, source_lang, target_lang, translation)], origin, model_id)

    def remember_many(self, entries: Sequence[tuple[str, str, str, str]], origin: str,
                      model_id: str) -> None:
        """Keep (or replace) translations (source, source language, target language,
        translation) in one statement; a source twice: the last wins."""
        now = utcnow()
        values = [{"source_key": memory_key(source), "source_lang": source_lang,
                   "target_lang": target_lang, "model_id": model_id, "translation": translation,
                   "origin": origin, "updated_at": now}
                  for source, source_lang, target_lang, translation in entries]
        if not values:
            return
        with self.db.transaction() as conn:
            conn.execute(
                sa.text("INSERT INTO memory (source_key, source_lang, target_lang, model_id,"
                        " translation, origin, updated_at) VALUES (:source_key, :source_lang,"
                        " :target_lang, :model_id, :translation, :origin, :updated_at)"
                        " ON CONFLICT (source_key, source_lang, target_lang, model_id)"
                        " DO UPDATE SET translation = excluded.translation,"
                        " origin = excluded.origin, updated_at = excluded.updated_at"),
                values,
            )
