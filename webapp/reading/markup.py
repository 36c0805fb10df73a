"""The source side of the reader as HTML: each Chinese word a span carrying its readings.

``<span class="w" data-py="cuō shāng">磋商</span>``; Traditional text also gets ``data-zy``
(zhuyin). Punctuation and Latin text stay plain (escaped). The browser turns these into ruby on
demand, so a page without the pinyin toggle pays only for the spans. Built once per sentence
and kept with its split.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from .words import Word


def _readings(values: Sequence[str | None]) -> str:
    return " ".join(v or "" for v in values)


def source_html(words: Sequence[Word]) -> Markup:
    """The words of one sentence as escaped HTML with word spans."""
    parts: list[str] = []
    for word in words:
        text = escape(word.text)
        if word.pinyin is None:
            parts.append(text)
            continue
        attrs = f' data-py="{escape(_readings(word.readings))}"'
        if word.zhuyin is not None:
            attrs += f' data-zy="{escape(_readings(word.zhuyin))}"'
        parts.append(f'<span class="w"{attrs}>{text}</span>')
    return Markup("".join(parts))
