"""How hard an article is for a learner: words known, new words, HSK profile, level it suits.

Two steps, so that storage can keep the first and a page can redo the second cheaply:

``profile`` reads the text once (whoever reads it): each word to learn with how often it runs
(names and numbers apart, see ``tokens``). ``difficulty`` combines a profile with one learner's
word statuses:

- ``words``: *running* words to learn (every occurrence counts: 中国 five times is 5), less
  those the learner marked ``ignored``; a name the learner gave any other status counts too.
- ``known``: running words whose status is ``known``; ``known_ratio`` = known / words (None
  for a text without words). Learning words (1–4) are not known yet.
- ``new_words``: *distinct* words (each once) with no status or the status ``new``: what there
  is to learn in this article.
- ``hsk``: running words per HSK 3.0 level ("1"…"6", "7-9") and "beyond" the lists (the 2025
  exam syllabus, else the 2021 grading standard; a word made of graded words, 野生动物 = 野生 +
  动物, takes the highest of their levels). Like ``level``, it describes the text, whoever
  reads it: names are left out, and a learner's statuses change nothing.
- ``level``: the lowest HSK 3.0 level whose words, with those of every level below, cover at
  least 95 % of the running words; "beyond" when even 7–9 does not; None without words.

Why 95 %: the reading-comprehension literature puts the lexical threshold for adequate reading
at 95 % of running words known (Laufer 1989; Laufer & Ravenhorst-Kalovski 2010, "Lexical
threshold revisited", Reading in a Foreign Language 22(1): 95 % minimal, 98 % optimal) and at
98 % for unassisted reading of fiction (Hu & Nation 2000, Reading in a Foreign Language 13(1)).
Enface's reader is assisted (a popup dictionary on every word, the English beside each
sentence), so the minimal threshold is the one that says "you can read this with help".
Laufer & Ravenhorst-Kalovski count proper nouns as known; leaving names out of the running
words is the same choice. A recent replication (Webb, Pellicer-Sánchez & Wang 2025, RFL 37(1))
found coverage explains only part of comprehension: the level is an estimate to sort and
filter by. Native news seldom reaches 95 % within the HSK lists (23 of the 26 WMT21 stories in
the fixtures grade "beyond", 3 grade 7-9); ``known_ratio`` and ``new_words`` tell such
articles apart for a given learner.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from webapp.reading import ReadingAids
from webapp.reading import hsk as hsk_lists
from webapp.vocabulary import WORD_IGNORED, WORD_KNOWN, WORD_NEW

from .tokens import NAME, WORD, lexicon_for

THRESHOLD = 0.95
BEYOND = "beyond"
HSK_KEYS = (*hsk_lists.LABELS, BEYOND)
#: Levels in order, for sorting and "at most" filters: "1" → 1 … "7-9" → 7, beyond → 8.
LEVEL_RANKS = {label: rank for rank, label in enumerate(HSK_KEYS, start=1)}
_LONGEST = 8


@dataclass(frozen=True)
class Profile:
    """A text's running words to learn and names, by word (Simplified), with their counts."""

    words: Mapping[str, int]
    names: Mapping[str, int] = field(default_factory=dict)

    def hsk(self) -> dict[str, int]:
        """Running words per HSK 3.0 level label, and ``beyond``."""
        out = dict.fromkeys(HSK_KEYS, 0)
        for word, count in self.words.items():
            level = hsk_level(word)
            out[hsk_lists.label(level) if level else BEYOND] += count
        return out


def profile(aids: ReadingAids, sources: Iterable[str], lang: str = "zh") -> Profile:
    """Read every sentence of a text once: its words to learn and its names, counted."""
    lexicon = lexicon_for(aids)
    spans = aids.splitter.spans
    traditional = lang == "zt"
    pieces: Counter[str] = Counter()  # each piece of the split once, then decided once
    for text in sources:
        pieces.update(text[start:end] for start, end in spans(text, traditional=traditional))
    words: Counter[str] = Counter()
    names: Counter[str] = Counter()
    for piece, count in pieces.items():
        key = lexicon.key(piece, lang)
        for s, e, kind in lexicon.pieces(key):
            if kind == WORD:
                words[key[s:e]] += count
            elif kind == NAME:
                names[key[s:e]] += count
    return Profile(dict(words), dict(names))


@functools.lru_cache(maxsize=100_000)
def hsk_level(word: str) -> int | None:
    """The word's HSK 3.0 level (7 for 7–9), or that of the listed words it is made of.

    A word no list grades but that splits wholly into graded words (我国 = 我 + 国, 野生动物 =
    野生 + 动物) takes the highest of their levels: the analogue of the word families the
    coverage studies count, where a reader who knows the parts reads the whole.
    """
    table = hsk_lists.graded()
    level = table.get(word)
    if level is not None or len(word) < 2:
        return level
    levels, i = [], 0
    while i < len(word):
        for j in range(min(len(word), i + _LONGEST), i, -1):
            if j - i < len(word) and word[i:j] in table:
                levels.append(table[word[i:j]])
                i = j
                break
        else:
            return None
    return max(levels)


def level_of(hsk: Mapping[str, int], threshold: float = THRESHOLD) -> str | None:
    """The lowest level covering ``threshold`` of the running words; ``beyond``; None if empty."""
    total = sum(hsk.values())
    if not total:
        return None
    covered = 0
    for label in hsk_lists.LABELS:
        covered += hsk.get(label, 0)
        if covered >= threshold * total:
            return label
    return BEYOND


def difficulty(text: Profile, statuses: Mapping[str, str]) -> dict:
    """``{"words", "known", "known_ratio", "new_words", "hsk", "level"}`` for one learner."""
    words = known = new = 0
    for word, count in text.words.items():
        status = statuses.get(word, WORD_NEW)
        if status == WORD_IGNORED:
            continue
        words += count
        known += count if status == WORD_KNOWN else 0
        new += status == WORD_NEW
    for name, count in text.names.items():
        status = statuses.get(name)
        if status is None or status == WORD_IGNORED:
            continue
        words += count
        known += count if status == WORD_KNOWN else 0
        new += status == WORD_NEW
    hsk = text.hsk()
    return {"words": words, "known": known,
            "known_ratio": round(known / words, 4) if words else None,
            "new_words": new, "hsk": hsk, "level": level_of(hsk)}


def article_difficulty(aids: ReadingAids, sources: Iterable[str], statuses: Mapping[str, str],
                       lang: str = "zh") -> dict:
    """An article's difficulty from its units' sources and a word → status map."""
    return difficulty(profile(aids, sources, lang), statuses)
