"""The units repository: sentences, their translations and their history (revisions).

Every change of a unit's English goes through ``write_revision``: a conditional update (the unit
must still be at the revision the change was based on, and in the states it allows) followed by
the revision row, with who made it. Two writers racing for one unit — two people, or two workers
after a lease was taken over — cannot both win, on SQLite or PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from webapp.errors import Conflict, NotFound
from webapp.vocabulary import (
    MACHINE,
    MEMORY,
    ORIGIN_HUMAN,
    ORIGIN_IMPORT,
    ORIGIN_MACHINE,
    ORIGIN_MEMORY,
    REVIEWED,
    STATUSES,
    UNTRANSLATED,
)

from .accounts import actor
from .database import Database, utcnow
from .documents import UNIT_COLUMNS, unit_dict
from .memory import HUMAN, Memory
from .quality import Quality
from .tables import document, revision, segment, unit, unit_check

_STAMP = "enface_units_stamp"  # the units a unit of work changed, stamped as it commits
_HISTORY = (revision.c.revision, revision.c.text, revision.c.status, revision.c.origin,
            revision.c.model_id, revision.c.created_at, revision.c.user_name)
_WITH_LANGS = (unit.join(segment, segment.c.id == unit.c.segment_id)
               .join(document, document.c.id == segment.c.document_id))


class Units:
    """Sentences of documents: reading them, storing machine output, people's changes."""

    def __init__(self, db: Database, memory: Memory, quality: Quality) -> None:
        self.db = db
        self.memory = memory
        self.quality = quality

    # --- reading ---------------------------------------------------------------------------

    def get(self, unit_id: int) -> dict[str, Any]:
        """One unit with its document and segment ids; NotFound if absent."""
        row = self.db.row(sa.select(*UNIT_COLUMNS, segment.c.document_id, unit.c.segment_id)
                          .join(segment, segment.c.id == unit.c.segment_id)
                          .where(unit.c.id == unit_id))
        if row is None:
            raise NotFound(f"There is no sentence {unit_id}.")
        return unit_dict(row) | {"document_id": row["document_id"],
                                 "segment_id": row["segment_id"]}

    def history(self, unit_id: int, *, newest_first: bool = False) -> list[dict[str, Any]]:
        """A unit's revisions, oldest first (or newest first); NotFound for no such unit."""
        with self.db.reading():
            self.get(unit_id)
            order = revision.c.revision.desc() if newest_first else revision.c.revision
            return self.db.rows(sa.select(*_HISTORY).where(revision.c.unit_id == unit_id)
                                .order_by(order))

    def revision_text(self, unit_id: int, number: int) -> str | None:
        """The text of one revision of a unit; NotFound if it has no such revision."""
        row = self.db.row(sa.select(revision.c.text).where(revision.c.unit_id == unit_id,
                                                           revision.c.revision == number))
        if row is None:
            self.get(unit_id)
            raise NotFound(f"Sentence {unit_id} has no revision {number}.")
        return row["text"]

    def of_document(self, doc_id: int, *, statuses: Sequence[str] = STATUSES,
                    since: str | None = None) -> list[dict[str, Any]]:
        """A document's units in reading order, with their segment's id and position;
        only those in ``statuses``, changed (their English, or what the checks and the model
        say of it) at or after ``since`` when given."""
        query = (sa.select(*UNIT_COLUMNS, unit.c.segment_id,
                           segment.c.position.label("segment_position"))
                 .join(segment, segment.c.id == unit.c.segment_id)
                 .where(segment.c.document_id == doc_id)
                 .order_by(segment.c.position, unit.c.position))
        if tuple(statuses) != STATUSES:
            query = query.where(unit.c.status.in_(statuses))
        if since is not None:  # (the checks come after the English: see Quality.judge)
            query = query.where(sa.or_(unit.c.updated_at >= since, sa.exists().where(
                unit_check.c.unit_id == unit.c.id, unit_check.c.computed_at >= since)))
        return self.db.rows(query)

    def pending(self, doc_id: int) -> list[tuple[int, str]]:
        """(unit id, source) of a document's untranslated units, in reading order."""
        return [(u["id"], u["source"]) for u in self.of_document(doc_id, statuses=[UNTRANSLATED])]

    def changed_since(self, doc_id: int, since: str) -> list[dict[str, Any]]:
        """A document's units changed at or after ``since`` (ISO UTC; "" means ever)."""
        return [unit_dict(u) for u in self.of_document(doc_id, since=since)]

    def last_change(self, doc_id: int) -> str:
        """When a unit of the document (its English, or its checks) last changed (ISO UTC),
        or "" if none ever did."""
        row = self.db.row(
            sa.select(sa.func.max(unit.c.updated_at).label("english"),
                      sa.func.max(unit_check.c.computed_at).label("checked"))
            .select_from(unit.join(segment, segment.c.id == unit.c.segment_id)
                         .outerjoin(unit_check, unit_check.c.unit_id == unit.c.id))
            .where(segment.c.document_id == doc_id))
        return max(row["english"] or "", row["checked"] or "") if row else ""

    def status_counts(self, doc_id: int) -> dict[str, int]:
        """How many of a document's units have each status (every status present, maybe 0)."""
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.db.rows(
            sa.select(unit.c.status, sa.func.count().label("n"))
            .join(segment, segment.c.id == unit.c.segment_id)
            .where(segment.c.document_id == doc_id).group_by(unit.c.status)
        ):
            counts[row["status"]] = row["n"]
        return counts

    def totals(self) -> dict[str, int]:
        """How many units of the whole library have each status."""
        return {r["status"]: r["n"] for r in self.db.rows(
            sa.select(unit.c.status, sa.func.count().label("n")).group_by(unit.c.status))}

    def segment(self, segment_id: int) -> dict[str, Any]:
        """One segment with its units in order and its document's languages; NotFound if absent."""
        with self.db.reading():
            seg = self.db.row(
                sa.select(segment.c.id, segment.c.position, segment.c.kind, segment.c.href,
                          segment.c.document_id, document.c.source_lang, document.c.target_lang)
                .join(document, document.c.id == segment.c.document_id)
                .where(segment.c.id == segment_id))
            if seg is None:
                raise NotFound(f"There is no paragraph {segment_id}.")
            rows = self.db.rows(sa.select(*UNIT_COLUMNS).where(unit.c.segment_id == segment_id)
                                .order_by(unit.c.position))
        return seg | {"units": [unit_dict(r) for r in rows]}

    def locked(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """Inside a unit of work: these units (revision, source, status, languages), locked
        against other writers until it ends (PostgreSQL; SQLite's write lock covers it)."""
        wanted = list(ids)
        if not wanted:
            return {}
        rows = self.db.rows(
            sa.select(unit.c.id, unit.c.segment_id, unit.c.position, unit.c.source,
                      unit.c.translation, unit.c.status, unit.c.revision, unit.c.updated_at,
                      document.c.source_lang, document.c.target_lang)
            .select_from(_WITH_LANGS).where(self.db.among(unit.c.id, wanted))
            .order_by(unit.c.id).with_for_update(of=unit))
        return {r["id"]: r for r in rows}

    # --- writing ---------------------------------------------------------------------------

    def write_revision(self, unit_id: int, base: int, text: str | None, status: str,
                       origin: str, model_id: str | None, *,
                       only_if: Sequence[str] | None = None, check: bool = True) -> bool:
        """Set a unit's English as revision ``base + 1`` if it is still at ``base`` (and, with
        ``only_if``, in one of those statuses); record the revision with who made it, and have
        its checks done before the unit of work commits (``Quality.changed``) — unless
        ``check=False``: the caller has the model judge it next, which checks it then.
        False when the unit moved on meanwhile (nothing written)."""
        with self.db.transaction() as conn:
            now = utcnow()  # (SQLite: inside the write lock, so no later commit has an earlier one)
            condition = [unit.c.id == unit_id, unit.c.revision == base]
            if only_if is not None:
                condition.append(unit.c.status.in_(only_if))
            changed = conn.execute(
                sa.update(unit).where(*condition)
                .values(translation=text, status=status, revision=base + 1, updated_at=now)
            ).rowcount
            if changed != 1:
                return False
            self._recorded(conn, {unit_id: (base, text)}, status, origin, model_id, now,
                           check=check)
        return True

    def _recorded(self, conn: sa.Connection, written: dict[int, tuple[int, str | None]],
                  status: str, origin: str, model_id: str | None, now: str, *,
                  check: bool) -> None:
        """After the units' rows are written (unit id -> (base revision, English)): their
        revisions recorded with who made them, their checks asked for (``check``), and on
        PostgreSQL their stamp from the commit clock."""
        who = actor()
        conn.execute(sa.insert(revision), [
            {"unit_id": unit_id, "revision": base + 1, "text": text, "status": status,
             "origin": origin, "model_id": model_id, "created_at": now, "user_name": who}
            for unit_id, (base, text) in written.items()])
        if check:
            self.quality.changed(written)
        if not self.db.sqlite:
            conn.info.setdefault(_STAMP, set()).update(written)
            self.db.before_commit("units-stamp", self._stamp, last=True)

    def _stamp(self) -> None:
        """PostgreSQL, the unit of work's last step: the changed units' ``updated_at`` from the
        commit clock.

        A reader polls a document for the units changed at or after the newest ``updated_at``
        it saw. Stamped when the write began, a batch whose checks took a while could commit
        after another worker's later-stamped batch and never be seen; stamped here, under the
        document's commit lock, a unit of work that commits later never carries an earlier
        time. (SQLite's writers take turns from their first statement to their commit.)"""
        with self.db.transaction() as conn:
            changed = sorted(conn.info.pop(_STAMP, set()))
            if not changed:
                return
            docs = conn.execute(sa.select(segment.c.document_id).distinct()
                                .join(unit, unit.c.segment_id == segment.c.id)
                                .where(self.db.among(unit.c.id, changed))).scalars().all()
            now = self.db.commit_clock(docs)
            conn.execute(sa.update(unit).where(self.db.among(unit.c.id, changed))
                         .values(updated_at=now))

    def update(self, unit_id: int, translation: str | None, *, base_revision: int, status: str,
               origin: str = ORIGIN_HUMAN, model_id: str | None = None) -> dict[str, Any]:
        """Change a unit's translation and status if still at ``base_revision``, else Conflict."""
        with self.db.transaction():
            self.change(unit_id, translation, base_revision, status, origin, model_id)
        return self.get(unit_id)

    def change(self, unit_id: int, translation: str | None, base_revision: int, status: str,
               origin: str, model_id: str | None) -> int:
        """Inside a unit of work: check the base revision, write the change, keep a reviewed
        translation in the memory; 1 if it changed, 0 if it was already so."""
        with self.db.transaction():
            row = self.locked([unit_id]).get(unit_id)
            if row is None:
                raise NotFound(f"There is no sentence {unit_id}.")
            if row["revision"] != base_revision:
                raise Conflict(
                    "This sentence was changed elsewhere since you started editing it.",
                    current=unit_dict(row))
            if row["translation"] == translation and row["status"] == status:
                return 0
            self.write_revision(unit_id, base_revision, translation, status, origin, model_id)
            if status in REVIEWED and translation:
                kept_as = ORIGIN_IMPORT if origin == ORIGIN_IMPORT else ORIGIN_HUMAN
                self.memory.remember(row["source"], row["source_lang"], row["target_lang"],
                                     translation, kept_as, HUMAN)
        return 1

    def apply_changes(self, changes: Iterable[Any], *, origin: str = ORIGIN_IMPORT) -> int:
        """Apply many (unit_id, translation, status, base_revision) changes: all or none."""
        with self.db.transaction():
            return sum(self.change(c.unit_id, c.translation, c.base_revision, c.status, origin,
                                   None) for c in changes)

    def machine(self, doc_id: int) -> list[tuple[int, str, str | None, int]]:
        """(id, source, translation, revision) of a document's machine and memory units."""
        return [(u["id"], u["source"], u["translation"], u["revision"])
                for u in self.of_document(doc_id, statuses=[MACHINE, MEMORY])]

    def replace_machine(self, results: Iterable[tuple[int, str, int]], *, model_id: str,
                        check: bool = True) -> int:
        """New machine output (unit id, text, base revision) for units nobody touched since
        (``check`` as for ``write_revision``)."""
        with self.db.transaction():
            return sum(self.write_revision(unit_id, base, text, MACHINE, ORIGIN_MACHINE,
                                           model_id, only_if=(MACHINE, MEMORY), check=check)
                       for unit_id, text, base in results)

    def store_translations(
        self, results: Iterable[tuple[int, str]], *, model_id: str, origin: str = ORIGIN_MACHINE,
        remember: bool = True, check: bool = True,
    ) -> int:
        """Store machine (or memory) output for units still untranslated; return how many.

        ``remember=False`` keeps the output out of the memory (glossary-bound translations).
        A unit a person (or another worker) got to first keeps what it has. ``check=False``:
        the caller has the model judge this English next, which checks it (``Quality.judge``).
        """
        results = list(results)
        status = MEMORY if origin == ORIGIN_MEMORY else MACHINE
        with self.db.transaction() as conn:
            rows = self.locked(unit_id for unit_id, _ in results)  # (and so they stay)
            writes: dict[int, tuple[dict[str, Any], str]] = {}
            for unit_id, text in results:
                row = rows.get(unit_id)
                if row is None or row["status"] != UNTRANSLATED or unit_id in writes:
                    continue  # deleted meanwhile, a person got there first; twice: the first
                writes[unit_id] = (row, text)
            if not writes:
                return 0
            # one statement for the batch (a batch is tens of sentences): the rows are locked
            # and still at the revision read, so every update lands
            now = utcnow()
            done = conn.execute(
                sa.update(unit).where(unit.c.id == sa.bindparam("u_id"),
                                      unit.c.revision == sa.bindparam("u_base"),
                                      unit.c.status == UNTRANSLATED)
                .values(translation=sa.bindparam("u_text"), status=status,
                        revision=sa.bindparam("u_base") + 1, updated_at=now),
                [{"u_id": unit_id, "u_base": row["revision"], "u_text": text}
                 for unit_id, (row, text) in writes.items()])
            if self.db.engine.dialect.supports_sane_multi_rowcount and \
                    done.rowcount != len(writes):
                raise RuntimeError("a locked unit changed under its lock")
            self._recorded(conn, {unit_id: (row["revision"], text)
                                  for unit_id, (row, text) in writes.items()},
                           status, origin, model_id, now, check=check)
            if origin == ORIGIN_MACHINE and remember:
                self.memory.remember_many(
                    [(row["source"], row["source_lang"], row["target_lang"], text)
                     for row, text in writes.values()], ORIGIN_MACHINE, model_id)
        return len(writes)

    # --- who did what ------------------------------------------------------------------------

    def last_editors(self, doc_ids: Iterable[int]) -> dict[int, dict[str, str]]:
        """Per document of ``doc_ids``: who made its newest attributed revision, and when."""
        wanted = list(doc_ids)
        if not wanted:
            return {}
        newest = (
            sa.select(segment.c.document_id, revision.c.user_name, revision.c.created_at,
                      sa.func.row_number().over(
                          partition_by=segment.c.document_id,
                          order_by=(revision.c.created_at.desc(), revision.c.id.desc()),
                      ).label("n"))
            .select_from(revision.join(unit, unit.c.id == revision.c.unit_id)
                         .join(segment, segment.c.id == unit.c.segment_id))
            .where(self.db.among(segment.c.document_id, wanted),
                   revision.c.user_name.is_not(None))
            .subquery()
        )
        rows = self.db.rows(sa.select(newest.c.document_id, newest.c.user_name,
                                      newest.c.created_at.label("at")).where(newest.c.n == 1))
        return {r["document_id"]: {"user_name": r["user_name"], "at": r["at"]} for r in rows}

    def last_editor(self, doc_id: int) -> dict[str, str] | None:
        """Who made a document's newest attributed revision, and when (None: nobody yet)."""
        return self.last_editors([doc_id]).get(doc_id)

    def authors(self, doc_id: int) -> dict[int, tuple[str | None, str | None]]:
        """Per unit: (who made its first attributed revision, who made its newest revision)."""
        rows = self.db.rows(
            sa.select(revision.c.unit_id, revision.c.user_name)
            .select_from(revision.join(unit, unit.c.id == revision.c.unit_id)
                         .join(segment, segment.c.id == unit.c.segment_id))
            .where(segment.c.document_id == doc_id)
            .order_by(revision.c.unit_id, revision.c.revision))
        authors: dict[int, tuple[str | None, str | None]] = {}
        for r in rows:
            first = authors.get(r["unit_id"], (None, None))[0] or r["user_name"]
            authors[r["unit_id"]] = (first, r["user_name"])
        return authors

