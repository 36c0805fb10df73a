"""A learner's words: one function per thing a person does with them, for the API, the forms
and the CLI alike.

Where statuses are kept is behind ``WordStore``: one learner's words (the signed-in user's,
or the library's single local user's), which ``library.words.learner(id)`` implements (tests
also use a dict). Words arrive as a person gave them (either script) and are kept by their
Simplified form (``webapp.learning.tokens.key_of``). ``Learner`` is a learner in a library,
what the views and the CLI hand to the actions of ``actions.words`` and ``actions.learning``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from webapp.actions import reading
from webapp.learning import deck, lists, rules
from webapp.learning.cards import Card, make_card
from webapp.learning.cards import example_of as example_of
from webapp.learning.tokens import key_of, lexicon_for
from webapp.reading import ReadingAids
from webapp.storage import Library
from webapp.vocabulary import WORD_KNOWN, WORD_NEW

PER_PAGE = 100
EXPORT_LIMIT = 20_000  # notes in one export


class WordStore(Protocol):
    """One learner's word statuses, and the sentences they met each word in."""

    def statuses(self, words: Iterable[str] | None = None) -> dict[str, str]:
        """word → status, for ``words`` (every word with a status when None)."""

    def set_statuses(self, changes: Mapping[str, str | None]) -> dict[str, str | None]:
        """Store each status (None forgets the word); return each word's status before."""

    def page(self, statuses: Sequence[str], page: int, per_page: int) -> tuple[int, list[dict]]:
        """(total, one page of ``{"word", "status", "note"}``), most recently changed first."""

    def examples(self, words: Sequence[str]) -> Mapping[str, Mapping[str, Any]]:
        """A sentence each word was met in (the most recently read), where there is one: the
        fields of ``Example`` (storage returns rows, not the domain's types)."""


def word(store: WordStore, aids: ReadingAids, value: object) -> dict:
    """``{"word", "status"}`` of one word (``new`` when it has none)."""
    key = key_of(aids, rules.word_of(value))
    return {"word": key, "status": store.statuses([key]).get(key, WORD_NEW)}


def set_status(store: WordStore, aids: ReadingAids, value: object, body: object) -> dict:
    """Give one word a status; ``{"word", "status", "before"}`` (``before`` undoes it)."""
    key = key_of(aids, rules.word_of(value))
    status = rules.status_request(body)
    before = store.set_statuses({key: status})
    return {"word": key, "status": status, "before": before.get(key)}


def mark_known(store: WordStore, aids: ReadingAids, body: object) -> dict:
    """Mark words known ("the rest of this page"): only those new to the learner change.

    ``{"marked": n, "undo": {word: status before}}``: sending ``undo`` to ``undo`` puts
    them back. Learning and ignored words keep their status.
    """
    keys = list(dict.fromkeys(key_of(aids, w) for w in rules.known_request(body)))
    current = store.statuses(keys)
    changes = {k: WORD_KNOWN for k in keys if current.get(k, WORD_NEW) == WORD_NEW}
    before = store.set_statuses(changes) if changes else {}
    return {"marked": len(changes), "undo": before}


def undo(store: WordStore, previous: object) -> int:
    """Put back the statuses a bulk change replaced (``{word: status or null}``); how many."""
    if not isinstance(previous, Mapping):
        raise rules.BadWord('Send what to put back, like {"磋商": "learning1", "会谈": null}.')
    words = rules.words_of(list(previous))
    changes = {w: None if previous[w] is None else rules.status_of(previous[w]) for w in words}
    store.set_statuses(changes)
    return len(changes)


def _known_unless_studied(store: WordStore, words: Sequence[str]) -> int:
    current = store.statuses(words)
    changes = {w: WORD_KNOWN for w in words if current.get(w, WORD_NEW) == WORD_NEW}
    if changes:
        store.set_statuses(changes)
    return len(changes)


def known_from_hsk(store: WordStore, level: object, standard: object = "3.0") -> int:
    """"I know HSK 1–N": its words become known unless studied or ignored; how many changed."""
    return _known_unless_studied(store, sorted(lists.hsk_words(level, standard)))


def import_words(store: WordStore, aids: ReadingAids, data: bytes, name: str) -> str:
    """A file of known words (list, CSV/TSV, Pleco, Anki); the report of what was read."""
    found = lists.read_word_file(data, name)
    keys = list(dict.fromkeys(key_of(aids, w) for w in found.words))
    changed = _known_unless_studied(store, keys)
    return f"{found.report()} {changed:,} marked known; the rest already had a status."


def vocabulary(store: WordStore, args: Mapping[str, object]) -> dict:
    """``{"total", "page", "per_page", "words"}`` for ``GET /api/vocabulary``."""
    statuses, page = rules.vocabulary_query(args)
    total, rows = store.page(statuses, page, PER_PAGE)
    return {"total": total, "page": page, "per_page": PER_PAGE, "words": rows}


@dataclass(frozen=True)
class Learner:
    """One learner (0: the library's single local user) in a library with its data folder, for
    one request or command: the library's own words are read once, when first needed."""

    library: Library
    user_id: int
    data_dir: Path | str
    _aids: list[ReadingAids] = field(default_factory=list, compare=False, repr=False)

    @property
    def store(self) -> Any:
        """This learner's words (a ``WordStore``: ``storage.words.LearnerWords``)."""
        return self.library.words.learner(self.user_id)

    @property
    def aids(self) -> ReadingAids:
        """The reading aids, splitting with the library's words (read once per learner)."""
        if not self._aids:
            self._aids.append(learning_aids(self.library, self.data_dir))
        return self._aids[0]


def learning_aids(library: Library, data_dir: Path | str) -> ReadingAids:
    """The reading aids, the user dictionary's words counting as words to learn."""
    shared = reading.aids(library, data_dir)
    lexicon_for(shared).use_own_words(library.glossary.user_words())
    return shared


def export(store: WordStore, aids: ReadingAids, fmt: object,
           status: object = rules.LEARNING) -> tuple[bytes, str, str]:
    """The vocabulary as a file: (bytes, file name, media type); learning words by default."""
    if fmt not in deck.FORMATS:
        raise rules.BadWord(f"Unknown vocabulary format {str(fmt)[:20]!r}: apkg, csv or tsv.")
    statuses, _ = rules.vocabulary_query({"status": status})
    _, rows = store.page(statuses, 1, EXPORT_LIMIT)
    met = store.examples([r["word"] for r in rows])
    cards: list[Card] = [make_card(aids, r["word"], r["status"], example_of(met.get(r["word"])),
                                   r.get("note") or "") for r in rows]
    return deck.export(cards, str(fmt)), f"vocabulary.{fmt}", deck.MEDIA_TYPES[str(fmt)]
