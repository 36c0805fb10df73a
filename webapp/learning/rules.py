"""What the word API and the forms accept, in one place: statuses, words, lists, queries.

Each function takes what a request carried (JSON values or form strings) and returns it clean,
or raises ``BadWord`` (400) with a message saying what is wrong and what to send instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from webapp.errors import EnfaceError
from webapp.reading import hsk
from webapp.vocabulary import WORD_LEARNING, WORD_STATUSES

from .difficulty import LEVEL_RANKS

MAX_WORD = 20  # characters: the longest word a learner marks (a glossary term included)
MAX_BULK = 5_000  # words in one request: a long article's new words, with room to spare
MAX_UNDO = 50_000  # words an undo puts back: every word of the longest article
MAX_NOTE = 1_000  # characters of a note on a word
MAX_QUERY = 40  # characters of a vocabulary search
MAX_PAGE = 100_000
LEARNING = "learning"  # in a query: any of learning1…learning4
_CHINESE = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_WORD_RULE = ("A word is 1 to 20 Chinese characters, without spaces, Latin letters, digits or "
              "punctuation.")


class BadWord(EnfaceError):
    """A word, status, list or query the vocabulary cannot take."""


def _shown(value: object) -> str:
    """A value quoted for a message, cut at 30 characters."""
    if not isinstance(value, str):
        return repr(value)[:30]
    return repr(value[:30] + ("…" if len(value) > 30 else ""))


def status_of(value: object) -> str:
    """A word status (new, learning1…learning4, known, ignored)."""
    if isinstance(value, str) and value.strip().lower() in WORD_STATUSES:
        return value.strip().lower()
    raise BadWord(f"Unknown word status {_shown(value)}: use one of {', '.join(WORD_STATUSES)}.")


def _word(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    word = unicodedata.normalize("NFC", value).strip()
    return word if 0 < len(word) <= MAX_WORD and _CHINESE.fullmatch(word) else None


def is_word(value: object) -> bool:
    """Whether a value is one Chinese word (see ``word_of``)."""
    return _word(value) is not None


def word_of(value: object) -> str:
    """One Chinese word, as written (NFC, no surrounding spaces)."""
    word = _word(value)
    if word is None:
        raise BadWord(f"{_shown(value)} is not a Chinese word. {_WORD_RULE}")
    return word


def words_of(value: object, limit: int = MAX_BULK) -> list[str]:
    """A list of Chinese words, each once, in order; every bad one named in the error."""
    if not isinstance(value, list):
        raise BadWord('Send the words as a list: {"words": ["磋商", "会谈"]}.')
    if len(value) > limit:
        raise BadWord(f"At most {limit:,} words at a time; this request has "
                      f"{len(value):,}. Send them in parts.")
    words: dict[str, None] = {}
    bad: list[str] = []
    for number, item in enumerate(value, start=1):
        word = _word(item)
        if word is None:
            bad.append(f"{_shown(item)} (item {number})")
        else:
            words[word] = None
    if bad:
        shown = ", ".join(bad[:3]) + (f" and {len(bad) - 3:,} more" if len(bad) > 3 else "")
        raise BadWord(f"{len(bad):,} of the words {'is' if len(bad) == 1 else 'are'} not "
                      f"Chinese: {shown}. {_WORD_RULE}")
    return list(words)


def _body(body: object, example: str) -> Mapping:
    if not isinstance(body, Mapping):
        raise BadWord(f"Send a JSON object, like {example}.")
    return body


def status_request(body: object) -> str:
    """``PUT /api/words/<word>``: ``{"status": …}`` → the status."""
    data = _body(body, '{"status": "learning1"}')
    if "status" not in data:
        raise BadWord('Say which status: {"status": "learning1"}.')
    return status_of(data["status"])


def known_request(body: object) -> list[str]:
    """``POST /api/words/known``: ``{"words": […]}`` → the words to mark known."""
    data = _body(body, '{"words": ["磋商"]}')
    if "words" not in data:
        raise BadWord('Say which words: {"words": ["磋商", "会谈"]}.')
    return words_of(data["words"])


def vocabulary_query(args: Mapping[str, object]) -> tuple[tuple[str, ...], int]:
    """``GET /api/vocabulary?status=&page=`` → (statuses to list, page ≥ 1).

    No status lists the learning words (1–4); ``learning`` is the same; ``all`` every status.
    """
    status = str(args.get("status") or LEARNING).strip().lower()
    if status == LEARNING:
        statuses: tuple[str, ...] = WORD_LEARNING
    elif status == "all":
        statuses = WORD_STATUSES
    else:
        statuses = (status_of(status),)
    page = str(args.get("page") or "1").strip()
    if not (page.isascii() and page.isdigit() and 1 <= int(page) <= MAX_PAGE):
        raise BadWord(f"'page' is a number from 1 to {MAX_PAGE:,}, not {_shown(page)}.")
    return statuses, int(page)


def note_of(value: object) -> str:
    """A note on a word: text of at most 1,000 characters (controls but newlines removed)."""
    if not isinstance(value, str):
        raise BadWord("A note is text.")
    note = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    if len(note) > MAX_NOTE:
        raise BadWord(f"A note has at most {MAX_NOTE:,} characters; this one has {len(note):,}.")
    return note.strip()


def undo_request(text: object) -> dict[str, str | None]:
    """What an undo puts back: ``{word: status before or null}`` as JSON text (a form field)."""
    import json

    if not isinstance(text, str) or len(text) > MAX_UNDO * 40:
        raise BadWord("Nothing to undo: the page sent no list of words to put back.")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        value = None
    if not isinstance(value, dict):
        raise BadWord("Nothing to undo: the page sent no list of words to put back.")
    words = words_of(list(value), MAX_UNDO)
    return {w: None if value[w] is None else status_of(value[w]) for w in words}


def position_of(value: object) -> int | None:
    """A sentence id or an offset from a form (None when absent or not a small number)."""
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 16 else None


@dataclass(frozen=True)
class VocabularyFilters:
    """The vocabulary page's ``status``, ``level``, ``document``, ``q`` and ``page``."""

    statuses: tuple[str, ...]
    status: str = LEARNING
    level: str | None = None
    document: int | None = None
    query: str = ""
    page: int = 1

    def query_args(self, **changes: object) -> dict[str, object]:
        """The filters as address parameters, with ``changes`` (what a page link keeps)."""
        out = {"status": self.status if self.status != LEARNING else None, "level": self.level,
               "document": self.document, "q": self.query or None, **changes}
        return {k: v for k, v in out.items() if v}


def vocabulary_filters(args: Mapping[str, object]) -> VocabularyFilters:
    """``/vocabulary?status=&level=&document=&q=&page=``."""
    statuses, page = vocabulary_query(args)
    status = str(args.get("status") or LEARNING).strip().lower()
    level = str(args.get("level") or "").strip().lower() or None
    if level in ("7", "8", "9"):
        level = "7-9"
    if level is not None and level not in LEVEL_RANKS:
        raise BadWord(f"'level' is an HSK level ({', '.join(hsk.LABELS)}) or 'beyond', "
                      f"not {_shown(level)}.")
    raw_document = args.get("document")
    document = position_of(raw_document)
    if raw_document not in (None, "") and document is None:
        raise BadWord(f"'document' is a document's number, not {_shown(raw_document)}.")
    query = " ".join(str(args.get("q") or "").split())
    query = "".join(ch for ch in query if unicodedata.category(ch)[0] != "C")[:MAX_QUERY]
    return VocabularyFilters(statuses, status, level, document, query, page)


SORTS = {"newest": "newest first", "difficulty": "easiest first",
         "-difficulty": "hardest first"}


@dataclass(frozen=True)
class LibraryFilters:
    """How the library is sorted and filtered for a learner: ``sort`` (see ``SORTS``),
    ``level`` (articles of this HSK level or easier), ``known`` (at least this % known)."""

    sort: str = "newest"
    level: str | None = None
    known: int | None = None

    @property
    def default(self) -> bool:
        """Newest first, unfiltered: the library as it always was."""
        return self == LibraryFilters()

    @property
    def needs_readings(self) -> bool:
        """Whether the learner's figures for every article are needed (not only the level)."""
        return self.sort != "newest" or self.known is not None

    @property
    def level_rank(self) -> int | None:
        """The highest level rank shown (None: any)."""
        return LEVEL_RANKS[self.level] if self.level else None

    @property
    def min_known(self) -> float | None:
        """The least share of words known shown (None: any)."""
        return None if self.known is None else self.known / 100

    def query(self) -> dict[str, str]:
        """The filters as address parameters (what a page link keeps)."""
        out = {"sort": self.sort if self.sort != "newest" else None, "level": self.level,
               "known": None if self.known is None else str(self.known)}
        return {k: v for k, v in out.items() if v}


def library_filters(args: Mapping[str, object]) -> LibraryFilters:
    """``?sort=&level=&known=`` of the library page and ``GET /api/documents``."""
    sort = str(args.get("sort") or "newest").strip().lower()
    if sort not in SORTS:
        raise BadWord(f"Sort the library by {', '.join(SORTS)}, not {_shown(sort)}.")
    level = str(args.get("level") or "").strip().lower() or None
    if level in ("7", "8", "9"):
        level = "7-9"
    if level is not None and level not in hsk.LABELS:
        raise BadWord(f"'level' is an HSK level: {', '.join(hsk.LABELS)}; not {_shown(level)}.")
    known = str(args.get("known") or "").strip().rstrip("%") or None
    if known is not None and not (known.isascii() and known.isdigit() and int(known) <= 100):
        raise BadWord(f"'known' is a percentage from 0 to 100, not {_shown(known)}.")
    return LibraryFilters(sort, level, None if known is None else int(known))


__all__ = ["MAX_BULK", "MAX_UNDO", "MAX_WORD", "SORTS", "BadWord", "LibraryFilters",
           "VocabularyFilters", "is_word", "known_request", "library_filters", "note_of",
           "position_of", "status_of", "status_request", "undo_request", "vocabulary_filters",
           "vocabulary_query", "word_of", "words_of"]
