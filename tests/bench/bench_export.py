"""Benchmark: export time and size of a 2,000-block document in every format.

Run ``python tests/bench/bench_export.py`` from the checkout. The document is built from the
475 WMT21 zh-en sentence pairs, cycled: 2,000 paragraphs of two sentences (4,000 units), every
tenth block a heading, statuses rotating through machine/edited/approved/memory with one unit
in seven left untranslated. Prints figures; asserts nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from webapp.exports import FORMATS, export_document, export_library  # noqa: E402
from webapp.importing.readers.exchange import plan_import, read_exchange  # noqa: E402

PARALLEL = ROOT / "tests" / "fixtures" / "samples" / "parallel"
STATUSES = ("machine", "edited", "approved", "memory")


def build_document(blocks: int = 2000, doc_id: int = 1) -> dict:
    """A long document dict from the WMT21 pairs, cycled."""
    zh = (PARALLEL / "newstest2021_zh-en_first475.zh").read_text(encoding="utf-8").splitlines()
    en = (PARALLEL / "newstest2021_zh-en_first475.en").read_text(encoding="utf-8").splitlines()
    segments, unit_id = [], 0
    for position in range(blocks):
        units = []
        for index in range(2):
            line = (2 * position + index) % len(zh)
            unit_id += 1
            untranslated = unit_id % 7 == 0
            units.append(
                {
                    "id": unit_id,
                    "position": index,
                    "source": zh[line],
                    "translation": None if untranslated else en[line],
                    "status": "untranslated" if untranslated else STATUSES[unit_id % 4],
                    "revision": 0 if untranslated else 1,
                    "updated_at": "2024-05-01T12:00:00Z",
                }
            )
        kind = "title" if position == 0 else "heading" if position % 10 == 0 else "paragraph"
        segments.append(
            {"id": position + 1, "position": position, "kind": kind, "href": None, "units": units}
        )
    return {
        "id": doc_id,
        "title": zh[0],
        "source_url": "https://example.com/news/1",
        "published_at": "2020-07-28T08:00:00Z",
        "source_lang": "zh",
        "target_lang": "en",
        "created_at": "2024-05-01T11:00:00Z",
        "segments": segments,
    }


def timed(function, *args):
    """(result, seconds) of the best of three calls."""
    best, result = float("inf"), None
    for _ in range(3):
        start = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - start)
    return result, best


def main() -> None:
    doc = build_document()
    units = sum(len(s["units"]) for s in doc["segments"])
    print(f"document: {len(doc['segments'])} blocks, {units} units (best of 3 runs)\n")
    print(f"{'format':<8}{'seconds':>10}{'size':>14}")
    outputs = {}
    for fmt in FORMATS:
        outputs[fmt], seconds = timed(export_document, doc, fmt)
        print(f"{fmt:<8}{seconds:>10.3f}{len(outputs[fmt]):>14,}")
    print()
    for fmt in ("tmx", "xliff"):
        exchange, seconds = timed(read_exchange, outputs[fmt], f"bench.{fmt}")
        plan, plan_seconds = timed(plan_import, doc, exchange)
        print(
            f"read {fmt:<6}{seconds:>8.3f}s  plan {plan_seconds:.3f}s  "
            f"({len(exchange.units)} units, {plan.summary()})"
        )
    library = [build_document(200, doc_id) for doc_id in range(1, 11)]
    for fmt in ("epub", "docx"):
        data, seconds = timed(export_library, library, fmt)
        print(f"library of 10 x 200 blocks as {fmt}: {seconds:.3f}s, {len(data):,} bytes")


if __name__ == "__main__":
    main()
