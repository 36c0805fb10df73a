"""Source-language detection from an article's body text, as Argos language codes.

Script counting decides the family (CJK, Latin, Cyrillic, …); ``hanzidentifier`` (CC-CEDICT
character sets) decides Simplified ('zh') against Traditional ('zt'), character by character, so
a few Traditional characters in a Simplified text (or Cantonese words in a Traditional one) do
not tip the balance. Latin-script text is told apart by its commonest function words.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import hanzidentifier

_SAMPLE = 20_000  # characters looked at; enough for any decision, bounded time
_SCRIPTS = (
    ("han", "\u4e00", "\u9fff"), ("han", "\u3400", "\u4dbf"), ("han", "\uf900", "\ufaff"),
    ("han", "\U00020000", "\U0003134f"), ("kana", "\u3040", "\u30ff"), ("kana", "\u31f0", "\u31ff"),
    ("hangul", "\uac00", "\ud7af"), ("hangul", "\u1100", "\u11ff"), ("hangul", "\u3130", "\u318f"),
    ("cyrillic", "\u0400", "\u04ff"), ("greek", "\u0370", "\u03ff"), ("hebrew", "\u0590", "\u05ff"),
    ("arabic", "\u0600", "\u06ff"), ("devanagari", "\u0900", "\u097f"),
    ("thai", "\u0e00", "\u0e7f"),
    ("latin", "A", "Z"), ("latin", "a", "z"), ("latin", "\u00c0", "\u024f"),
)
# One CJK character carries about as much as a short word; weigh it against Latin letters.
_WEIGHT = {"han": 3, "kana": 3, "hangul": 2}
_SIMPLE = {"greek": "el", "hebrew": "he", "devanagari": "hi", "thai": "th", "hangul": "ko"}
_FUNCTION_WORDS = {
    "en": "the and of to in is that for it with as was on are be by this have from at not",
    "fr": "le la les de des et est un une du que pour dans qui pas sur au avec ce il elle",
    "de": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch",
    "es": "el la los las de del y que en un una es por con para no se su al lo como",
    "it": "il lo la gli le di e che un una è per non con del della sono al si nel da",
    "pt": "o a os as de do da e que um uma é para com não em no na por se dos",
    "nl": "de het een en van is dat op te in niet met voor zijn er maar ook als bij",
}
_WORD_SETS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_TOKEN = re.compile(r"[^\W\d_]+")


def _script(ch: str) -> str | None:
    for name, low, high in _SCRIPTS:
        if low <= ch <= high:
            return name
    return None


@lru_cache(maxsize=65_536)
def _han_variant(ch: str) -> int:
    return hanzidentifier.identify(ch)


def _chinese(han_chars: Counter[str]) -> str:
    """'zt' when characters found only in Traditional outnumber those only in Simplified."""
    trad = simp = 0
    for ch, count in han_chars.items():
        variant = _han_variant(ch)
        if variant == hanzidentifier.TRADITIONAL:
            trad += count
        elif variant == hanzidentifier.SIMPLIFIED:
            simp += count
    return "zt" if trad > simp else "zh"


def _latin(text: str) -> str:
    words = Counter(w.lower() for w in _TOKEN.findall(text))
    scores = {lang: sum(words[w] for w in wordset) for lang, wordset in _WORD_SETS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] else "und"


def detect_lang(text: str) -> str:
    """Argos code of the text: 'zh' Simplified, 'zt' Traditional, 'en', ...; 'und' if unknown."""
    sample = text[:_SAMPLE]
    counts: Counter[str] = Counter()
    han_chars: Counter[str] = Counter()
    for ch in sample:
        script = _script(ch)
        if script:
            counts[script] += 1
            if script == "han":
                han_chars[ch] += 1
    if not counts:
        return "und"
    weighted = Counter({s: n * _WEIGHT.get(s, 1) for s, n in counts.items()})
    if counts["kana"] + counts["han"]:
        weighted["han"] += weighted.pop("kana", 0)
    top = weighted.most_common(1)[0][0]
    if top == "han":
        if counts["kana"] >= 0.1 * (counts["kana"] + counts["han"]):
            return "ja"
        return _chinese(han_chars)
    if top == "cyrillic":
        return "uk" if re.search("[іїєґІЇЄҐ]", sample) else "ru"
    if top == "arabic":
        return "fa" if re.search("[پچژگ]", sample) else "ar"
    if top == "latin":
        return _latin(sample)
    return _SIMPLE.get(top, "und")
