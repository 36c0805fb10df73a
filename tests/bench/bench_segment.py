"""Benchmark: segmentation speed on the sample bodies, sentence-boundary accuracy on WMT21.

Run ``python tests/bench/bench_segment.py`` from the checkout. The WMT21 zh-en lines are one
sentence (or headline) each; each story's lines are joined (zh without a separator, en with a
space) and split again with ``split_sentences``. Printed: boundary precision and recall against
the line breaks, and throughput. Prints figures; asserts nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from webapp.importing.readers.html import segment_html  # noqa: E402
from webapp.importing.readers.markdown import segment_markdown  # noqa: E402
from webapp.segmenting.sentences import split_sentences  # noqa: E402

SAMPLES = ROOT / "tests" / "fixtures" / "samples"


def stories(lang: str) -> list[list[str]]:
    """The WMT21 lines of one side, grouped by story."""
    par = SAMPLES / "parallel"
    lines = (par / f"newstest2021_zh-en_first475.{lang}").read_text(encoding="utf-8").splitlines()
    starts = [int(row.split("\t")[0]) - 1 for row in
              (par / "newstest2021_zh-en_first475.docstarts.tsv").read_text().splitlines()[1:]]
    bounds = [*starts, len(lines)]
    return [lines[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def boundary_scores(lang: str) -> tuple[float, float, int, float]:
    sep = "" if lang == "zh" else " "
    true_pos = found = expected = chars = 0
    started = time.perf_counter()
    for story in stories(lang):
        text = sep.join(line.strip() for line in story)
        gold, pos = set(), 0
        for line in story[:-1]:
            pos += len(line.strip()) + len(sep)
            gold.add(pos)
        got, pos = set(), 0
        for part in split_sentences(text, lang)[:-1]:
            pos += len(part)
            got.add(pos)
        true_pos += len(gold & got)
        found += len(got)
        expected += len(gold)
        chars += len(text)
    elapsed = time.perf_counter() - started
    return true_pos / max(found, 1), true_pos / max(expected, 1), chars, elapsed


def segment_speed(rounds: int = 20) -> tuple[int, int, float]:
    bodies = []
    for path in sorted((SAMPLES / "articles").iterdir()):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            bodies.append((segment_markdown, text.split("\n---\n", 1)[1]))
        else:
            bodies.append((segment_html, text.split("\n", 3)[3]))
    size = sum(len(body) for _, body in bodies) * rounds
    started = time.perf_counter()
    blocks = 0
    for _ in range(rounds):
        for func, body in bodies:
            blocks += len(func(body))
    return size, blocks, time.perf_counter() - started


def main() -> None:
    for lang in ("zh", "en"):
        precision, recall, chars, elapsed = boundary_scores(lang)
        print(f"sentences {lang}: precision {precision:.3f}  recall {recall:.3f}  "
              f"({chars} chars in {elapsed * 1000:.1f} ms, {chars / elapsed / 1e6:.2f} M chars/s)")
    size, blocks, elapsed = segment_speed()
    print(f"segment: {size / 1e6:.2f} M chars of sample bodies -> {blocks} blocks in "
          f"{elapsed:.2f} s ({size / elapsed / 1e6:.2f} M chars/s)")
    deep = "<div>" * 10_000 + "x" + "</div>" * 10_000
    started = time.perf_counter()
    segment_html(deep)
    print(f"segment: 10,000 nested divs in {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
