"""The held-out check: Chinese news pages the rules were never tuned on (tests/fixtures/heldout,
from the Chinese Web Content Extraction Dataset), each with a golden list of its paragraphs and
of the promo lines and text ads on the page, written by hand (see that folder's SOURCES.md).

For every page: how many golden paragraphs the import keeps, how many it leaves out but shows
(a left-out block), how many it loses without a trace, and how many promo lines it keeps. A
paragraph counts as kept when each of its sentences is in the kept text (whitespace aside), as
shown when each is in the kept or the left-out text. Targets (issue 23): recall >= 99 % of
paragraphs, 0 lost without a trace, <= 1 promo line kept per 20 pages.

Run: python tests/bench/bench_heldout.py [-v]   (prints figures; asserts nothing)
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
HELDOUT = ROOT / "tests" / "fixtures" / "heldout"

from webapp.errors import EnfaceError  # noqa: E402
from webapp.importing import load_path  # noqa: E402

_SPACE = re.compile(r"\s+")
_SENTENCE = re.compile(r"(?<=[。！？!?；;])")


def key(text: str) -> str:
    """Text without whitespace (pages wrap lines where the golden lists do not)."""
    return _SPACE.sub("", text)


def pieces(paragraph: str) -> list[str]:
    """A paragraph's sentences, whitespace removed (a block boundary may fall between them)."""
    return [k for k in (key(s) for s in _SENTENCE.split(paragraph)) if k]


def score(path: Path) -> dict:
    """One page's counts."""
    golden = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    paragraphs, promos = golden["paragraphs"], golden["promos"]
    try:
        article = load_path(path)
        kept = key("".join(block.text for block in article.blocks))
        left = key("".join(block.text for block in article.left_out))
        error, rules = None, [block.rule for block in article.left_out]
    except EnfaceError as exc:
        kept = left = ""
        error, rules = str(exc), []
    counts = {"paragraphs": len(paragraphs), "kept": 0, "shown": 0, "lost": [], "error": error,
              "promos": len(promos), "promos_kept": [p for p in promos if key(p) in kept],
              "left_out": len(rules)}
    for paragraph in paragraphs:
        parts = pieces(paragraph)
        if all(part in kept for part in parts):
            counts["kept"] += 1
        elif all(part in kept or part in left for part in parts):
            counts["shown"] += 1
        else:
            counts["lost"].append(paragraph)
    return counts


def main(verbose: bool = False) -> None:
    """Score every held-out page and print the table and the totals."""
    started = time.perf_counter()
    rows = [(path.stem, score(path)) for path in sorted(HELDOUT.glob("*.html"))]
    elapsed = time.perf_counter() - started
    print(f"{'page':16} {'paras':>5} {'kept':>5} {'shown':>5} {'lost':>4} {'left-out':>8} "
          f"{'promos':>6} {'kept':>4}  note")
    for name, c in rows:
        note = (c["error"] or "")[:60]
        print(f"{name:16} {c['paragraphs']:5} {c['kept']:5} {c['shown']:5} {len(c['lost']):4} "
              f"{c['left_out']:8} {c['promos']:6} {len(c['promos_kept']):4}  {note}")
        if verbose:
            for paragraph in c["lost"]:
                print(f"      lost: {paragraph[:90]}")
            for promo in c["promos_kept"]:
                print(f"      promo kept: {promo[:90]}")
    total = sum(c["paragraphs"] for _, c in rows)
    kept = sum(c["kept"] for _, c in rows)
    shown = sum(c["shown"] for _, c in rows)
    lost = sum(len(c["lost"]) for _, c in rows)
    promos_kept = sum(len(c["promos_kept"]) for _, c in rows)
    pages = len(rows)
    failed = sum(1 for _, c in rows if c["error"])
    lost_pages = sum(1 for _, c in rows if c["lost"])
    print(f"\n{pages} pages, {total} golden paragraphs: kept {kept} ({kept / total:.1%}), "
          f"left out but shown {shown}, lost without a trace {lost} "
          f"(on {lost_pages} pages; {failed} pages refused with an error)")
    print(f"left-out blocks: {sum(c['left_out'] for _, c in rows)}; promo lines on the pages: "
          f"{sum(c['promos'] for _, c in rows)}, kept: {promos_kept} "
          f"= {promos_kept / pages * 20:.1f} per 20 pages; {elapsed:.1f} s")


if __name__ == "__main__":
    main(verbose="-v" in sys.argv)
