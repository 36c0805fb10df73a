"""The glossary repository (terms translation must follow) and the user dictionary (words the
splitter keeps whole)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from webapp.errors import Conflict, NotFound

from .database import Database, utcnow
from .tables import document, glossary, user_word

_ENTRY = (glossary.c.id, glossary.c.source, glossary.c.target, glossary.c.note,
          glossary.c.document_id)
_FIELDS = ("source", "target", "note", "document_id")


def _duplicate(source: str) -> Conflict:
    return Conflict(f"“{source}” is already in the glossary for that scope.")


@contextmanager
def _refused() -> Iterator[None]:
    """A duplicate or a vanished document another writer made meanwhile, as our errors."""
    try:
        yield
    except sa.exc.IntegrityError as exc:
        if "unique" in str(exc.orig).lower() or "duplicate" in str(exc.orig).lower():
            raise Conflict("That term is already in the glossary for that scope.") from exc
        raise NotFound("The document of that term is not in the library any more.") from exc


class Glossary:
    """Glossary entries (library-wide or for one document) and the user dictionary."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def entries(self, *, query: str = "", document_id: int | None = None) -> list[dict[str, Any]]:
        """Entries, source order; ``query`` (taken literally) filters on source, target or
        note; ``document_id`` keeps the library-wide entries and that document's."""
        text = query.strip()
        found = sa.select(*_ENTRY).order_by(glossary.c.source, glossary.c.document_id)
        if text:
            found = found.where(sa.or_(*(column.contains(text, autoescape=True) for column in
                                         (glossary.c.source, glossary.c.target, glossary.c.note))))
        if document_id is not None:
            found = found.where(sa.or_(glossary.c.document_id.is_(None),
                                       glossary.c.document_id == document_id))
        return self.db.rows(found)

    def for_document(self, document_id: int) -> list[dict[str, Any]]:
        """The entries that apply to a document: its own win over library-wide ones."""
        rows = self.db.rows(
            sa.select(*_ENTRY).where(sa.or_(glossary.c.document_id.is_(None),
                                            glossary.c.document_id == document_id))
            .order_by(glossary.c.document_id.is_(None)))
        chosen: dict[str, dict[str, Any]] = {}
        for row in rows:
            chosen.setdefault(row["source"], row)
        return list(chosen.values())

    def get(self, entry_id: int) -> dict[str, Any]:
        """One entry; NotFound if absent."""
        found = self.db.row(sa.select(*_ENTRY).where(glossary.c.id == entry_id))
        if found is None:
            raise NotFound(f"There is no glossary entry {entry_id}.")
        return found

    def add(self, rows: Iterable[tuple[str, str, str, int | None]]) -> list[int]:
        """Insert (source, target, note, document_id) rows, all or none; Conflict on a duplicate."""
        now = utcnow()
        ids: list[int] = []
        with _refused(), self.db.transaction() as conn:
            for source, target, note, document_id in rows:
                self._check_document(document_id)
                if self._taken(source, document_id):
                    raise _duplicate(source)
                ids.append(conn.execute(sa.insert(glossary).returning(glossary.c.id).values(
                    source=source, target=target, note=note, document_id=document_id,
                    created_at=now, updated_at=now)).scalar_one())
        return ids

    def update(self, entry_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        """Change some of source, target, note, document_id; the entry after the change."""
        with _refused(), self.db.transaction() as conn:
            current = self.get(entry_id)
            merged = {field: changes.get(field, current[field]) for field in _FIELDS}
            self._check_document(merged["document_id"])
            if self._taken(merged["source"], merged["document_id"], besides=entry_id):
                raise _duplicate(merged["source"])
            conn.execute(sa.update(glossary).where(glossary.c.id == entry_id)
                         .values(**merged, updated_at=utcnow()))
        return self.get(entry_id)

    def _taken(self, source: str, document_id: int | None, besides: int | None = None) -> bool:
        query = sa.select(glossary.c.id).where(
            glossary.c.source == source,
            glossary.c.document_id.is_(None) if document_id is None
            else glossary.c.document_id == document_id)
        if besides is not None:
            query = query.where(glossary.c.id != besides)
        return self.db.scalar(query) is not None

    def _check_document(self, document_id: int | None) -> None:
        if document_id is not None and self.db.scalar(
                sa.select(document.c.id).where(document.c.id == document_id)) is None:
            raise NotFound(f"There is no document {document_id}.")

    def remove(self, entry_id: int) -> None:
        """Delete an entry; NotFound if absent."""
        with self.db.transaction() as conn:
            if conn.execute(sa.delete(glossary).where(glossary.c.id == entry_id)).rowcount == 0:
                raise NotFound(f"There is no glossary entry {entry_id}.")

    def user_words(self) -> list[str]:
        """Words the splitter keeps whole, besides the glossary's source terms."""
        return [r["word"] for r in self.db.rows(sa.select(user_word.c.word)
                                                .order_by(user_word.c.word))]

    def add_user_word(self, word: str) -> None:
        """Keep ``word`` whole when splitting (no error if it is there already)."""
        with self.db.transaction() as conn:
            conn.execute(sa.text("INSERT INTO user_word (word, created_at) VALUES (:w, :now)"
                                 " ON CONFLICT DO NOTHING"), {"w": word, "now": utcnow()})

    def remove_user_word(self, word: str) -> None:
        """Split ``word`` as the dictionary would again."""
        with self.db.transaction() as conn:
            conn.execute(sa.delete(user_word).where(user_word.c.word == word))

    def split_words(self) -> list[str]:
        """Every word the splitter must keep whole: user words and glossary source terms."""
        query = sa.union(sa.select(user_word.c.word), sa.select(glossary.c.source))
        with self.db.connection() as conn:
            return list(conn.execute(query).scalars())
