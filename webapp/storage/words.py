"""The words repository: each learner's word statuses and the sentences they met words in, each
article's words and HSK profile, and each learner's figures per article.

``Words.learner(user_id)`` is one learner's words (``actions.vocabulary.WordStore``): 0 is the
library's single local user, any other id an account's. An article's figures for a learner
(running words, known, new) come from one join of its words with the learner's statuses: for a
page of articles at once (``readings``), or kept in ``document_reading`` for sorting and
filtering a whole library (``refresh`` brings it up to date from the words changed since).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from webapp.vocabulary import WORD_IGNORED, WORD_KNOWN, WORD_NEW

from .database import Database, utcnow
from .tables import (
    document,
    document_profile,
    document_reading,
    document_word,
    segment,
    unit,
    word_example,
    word_pending,
    word_status,
)

#: Every table that holds a learner's rows (an account's go when the account goes).
LEARNER_TABLES = (word_status, word_example, document_reading, word_pending)
HSK_COLUMNS = {"1": "hsk_1", "2": "hsk_2", "3": "hsk_3", "4": "hsk_4", "5": "hsk_5",
               "6": "hsk_6", "7-9": "hsk_7_9", "beyond": "hsk_beyond"}
EXAMPLES_KEPT = 5  # sentences kept per word and learner: the newest
SORTS = ("newest", "difficulty", "-difficulty")  # easiest first, hardest first
#: What ``word_pending`` holds for a learner when an article was measured since their figures
#: were brought up to date (no word is empty).
PROFILED = ""


class Words:
    """Articles' words and profiles; ``learner(id)`` for one learner's statuses."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def learner(self, user_id: int) -> LearnerWords:
        """One learner's words (0: the single local user)."""
        return LearnerWords(self.db, user_id)

    # --- articles ------------------------------------------------------------------------------

    def profiles(self, doc_ids: Iterable[int], version: int) -> dict[int, dict[str, Any]]:
        """The stored profiles of these documents made by rules ``version``, by document id."""
        ids = sorted(set(doc_ids))
        if not ids:
            return {}
        rows = self.db.rows(sa.select(document_profile).where(
            self.db.among(document_profile.c.document_id, ids),
            document_profile.c.version == version))
        return {row["document_id"]: row for row in rows}

    def save_profile(self, doc_id: int, version: int, figures: Mapping[str, Any],
                     words: Iterable[tuple[str, bool, int]]) -> bool:
        """Store a document's profile and its (word, is_name, count) rows, replacing what was
        there (learners' figures for it are worked out again); False if it is gone."""
        rows = [{"document_id": doc_id, "word": w, "is_name": bool(n), "count": c}
                for w, n, c in words]
        try:
            with self.db.transaction() as conn:
                conn.execute(sa.delete(document_word).where(document_word.c.document_id == doc_id))
                conn.execute(sa.delete(document_reading)
                             .where(document_reading.c.document_id == doc_id))
                conn.execute(sa.delete(document_profile)
                             .where(document_profile.c.document_id == doc_id))
                conn.execute(sa.insert(document_profile).values(
                    document_id=doc_id, version=version, updated_at=utcnow(), **figures))
                if rows:
                    conn.execute(sa.insert(document_word), rows)
                conn.execute(sa.text(  # learners' figures lack an article now (see refresh)
                    "INSERT INTO word_pending (user_id, word) SELECT DISTINCT user_id, :w"
                    " FROM document_reading WHERE true ON CONFLICT (user_id, word) DO NOTHING"),
                    {"w": PROFILED})
        except sa.exc.IntegrityError:  # the document was deleted meanwhile
            if self.db.scalar(sa.select(document.c.id).where(document.c.id == doc_id)) is None:
                return False
            raise
        return True

    def unprofiled(self, version: int, limit: int = 200) -> list[int]:
        """Documents without a profile made by rules ``version``, oldest first."""
        profile = document_profile
        return [r["id"] for r in self.db.rows(
            sa.select(document.c.id)
            .select_from(document.outerjoin(profile, profile.c.document_id == document.c.id))
            .where(sa.or_(profile.c.document_id.is_(None), profile.c.version != version))
            .order_by(document.c.id).limit(limit))]

    def forget_profiles(self, containing: Sequence[str] | None = None, *,
                        documents: Sequence[int] | None = None) -> int:
        """Drop the profiles of the documents whose sentences hold any of ``containing`` (all
        profiles when None), or of ``documents``, to be made again; how many."""
        query = sa.delete(document_profile)
        if documents is not None:
            query = query.where(self.db.among(document_profile.c.document_id, list(documents)))
        elif containing is not None:
            texts = [t for t in dict.fromkeys(containing) if t]
            if not texts:
                return 0
            holding = (sa.select(segment.c.document_id)
                       .join(unit, unit.c.segment_id == segment.c.id)
                       .where(sa.or_(*(unit.c.source.contains(t, autoescape=True)
                                       for t in texts))))
            query = query.where(document_profile.c.document_id.in_(holding))
        with self.db.transaction() as conn:
            return conn.execute(query).rowcount

    def document_words(self, doc_id: int) -> list[dict[str, Any]]:
        """A document's words and names with their counts (``word``, ``is_name``, ``count``)."""
        return self.db.rows(sa.select(document_word.c.word, document_word.c.is_name,
                                      document_word.c.count)
                            .where(document_word.c.document_id == doc_id)
                            .order_by(document_word.c.word))

    def learners_waiting(self) -> list[int]:
        """Learners with statuses changed since their figures were last brought up to date."""
        return [r["user_id"] for r in self.db.rows(
            sa.select(word_pending.c.user_id).distinct().order_by(word_pending.c.user_id))]


class LearnerWords:
    """One learner's statuses, notes, sentences met, and figures per article."""

    def __init__(self, db: Database, user_id: int) -> None:
        self.db = db
        self.user_id = user_id
        self._mine = word_status.c.user_id == user_id

    # --- statuses (the WordStore protocol) -----------------------------------------------------

    def statuses(self, words: Iterable[str] | None = None) -> dict[str, str]:
        """word → status, for ``words`` (every word with a status when None)."""
        query = sa.select(word_status.c.word, word_status.c.status).where(self._mine)
        if words is not None:
            wanted = sorted(set(words))
            if not wanted:
                return {}
            query = query.where(self.db.among(word_status.c.word, wanted))
        return {r["word"]: r["status"] for r in self.db.rows(query)}

    def set_statuses(self, changes: Mapping[str, str | None]) -> dict[str, str | None]:
        """Store each status (None forgets the word); each word's status before. A word whose
        status does not change keeps its time."""
        now = utcnow()
        with self.db.transaction() as conn:
            current = self.statuses(changes)
            before = {w: current.get(w) for w in changes}
            setting = [{"u": self.user_id, "w": w, "s": s, "now": now}
                       for w, s in changes.items() if s is not None and current.get(w) != s]
            forgetting = [w for w, s in changes.items() if s is None and w in current]
            if setting:
                conn.execute(sa.text(
                    "INSERT INTO word_status (user_id, word, status, note, updated_at)"
                    " VALUES (:u, :w, :s, '', :now) ON CONFLICT (user_id, word) DO UPDATE"
                    " SET status = excluded.status, updated_at = excluded.updated_at"), setting)
            if forgetting:
                conn.execute(sa.delete(word_status).where(
                    self._mine, self.db.among(word_status.c.word, forgetting)))
            changed = [r["w"] for r in setting] + forgetting
            if changed:
                conn.execute(sa.text("INSERT INTO word_pending (user_id, word) VALUES (:u, :w)"
                                     " ON CONFLICT (user_id, word) DO NOTHING"),
                             [{"u": self.user_id, "w": w} for w in changed])
        return before

    def page(self, statuses: Sequence[str], page: int, per_page: int
             ) -> tuple[int, list[dict[str, Any]]]:
        """(total, one page of ``{"word", "status", "note"}``), most recently changed first."""
        where = (self._mine, word_status.c.status.in_(list(statuses)))
        total = self.db.scalar(sa.select(sa.func.count()).select_from(word_status).where(*where))
        rows = self.db.rows(
            sa.select(word_status.c.word, word_status.c.status, word_status.c.note)
            .where(*where).order_by(word_status.c.updated_at.desc(), word_status.c.word)
            .limit(per_page).offset((page - 1) * per_page))
        return total, rows

    def find(self, statuses: Sequence[str], *, query: str = "",
             document_id: int | None = None) -> list[dict[str, Any]]:
        """Every word with one of ``statuses`` (``word``, ``status``, ``note``, ``updated_at``),
        most recently changed first; ``query`` (literally) in the word or its note;
        ``document_id``: only words of that document."""
        found = (sa.select(word_status.c.word, word_status.c.status, word_status.c.note,
                           word_status.c.updated_at)
                 .where(self._mine, word_status.c.status.in_(list(statuses)))
                 .order_by(word_status.c.updated_at.desc(), word_status.c.word))
        if query:
            found = found.where(sa.or_(word_status.c.word.contains(query, autoescape=True),
                                       word_status.c.note.contains(query, autoescape=True)))
        if document_id is not None:
            found = found.where(word_status.c.word.in_(
                sa.select(document_word.c.word).where(document_word.c.document_id == document_id)))
        return self.db.rows(found)

    def entry(self, word: str) -> dict[str, Any] | None:
        """A word's ``word``, ``status`` and ``note``; None when it has no status."""
        return self.db.row(sa.select(word_status.c.word, word_status.c.status,
                                     word_status.c.note)
                           .where(self._mine, word_status.c.word == word))

    def set_note(self, word: str, note: str) -> bool:
        """A word's note (it keeps its status); False when the word has no status."""
        with self.db.transaction() as conn:
            return conn.execute(sa.update(word_status).where(self._mine,
                                                             word_status.c.word == word)
                                .values(note=note, updated_at=utcnow())).rowcount > 0

    def forget(self) -> None:
        """Remove everything of this learner's."""
        with self.db.transaction() as conn:
            for table in LEARNER_TABLES:
                conn.execute(sa.delete(table).where(table.c.user_id == self.user_id))

    # --- where words were met --------------------------------------------------------------------

    def add_example(self, word: str, unit_id: int, start: int, written: str) -> bool:
        """Remember the sentence a word was met in (the newest few are kept); False when the
        sentence is gone."""
        now = utcnow()
        ex = word_example
        try:
            with self.db.transaction() as conn:
                conn.execute(sa.text(
                    "INSERT INTO word_example (user_id, word, unit_id, start, written, met_at)"
                    " VALUES (:u, :w, :unit, :start, :written, :now)"
                    " ON CONFLICT (user_id, word, unit_id) DO UPDATE SET start = excluded.start,"
                    " written = excluded.written, met_at = excluded.met_at"),
                    {"u": self.user_id, "w": word, "unit": unit_id, "start": start,
                     "written": written, "now": now})
                newest = (sa.select(ex.c.unit_id)
                          .where(ex.c.user_id == self.user_id, ex.c.word == word)
                          .order_by(ex.c.met_at.desc(), ex.c.unit_id.desc())
                          .limit(EXAMPLES_KEPT))
                conn.execute(sa.delete(ex).where(ex.c.user_id == self.user_id, ex.c.word == word,
                                                 ex.c.unit_id.not_in(newest.scalar_subquery())))
        except sa.exc.IntegrityError:
            return False
        return True

    def sentences(self, words: Sequence[str], per_word: int = EXAMPLES_KEPT
                  ) -> dict[str, list[dict[str, Any]]]:
        """The sentences each word was met in, newest first: ``sentence`` (the source as
        stored), ``written``, ``start``, ``english``, ``english_status``, ``title``, ``link``,
        ``lang``, ``document_id``, ``unit_id``."""
        wanted = sorted(set(words))
        if not wanted:
            return {}
        ex = word_example
        rows = self.db.rows(
            sa.select(ex.c.word, ex.c.written, ex.c.start, unit.c.source.label("sentence"),
                      unit.c.translation.label("english"),
                      unit.c.status.label("english_status"), document.c.title,
                      document.c.source_url.label("link"), document.c.source_lang.label("lang"),
                      document.c.id.label("document_id"), ex.c.unit_id)
            .select_from(ex.join(unit, unit.c.id == ex.c.unit_id)
                         .join(segment, segment.c.id == unit.c.segment_id)
                         .join(document, document.c.id == segment.c.document_id))
            .where(ex.c.user_id == self.user_id, self.db.among(ex.c.word, wanted))
            .order_by(ex.c.word, ex.c.met_at.desc(), ex.c.unit_id.desc()))
        out: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            kept = out.setdefault(row.pop("word"), [])
            if len(kept) < per_word:
                kept.append(row)
        return out

    def documents_met(self, limit: int = 200) -> list[dict[str, Any]]:
        """The documents this learner met words in (``id``, ``title``), by title."""
        ex = word_example
        return self.db.rows(
            sa.select(document.c.id, document.c.title).distinct()
            .select_from(ex.join(unit, unit.c.id == ex.c.unit_id)
                         .join(segment, segment.c.id == unit.c.segment_id)
                         .join(document, document.c.id == segment.c.document_id))
            .where(ex.c.user_id == self.user_id).order_by(document.c.title, document.c.id)
            .limit(limit))

    def examples(self, words: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The newest sentence each word was met in, where there is one (see ``sentences``)."""
        return {w: found[0] for w, found in self.sentences(words, 1).items()}

    # --- figures per article ---------------------------------------------------------------------

    def _figures(self, doc_ids: Any) -> sa.Select:
        """(document_id, words, known, new_words) of the documents ``doc_ids`` selects."""
        status, dw = word_status.c.status, document_word
        counted = sa.case((status == WORD_IGNORED, 0),
                          (sa.and_(dw.c.is_name, status.is_(None)), 0), else_=dw.c.count)
        known = sa.case((status == WORD_KNOWN, dw.c.count), else_=0)
        new = sa.case((sa.and_(sa.not_(dw.c.is_name), status.is_(None)), 1),
                      (status == WORD_NEW, 1), else_=0)
        profile = document_profile
        return (sa.select(profile.c.document_id,
                          sa.func.coalesce(sa.func.sum(counted), 0).label("words"),
                          sa.func.coalesce(sa.func.sum(known), 0).label("known"),
                          sa.func.coalesce(sa.func.sum(new), 0).label("new_words"))
                .select_from(profile.outerjoin(dw, dw.c.document_id == profile.c.document_id)
                             .outerjoin(word_status, sa.and_(self._mine,
                                                             word_status.c.word == dw.c.word)))
                .where(doc_ids).group_by(profile.c.document_id))

    def readings(self, doc_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """This learner's figures for documents with a profile: ``words``, ``known``,
        ``new_words``, ``known_ratio`` (None without words), by document id."""
        ids = sorted(set(doc_ids))
        if not ids:
            return {}
        rows = self.db.rows(self._figures(self.db.among(document_profile.c.document_id, ids)))
        return {r["document_id"]: r | {"known_ratio": ratio(r["known"], r["words"])}
                for r in rows}

    def page_readings(self, doc_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """``readings`` for a page of documents, read from ``document_reading`` where it is up
        to date: only documents without figures there, or holding a word whose status changed
        since, are worked out (and kept). What a library page costs stays that of a lookup."""
        ids = sorted(set(doc_ids))
        if not ids:
            return {}
        reading, dw = document_reading, document_word
        with self.db.reading():
            kept = {r["document_id"]: r for r in self.db.rows(
                sa.select(reading.c.document_id, reading.c.words, reading.c.known,
                          reading.c.new_words)
                .where(reading.c.user_id == self.user_id,
                       self.db.among(reading.c.document_id, ids)))}
            stale = set(ids) - set(kept)
            waiting = sa.exists().where(word_pending.c.user_id == self.user_id,
                                        word_pending.c.word == dw.c.word)
            if self.db.scalar(sa.select(sa.exists().where(word_pending.c.user_id
                                                          == self.user_id))):
                stale.update(r["document_id"] for r in self.db.rows(
                    sa.select(dw.c.document_id).distinct().where(
                        self.db.among(dw.c.document_id, sorted(kept)), waiting)))
        fresh = self.readings(stale) if stale else {}
        if fresh:
            self._keep(fresh.values())
        out = {i: r | {"known_ratio": ratio(r["known"], r["words"])} for i, r in kept.items()}
        return out | fresh

    def _keep(self, figures: Iterable[dict[str, Any]]) -> None:
        """Store figures just worked out (they are right now; words still waiting may make
        ``refresh`` work them out again)."""
        rows = [{"user_id": self.user_id, "document_id": f["document_id"], "words": f["words"],
                 "known": f["known"], "new_words": f["new_words"],
                 "known_ratio": f["known_ratio"]} for f in figures]
        insert = self.db.upsert(document_reading)
        with self.db.transaction() as conn:
            conn.execute(insert.on_conflict_do_update(
                index_elements=["user_id", "document_id"],
                set_={c: insert.excluded[c] for c in ("words", "known", "new_words",
                                                      "known_ratio")}), rows)

    def refresh(self) -> int:
        """Bring ``document_reading`` up to date: the documents holding a word whose status
        changed since, and those without figures yet; how many were worked out.

        Read first, in time that does not grow with the library: a library page that finds
        nothing to do takes no write lock. An article measured since is marked in
        ``word_pending`` (``PROFILED``) for every learner with figures; a learner without any
        has every article to work out."""
        reading = document_reading
        missing = (sa.select(document_profile.c.document_id)
                   .where(~sa.exists().where(reading.c.user_id == self.user_id,
                                             reading.c.document_id
                                             == document_profile.c.document_id)))
        pending = sa.select(word_pending.c.word).where(word_pending.c.user_id == self.user_id)
        mine = sa.select(reading.c.document_id).where(reading.c.user_id == self.user_id)
        with self.db.reading() as conn:
            if conn.execute(pending.limit(1)).first() is None and (
                    conn.execute(mine.limit(1)).first() is not None
                    or conn.execute(sa.select(document_profile.c.document_id).limit(1))
                    .first() is None):
                return 0
        with self.db.transaction() as conn:
            changed = [r[0] for r in conn.execute(
                sa.delete(word_pending).where(word_pending.c.user_id == self.user_id)
                .returning(word_pending.c.word))]
            ids = set(conn.execute(missing).scalars())
            if changed:
                ids.update(conn.execute(sa.select(document_word.c.document_id).distinct()
                                        .where(self.db.among(document_word.c.word, changed)))
                           .scalars())
            if not ids:
                return 0
            figures = self._figures(self.db.among(document_profile.c.document_id,
                                                  sorted(ids))).subquery()
            rows = sa.select(sa.literal(self.user_id, sa.BigInteger), figures.c.document_id,
                             figures.c.words, figures.c.known, figures.c.new_words,
                             sa.case((figures.c.words > 0, sa.cast(figures.c.known, sa.Float)
                                      / figures.c.words), else_=None)).where(sa.true())
            insert = self.db.upsert(reading).from_select(
                ["user_id", "document_id", "words", "known", "new_words", "known_ratio"], rows)
            conn.execute(insert.on_conflict_do_update(
                index_elements=["user_id", "document_id"],
                set_={c: insert.excluded[c] for c in ("words", "known", "new_words",
                                                      "known_ratio")}))
            return len(ids)

    def documents(self, *, sort: str = "newest", level_max: int | None = None,
                  min_known: float | None = None, limit: int = 100, offset: int = 0
                  ) -> tuple[int, list[int]]:
        """(how many, one page of ids) of the documents that pass the filters, in ``sort``
        order (see ``SORTS``); figures from ``document_reading`` (``refresh`` first)."""
        profile, reading = document_profile, document_reading
        joined = (document.outerjoin(profile, profile.c.document_id == document.c.id)
                  .outerjoin(reading, sa.and_(reading.c.document_id == document.c.id,
                                              reading.c.user_id == self.user_id)))
        where = []
        if level_max is not None:
            where.append(profile.c.level_rank <= level_max)
        if min_known is not None:
            where.append(reading.c.known_ratio >= min_known)
        order = {
            "newest": [document.c.id.desc()],
            "difficulty": [reading.c.known_ratio.desc().nulls_last(),
                           profile.c.level_rank.asc().nulls_last(),
                           reading.c.new_words.asc().nulls_last(), document.c.id.desc()],
            "-difficulty": [reading.c.known_ratio.asc().nulls_last(),
                            profile.c.level_rank.desc().nulls_last(),
                            reading.c.new_words.desc().nulls_last(), document.c.id.desc()],
        }[sort]
        with self.db.reading():
            if not where:  # kept by nothing: every document, counted without the joins
                total = self.db.scalar(sa.select(sa.func.count()).select_from(document))
                if sort != "newest" and offset + limit <= self._measured():
                    # a page among the articles with a known share, which come first: read
                    # in the order of the learner's index on it (a page, not a sort of all)
                    ranked = (reading.join(profile, profile.c.document_id
                                           == reading.c.document_id, isouter=True))
                    return total, [r["id"] for r in self.db.rows(
                        sa.select(reading.c.document_id.label("id")).select_from(ranked)
                        .where(reading.c.user_id == self.user_id,
                               reading.c.known_ratio.is_not(None))
                        .order_by(*order[:-1], reading.c.document_id.desc())
                        .limit(limit).offset(offset))]
            else:
                total = self.db.scalar(sa.select(sa.func.count()).select_from(joined)
                                       .where(*where))
            ids = [r["id"] for r in self.db.rows(
                sa.select(document.c.id).select_from(joined).where(*where).order_by(*order)
                .limit(limit).offset(offset))]
        return total, ids

    def _measured(self) -> int:
        """How many documents have a known share for this learner (its index counts them)."""
        return self.db.scalar(sa.select(sa.func.count()).select_from(document_reading).where(
            document_reading.c.user_id == self.user_id,
            document_reading.c.known_ratio.is_not(None)))

    def in_document(self, doc_id: int) -> list[tuple[str, bool, int, str | None]]:
        """A document's words and names as (word, is_name, count, this learner's status or
        None): what its reader marks and its figures, in one read (tuples: a long article has
        thousands)."""
        dw = document_word
        query = (sa.select(dw.c.word, dw.c.is_name, dw.c.count, word_status.c.status)
                 .select_from(dw.outerjoin(word_status, sa.and_(
                     self._mine, word_status.c.word == dw.c.word)))
                 .where(dw.c.document_id == doc_id))
        with self.db.connection() as conn:
            return [tuple(row) for row in conn.execute(query)]


def ratio(known: int, words: int) -> float | None:
    """The share of running words known, to 4 places (None without words)."""
    return round(known / words, 4) if words else None
