"""Benchmark: the sentence checks on human translations, on mutated ones, and their speed.

Run ``python tests/bench/bench_checks.py``. On the 1,948 sentence pairs of the WMT21 zh–en news
test set (its professional English reference; tests/fixtures/samples/parallel/) it prints:

1. false alarms: pairs the ``number`` check flags, over the pairs that contain numbers (the
   source has a digit, or the English a digit, a number word or a month name); and, for the
   record, what every other check flags on the same human translations;
2. misses: each pair's English with ONE number changed, per kind of change (a digit; a month;
   a magnitude word thousand/million/billion; a number word), made here by rules that know
   nothing of the check; a change is caught when the check says something it did not say of the
   unchanged pair. Digits inside codes (COVID-19, G20, Z164) are not numbers and are not changed;
3. speed: all checks and the risk of a 2,000-sentence document (the pairs, cycled), median of 5,
   against a baseline measured in the same run (splitting the same sentences into words with
   ``str.split``, the cheapest pass over the text), with the CPU's instruction set.

Asserts nothing.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from webapp.engine.inference import cpu_isa  # noqa: E402
from webapp.quality import Pair, run  # noqa: E402
from webapp.quality.risk import risk  # noqa: E402

PARALLEL = ROOT / "tests" / "fixtures" / "samples" / "parallel"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "twenty", "thirty", "forty", "fifty", "hundred"]
MAGNITUDES = {"thousand": "million", "million": "billion", "billion": "million"}
NUMBERISH = re.compile(r"\d|\b(?:" + "|".join(WORDS + list(MAGNITUDES) + MONTHS) + r")\b",
                       re.IGNORECASE)


def pairs() -> list[tuple[str, str]]:
    """The 1,948 WMT21 zh–en pairs (the fixture's two halves)."""
    zh, en = [], []
    for part in ("first475", "476-1948"):
        zh += (PARALLEL / f"newstest2021_zh-en_{part}.zh").read_text(encoding="utf-8").splitlines()
        en += (PARALLEL / f"newstest2021_zh-en_{part}.en").read_text(encoding="utf-8").splitlines()
    return list(zip(zh, en, strict=True))


def _digit(match: re.Match, rng: random.Random) -> str:
    text = match.group()
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    i = rng.choice(positions)
    new = str((int(text[i]) + rng.randint(1, 8)) % 10)
    if i == 0 and new == "0" and len(positions) > 1:
        new = "1" if text[i] != "1" else "2"
    return text[:i] + new + text[i + 1:]


def mutations(english: str, rng: random.Random) -> dict[str, str]:
    """One changed English per kind of change that the sentence allows."""
    out = {}
    digits = [m for m in re.finditer(r"(?<![\w.,-])\d+(?:[,.]\d+)*(?![\w-])", english)]
    if digits:
        m = rng.choice(digits)
        out["digit"] = english[:m.start()] + _digit(m, rng) + english[m.end():]
    months = [m for m in re.finditer(r"\b(?:" + "|".join(MONTHS) + r")\b", english)
              if m.group() != "May" or re.match(r"\s*\d", english[m.end():])]
    if months:
        m = rng.choice(months)
        new = MONTHS[(MONTHS.index(m.group()) + rng.randint(1, 11)) % 12]
        out["month"] = english[:m.start()] + new + english[m.end():]
    scales = list(re.finditer(r"\b(?:thousand|million|billion)\b", english, re.IGNORECASE))
    if scales:
        m = rng.choice(scales)
        new = MAGNITUDES[m.group().lower()]
        out["magnitude"] = english[:m.start()] + new + english[m.end():]
    words = list(re.finditer(r"\b(?:" + "|".join(WORDS) + r")\b", english, re.IGNORECASE))
    if words:
        m = rng.choice(words)
        new = rng.choice([w for w in WORDS if w != m.group().lower()])
        new = new.capitalize() if m.group()[0].isupper() else new
        out["number word"] = english[:m.start()] + new + english[m.end():]
    return out


#: What the app gives a check as context: the document's publication date and the sentences
#: before this one. Every WMT21 zh–en document is news of July 2020 (the set has no dates per
#: document), and the set's line order keeps each document's sentences together.
PUBLISHED = "2020-07"
BEFORE = 5


def contexts(data: list[tuple[str, str]]) -> list[str]:
    """For each pair: the publication month and the source of the pairs just before it."""
    return [" ".join([PUBLISHED, *(s for s, _ in data[max(0, i - BEFORE):i])])
            for i in range(len(data))]


def numbers_only(source: str, english: str, context: str = "") -> set[str]:
    return {f.message for f in run(Pair(source, english, context=context), kinds=["number"])}


def accuracy(data: list[tuple[str, str]]) -> None:
    with_numbers = [(s, e, c) for (s, e), c in zip(data, contexts(data), strict=True)
                    if re.search(r"[0-9０-９]", s) or NUMBERISH.search(e)]
    flagged = [(s, e) for s, e, c in with_numbers if numbers_only(s, e, c)]
    print(f"pairs: {len(data)}, with numbers: {len(with_numbers)}")
    print(f"number check, false alarms on the human translations: {len(flagged)} of "
          f"{len(with_numbers)} pairs with numbers ({len(flagged) / len(with_numbers):.1%}; "
          f"goal <= 5 %)")
    others = Counter(f.kind for s, e in data for f in run(Pair(s, e)) if f.kind != "number")
    print("other checks on the same human translations (pairs flagged, of "
          f"{len(data)}): " + ", ".join(f"{k} {n}" for k, n in sorted(others.items())))
    rng = random.Random(2021)
    tried, caught = Counter(), Counter()
    for source, english, context in with_numbers:
        before = numbers_only(source, english, context)
        for kind, changed in mutations(english, rng).items():
            tried[kind] += 1
            caught[kind] += bool(numbers_only(source, changed, context) - before)
    print("changed numbers caught (goal >= 90 %):")
    for kind in tried:
        print(f"  {kind:12} {caught[kind]:4} of {tried[kind]:4}  {caught[kind] / tried[kind]:.1%}")
    total, hits = sum(tried.values()), sum(caught.values())
    print(f"  {'all':12} {hits:4} of {total:4}  {hits / total:.1%}")


def speed(data: list[tuple[str, str]], size: int = 2000) -> None:
    document = [data[i % len(data)] for i in range(size)]

    def checks_and_risk() -> None:
        for source, english in document:
            risk(findings=run(Pair(source, english)), score=None, reviewed=False)

    def baseline() -> None:
        for source, english in document:
            source.split()
            english.split()

    run(Pair(*document[0]))  # loads cn2an, rjieba, pypinyin once
    timings = {}
    for name, work in (("checks and risk", checks_and_risk), ("baseline str.split", baseline)):
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            work()
            runs.append(time.perf_counter() - started)
        timings[name] = statistics.median(runs)
    print(f"speed ({cpu_isa()}, 1 thread), {size} sentences, median of 5:")
    for name, seconds in timings.items():
        print(f"  {name:20} {seconds * 1000:8.1f} ms  ({seconds / size * 1e6:.0f} µs a sentence)")
    ratio = timings["checks and risk"] / timings["baseline str.split"]
    print(f"  checks and risk take {ratio:.0f}x the baseline; goal: under 1 s for the document")


if __name__ == "__main__":
    data = pairs()
    accuracy(data)
    speed(data)
