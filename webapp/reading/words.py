"""Word splitting with rjieba (a MIT port of jieba), extended by the library's own words.

Splits are cached per (sentence, script, word-list generation): a unit is split once, not once
per request. Words added to the user dictionary or the glossary join the splitter at once;
removing one rebuilds it (about 0.3 s), since jieba cannot forget a word.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from webapp.text import has_invalid, without_surrogates

from .pinyin import has_han, readings

CACHE_UNITS = 100_000
_DEFAULT_LOCK = threading.Lock()
_DEFAULT_TAKEN = False
USER_FREQ = 100_000  # high enough that a user's word wins against the split jieba would pick


@dataclass(frozen=True)
class Word:
    """A word of a sentence: its text, character offsets, one reading per character.

    ``readings`` are pinyin with tone marks; ``zhuyin`` is filled for Traditional text only.
    """

    text: str
    start: int
    end: int
    readings: tuple[str | None, ...]
    zhuyin: tuple[str | None, ...] | None = None

    @property
    def pinyin(self) -> str | None:
        """The readings joined by spaces (``cuō shāng``); None for punctuation and Latin."""
        syllables = [r for r in self.readings if r]
        return " ".join(syllables) if syllables else None

    def to_json(self) -> dict:
        """``{"text", "start", "end", "pinyin"}``."""
        return {"text": self.text, "start": self.start, "end": self.end, "pinyin": self.pinyin}


class Splitter:
    """Splits sentences into words; ``simplify`` maps Traditional text to Simplified."""

    def __init__(self, simplify: Callable[[str], str] | None = None) -> None:
        self._simplify = simplify
        self._lock = threading.Lock()
        self._jieba = None
        self._words: set[str] = set()
        self._generation = 0
        self._cache: OrderedDict[tuple, tuple[Word, ...]] = OrderedDict()

    def _engine(self):
        if self._jieba is None:
            import rjieba

            # rjieba builds a default splitter at import (~30 MB): the first one we need takes
            # it over instead of building a second; only a word removal builds a fresh one.
            global _DEFAULT_TAKEN
            default = getattr(rjieba.tokenize, "__self__", None)
            with _DEFAULT_LOCK:
                jieba = rjieba.Jieba() if default is None or _DEFAULT_TAKEN else default
                _DEFAULT_TAKEN = True
            for word in sorted(self._words):
                jieba.add_word(word, USER_FREQ, None)
            self._jieba = jieba
        return self._jieba

    def use_words(self, words: Iterable[str]) -> None:
        """Make the splitter keep each of ``words`` whole (user dictionary and glossary)."""
        wanted = {w.strip() for w in words
                  if w and w.strip() and has_han(w) and not has_invalid(w)}
        with self._lock:
            if wanted == self._words:
                return
            removed = bool(self._words - wanted)
            added = wanted - self._words
            self._words = wanted
            self._generation += 1
            self._cache.clear()
            if removed:
                self._jieba = None
            elif self._jieba is not None:
                for word in sorted(added):
                    self._jieba.add_word(word, USER_FREQ, None)

    def spans(self, text: str, *, traditional: bool = False) -> tuple[tuple[int, int], ...]:
        """The (start, end) offsets of the words of ``text``, as ``split`` cuts it, no readings.

        For counting words: a sentence already split reuses its split; any other is cut
        without reading its pinyin (the slow part of a split) and without filling the cache.
        """
        with self._lock:
            cached = self._cache.get((text, traditional))
            if cached is None:
                basis = self._simplify(text) if traditional and self._simplify else text
                tokens = self._engine().tokenize(basis)
        if cached is not None:
            return tuple((w.start, w.end) for w in cached)
        if "".join(text[start:end] for _, start, end in tokens) != text:
            return tuple((i, i + 1) for i in range(len(text)))  # never expected
        return tuple((start, end) for _, start, end in tokens)

    def tag(self, word: str) -> str | None:
        """jieba's part-of-speech tag for a word (``nr`` person, ``ns`` place, ``m`` numeral…).

        jieba tags a word from its dictionary, whatever the sentence: ``x`` is a word it found
        by itself, ``""`` a word of the library's own; None when it would not keep it whole.
        """
        with self._lock:
            tagged = self._engine().tag(word)
        return tagged[0][1] if len(tagged) == 1 and tagged[0][0] == word else None

    def split(self, text: str, *, traditional: bool = False) -> tuple[Word, ...]:
        """The words of ``text`` in order; their texts concatenate to ``text`` exactly."""
        key = (text, traditional)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
            generation = self._generation
            basis = without_surrogates(text)  # every door refuses them; this is the last guard
            basis = self._simplify(basis) if traditional and self._simplify else basis
            tokens = self._engine().tokenize(basis)
        if "".join(text[start:end] for _, start, end in tokens) != text:
            tokens = [(ch, i, i + 1) for i, ch in enumerate(basis)]  # never expected
        words = tuple(_word(text, basis, start, end, traditional) for _, start, end in tokens)
        with self._lock:
            if generation == self._generation:
                self._cache[key] = words
                while len(self._cache) > CACHE_UNITS:
                    self._cache.popitem(last=False)
        return words


def _word(text: str, basis: str, start: int, end: int, traditional: bool) -> Word:
    piece = basis[start:end]
    if not has_han(piece):
        return Word(text[start:end], start, end, (None,) * (end - start))
    zhuyin = readings(piece, zhuyin=True) if traditional else None
    return Word(text[start:end], start, end, readings(piece), zhuyin)
