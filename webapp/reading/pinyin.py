"""Contextual readings of a word: pypinyin on the whole word string, so its phrase data applies.

Called on a list of tokens pypinyin would read each token alone; called on the word (长江,
银行行长) it picks the reading the phrase needs (cháng jiāng, yín háng háng zhǎng). Traditional
text is read through its Simplified form, character for character, since pypinyin's phrase data
is Simplified.
"""

from __future__ import annotations

import re
import unicodedata

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_MARK_TONES = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
_ZHUYIN_TONES = {"ˊ": 2, "ˇ": 3, "ˋ": 4, "˙": 5}


def has_han(text: str) -> bool:
    """Whether the text has a Chinese character."""
    return _HAN.search(text) is not None


def readings(word: str, *, zhuyin: bool = False) -> tuple[str | None, ...]:
    """One reading per character of ``word`` (pinyin with marks, or zhuyin); None off Han."""
    from pypinyin import Style, lazy_pinyin

    style = Style.BOPOMOFO if zhuyin else Style.TONE
    out: list[str | None] = [None] * len(word)
    for run in _HAN.finditer(word):
        syllables = lazy_pinyin(run.group(), style=style, errors=lambda chars: [""] * len(chars))
        if len(syllables) != len(run.group()):  # never expected; keep offsets honest
            continue
        for i, syllable in enumerate(syllables, start=run.start()):
            out[i] = syllable or None
    return tuple(out)


def tone(syllable: str) -> int:
    """The tone of a pinyin (marks) or zhuyin syllable: 1–4, 5 for neutral."""
    for ch in unicodedata.normalize("NFD", syllable):
        if ch in _MARK_TONES:
            return _MARK_TONES[ch]
        if ch in _ZHUYIN_TONES:
            return _ZHUYIN_TONES[ch]
    return 1 if any("\u3105" <= c <= "\u312f" for c in syllable) else 5
