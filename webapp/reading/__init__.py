"""Reading aids for the source side: word lookup, word splits with contextual pinyin, HSK.

Flask-free and lazy: importing this package loads nothing heavy. The dictionary index is built
in the data folder on first lookup; rjieba and pypinyin load on the first split. One
``ReadingAids`` per data folder (``aids_for``) keeps the splitter's cache across requests.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from markupsafe import Markup

from .cedict import CREDIT, LICENSE_URL
from .dictionary import BadQuery, Dictionary, Lookup
from .markup import source_html
from .words import CACHE_UNITS, Splitter, Word

__all__ = [
    "CREDIT", "LICENSE_URL", "BadQuery", "Lookup", "ReadingAids", "Word", "WordKeys", "aids_for",
    "is_chinese", "warm_in_background",
]

#: A sentence's words → each one's words to learn, space-separated ("" for none).
WordKeys = Callable[[tuple[Word, ...], str], Sequence[str]]
_AIDS: dict[str, ReadingAids] = {}
_AIDS_LOCK = threading.Lock()


def is_chinese(lang: str) -> bool:
    """Whether a document language gets the Chinese reading aids ('zh', 'zt')."""
    return lang in ("zh", "zt")


class ReadingAids:
    """The dictionary and the word splitter of one library."""

    def __init__(self, data_dir: Path) -> None:
        self.dictionary = Dictionary(data_dir)
        self.splitter = Splitter(self.dictionary.to_simplified)
        self._html_lock = threading.Lock()
        self._html: dict[tuple[str, str, bool], tuple[tuple[Word, ...], Markup]] = {}

    def lookup(self, query: str) -> Lookup:
        """Dictionary entries for a word (raises BadQuery for an empty or overlong one)."""
        return self.dictionary.lookup(query)

    def words(self, text: str, lang: str = "zh") -> tuple[Word, ...]:
        """The words of a sentence with their readings (zhuyin too for Traditional text)."""
        return self.splitter.split(text, traditional=(lang == "zt"))

    def source_html(self, text: str, lang: str = "zh", keys: WordKeys | None = None) -> Markup:
        """A sentence as HTML with word spans and readings, built once per sentence (``keys``:
        each word's words to learn, for a learner's reader)."""
        key = (text, lang, keys is not None)
        words = self.words(text, lang)
        cached = self._html.get(key)
        if cached is None or cached[0] is not words:
            cached = (words, source_html(words, None if keys is None else keys(words, lang)))
            with self._html_lock:
                self._html[key] = cached
                if len(self._html) > CACHE_UNITS:
                    self._html.pop(next(iter(self._html)))
        return cached[1]

    def forget_html(self) -> None:
        """Build every sentence's HTML afresh (what a word is for a learner changed)."""
        with self._html_lock:
            self._html.clear()

    def use_words(self, words: Iterable[str]) -> None:
        """Keep these words whole when splitting (the user dictionary, glossary terms)."""
        self.splitter.use_words(words)

    def warm(self) -> None:
        """Load now what the first Chinese page would load (rjieba's dictionary, pypinyin, the
        HSK lists, the dictionary index): ~0.3 s a server spends once at start, not a reader."""
        from . import hsk

        self.words("中文")
        self.lookup("中文")
        hsk.graded()


def warm_in_background(data_dir: Path | str) -> threading.Thread:
    """``aids_for(data_dir).warm()`` in a daemon thread (a server calls it as it starts)."""

    def run() -> None:
        try:
            aids_for(data_dir).warm()
        except Exception:  # noqa: BLE001 - the first page would load them and say what failed
            logging.getLogger(__name__).warning("Could not load the reading aids ahead",
                                                exc_info=True)

    thread = threading.Thread(target=run, name="enface-warm-aids", daemon=True)
    thread.start()
    return thread


def aids_for(data_dir: Path | str) -> ReadingAids:
    """The shared ReadingAids of a data folder, made on first use."""
    aids = _AIDS.get(str(data_dir))  # a dict read: no file system call on the hot path
    if aids is not None:
        return aids
    key = Path(data_dir).resolve()
    with _AIDS_LOCK:
        aids = _AIDS.get(str(key))
        if aids is None:
            aids = _AIDS[str(key)] = ReadingAids(key)
        _AIDS[str(data_dir)] = aids
        return aids
