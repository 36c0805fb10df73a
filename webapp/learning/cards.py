"""Flashcards of a learner's words: the word, its reading and senses, and where it was met.

A card's reading is the one the word has in its sentence (pypinyin on the word in context, as
the reader shows it; 行 in 银行 is háng), else CC-CEDICT's when it has one reading, else
pypinyin's. Its definition is CC-CEDICT's senses for that reading (every reading's when none
matches). The sentence is the source as stored and its English as stored, said to be a
person's (edited, approved) or a machine's.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from webapp.links import safe_url
from webapp.reading import ReadingAids
from webapp.reading import hsk as hsk_lists
from webapp.reading.pinyin import readings
from webapp.vocabulary import REVIEWED, UNTRANSLATED, status_label

from .difficulty import hsk_level

MAX_SENSES = 8


@dataclass(frozen=True)
class Example:
    """A sentence a word was met in: source, English as stored, the article it is from."""

    sentence: str
    written: str  # the word as written there (Traditional text keeps its characters)
    start: int | None = None  # where; None: its first occurrence
    english: str | None = None
    english_status: str | None = None  # the unit's status
    title: str = ""
    link: str | None = None
    lang: str = "zh"


def example_of(row: Mapping[str, Any] | Example | None) -> Example | None:
    """An Example from a stored row (its fields by name; others ignored)."""
    if row is None or isinstance(row, Example):
        return row
    return Example(**{f.name: row[f.name] for f in fields(Example) if f.name in row})


def marked(example: Example) -> tuple[str, str, str]:
    """An example sentence cut around the word: (before, word, after)."""
    start = example.start
    sentence, written = example.sentence, example.written
    if start is None or sentence[start:start + len(written)] != written:
        start = sentence.find(written) if written else -1
    if start < 0:
        return sentence, "", ""
    end = start + len(written)
    return sentence[:start], sentence[start:end], sentence[end:]


@dataclass(frozen=True)
class Card:
    """One note per word."""

    word: str  # Simplified: the word's identity
    traditional: str
    pinyin: str
    definition: str
    hsk: str | None
    status: str
    note: str = ""
    example: Example | None = None

    @property
    def english_by(self) -> str:
        """Who the English is by, as a reader says it."""
        status = self.example.english_status if self.example else None
        if not self.english or status is None:
            return ""
        return f"{status} by a person" if status in REVIEWED else status_label(status)

    @property
    def english(self) -> str:
        """The example's English, empty when it has none."""
        ex = self.example
        if ex is None or ex.english_status == UNTRANSLATED:
            return ""
        return ex.english or ""

    @property
    def link(self) -> str:
        """The article's address when it is an http(s) URL, else empty."""
        return (safe_url(self.example.link) or "") if self.example else ""

    def marked(self) -> tuple[str, str, str]:
        """The example sentence cut around the word: (before, word, after)."""
        return marked(self.example) if self.example is not None else ("", "", "")


def _context_reading(aids: ReadingAids, example: Example) -> str | None:
    before, word, _ = marked(example)
    if not word:
        return None
    start = len(before)
    for w in aids.words(example.sentence, example.lang):
        if w.start <= start < w.end:
            syllables = w.readings[start - w.start:start - w.start + len(word)]
            marks = [s for s in syllables if s]
            return " ".join(marks) if len(marks) == len(word) else None
    return None


def _plain(pinyin: str) -> str:
    """A reading compared without case or spaces (CC-CEDICT capitalises names)."""
    return unicodedata.normalize("NFC", pinyin).replace(" ", "").lower()


def make_card(aids: ReadingAids, word: str, status: str, example: Example | None = None,
              note: str = "") -> Card:
    """A card for a word (Simplified), with its reading and senses from the dictionary."""
    entries = aids.lookup(word).entries if word.strip() else ()
    reading = _context_reading(aids, example) if example else None
    if reading is None:
        distinct = {_plain(e.pinyin): e.pinyin for e in entries}
        reading = (next(iter(distinct.values())).lower() if len(distinct) == 1
                   else " ".join(r for r in readings(word) if r))
    chosen = [e for e in entries if _plain(e.pinyin) == _plain(reading)] or list(entries)
    senses = [s for e in chosen for s in e.definitions][:MAX_SENSES]
    traditional = next((e.traditional for e in chosen if e.traditional != word), "")
    level = hsk_level(word)
    return Card(word, traditional, reading, "; ".join(senses),
                hsk_lists.label(level) if level else None, status, note, example)
