"""What the reader marks for a learner: each word span's words to learn.

The reader's spans are the splitter's words (``webapp.reading.markup``); a span holds one word
to learn (磋商), none (a name, a number, 帕特鲁舍夫), or several (双方同意 → 双方 同意; 三次 → 次).
Each span carries them by their Simplified form in ``data-k``, so the browser can mark a span
by the learner's statuses (``static/js/learning.js``) without the server building the page per
learner. A word is what ``tokens`` and ``difficulty`` count: the marks and the figures agree.
"""

from __future__ import annotations

from collections.abc import Sequence

from webapp.reading import ReadingAids, Word, WordKeys

from .tokens import WORD, lexicon_for


def keys_for(aids: ReadingAids) -> WordKeys:
    """The function that gives a sentence's words their words to learn (for ``source_html``)."""
    lexicon = lexicon_for(aids)
    if lexicon.word_keys is not None:
        return lexicon.word_keys

    def keys(words: tuple[Word, ...], lang: str) -> Sequence[str]:
        out: list[str] = []
        for word in words:
            if word.pinyin is None:  # punctuation, Latin, digits
                out.append("")
                continue
            key = lexicon.key(word.text, lang)
            out.append(" ".join(key[s:e] for s, e, kind in lexicon.pieces(key) if kind == WORD))
        return out

    lexicon.word_keys = keys  # one function per lexicon: source_html caches by its presence
    return keys
