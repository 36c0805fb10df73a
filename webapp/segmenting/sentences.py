"""Sentence splitting for Chinese, English and mixed text; concatenation is always exact.

Rules (ours, deliberately simple and predictable):

* A sentence ends after a run of stops (。！？；．… ! ? .) and the closing quotes/brackets
  that follow it; the whitespace after it belongs to it, so ``"".join(parts) == text``.
* CJK stops (。！？；．and, in Chinese/Japanese text, … and ……) end a sentence without a space
  after them; ``!``/``?`` do too in CJK text when a CJK character follows.
* ``.``, and ``!``/``?`` in other text, need whitespace after them and a next character that is
  not lower case. No break after titles (Mr. Dr. Prof. …), ``e.g.``/``i.e.``/``vs.``/``No.``,
  single-letter initials (J. R. R. Tolkien); after ``etc.``/``Inc.``/``U.S.``/``a.m.``/month
  abbreviations only before a word that usually starts a sentence (The, He, But, …).
* Nothing breaks inside a quote or bracket pair (“” ‘’ 「」 『』 （） 《》 【】 () "…") whose span
  is at most ``QUOTE_LIMIT`` characters; longer quotes are split inside, like running text.
  A CJK stop right before closing quote marks ends the sentence (“快走！”他喊道。 is two
  sentences, as professional segmentations of Chinese news have it; a stop before a closing
  bracket does not); a Latin stop before a closing quote follows the Latin rules above (so
  ``"Stop!" he said`` stays whole) and does not end the sentence before CJK text.
* Never a break before a comma, colon or semicolon, nor at the very end.
* Bounds (``bounded``): a sentence longer than a model can decode whole (``MAX_CHARS``) is cut
  after the clause punctuation (，、；： , ; : —) nearest its bound, else after the last space
  before it, else at the bound itself; the pieces still concatenate to the sentence.
"""

from __future__ import annotations

QUOTE_LIMIT = 120
#: The longest unit, in characters, by script: about 200 tokens of English out (a model decodes
#: at most 256; Chinese news runs about 0.65 English words per character, and 99% of the
#: sentences of the WMT and sample articles are under 130 characters).
MAX_CHARS = {"cjk": 200, "other": 600}
_CLAUSE = frozenset("，、；：,;:—")

_CJK_LANGS = frozenset({"zh", "zt", "ja", "yue", "wuu"})
_STRONG = frozenset("。！？；．｡")
_ELLIPSIS = "…"
_STOPS = frozenset("。！？；．｡!?.…")
_CLOSERS = frozenset("”’」』）》】〉〕］｝\"')]}")
_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "《": "》", "【": "】",
          "〈": "〉", "〔": "〕", "(": ")", "［": "］"}
_QUOTES = frozenset("”’」』\"'")
_NO_BREAK_BEFORE = frozenset("，,、：:；;）)」』》】”’")
_TITLES = frozenset(
    "mr mrs ms mx dr prof sr jr st mt ft sen rep gov gen col lt maj sgt capt cmdr adm rev hon "
    "pres supt messrs mme mlle no nos vol vols fig figs pp p vs v cf eg ie approx ca art ch sec "
    "dept univ".split()
)
_MAYBE_END = frozenset(
    "etc inc ltd co corp bros llc plc jan feb mar apr jun jul aug sep sept oct nov dec am pm "
    "us uk un eu usa ussr".split()
)
_STARTERS = frozenset(
    "the a an he she it they we i you his her its their our this that these those there here "
    "but and so yet or in on at as if when while after before since meanwhile however "
    "still then now also for by with from to what who why how where".split()
)


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uf900" <= ch <= "\ufaff" \
        or "\U00020000" <= ch <= "\U0003134f"


def _quote_spans(text: str, cjk: bool, limit: int) -> tuple[list[bool], dict[int, int]]:
    """Mark characters inside short matched quote/bracket pairs; map each close to its open."""
    inside = [False] * len(text)
    opener_of: dict[int, int] = {}
    stack: list[tuple[str, int]] = []
    waiting: dict[str, int] = {}  # closers the stack waits for, counted (no scan of the stack)
    ascii_open: int | None = None
    for i, ch in enumerate(text):
        if ch == '"':
            if ascii_open is None:
                ascii_open = i
            else:
                opener_of[i], ascii_open = ascii_open, None
        elif ch in _PAIRS and (cjk or ch != "‘"):
            stack.append((_PAIRS[ch], i))
            waiting[_PAIRS[ch]] = waiting.get(_PAIRS[ch], 0) + 1
        elif waiting.get(ch):
            while stack[-1][0] != ch:  # an unclosed inner opener: forget it
                waiting[stack.pop()[0]] -= 1
            opener_of[i] = stack.pop()[1]
            waiting[ch] -= 1
    for close, start in opener_of.items():
        if close - start <= limit:
            for k in range(start + 1, close):
                inside[k] = True
    return inside, opener_of


def _word_before(text: str, i: int) -> str:
    k = i
    while k > 0 and (text[k - 1].isalpha() or text[k - 1] == ".") and not _is_cjk(text[k - 1]):
        k -= 1
    return text[k:i].strip(".")


def _word_after(text: str, k: int) -> str:
    end = k
    while end < len(text) and text[end].isalpha() and not _is_cjk(text[end]):
        end += 1
    return text[k:end].lower()


def _latin_break(text: str, i: int, run: str, k: int) -> bool:
    """May a Latin-script stop at ``i`` (its run ``run``) end a sentence before ``text[k]``?"""
    nxt = text[k]
    if nxt.islower():
        return False
    if not run.startswith("."):
        return True
    word = _word_before(text, i)
    key = word.replace(".", "").lower()
    if key in _TITLES or (len(word) == 1 and word.isupper()):
        return False
    if key in _MAYBE_END or ("." in word and len(key) <= 4):
        return _word_after(text, k) in _STARTERS or _is_cjk(nxt)
    return True


def split_sentences(text: str, lang: str, *, quote_limit: int = QUOTE_LIMIT) -> list[str]:
    """Split one block's text into sentences; ''.join(result) == text exactly.

    ``quote_limit=0`` splits inside quotes too (the engine does, to decode as Argos does).
    """
    if not text:
        return []
    cjk = lang in _CJK_LANGS
    inside, opener_of = _quote_spans(text, cjk, quote_limit)
    n = len(text)
    cuts: list[int] = []
    i = 0
    while i < n:
        if text[i] not in _STOPS:
            i += 1
            continue
        j = i
        while j < n and (text[j] in _STOPS or text[j] in _CLOSERS):
            j += 1
        run = text[i:j]
        k = j
        while k < n and text[k].isspace():
            k += 1
        if k < n and _breaks(text, i, j, k, run, cjk, inside, opener_of):
            cuts.append(k)
        i = j
    bounds = [0, *cuts, n]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def max_chars(lang: str) -> int:
    """The longest unit for a language (``MAX_CHARS``)."""
    return MAX_CHARS["cjk" if lang in _CJK_LANGS else "other"]


def bounded(sentences: list[str], lang: str, limit: int | None = None) -> list[str]:
    """``sentences`` with each one longer than ``limit`` (default ``max_chars(lang)``) cut into
    pieces of at most ``limit`` characters; ''.join is unchanged."""
    limit = limit or max_chars(lang)
    out: list[str] = []
    for sentence in sentences:
        out.extend(cut_long(sentence, limit) if len(sentence) > limit else [sentence])
    return out


def cut_long(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters: each cut after the last clause
    punctuation in the second half of the window (and the spaces after it), else after its last
    space, else at ``limit``. Linear: every piece is at least half a window long."""
    pieces: list[str] = []
    start, n = 0, len(text)
    while n - start > limit:
        end = start + limit
        low = start + max(1, limit // 2)
        cut = next((k + 1 for k in range(end - 1, low - 1, -1) if text[k] in _CLAUSE), 0)
        if cut:
            while cut < end and text[cut].isspace():
                cut += 1
        else:
            cut = next((k + 1 for k in range(end - 1, low - 1, -1) if text[k].isspace()), end)
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _breaks(
    text: str, i: int, j: int, k: int, run: str, cjk: bool,
    inside: list[bool], opener_of: dict[int, int],
) -> bool:
    """Decide whether the stop run text[i:j], followed by text[k], ends a sentence."""
    nxt = text[k]
    if nxt in _NO_BREAK_BEFORE:
        return False
    last_stop = max(p for p in range(i, j) if text[p] in _STOPS)
    closing = [p for p in range(last_stop + 1, j) if p in opener_of and text[p] in _QUOTES]
    stops = "".join(ch for ch in run if ch in _STOPS)
    spaced = k > j
    if closing:  # the last stop ends a quotation that closes here
        if text[last_stop] not in ".!?":
            return cjk or _is_cjk(nxt) or (spaced and _latin_break(text, i, stops, k))
        return spaced and not _is_cjk(nxt) and _latin_break(text, i, stops, k)
    if inside[last_stop]:
        return False  # still inside a short quote
    if any(ch in _STRONG for ch in stops):
        return True
    if _ELLIPSIS in stops and (cjk or _is_cjk(nxt)):
        return True
    if stops and stops[-1] in "!?" and not spaced and (cjk or _is_cjk(text[i - 1] if i else "")):
        return _is_cjk(nxt)
    if not spaced:
        return False
    return _latin_break(text, i, stops, k)


def block_sentences(text: str, lang: str) -> list[str]:
    """A block's sentences as stored (they concatenate to ``text``), none longer than a model
    can decode whole: what an import and a restored left-out block are cut into."""
    return bounded(split_sentences(text, lang) or [text], lang)
