"""Word lookup: CC-CEDICT entries (every reading, every sense) and the HSK level of a word."""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path

from webapp.errors import EnfaceError
from webapp.storage.dictionary import DictionaryIndex, build_index
from webapp.text import has_invalid

from . import cedict

MAX_QUERY = 64  # characters; a headword is never longer, and a longer query is refused


class BadQuery(EnfaceError):
    """A dictionary query that is empty or too long."""


@dataclass(frozen=True)
class Found:
    """One entry as shown: both scripts, pinyin with tone marks, zhuyin, senses."""

    traditional: str
    simplified: str
    pinyin: str
    zhuyin: str
    definitions: tuple[str, ...]

    def to_json(self) -> dict:
        """The API form of the entry."""
        return {
            "traditional": self.traditional, "simplified": self.simplified,
            "pinyin": self.pinyin, "zhuyin": self.zhuyin,
            "definitions": list(self.definitions),
        }


@dataclass(frozen=True)
class Lookup:
    """A query's result: exact entries, else the entries of each character; HSK level."""

    query: str
    entries: tuple[Found, ...]
    characters: tuple[Found, ...] = ()
    hsk: str | None = None
    credit: str = cedict.CREDIT

    def to_json(self) -> dict:
        """``{"query", "entries", "hsk"}`` plus ``characters`` and ``credit``."""
        return {
            "query": self.query, "entries": [e.to_json() for e in self.entries],
            "characters": [e.to_json() for e in self.characters],
            "hsk": self.hsk, "credit": self.credit,
        }


def index_path(data_dir: Path) -> Path:
    """Where the index for the installed CC-CEDICT lives in the data folder."""
    date = cedict.read_header().get("date", "undated")[:10]
    return Path(data_dir) / f"cedict-{date}.sqlite3"


def build(path: Path) -> None:
    """Build the index from the packaged CC-CEDICT file (no network)."""
    entries = list(cedict.read_entries())
    header = cedict.read_header()
    meta = {"source": "CC-CEDICT", "license": cedict.LICENSE_URL,
            "date": header.get("date", ""), "entries": str(len(entries))}
    rows = ((e.traditional, e.simplified, e.pinyin, e.definitions) for e in entries)
    build_index(path, rows, cedict.char_map(entries), meta)


def _zhuyin(marked: str) -> str:
    from pypinyin.style.bopomofo import BopomofoConverter

    convert = BopomofoConverter().to_bopomofo
    return " ".join(convert(s) if s.isalpha() and s.islower() else s for s in marked.split())


class Dictionary:
    """CC-CEDICT lookups on an index in the data folder, built on first use."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._lock = threading.Lock()
        self._index: DictionaryIndex | None = None
        self._charmap: dict[str, str] | None = None

    @property
    def index(self) -> DictionaryIndex:
        """The open index, built first when the data folder has none (or an outdated one)."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    path = index_path(self.data_dir)
                    if path.exists():
                        index = DictionaryIndex(path)
                        if not index.is_current():
                            index.close()
                            build(path)
                            index = DictionaryIndex(path)
                    else:
                        build(path)
                        index = DictionaryIndex(path)
                    self._index = index
        return self._index

    def to_simplified(self, text: str) -> str:
        """``text`` with Traditional characters in Simplified, one for one (same length)."""
        if self._charmap is None:
            self._charmap = self.index.charmap()
        charmap = self._charmap
        return "".join(charmap.get(ch, ch) for ch in text)

    def _found(self, word: str) -> tuple[Found, ...]:
        return tuple(
            Found(t, s, cedict.tone_marks(p), _zhuyin(cedict.tone_marks(p)),
                  tuple(cedict.mark_references(d) for d in defs))
            for t, s, p, defs in self.index.lookup(word)
        )

    def lookup(self, query: str) -> Lookup:
        """Every entry for ``query`` (Simplified or Traditional) and its HSK level."""
        word = query.strip()
        if not word:
            raise BadQuery("Give a word to look up.")
        if len(word) > MAX_QUERY:
            raise BadQuery(f"A dictionary query has at most {MAX_QUERY} characters.")
        if has_invalid(word):
            raise BadQuery("A dictionary query cannot hold control characters or lone "
                           "surrogates.")
        return self._lookup(word)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one Dictionary per data folder, kept
    def _lookup(self, word: str) -> Lookup:
        from . import hsk

        entries = self._found(word)
        characters: tuple[Found, ...] = ()
        if not entries and len(word) > 1:
            seen: set[str] = set()
            characters = tuple(
                e for ch in word if not (ch in seen or seen.add(ch)) for e in self._found(ch)
            )
        simplified = {e.simplified for e in entries} or {self.to_simplified(word)}
        return Lookup(word, entries, characters, hsk.level_label(simplified))
