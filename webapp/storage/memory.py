"""The translation memory: a normalised source sentence → its translation, per model or human."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from .database import Database, memory_key, utcnow
from .quality import digest, judgement_record
from .tables import memory

#: model_id of human translations in the memory: they win over any model's.
HUMAN = ""


def _lock_order(row: dict[str, str]) -> tuple[str, str, str]:
    return row["source_key"], row["source_lang"], row["target_lang"]


class Memory:
    """What was translated before, by a model or a person, keyed by the normalised source."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def lookup(
        self, sources: Iterable[str], source_lang: str, target_lang: str, model_id: str
    ) -> dict[str, tuple[str, str]]:
        """Memory hits for these sources: key -> (translation, origin). Human entries win."""
        keys = sorted({memory_key(s) for s in sources})
        if not keys:
            return {}
        rows = self.db.rows(
            sa.select(memory.c.source_key, memory.c.translation, memory.c.origin)
            .where(memory.c.source_lang == source_lang, memory.c.target_lang == target_lang,
                   memory.c.model_id.in_([model_id, HUMAN]),
                   self.db.among(memory.c.source_key, keys))
            .order_by(memory.c.model_id == HUMAN)
        )
        # the human entry sorts last, so it overwrites the model's
        return {r["source_key"]: (r["translation"], r["origin"]) for r in rows}

    def remember(self, source: str, source_lang: str, target_lang: str, translation: str,
                 origin: str, model_id: str) -> None:
        """Keep (or replace) the translation of ``source`` (inside the caller's unit of work)."""
        self.remember_many([(source, source_lang, target_lang, translation)], origin, model_id)

    def remember_many(self, entries: Sequence[tuple[str, str, str, str]], origin: str,
                      model_id: str) -> None:
        """Keep (or replace) translations (source, source language, target language,
        translation) in one statement; a source twice: the last wins. Rows are written in
        the order of their keys, so two workers remembering the same sentences lock them in
        the same order (PostgreSQL would otherwise find a deadlock and fail one)."""
        now = utcnow()
        values = sorted(({"source_key": memory_key(source), "source_lang": source_lang,
                          "target_lang": target_lang, "model_id": model_id,
                          "translation": translation, "origin": origin, "updated_at": now}
                         for source, source_lang, target_lang, translation in entries),
                        key=_lock_order)  # (stable: a source twice keeps its order)
        if not values:
            return
        with self.db.transaction() as conn:
            conn.execute(
                sa.text("INSERT INTO memory (source_key, source_lang, target_lang, model_id,"
                        " translation, origin, updated_at) VALUES (:source_key, :source_lang,"
                        " :target_lang, :model_id, :translation, :origin, :updated_at)"
                        " ON CONFLICT (source_key, source_lang, target_lang, model_id)"
                        " DO UPDATE SET translation = excluded.translation,"
                        " origin = excluded.origin, updated_at = excluded.updated_at,"
                        " judgement = CASE WHEN memory.translation = excluded.translation"
                        " THEN memory.judgement END"),  # a new English: not judged yet
                values,
            )

    def keep_judgements(self, source_lang: str, target_lang: str, model_id: str,
                        judged: Sequence[tuple[str, str, Any]]) -> None:
        """Keep the model's judgement of its own English with its entry: (source, the English
        judged, its ``engine.Analysis``); an entry whose English is another by now is left
        alone. (In the order of their keys, as ``remember_many`` writes.)"""
        values = sorted(({"key": memory_key(source), "english": english,
                          "record": json.dumps(judgement_record(source, analysis),
                                               separators=(",", ":"))}
                         for source, english, analysis in judged), key=lambda v: v["key"])
        if not values:
            return
        with self.db.transaction() as conn:
            conn.execute(
                sa.update(memory)
                .where(memory.c.source_key == sa.bindparam("key"),
                       memory.c.source_lang == source_lang,
                       memory.c.target_lang == target_lang,
                       memory.c.model_id == model_id,
                       memory.c.translation == sa.bindparam("english"))
                .values(judgement=sa.bindparam("record")),
                values,
            )

    def kept_judgements(self, source_lang: str, target_lang: str, model_id: str,
                        wanted: Sequence[tuple[str, str]]) -> list[dict[str, Any] | None]:
        """For each (source, English): the model's kept judgement of that English for that
        exact source (``judgement_record``), or None."""
        keys = sorted({memory_key(source) for source, _ in wanted})
        kept: dict[str, tuple[str, dict[str, Any]]] = {
            r["source_key"]: (r["translation"], json.loads(r["judgement"]))
            for r in self.db.rows(
                sa.select(memory.c.source_key, memory.c.translation, memory.c.judgement)
                .where(memory.c.source_lang == source_lang, memory.c.target_lang == target_lang,
                       memory.c.model_id == model_id, memory.c.judgement.is_not(None),
                       self.db.among(memory.c.source_key, keys)))
        } if keys else {}
        found: list[dict[str, Any] | None] = []
        for source, english in wanted:
            text, record = kept.get(memory_key(source), (None, None))
            found.append(record if text == english and record["source"] == digest(source)
                         else None)
        return found
