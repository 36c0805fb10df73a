"""Names in sentences and how the English renders them: the entity ledger's rules.

A *name* is a word of a Chinese source that rjieba tags as a person, place, organisation or
other proper name (``nr``, ``nrt``, ``nrfg``, ``ns``, ``nt``, ``nz``), of two characters or more.
Its *rendering* in an English is the run of capitalised words aligned to it (the model's word
alignment: ``Link``s); without alignment, only a sentence with one name and one run of
capitalised words pairs them (pairing several in order mispairs them too often).

``renderings`` is what the ledger keeps of a person's approved English; ``offers`` is what a
person's edit changed (a name rendered otherwise than before), offered for the glossary.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

import rjieba

from webapp.quality.checks import Link

NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz"})
_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]{2,12}$")
#: A capitalised English word (Patrushev, O'Neill, Al-Assad, Xi), and the lower-case words a
#: name may hold between two of them (Bank of China, Leonardo da Vinci).
_CAPITAL = re.compile(r"[A-Z][\w'’.-]*")
_JOINERS = frozenset("of de da del der van von la le bin al and the".split())
_WORD = re.compile(r"[\w'’.-]+")
MAX_WORDS = 6


def name_words(source: str, lang: str = "zh") -> list[tuple[str, int, int]]:
    """The names of a Chinese sentence: (word, start, end), in order."""
    if lang not in ("zh", "zt") or not source:
        return []
    found, at = [], 0
    for word, tag in rjieba.tag(source):
        start = source.find(word, at)
        if start < 0:
            continue
        at = start + len(word)
        if tag in NAME_TAGS and _HAN.match(word):
            found.append((word, start, at))
    return found


#: Words that start English sentences without being names.
_STARTERS = frozenset("""a an the in on at as by for from to of with this that these those it its
he she they we you i his her their our there here but and or so yet if when while after before
since although though however meanwhile according under over during about among between
some many most all both each every no not one two three what which who how why where today
yesterday tomorrow last next this also still earlier later""".split())


def _runs(english: str) -> list[list[tuple[int, int]]]:
    """Runs of capitalised words (joined by lower-case joiners), each as its words' spans;
    a sentence's first word is left out when it is a common word (The, In, It …)."""
    words = list(_WORD.finditer(english))
    runs: list[list[tuple[int, int]]] = []
    i = 0
    while i < len(words):
        word = words[i]
        first = i == 0 or re.search(r"[.!?。“\"]\s*$", english[:word.start()])
        if not _CAPITAL.fullmatch(word.group()) or (first and word.group().lower() in _STARTERS):
            i += 1
            continue
        run = [(word.start(), _trimmed(english, word.start(), word.end()))]
        while i + 1 < len(words) and english[words[i].end():words[i + 1].start()] in (" ", "-"):
            following = words[i + 1].group()
            if _CAPITAL.fullmatch(following):
                i += 1
            elif (following in _JOINERS and i + 2 < len(words)
                  and _CAPITAL.fullmatch(words[i + 2].group())):
                i += 2
            else:
                break
            run.append((words[i].start(), _trimmed(english, words[i].start(), words[i].end())))
        runs.append(run)
        i += 1
    return runs


def _trimmed(english: str, start: int, end: int) -> int:
    """The end of a word without a possessive or trailing punctuation (Patrushev's → Patrushev)."""
    text = re.sub(r"(?:['’]s?|[.-])+$", "", english[start:end])
    return start + max(1, len(text))


def _whole(run: list[tuple[int, int]]) -> tuple[int, int]:
    return run[0][0], run[-1][1]


def renderings(source: str, english: str, links: Sequence[Link] | None = None,
               lang: str = "zh") -> list[tuple[str, str]]:
    """(name, rendering) of every name of the source the English renders as a name: the
    capitalised words aligned to it (in one run), or, without alignment, the one run of a
    sentence with one name."""
    names = name_words(source, lang)
    if not names or not english:
        return []
    runs = [run for run in _runs(english) if len(run) <= MAX_WORDS]
    found: dict[str, str] = {}
    if links:
        for name, start, end in names:
            weights: dict[tuple[int, int], float] = {}  # (run, word) → weight
            for link in links:
                (t0, t1), (s0, s1) = link.target, link.source
                if not (s0 < end and s1 > start):
                    continue
                for r, run in enumerate(runs):
                    for w, (a, b) in enumerate(run):
                        if t0 < b and t1 > a:
                            weights[(r, w)] = weights.get((r, w), 0.0) + link.weight
            if not weights:
                continue
            by_run: dict[int, float] = {}
            for (r, _), weight in weights.items():
                by_run[r] = by_run.get(r, 0.0) + weight
            best = max(by_run, key=lambda r: (by_run[r], -r))
            picked = sorted(w for r, w in weights if r == best)
            found.setdefault(name, english[runs[best][picked[0]][0]:runs[best][picked[-1]][1]])
    elif len(names) == len(runs) == 1:  # no alignment: only the case that cannot be mispaired
        found = {names[0][0]: english[slice(*_whole(runs[0]))]}
    return [(name, rendering) for name, rendering in found.items() if rendering]


def offers(source: str, before: str | None, after: str, links: Sequence[Link] | None = None,
           lang: str = "zh") -> list[tuple[str, str, str]]:
    """Names whose rendering a person changed: (name, new rendering, old rendering).

    The old rendering comes from the English before the edit (with that English's alignment
    when there is one); the new one is what replaced it, when it reads as a name.
    """
    if not before or not after or before == after:
        return []
    old = renderings(source, before, links, lang)
    if not old:
        return []
    a, b = list(_WORD.finditer(before)), list(_WORD.finditer(after))
    opcodes = difflib.SequenceMatcher(None, [w.group() for w in a], [w.group() for w in b],
                                      autojunk=False).get_opcodes()
    runs = [_whole(run) for run in _runs(after)]
    found = []
    for name, was in old:
        if was in after:
            continue
        at = before.find(was)
        first = next((i for i, w in enumerate(a) if w.start() >= at), None)
        if first is None:
            continue
        for tag, i1, i2, j1, j2 in opcodes:
            if tag not in ("replace", "insert") or not (i1 <= first < i2 or i1 == first) \
                    or j1 == j2:
                continue
            start, end = b[j1].start(), b[j2 - 1].end()
            run = next(((s, e) for s, e in runs if s < end and e > start), None)
            if run is not None:
                found.append((name, after[run[0]:run[1]], was))
            break
    return found
