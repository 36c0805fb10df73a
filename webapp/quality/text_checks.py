"""The checks that read words: untranslated Chinese, omissions, negations, names, punctuation,
and the glossary (``webapp.glossary.terms.check`` behind the same interface).

Each rule was measured on the 1,948 WMT21 human translations (``tests/bench/bench_checks.py``):
a check that fires on good translations costs a reader as much as one that misses.
"""

from __future__ import annotations

import difflib
import re

import rjieba

from webapp.glossary.terms import check as term_check
from webapp.quality.checks import Finding, Pair, check

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][a-z]+)?")


def _quote(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


@check("untranslated")
def untranslated(pair: Pair) -> list[Finding]:
    """Chinese characters left in the English."""
    found = []
    for run in _HAN.finditer(pair.target):
        at = pair.source.find(run.group())
        spans = ((at, at + len(run.group())),) if at >= 0 else ()
        found.append(Finding("untranslated", f"The English still has Chinese: "
                                             f"{_quote(run.group())}.", spans, (run.span(),)))
    return found


#: Double quotation marks of either language (human English often closes with “, so only
#: their number is compared) and brackets (which must nest).
_QUOTES = "“”\"「」『』＂"
_BRACKETS = {"(": ")", "（": "）", "[": "]", "【": "】", "〔": "〕"}


def _quotes_balanced(text: str) -> bool:
    return sum(text.count(q) for q in _QUOTES) % 2 == 0


_BRACKET_CHARS = re.compile("[" + re.escape("".join(_BRACKETS) + "".join(_BRACKETS.values()))
                            + "]")


def _brackets_balanced(text: str) -> bool:
    depth = 0
    for char in _BRACKET_CHARS.findall(text):
        if char in _BRACKETS:
            depth += 1
        elif char in _BRACKETS.values():
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


@check("punctuation")
def punctuation(pair: Pair) -> list[Finding]:
    """Quotation marks or brackets the English leaves open (or closes unopened)."""
    found = []
    for kind, balanced in (("quotation marks", _quotes_balanced),
                           ("brackets", _brackets_balanced)):
        if balanced(pair.source) and not balanced(pair.target):
            found.append(Finding("punctuation", f"The English has unbalanced {kind}; the source "
                                                "does not."))
    return found


#: Words that negate (rjieba's words). Those that only look negative are not here: 不断
#: (constantly), 不仅 (not only: the English keeps 'not'), 无论 (whatever), 非常 (very),
#: 未来 (future), 不得不 (have to), 无人机 (drone), 是否 (whether).
NEGATIONS = frozenset(
    "不 没 没有 未 无 非 别 勿 莫 不要 不会 不能 不可 不得 不必 不用 不再 不是 不敢 不愿 "
    "不肯 不该 不应 不宜 未能 未曾 尚未 从未 并未 并不 从不 决不 绝不 永不 毫无 无法 无须 "
    "无需 并非 绝非 没能 不予 不准 切勿 请勿 不到 不足 不满 否认 拒绝 禁止 未经 无从 不了".split())
_NEGATORS = frozenset("".join(NEGATIONS))
_ENGLISH_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nothing|nobody|nowhere|neither|nor|without|cannot|fail\w*|lack\w*"
    r"|refus\w*|reject\w*|den(?:y|ies|ied|ial)|ignor\w+|unable|absen\w+|prevent\w*|avoid\w*"
    r"|ban\w*|prohibit\w*|forbid\w*|free|instead|rather|unless|otherwise|hardly|barely|yet"
    r"|stop\w*|against|negative|zero|less|fewer|under|below|short|only|before|anonymous\w*"
    r"|different\w*|irreversibl\w+)\b|n[’']t\b|\bnon-?\w+|\w+less\b"
    r"|\bun(?!der|til|ion|it|iv|iq|if|anim)\w+|\b(?:in|im|il|ir|dis|mis|a)(?:ability|able"
    r"|adequate|complete|consistent|correct|dependent|direct|effective|equality|formal"
    r"|sufficient|valid|visible|possible|proper|legal|legally|regular|relevant|responsible"
    r"|tangible|agree\w*|satisf\w+|order\w*|continu\w+|advantage\w*|appear\w*|trust\w*"
    r"|symptomatic|typical)\b", re.IGNORECASE)


@check("negation")
def negation(pair: Pair) -> list[Finding]:
    """A negation of the source (不, 没有, 未, 无法 …) with no negation at all in the English."""
    if pair.source_lang not in ("zh", "zt") or not any(c in pair.source for c in _NEGATORS):
        return []
    words = [(word, start, end) for word, start, end in rjieba.tokenize(pair.source)
             if word in NEGATIONS]
    if not words or _ENGLISH_NEGATION.search(pair.target):
        return []
    shown = "、".join(dict.fromkeys(word for word, _, _ in words))
    return [Finding("negation", f"The source negates ({shown}); the English has no 'not', 'no', "
                                "'never' or other negation.",
                    tuple((start, end) for _, start, end in words))]


#: Words of English for a clause of so many Chinese characters, below which a clause is likely
#: missing. Human translations of WMT21 sentences of 20 characters or more go below 0.44 words
#: a character in 1 pair in 100 and below 0.35 in 1 in 2,000.
SHORT = 0.35
_CLAUSE = re.compile(r"[^，,；;：:。！？!?]+")


def _units(text: str) -> int:
    """Chinese characters, plus two for each word in Latin letters or digits."""
    return len("".join(_HAN.findall(text))) + 2 * len(_WORD.findall(text))


@check("omission")
def omission(pair: Pair) -> list[Finding]:
    """A clause or a quotation of the source that the English seems to leave out."""
    if pair.source_lang not in ("zh", "zt"):
        return []
    found = []
    units, words = _units(pair.source), len(_WORD.findall(pair.target))
    if units >= 20 and words < SHORT * units:
        found.append(Finding("omission", f"The English is short for its source ({words} words "
                                         f"for {units} characters): part of it may be missing."))
    for quote in re.finditer(r"“([^”]{12,})”", pair.source):
        said = quote.group(1)
        if re.search(r"[。！？!?]$", said) and not re.search(r"[“”\"‘]", pair.target):
            found.append(Finding("omission", f"The source quotes “{_quote(said)}”; the English "
                                             "has no quotation marks.", (quote.span(),)))
    if pair.alignment:
        found.extend(_unaligned(pair))
    return found


def _unaligned(pair: Pair) -> list[Finding]:
    """Clauses of six characters or more that no English word was aligned to."""
    covered = [link.source for link in pair.alignment or ()]
    found = []
    for clause in _CLAUSE.finditer(pair.source):
        start, end = clause.span()
        if len("".join(_HAN.findall(clause.group()))) < 6:
            continue
        if not any(s < end and e > start for s, e in covered):
            said = _quote(clause.group().strip())
            found.append(Finding("omission", f"No English word comes from “{said}”.",
                                 ((start, end),)))
    return found


@check("name")
def name(pair: Pair) -> list[Finding]:
    """A name rendered otherwise than the glossary or the library's approved sentences have it."""
    found = []
    glossary = {term.source for term in pair.terms}
    lowered = pair.target.casefold()
    for source_name, renderings in pair.names.items():
        at = pair.source.find(source_name)
        if at < 0 or source_name in glossary or not renderings:
            continue
        if any(r.casefold() in lowered for r in renderings if r):
            continue
        known = " / ".join(dict.fromkeys(renderings))
        near = _nearest(pair.target, list(renderings))
        said = f"; this English has {near[0]!r}" if near else "; this English has neither"
        found.append(Finding("name", f"{source_name} is {known!r} elsewhere{said}.",
                             ((at, at + len(source_name)),), (near[1],) if near else ()))
    return found


def _nearest(text: str, renderings: list[str]) -> tuple[str, tuple[int, int]] | None:
    """The run of English words that looks most like one of ``renderings``, if one looks so."""
    words = list(_WORD.finditer(text))
    best: tuple[float, str, tuple[int, int]] | None = None
    for rendering in renderings:
        size = max(1, len(rendering.split()))
        for i in range(len(words) - size + 1):
            start, end = words[i].start(), words[i + size - 1].end()
            ratio = difflib.SequenceMatcher(None, rendering.casefold(),
                                            text[start:end].casefold()).ratio()
            if ratio >= 0.75 and (best is None or ratio > best[0]):
                best = (ratio, text[start:end], (start, end))
    return (best[1], best[2]) if best else None


@check("glossary")
def glossary(pair: Pair) -> list[Finding]:
    """Glossary terms of the source whose English term the translation lacks."""
    if not pair.terms:
        return []
    found = []
    for result in term_check(pair.source, pair.target, pair.terms):
        if result["ok"]:
            continue
        at = pair.source.find(result["source"])
        found.append(Finding("glossary", f"The glossary says {result['source']} → "
                                         f"{result['target']}; the English does not have it.",
                             ((at, at + len(result["source"])),) if at >= 0 else ()))
    return found
