"""Benchmark: search in a library of tens of thousands of articles.

Run ``python tests/bench/bench_search.py [--articles 20000]``. It builds a library of articles
made of WMT21 sentences (each article 24 of the 475 zh sentences, the WMT English as the
translation of every other article) through ``Library.add_article`` and
``store_translations``, then prints, each a median of 5 runs:

1. query time through the trigram index (3 characters or more: a rare and a common Chinese
   phrase, an English phrase) and by the scan (1–2 characters, a Chinese word), with hit counts;
2. what the index costs: time to store 1,000 articles with and without it (same run), and the
   database's size with and without it.

Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from webapp.actions import search as searching  # noqa: E402
from webapp.segmenting.article import Article, Block  # noqa: E402
from webapp.storage import Library  # noqa: E402

PARALLEL = ROOT / "tests" / "fixtures" / "samples" / "parallel" / "newstest2021_zh-en_first475"
PER_ARTICLE = 24


def lines() -> tuple[list[str], list[str]]:
    zh = PARALLEL.with_suffix(".zh").read_text(encoding="utf-8").splitlines()
    en = PARALLEL.with_suffix(".en").read_text(encoding="utf-8").splitlines()
    return zh, en


def article(k: int, zh: list[str], rng: random.Random) -> tuple[Article, list[int]]:
    picked = rng.sample(range(len(zh)), PER_ARTICLE)
    title = f"第{k}篇 " + zh[picked[0]][:20]
    blocks = [Block("title", title)] + [Block("paragraph", "".join(zh[i] for i in picked[j:j + 3]))
                                        for j in range(0, PER_ARTICLE, 3)]
    return Article(title, blocks, "zh", f"bench-{k}.txt", f"bench {k} {picked}"), picked


def build(path: Path, count: int, *, index: bool = True, seed: int = 7) -> float:
    """Store ``count`` articles (every other one translated); seconds taken."""
    zh, en = lines()
    library = Library(path)
    if not index:
        with library.transaction() as conn:
            for name in ("insert", "delete", "update"):
                conn.exec_driver_sql(f"DROP TRIGGER unit_search_{name}")
    rng = random.Random(seed)
    by_text = {text: i for i, text in enumerate(zh)}
    started = time.perf_counter()
    for k in range(count):
        doc_id, _ = library.documents.add(article(k, zh, rng)[0])
        if k % 2:
            units = [u for s in library.documents.tree(doc_id)["segments"][1:] for u in s["units"]]
            library.units.store_translations(
                [(u["id"], en[by_text[u["source"]]]) for u in units if u["source"] in by_text],
                model_id="bench")
    elapsed = time.perf_counter() - started
    library.close()
    return elapsed


def timed(library: Library, query: str) -> tuple[float, int]:
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        results = searching.search(library, query)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000, results.total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--cost-articles", type=int, default=1_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="enface-bench-search-"))
    path = work / "library.sqlite3"
    seconds = build(path, args.articles)
    library = Library(path)
    units = library.db.scalar(sa.text("SELECT COUNT(*) FROM unit"))
    print(f"library: {args.articles:,} articles, {units:,} sentences, built in {seconds:.0f} s "
          f"({path.stat().st_size / 1e6:.0f} MB)")
    zh, en = lines()
    queries = [("3+ chars, index", zh[100][2:8]), ("3+ chars, index", "中国的"),
               ("3+ chars, index", "新冠疫情"), ("English, index", "the government"),
               ("English, index", en[200].split()[2] + " " + en[200].split()[3]),
               ("1-2 chars, scan", "中国"), ("1-2 chars, scan", "疫"), ("1-2 chars, scan", "ok")]
    print("\n1. query times, median of 5 (first page of 50 hits and the total count):")
    for label, query in queries:
        ms, total = timed(library, query)
        path_used = "index" if len(query) >= 3 else "scan"
        print(f"   {label:16} {query!r:24} {total:7,} hits  {ms:8.1f} ms  ({path_used})")
    library.close()
    print(f"\n2. what the index costs, {args.cost_articles:,} articles stored (half translated):")
    with_index = build(work / "with.sqlite3", args.cost_articles)
    without = build(work / "without.sqlite3", args.cost_articles, index=False)
    size_with = (work / "with.sqlite3").stat().st_size
    size_without = (work / "without.sqlite3").stat().st_size
    print(f"   with the index {with_index:.1f} s, without {without:.1f} s: "
          f"{with_index / without:.2f}x; database {size_with / 1e6:.1f} MB against "
          f"{size_without / 1e6:.1f} MB ({size_with / size_without:.2f}x)")


if __name__ == "__main__":
    main()
