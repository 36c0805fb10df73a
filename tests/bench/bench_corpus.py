"""Recall on the regression corpus: for every page of tests/fixtures/pages, the share of its
golden blocks that the importer finds (same kind and text, in order), with the time check.

Run: python tests/bench/bench_corpus.py [-v]   (prints figures; asserts nothing)
"""

from __future__ import annotations

import json
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PAGES = ROOT / "tests" / "fixtures" / "pages"

from webapp.importing import load_path  # noqa: E402
from webapp.storage import iso  # noqa: E402


def golden(path: Path) -> dict:
    """The golden record of one page."""
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def compare(expected: list[list[str]], got: list[list[str]]) -> dict:
    """Text recall (golden texts found, any kind), exact recall (kind and text, in order) and
    extra blocks (found but not golden)."""
    want = [" ".join(t.split()) for _, t in expected]
    have = [" ".join(t.split()) for _, t in got]
    text_hits = sum(t in have for t in want)
    matcher = SequenceMatcher(None, [tuple(b) for b in expected], [tuple(b) for b in got],
                              autojunk=False)
    exact = sum(block.size for block in matcher.get_matching_blocks())
    return {"recall": text_hits / len(want) if want else 1.0,
            "exact": exact / len(want) if want else 1.0,
            "extra": sum(t not in want for t in have)}


def run(verbose: bool = False) -> None:
    """Import every page and print one line per page plus the totals."""
    rows, started = [], time.perf_counter()
    for page in sorted(PAGES.glob("*.html")):
        gold = golden(page)
        try:
            article = load_path(page)
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            rows.append((page.stem, {"recall": 0.0, "exact": 0.0, "extra": 0}, False, str(exc)))
            continue
        got = [[b.kind, b.text] for b in article.blocks[1:]]
        score = compare(gold["blocks"], got)
        time_ok = iso(article.published_at) == gold["published_at"]
        same = got == gold["blocks"] and time_ok and article.title == gold["title"]
        rows.append((page.stem, score, same, article.meta.get("warning", "")))
        if verbose and not same:
            print(f"--- {page.stem}: time {iso(article.published_at)} vs {gold['published_at']}"
                  f"; title {article.title!r} vs {gold['title']!r}")
            for tag, a1, a2, b1, b2 in SequenceMatcher(
                    None, [tuple(b) for b in gold["blocks"]], [tuple(b) for b in got],
                    autojunk=False).get_opcodes():
                if tag != "equal":
                    for k, t in gold["blocks"][a1:a2]:
                        print(f"    - {k:9} {t[:70]}")
                    for k, t in got[b1:b2]:
                        print(f"    + {k:9} {t[:70]}")
    elapsed = time.perf_counter() - started
    print(f"{'page':58} {'recall':>7} {'exact':>7} {'extra':>5}  golden")
    for name, score, same, note in rows:
        print(f"{name[:58]:58} {score['recall']:7.1%} {score['exact']:7.1%} {score['extra']:5d}"
              f"  {'pass' if same else 'differs'} {note[:60]}")
    n = len(rows)
    print(f"\n{n} pages; mean text recall {sum(r[1]['recall'] for r in rows) / n:.1%}; "
          f"mean exact recall {sum(r[1]['exact'] for r in rows) / n:.1%}; "
          f"pages with every golden block found: {sum(r[1]['recall'] == 1 for r in rows)}; "
          f"golden lists matched exactly: {sum(r[2] for r in rows)}; {elapsed:.1f} s")


if __name__ == "__main__":
    run(verbose="-v" in sys.argv)
