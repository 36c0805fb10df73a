"""The source side of the reader as HTML: each Chinese word a span carrying its readings.

``<span class="w" data-py="cuō shāng">磋商</span>``; Traditional text also gets ``data-zy``
(zhuyin), and a learner's reader ``data-k``: the words to learn in the span, by their Simplified
form (names and numbers have none; see ``webapp.learning.marks``). Punctuation and Latin text
stay plain (escaped). The browser turns these into ruby on demand, so a page without the pinyin
toggle pays only for the spans. Built once per sentence and kept with its split.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat

from markupsafe import Markup, escape

from .words import Word


def _readings(values: Sequence[str | None]) -> str:
    return " ".join(v or "" for v in values)


def source_html(words: Sequence[Word], keys: Sequence[str] | None = None) -> Markup:
    """The words of one sentence as escaped HTML with word spans (``keys``: each word's words
    to learn, space-separated)."""
    parts: list[str] = []
    for word, key in zip(words, repeat("") if keys is None else keys, strict=False):
        text = escape(word.text)
        if word.pinyin is None:
            parts.append(text)
            continue
        attrs = f' data-py="{escape(_readings(word.readings))}"'
        if word.zhuyin is not None:
            attrs += f' data-zy="{escape(_readings(word.zhuyin))}"'
        if key:
            attrs += f' data-k="{escape(key)}"'
        parts.append(f'<span class="w"{attrs}>{text}</span>')
    return Markup("".join(parts))
