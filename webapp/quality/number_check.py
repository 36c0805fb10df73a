"""The ``number`` check: the numbers, dates and amounts of the source and of the English agree.

Source and English mentions (``zh_numbers``, ``en_numbers``) are paired one to one where they
share a value (a maximum bipartite matching, so two 26日 need two 26s). Then:

* a source mention left alone is flagged (5万 with no 50,000 or 50 thousand); a weak one (一个,
  两国: English may say "a", "both") only when a spare English number near it looks like its
  replacement;
* a spare English number — one no numeral of the source explains in any reading (三伏 explains
  "three", 十几 "a dozen"), and no date of the document's context (``Pair.context``: the
  publication date, the dateline) explains — is flagged: a changed or invented number. A
  conversion in brackets after a number ("6,000 mu (400 hectares)") is not;
* a foreign currency named in the source (美元, 欧元 …) must be named in the English too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from webapp.quality.checks import Finding, Pair, check
from webapp.quality.en_numbers import english
from webapp.quality.numbers import CODE, MONTH, NUMBER, WEEKDAY, Mention, key, matches
from webapp.quality.zh_numbers import chinese, loose_values

#: Currencies the source names, and how an English sentence names them.
CURRENCIES = {
    "美元": ("US dollars", r"\$|\bdollars?\b|\bUSD\b"),
    "欧元": ("euros", r"€|\beuros?\b|\bEUR\b"),
    "英镑": ("pounds", r"£|\bpounds?\b|\bsterling\b|\bGBP\b"),
    "日元": ("yen", r"¥|\byen\b|\bJPY\b"),
    "港元": ("Hong Kong dollars", r"HK\$|\bdollars?\b|\bHKD\b"),
    "港币": ("Hong Kong dollars", r"HK\$|\bdollars?\b|\bHKD\b"),
    "卢布": ("roubles", r"\bro?ubles?\b|\bRUB\b"),
}
#: A sentence has a few numbers; a unit with hundreds (a table pasted as one line) has only
#: its first ones paired, which keeps the pairing's time and recursion bounded.
MAX_MENTIONS = 200
_NEAR = 0.3  # how far apart (as a share of the sentence) a weak number and its replacement may be


def _describe(mention: Mention) -> str:
    if mention.kind in (MONTH, WEEKDAY):
        return mention.label
    if mention.text.replace(",", "") == mention.label.replace(",", ""):
        return mention.text
    return f"{mention.text} ({mention.label})"


def _romanised(mention: Mention, pair: Pair) -> bool:
    """Whether a numeral in characters is part of a name the English spells in pinyin.

    五道梁 is 'Wudaoliang', 四平 'Siping', 三亚 'Sanya': the numeral and the character after
    it, in toneless pinyin, begin an English word.
    """
    if any(c.isascii() for c in mention.text) or not any(c.isalpha() and c.isascii()
                                                         for c in pair.target):
        return False
    from pypinyin import lazy_pinyin

    spelled = "".join(lazy_pinyin(pair.source[mention.start:mention.end + 1])).lower()
    if len(spelled) <= 3:
        return False
    words = re.sub(r"[-'’]", "", pair.target.lower())
    # where a word begins (a pattern made of each spelling was compiled on every call: most of
    # a translation job's checking time)
    at = words.find(spelled)
    while at != -1:
        if at == 0 or not (words[at - 1].isalnum() or words[at - 1] == "_"):
            return True
        at = words.find(spelled, at + 1)
    return False


def pair_up(source: list[Mention], target: list[Mention], source_text: str = "",
            target_text: str = "") -> dict[int, int]:
    """A largest one-to-one pairing of source to English mentions that match (index → index).

    Strong mentions are placed first, and the nearest pairs (by place in the sentence) before
    far ones, so a weak mention never takes the English a strong one needs and two 两 each
    keep the 'two' beside them; then any mention left alone may take another's English when
    that one has a second choice (an augmenting path), so the pairing is as large as can be.
    """
    def distance(i: int, j: int) -> float:
        return abs(_where(source[i], source_text) - _where(target[j], target_text))

    by_value: dict[float, list[int]] = {}
    for j, e in enumerate(target):
        for value in {key(v) for v in e.values}:
            by_value.setdefault(value, []).append(j)
    options = []
    for i, s in enumerate(source):
        found = {j for v in s.values for j in by_value.get(key(v), ()) if matches(s, target[j])}
        options.append(sorted(found, key=lambda j, i=i: distance(i, j)))
    owner: dict[int, int] = {}  # English index → source index
    candidates = sorted((source[i].weak, distance(i, j), i, j)
                        for i in range(len(source)) for j in options[i])
    taken: set[int] = set()
    for _, _, first, j in candidates:
        if j not in owner and first not in taken:
            owner[j] = first
            taken.add(first)

    def place(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    placed = set(owner.values())
    for i in sorted(range(len(source)), key=lambda i: source[i].weak):
        if i not in placed and options[i]:
            place(i, set())
            placed = set(owner.values())
    return {i: j for j, i in owner.items()}


def _where(mention: Mention, text: str) -> float:
    return mention.start / max(1, len(text))


def _converted(mention: Mention, text: str) -> bool:
    """Whether an English number is a conversion in brackets: '6,000 mu (400 hectares)'."""
    return re.search(r"\d[^()]{0,25}\(\s*(?:about|around|approx\.?|some|c\.)?\s*$",
                     text[max(0, mention.start - 40):mention.start]) is not None


@lru_cache(maxsize=256)
def _context_values(context: str) -> frozenset[float]:
    """The dates of the context: years, months and days (a translation may carry them over)."""
    values = {key(float(y)) for y in re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", context)}
    for mention in chinese(context):
        if mention.kind == MONTH or context.startswith(("日", "号", "年"), mention.end):
            values |= {key(v) for v in mention.values}
    for month, day in re.findall(r"(?<!\d)(?:1[89]|20)\d\d-(\d\d)(?:-(\d\d))?", context):
        values |= {key(float(month))} | ({key(float(day))} if day else set())
    return frozenset(values)


@check("number")
def number(pair: Pair) -> list[Finding]:
    """Numbers, dates, times, percentages and amounts that differ between source and English."""
    if pair.source_lang not in ("zh", "zt"):
        return []
    source = chinese(pair.source)[:MAX_MENTIONS]
    target = english(pair.target)[:MAX_MENTIONS]
    found = _currencies(pair)
    if not source and not any(e.kind != CODE and not e.weak for e in target):
        return found
    paired = pair_up(source, target, pair.source, pair.target)
    used = set(paired.values())
    loose = {key(v) for v in loose_values(pair.source)}
    months = {key(v) for m in re.finditer(r"([一二三四五六七八九十]{2,3})月", pair.source)
              for v in loose_values(m.group(1))}  # 七八月: July and August
    months |= {key(v) for m in source if m.kind == MONTH for v in m.values}
    context = _context_values(pair.context) if pair.context else frozenset()
    spare = [j for j, e in enumerate(target) if j not in used and e.kind in (NUMBER, MONTH)
             and not e.weak and not _converted(e, pair.target)
             and not ({key(v) for v in e.values} & (months | context if e.kind == MONTH
                                                    else loose | context))]
    for i, mention in enumerate(source):
        if i in paired or _romanised(mention, pair):
            continue
        replaced = _replacement(mention, pair, target, spare)
        repeated = any(k in paired and source[k].text == mention.text for k in range(len(source)))
        if (mention.weak or repeated) and replaced is None:
            continue  # 一个 said as 'a'; 100%、100%、100% said once as 'all 100%'
        said = _describe(mention)
        if replaced is None:
            found.append(Finding("number", f"The source says {said}; the English has no "
                                           "such number.", ((mention.start, mention.end),)))
            continue
        spare.remove(replaced)
        english_mention = target[replaced]
        found.append(Finding("number", f"The source says {said}; the English says "
                                       f"{english_mention.text}.", ((mention.start, mention.end),),
                             ((english_mention.start, english_mention.end),)))
    for j in spare:
        mention = target[j]
        found.append(Finding("number", f"The English says {mention.text}; the source has no "
                                       "such number.", (), ((mention.start, mention.end),)))
    return found


def _replacement(source: Mention, pair: Pair, target: list[Mention],
                 spare: list[int]) -> int | None:
    """The spare English mention that most likely replaced ``source`` (its index), if any."""
    def kind(m: Mention) -> str:
        return m.kind if m.kind in (MONTH, WEEKDAY) else NUMBER

    where = _where(source, pair.source)
    candidates = [j for j in spare if kind(target[j]) == kind(source)]
    if source.weak:
        candidates = [j for j in candidates if abs(_where(target[j], pair.target) - where) <= _NEAR
                      and (kind(source) != NUMBER
                           or any(v == int(v) and 0 < v < 1000 for v in target[j].values))]
    if not candidates:
        return None
    return min(candidates, key=lambda j: abs(_where(target[j], pair.target) - where))


def _currencies(pair: Pair) -> list[Finding]:
    found = []
    for word, (name, pattern) in CURRENCIES.items():
        at = pair.source.find(word)
        if at >= 0 and not re.search(pattern, pair.target, re.IGNORECASE):
            found.append(Finding("number", f"The source speaks of {name} ({word}); "
                                           "the English does not.", ((at, at + len(word)),)))
    return found
