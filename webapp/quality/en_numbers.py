"""Numbers in an English sentence: digits, number words, dates, times, ordinals, fractions.

A small scanner over word and digit tokens rather than a library: the number-word parsers on
PyPI take about a millisecond a phrase and read neither "1.5 million" nor ordinals and
fractions, and we need where each number is, not only its value.
"""

from __future__ import annotations

import re

from webapp.quality.numbers import (
    CODE,
    MONTH,
    MONTHS,
    NUMBER,
    WEEKDAY,
    WEEKDAYS,
    Mention,
    hour_values,
)

_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
          "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
CARDINALS = {w: float(i) for i, w in enumerate(_SMALL)} | {
    w: float(20 + 10 * i) for i, w in enumerate(_TENS)}
SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
          "trillion": 10**12, "bn": 10**9, "mn": 10**6, "decade": 10, "decades": 10}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
            "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
            "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
            "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
            "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
            "seventieth": 70, "eightieth": 80, "ninetieth": 90}
#: Fraction words: "a third" is 1/3 (or the ordinal 3), "three quarters" 3/4.
FRACTIONS = {"half": 2, "halves": 2, "thirds": 3, "quarter": 4, "quarters": 4, "fourths": 4,
             "fifths": 5, "tenths": 10}
MULTIPLES = {"once": 1, "twice": 2, "thrice": 3, "double": 2, "doubled": 2, "triple": 3,
             "tripled": 3, "quadrupled": 4, "dozen": 12}
#: Words that carry a number without being one: they may match the source, never replace it.
LEXICAL = {"decade": {10.0}, "fortnight": {2.0, 14.0}, "both": {2.0}, "sequel": {2.0},
           "pair": {2.0}, "couple": {2.0}, "single": {1.0}, "tertiary": {3.0},
           "dozen": {12.0}, "century": {100.0}, "centuries": {100.0}, "millennium": {1000.0}}
_CURRENCY_CODES = ("RMB", "USD", "US", "HK", "EUR", "GBP", "JPY", "CNY", "NT", "HKD", "A", "C")
_APPROXIMATE = {"tens", "hundreds", "thousands", "millions", "billions", "dozens", "scores"}
_NUMBER_WORDS = set(CARDINALS) | set(SCALES) | set(ORDINALS) | set(FRACTIONS) | set(MULTIPLES)
_MONTH_INDEX = {m.lower(): i for i, m in enumerate(MONTHS)} | {
    m[:3].lower(): i for i, m in enumerate(MONTHS)} | {"sept": 8}
_WEEKDAY_INDEX = {d.lower(): i for i, d in enumerate(WEEKDAYS)}
_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[A-Za-z]+|[^\s-]")
_CLOCK = re.compile(r"(?::(\d{2}))?(?::\d{2})?\s*(?:([ap])\.?\s?m\b\.?|o'clock\b)?", re.I)
_MAY = re.compile(r"(?:\b(?:in|on|since|by|until|till|from|of|early|late|mid|end|last|next|"
                  r"this|and|or|to|through|between|before|after)\s*-?\s*|\d\s)$", re.I)
_STARTS = frozenset({*_NUMBER_WORDS, *_APPROXIMATE, *_MONTH_INDEX, *_WEEKDAY_INDEX,
                     *(d + "s" for d in _WEEKDAY_INDEX), "noon", "midday", "midnight", "a",
                     "an", "decades"})
WEAK_WORDS = {"one", "first", "second", "once", "a", "an", "single", "quarter", "quarters",
              *MULTIPLES}


def english(text: str) -> list[Mention]:
    """The numbers of an English sentence, in order (see ``webapp.quality.numbers``)."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    starts = [i for i, (word, _, _) in enumerate(tokens)
              if word[0].isdigit() or word.lower() in _STARTS or _ROMAN.fullmatch(word)]
    found: list[Mention] = []
    after = 0
    for i in starts:
        if i < after:
            continue  # inside the mention before
        mention, after = _read(text, tokens, i)
        if mention is not None:
            found.append(mention)
    return found


def _mention(text: str, start: int, end: int, values: set[float], kind: str = NUMBER,
             weak: bool = False) -> Mention:
    return Mention(text[start:end], start, end, kind, frozenset(values), weak)


def _read(text: str, tokens: list[tuple[str, int, int]], i: int) -> tuple[Mention | None, int]:
    """The mention starting at token ``i`` (or None) and the index after it."""
    word, start, end = tokens[i]
    lower = word.lower()
    nxt = tokens[i + 1][0].lower() if i + 1 < len(tokens) else ""
    if lower in _APPROXIMATE and nxt == "of":  # hundreds of, tens of thousands of
        j = i + 2
        while j < len(tokens) and tokens[j][0].lower() in _APPROXIMATE | {"of"}:
            j += 1
        return None, j
    if lower in _MONTH_INDEX and word[0].isupper():
        return _month(text, tokens, i), i + 1
    if lower.rstrip("s") in _WEEKDAY_INDEX and word[0].isupper():
        day = _WEEKDAY_INDEX[lower.rstrip("s")]
        return _mention(text, start, end, {float(day)}, WEEKDAY), i + 1
    if lower in ("noon", "midday", "midnight"):
        return _mention(text, start, end, {0.0, 12.0, 24.0}, weak=True), i + 1
    if text.startswith("24/7", start):
        return _mention(text, start, start + 4, {24.0, 7.0}, weak=True), _skip(tokens, i, start + 4)
    if lower == "decades":
        return None, i + 1  # for decades: a rough count
    if lower in LEXICAL and not (lower == "dozen" and i and tokens[i - 1][0].lower() in (
            "a", "one", "half")):
        return _mention(text, start, end, LEXICAL[lower], weak=True), i + 1
    if word[0].isdigit() and re.match(r":\d", text[start - 1:start + 1]):  # :05, not :00
        return (_mention(text, start, end, {_float(word)}) if _float(word) else None), i + 1
    if word[0].isdigit():
        before = text[max(0, start - 40):start]
        code = re.search(r"(?:([A-Za-z]+)|[A-Z][A-Za-z]*-)$", before)  # G20, COVID-19
        if code and code.group(1) not in _CURRENCY_CODES:  # but RMB280, not post-90s
            return _mention(text, start, end, {_float(word)}, CODE), i + 1
        clock = _CLOCK.match(text, end)
        if clock and (clock.group(1) or clock.group(2) or "o'clock" in clock.group().lower()):
            return _clock(text, start, clock, _float(word)), _skip(tokens, i, end)
        fraction = re.match(r"/(\d{1,2})\b(?!/)", text[end:])
        if fraction and int(fraction.group(1)) and re.fullmatch(r"\d{1,2}", word):
            value = _float(word) / int(fraction.group(1))
            return _mention(text, start, end + fraction.end(), {value}), _skip(
                tokens, i, end + fraction.end())
    if _ROMAN.fullmatch(word) and (len(word) > 1 or re.search(
            r"\b(?:Level|Phase|Stage|Grade|Class|Type|Category|War|No\.?)\s+$",
            text[max(0, start - 40):start])):
        return _mention(text, start, end, {float(_roman(word))}), i + 1  # Level III
    if word[0].isdigit() or lower in _NUMBER_WORDS or (
            lower in ("a", "an") and _follows(lower, nxt, "")):
        return _phrase(text, tokens, i)
    return None, i + 1


_ROMAN = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|VI{0,3}|I{1,3})?")


def _roman(word: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for k, char in enumerate(word):
        value = values[char]
        total += -value if k + 1 < len(word) and values[word[k + 1]] > value else value
    return total


def _float(token: str) -> float:
    return float(token.replace(",", ""))


def _skip(tokens: list[tuple[str, int, int]], i: int, end: int) -> int:
    while i < len(tokens) and tokens[i][1] < end:
        i += 1
    return i


def _month(text: str, tokens: list[tuple[str, int, int]], i: int) -> Mention | None:
    word, start, end = tokens[i]
    after = text[end:end + 3]
    before = text[max(0, start - 40):start]
    if word == "May" and not (_MAY.search(before) or re.match(r"\s*\d", after)):
        return None  # the verb
    if word not in MONTHS and not re.match(r"\.?\s*\d", after):
        return None  # Jan, Mar, Dec only as abbreviations before a day
    if word == "March" and re.search(r"\bLong\s+$", before):
        return None
    month = _MONTH_INDEX[word.lower()]
    return _mention(text, start, end, {month + 1.0}, MONTH)


def _clock(text: str, start: int, clock: re.Match, hour: float) -> Mention:
    """The hour of a clock time (5:00 p.m., 17:30:05, 11 am); its minutes follow on their own.

    Zero minutes and seconds are weak (8:00 for 8时).
    """
    values = hour_values(hour, "p" if (clock.group(2) or "").lower() == "p" else "")
    if (clock.group(2) or "").lower() == "a" and hour == 12:
        values.add(0.0)
    end = start + len(re.match(r"\d+", text[start:]).group())
    if not clock.group(1):
        end = clock.end()
    return _mention(text, start, end, values)


_SUFFIXES = ("st", "nd", "rd", "th", "s", "m", "k", "bn", "mn")


def _follows(prev: str, cur: str, nxt: str) -> bool:
    """Whether number word ``cur`` continues a phrase ending in ``prev`` ('twenty' 'five')."""
    if cur == "and":
        return prev in SCALES and nxt in CARDINALS
    if cur in ("a", "an"):
        return prev == "half" and nxt in SCALES
    if cur in ("decade", "decades"):
        return prev in CARDINALS or prev in ("a", "an")  # three decades: 30 years
    if cur in SCALES:
        return prev[0].isdigit() or prev in CARDINALS or prev in SCALES or prev in ("a", "an")
    if cur in CARDINALS:
        return (prev in _TENS and CARDINALS[cur] < 10) or prev in SCALES or prev == "and"
    if cur in ORDINALS:
        return ((prev in _TENS and ORDINALS[cur] < 10) or prev in SCALES or prev == "and"
                or prev in ("a", "an") or (prev in CARDINALS and CARDINALS[prev] < 10))
    if cur in FRACTIONS or cur == "dozen":
        return prev in CARDINALS or prev in ("a", "an")
    return False


def _phrase(text: str, tokens: list[tuple[str, int, int]],
            i: int) -> tuple[Mention | None, int]:
    """A run of digits and number words: 'two hundred and five', '1.5 million', 'a third'."""
    start = tokens[i][1]
    parts: list[str] = []
    j = i
    while j < len(tokens):
        word, s, _ = tokens[j]
        lower = word.lower()
        if parts:
            gap = text[tokens[j - 1][2]:s]
            if gap == "" and parts[-1][0].isdigit() and lower in _SUFFIXES:
                parts.append(lower)
                j += 1
                break
            nxt = tokens[j + 1][0].lower() if j + 1 < len(tokens) else ""
            if gap not in (" ", "-") or not _follows(parts[-1], lower, nxt):
                break
        parts.append(lower)
        j += 1
        if lower in ORDINALS or (lower in FRACTIONS and lower != "half"):
            break
    end = tokens[j - 1][2]
    if parts and parts[-1] in ("a", "an", "and"):
        parts.pop()
        end = tokens[j - 2][2]
        j -= 1
    values = phrase_values(parts, currency=text[max(0, start - 1):start] in ("$", "£", "€", "¥"))
    if not values:
        return None, max(j, i + 1)
    weak = ((len(parts) == 1 or parts[0] in ("a", "an")) and parts[-1] in WEAK_WORDS
            ) or "dozen" in parts  # a second term, a quarter, a dozen: not always a count
    return _mention(text, start, end, values, weak=weak), max(j, i + 1)


def phrase_values(parts: list[str], currency: bool = False) -> set[float]:
    """Every value a number phrase's lower-case tokens may stand for (a third: 1/3 and 3)."""
    total = current = 0.0
    values: set[float] = set()
    counted = False
    for k, part in enumerate(parts):
        last = k == len(parts) - 1
        if part[0].isdigit():
            current += _float(part)
            counted = True
        elif part in CARDINALS:
            current += CARDINALS[part]
            counted = True
        elif part in ORDINALS:
            number = ORDINALS[part]
            if k and last and number in range(3, 11) and (
                    parts[k - 1] in ("a", "an") or parts[k - 1] in CARDINALS):
                return {(current or 1) / number, float(number)}  # a third, one fifth
            current += number
            counted = True
        elif part in FRACTIONS:
            if last:
                return {(current or 1) / FRACTIONS[part]}  # two thirds, a half
            current = (current or 1) / FRACTIONS[part]  # half a million
        elif part == "dozen":
            current = (current or 1) * 12
            counted = True
        elif part in MULTIPLES:
            current += MULTIPLES[part]
            counted = True
        elif part == "s" and current >= 10:  # the 1990s
            values |= {current % 100, 1900 + current % 100, 2000 + current % 100}
        elif part == "m" and not currency:
            continue  # 5m: metres; $5m: millions
        elif part == "k" and not currency:
            total += (current or 1) * 1000  # 50K: 50,000, or a name such as 4K (the digits)
            values.add(current)
            current = 0.0
            counted = True
        elif part in SCALES or part in ("m", "k"):
            scale = SCALES.get(part) or (10**6 if part == "m" else 1000)
            if scale in (10, 100):
                current = (current or 1) * scale
            else:
                total += (current or 1) * scale
                current = 0.0
            counted = True
    value = total + current
    if counted and (value or parts[0] in ("zero", "0")):
        values.add(value)
    return values
