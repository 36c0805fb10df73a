"""The running words of a Chinese text for learning: words to learn, names and numbers.

Built on the reader's own split (``webapp.reading.words``: rjieba with the library's words), so
a word the reader shows is a word counted here. Punctuation, Latin text and digits are not
words of the text at all. Every other piece is one of:

- **number** — numerals (三, 十五, 两千, 第三, 三分之一), and the numeral of a numeral +
  measure pair the splitter kept whole (一个, 三次, 五月 → the measure word 个, 次, 月 is a
  word). Words that merely start with a numeral (一样, 十分, 万一, 千万) are words: they are on
  the HSK lists.
- **name** — people, places, organisations: a CC-CEDICT headword all of whose entries are
  capitalised proper nouns (莫斯科, 杨洁篪), unless an HSK list teaches it (中国, 北京 are
  words to learn) or jieba calls it a time word (CC-CEDICT capitalises 星期六 like English
  "Saturday"). A piece CC-CEDICT lacks is a name when it splits into nothing longer than
  single characters and jieba tags it a name (``nr``, ``ns``, ``nt``…) or found it by itself
  (帕特鲁舍夫, 邹幸彤); CC-CEDICT headwords inside it (美国政府 → 美国 + 政府) are judged each.
- **word** — everything else: a headword of CC-CEDICT or an HSK list, a word of the library's
  user dictionary, or the dictionary words of a phrase the splitter kept whole (双方同意 →
  双方 + 同意).

A word is identified by its Simplified form (``key``): 銀行 and 银行 are one word to learn.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from webapp.reading import ReadingAids
from webapp.reading import hsk as hsk_lists
from webapp.reading.pinyin import has_han

WORD, NAME, NUMBER = "word", "name", "number"
KINDS = (WORD, NAME, NUMBER)
NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "nrf", "ns", "nt", "nz"})
UNKNOWN_TAGS = frozenset({"x", ""})  # found by jieba's HMM, or a word of the library's own
TIME_TAG = "t"
NUMERALS = "〇零一二三四五六七八九十百千万亿两"
_NUMBER = re.compile(f"第?[{NUMERALS}]+(?:(?:分之|点)[{NUMERALS}]+)*")  # 三分之一, 三点五
#: A capitalised first pinyin syllable (Mo4 si1 ke1); not a Latin letter of the word (T xu4).
_PROPER = re.compile(r"[A-Z][a-z:]*[1-5]")
_LONGEST = 8  # characters: a dictionary word inside a longer piece is never longer
_CACHE_KEYS = 200_000


@dataclass(frozen=True, slots=True)
class Token:
    """A piece of a sentence that is a word, a name or a number, with its offsets."""

    text: str
    start: int
    end: int
    key: str
    kind: str


Piece = tuple[int, int, str]  # start, end, kind within a word of the split


class Lexicon:
    """What each word of a split is for a learner, decided once per word and kept."""

    def __init__(self, aids: ReadingAids) -> None:
        self.aids = aids
        self._lock = threading.Lock()
        self._pieces: dict[str, tuple[Piece, ...]] = {}
        self._proper: dict[str, bool | None] = {}
        self._keys: dict[str, str] = {}
        self._own: frozenset[str] = frozenset()
        self.word_keys = None  # the reader's marks (``marks.keys_for``), made on first use

    def use_own_words(self, words: Iterable[str]) -> None:
        """Words of the user dictionary (either script): always words to learn, never names."""
        own = frozenset(self.key(w.strip(), "zt") for w in words if w and w.strip())
        if own != self._own:
            with self._lock:
                self._own = own
                self._pieces.clear()
            self.aids.forget_html()  # a reader's words to learn may have changed

    def key(self, text: str, lang: str = "zh") -> str:
        """The word's identity: its Simplified form (CC-CEDICT's for a Traditional headword)."""
        if lang != "zt":
            return text
        found = self._keys.get(text)
        if found is None:
            forms = {s for t, s, _, _ in self.aids.dictionary.index.lookup(text)
                     if t == text and len(s) == len(text)}
            found = forms.pop() if len(forms) == 1 else self.aids.dictionary.to_simplified(text)
            self._keep(self._keys, text, found)
        return found

    def pieces(self, key: str) -> tuple[Piece, ...]:
        """A word of the split as (start, end, kind) pieces, offsets within ``key``."""
        found = self._pieces.get(key)
        if found is None:
            found = self._keep(self._pieces, key, self._classify(key))
        return found

    def _keep(self, cache: dict, key: str, value):
        """Remember a decision (a cache that starts afresh when full)."""
        with self._lock:
            if len(cache) >= _CACHE_KEYS:
                cache.clear()
            cache[key] = value
        return value

    # --- the rules, in order --------------------------------------------------------------

    def _classify(self, key: str) -> tuple[Piece, ...]:
        if not has_han(key):
            return ()
        known = self._known_piece(key, 0)
        if known is not None:
            return known
        if self._proper_noun(key) is not None:  # a CC-CEDICT headword
            return ((0, len(key), NAME if self._is_name(key) else WORD),)
        return self._phrase(key)

    def _known_piece(self, key: str, offset: int) -> tuple[Piece, ...] | None:
        """Numbers, HSK and own words, numeral + one character; None when none applies."""
        end = offset + len(key)
        if self._is_number(key):
            return ((offset, end, NUMBER),)
        if self._listed(key) or key in self._own:
            return ((offset, end, WORD),)
        numeral = _NUMBER.match(key)
        if numeral and len(key) - numeral.end() == 1 and self._is_number(numeral.group()):
            # 三次, 一个, 五月 (no list has them); not 千万别, where 千万 is a word
            rest = key[numeral.end():]
            return ((offset, offset + numeral.end(), NUMBER),
                    *self._single(rest, offset + numeral.end()))
        return None

    def _single(self, key: str, offset: int) -> tuple[Piece, ...]:
        """A dictionary word or a lone character inside a longer piece."""
        known = self._known_piece(key, offset)
        if known is not None:
            return known
        if not has_han(key):
            return ()
        kind = NAME if self._proper_noun(key) and self._is_name(key) else WORD
        return ((offset, offset + len(key), kind),)

    def _phrase(self, key: str) -> tuple[Piece, ...]:
        """A piece no dictionary has: a name, or the dictionary words it is made of."""
        parts = self._longest_words(key)
        if len(key) > 1 and all(e - s == 1 or k == NUMBER for s, e, k in parts):
            tag = self.aids.splitter.tag(key)
            if tag in NAME_TAGS or tag in UNKNOWN_TAGS:
                return ((0, len(key), NAME),)
        out: list[Piece] = []
        for start, end, kind in parts:
            out.extend(((start, end, kind),) if kind == NUMBER
                       else self._single(key[start:end], start))
        return tuple(out)

    def _longest_words(self, key: str) -> list[Piece]:
        """Forward longest match over the dictionaries; numeral runs stay whole."""
        parts: list[Piece] = []
        i = 0
        while i < len(key):
            for j in range(min(len(key), i + _LONGEST), i + 1, -1):
                if self._listed(key[i:j]) or self._proper_noun(key[i:j]) is not None:
                    parts.append((i, j, WORD))
                    i = j
                    break
            else:
                numeral = _NUMBER.match(key, i)
                j = numeral.end() if numeral and numeral.end() > i + (key[i] == "第") else i + 1
                parts.append((i, j, NUMBER if j > i + 1 or key[i] in NUMERALS else WORD))
                i = j
        return parts

    # --- the sources ----------------------------------------------------------------------

    def _is_number(self, key: str) -> bool:
        """Numerals (三, 两千, 第三), but not the words made of them (万一, 千万, 一一)."""
        return (_NUMBER.fullmatch(key) is not None
                and not (len(key) > 1 and key[0] != "第" and self._listed(key)))

    def _listed(self, key: str) -> bool:
        return key in hsk_lists.listed_anywhere()

    def _proper_noun(self, key: str) -> bool | None:
        """Whether every CC-CEDICT entry of the word is a proper noun; None when it has none."""
        if key in self._proper:
            return self._proper[key]
        entries = self.aids.dictionary.index.lookup(key)
        proper = all(_PROPER.match(p) for _, _, p, _ in entries) if entries else None
        return self._keep(self._proper, key, proper)

    def _is_name(self, key: str) -> bool:
        return bool(self._proper_noun(key)) and self.aids.splitter.tag(key) != TIME_TAG


_LEXICONS: weakref.WeakKeyDictionary[ReadingAids, Lexicon] = weakref.WeakKeyDictionary()
_LEXICONS_LOCK = threading.Lock()


def lexicon_for(aids: ReadingAids) -> Lexicon:
    """The shared Lexicon of a library's reading aids."""
    lexicon = _LEXICONS.get(aids)
    if lexicon is None:
        with _LEXICONS_LOCK:
            lexicon = _LEXICONS.setdefault(aids, Lexicon(aids))
    return lexicon


def key_of(aids: ReadingAids, word: str) -> str:
    """A word as a learner gave it, in either script, as the word it is (its Simplified form)."""
    return lexicon_for(aids).key(word, "zt")


def running_words(aids: ReadingAids, text: str, lang: str = "zh") -> tuple[Token, ...]:
    """The words, names and numbers of a sentence, in order (punctuation and Latin left out)."""
    lexicon = lexicon_for(aids)
    out: list[Token] = []
    for start, end in aids.splitter.spans(text, traditional=(lang == "zt")):
        piece = text[start:end]
        if not has_han(piece):
            continue
        key = lexicon.key(piece, lang)
        for s, e, kind in lexicon.pieces(key):
            out.append(Token(piece[s:e], start + s, start + e, key[s:e], kind))
    return tuple(out)


def words_to_learn(aids: ReadingAids, text: str, lang: str = "zh") -> list[Token]:
    """Only the words of a sentence (no names, no numbers)."""
    return [t for t in running_words(aids, text, lang) if t.kind == WORD]
