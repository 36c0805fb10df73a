"""What the word API and the forms accept, in one place: statuses, words, lists, queries.

Each function takes what a request carried (JSON values or form strings) and returns it clean,
or raises ``BadWord`` (400) with a message saying what is wrong and what to send instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from webapp.errors import EnfaceError
from webapp.vocabulary import WORD_LEARNING, WORD_STATUSES

MAX_WORD = 20  # characters: the longest word a learner marks (a glossary term included)
MAX_BULK = 5_000  # words in one request: a long article's new words, with room to spare
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


def word_of(value: object) -> str:
    """One Chinese word, as written (NFC, no surrounding spaces)."""
    word = _word(value)
    if word is None:
        raise BadWord(f"{_shown(value)} is not a Chinese word. {_WORD_RULE}")
    return word


def words_of(value: object) -> list[str]:
    """A list of Chinese words, each once, in order; every bad one named in the error."""
    if not isinstance(value, list):
        raise BadWord('Send the words as a list: {"words": ["磋商", "会谈"]}.')
    if len(value) > MAX_BULK:
        raise BadWord(f"At most {MAX_BULK:,} words at a time; this request has "
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


__all__ = ["MAX_BULK", "MAX_WORD", "BadWord", "known_request", "status_of",
           "status_request", "vocabulary_query", "word_of", "words_of"]
