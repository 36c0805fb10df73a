"""Benchmark: search in a library of tens of thousands of articles.

Run ``python tests/bench/bench_search.py [--articles 50000] [--postgresql]``. It builds a library
of articles made of WMT21 sentences (each article 24 of the 475 zh sentences, the WMT English as
the translation of every other article) through ``documents.add`` and ``store_translations``,
then prints:

1. query times, the median (p50) of 9 runs, first page of 50 hits and the total count: one, two
   and four Chinese characters, an English word and a two-letter one, each through the index
   it takes; then the same short queries by the scan they were before the index of grams (same
   run), with the ratio;
2. the space each index takes (SQLite: ``dbstat`` over each table's pages; PostgreSQL:
   ``pg_total_relation_size`` and index sizes);
3. the write-time cost: storing 1,000 articles with their English without search indexes, with
   the trigram index, and with both (same run).

``--postgresql`` runs it on a throw-away local PostgreSQL server (Debian's binaries). Asserts
nothing about time. The machine and its load are printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from webapp.actions import search as searching  # noqa: E402
from webapp.segmenting.article import Article, Block  # noqa: E402
from webapp.storage import Library  # noqa: E402
from webapp.storage import search as search_storage  # noqa: E402

PARALLEL = ROOT / "tests" / "fixtures" / "samples" / "parallel" / "newstest2021_zh-en_first475"
PER_ARTICLE = 24
RUNS = 9
SQLITE_INDEXES = {"trigram": ["unit_search_insert", "unit_search_delete", "unit_search_update"],
                  "grams": ["unit_grams_insert", "unit_grams_delete", "unit_grams_update"]}
PG_INDEXES = {"trigram": ["unit_source_trgm", "unit_translation_trgm"], "grams": ["unit_grams"]}


def lines() -> tuple[list[str], list[str]]:
    zh = PARALLEL.with_suffix(".zh").read_text(encoding="utf-8").splitlines()
    en = PARALLEL.with_suffix(".en").read_text(encoding="utf-8").splitlines()
    return zh, en


def article(k: int, zh: list[str], rng: random.Random) -> Article:
    picked = rng.sample(range(len(zh)), PER_ARTICLE)
    title = f"第{k}篇 " + zh[picked[0]][:20]
    blocks = [Block("title", title)] + [Block("paragraph", "".join(zh[i] for i in picked[j:j + 3]))
                                        for j in range(0, PER_ARTICLE, 3)]
    return Article(title, blocks, "zh", f"bench-{k}.txt", f"bench {k} {picked}")


def drop(library: Library, indexes: list[str]) -> None:
    """Take search indexes away (their triggers on SQLite, the indexes on PostgreSQL)."""
    with library.transaction() as conn:
        for group in indexes:
            for name in (SQLITE_INDEXES if library.db.sqlite else PG_INDEXES)[group]:
                kind = "TRIGGER" if library.db.sqlite else "INDEX"
                conn.exec_driver_sql(f"DROP {kind} {name}")


def build(url: str, count: int, *, without: tuple[str, ...] = (), seed: int = 7) -> float:
    """Store ``count`` articles (every other one translated); seconds taken."""
    zh, en = lines()
    library = Library(url)
    if without:
        drop(library, list(without))
    rng = random.Random(seed)
    by_text = {text: i for i, text in enumerate(zh)}
    started = time.perf_counter()
    for k in range(count):
        doc_id, _ = library.documents.add(article(k, zh, rng))
        if k % 2:
            units = [u for s in library.documents.tree(doc_id)["segments"][1:] for u in s["units"]]
            library.units.store_translations(
                [(u["id"], en[by_text[u["source"]]]) for u in units if u["source"] in by_text],
                model_id="bench")
        if k and k % 5000 == 0:
            print(f"   … {k:,} articles, {time.perf_counter() - started:.0f} s", flush=True)
    elapsed = time.perf_counter() - started
    if not library.db.sqlite:
        with library.transaction() as conn:
            conn.exec_driver_sql("ANALYZE")
    library.close()
    return elapsed


def timed(library: Library, query: str) -> tuple[float, float, float, int]:
    """(p50, min, max) in ms over RUNS runs after one warm-up, and the total."""
    searching.search(library, query)
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        results = searching.search(library, query)
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), min(runs), max(runs), results.total


@contextmanager
def scanning():
    """Short queries by the scan they took before the index of grams."""
    real = search_storage.short_gram
    search_storage.short_gram = lambda query: None
    try:
        yield
    finally:
        search_storage.short_gram = real


def path_of(query: str, sqlite: bool) -> str:
    if len(query) >= 3:
        return "trigram index (FTS5)" if sqlite else "trigram index (pg_trgm GIN)"
    if search_storage.short_gram(query) is not None:
        return "index of grams (FTS5)" if sqlite else "index of grams (GIN)"
    return "scan"


def sizes(library: Library) -> list[tuple[str, int]]:
    """(what, bytes) of the unit table and each search index."""
    if library.db.sqlite:
        rows = library.db.rows(sa.text("SELECT name, SUM(pgsize) AS size FROM dbstat"
                                       " GROUP BY name"))
        by = {r["name"]: r["size"] for r in rows}
        group = {"unit table (+ its indexes)": ("unit", "sqlite_autoindex_unit_1"),
                 "trigram index (unit_search)": tuple(n for n in by if n.startswith(
                     "unit_search_")),
                 "index of grams (unit_grams)": tuple(n for n in by if n.startswith(
                     "unit_grams_")),
                 "whole database": tuple(by)}
        return [(label, sum(by.get(n, 0) for n in names)) for label, names in group.items()]
    query = ("SELECT pg_relation_size('unit') AS unit, pg_relation_size('unit_source_trgm')"
             " + pg_relation_size('unit_translation_trgm') AS trigram,"
             " pg_relation_size('unit_grams') AS grams, pg_database_size(current_database())"
             " AS whole")
    row = library.db.row(sa.text(query))
    return [("unit table (heap)", row["unit"]), ("trigram indexes (pg_trgm GIN)", row["trigram"]),
            ("index of grams (GIN)", row["grams"]), ("whole database", row["whole"])]


def machine() -> str:
    flags = ""
    try:
        info = Path("/proc/cpuinfo").read_text()
        model = next(line.split(":", 1)[1].strip() for line in info.splitlines()
                     if line.startswith("model name"))
        have = set(next(line for line in info.splitlines() if line.startswith("flags")).split())
        flags = "AVX-512" if "avx512f" in have else "AVX2" if "avx2" in have else "SSE4"
    except (OSError, StopIteration):
        model = platform.processor()
    return f"{model}, {os.cpu_count()} cores, {flags}; load {os.getloadavg()[0]:.1f}"


@contextmanager
def databases(work: Path, postgresql: bool):
    """A maker of fresh libraries by name: SQLite files in ``work``, or databases of a
    throw-away local PostgreSQL server (removed at the end)."""
    if not postgresql:
        yield lambda name: str(work / name / "library.sqlite3")
        return
    from webapp.deploy.postgres import LocalPostgres

    server = LocalPostgres(work / "pg").start()
    try:
        yield server.fresh_database
    finally:
        server.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--cost-articles", type=int, default=1_000)
    parser.add_argument("--postgresql", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="enface-bench-search-"))
    with databases(work, args.postgresql) as new_url:
        print(f"machine: {machine()}")
        url = new_url("library")
        seconds = build(url, args.articles)
        library = Library(url)
        units = library.db.scalar(sa.text("SELECT COUNT(*) FROM unit"))
        print(f"library: {args.articles:,} articles, {units:,} sentences, built in "
              f"{seconds:.0f} s; load {os.getloadavg()[0]:.1f}")
        zh, en = lines()
        queries = [("1 character", "疫"), ("1 character", "的"), ("2 characters", "中国"),
                   ("2 characters", "合作"), ("4 characters", "新冠疫情"),
                   ("4 characters", zh[100][2:6]), ("English word", "government"),
                   ("English word", "us"), ("English phrase", "the government")]
        print(f"\n1. query times, p50 of {RUNS} (min–max), first page and the total; "
              f"load {os.getloadavg()[0]:.1f}:")
        for label, query in queries:
            p50, low, high, total = timed(library, query)
            print(f"   {label:15} {query!r:18} {total:8,} hits  p50 {p50:7.1f} ms "
                  f"({low:.1f}–{high:.1f})  {path_of(query, library.db.sqlite)}")
        print("   the same short queries by the scan (before the index of grams), same run:")
        for label, query in queries:
            if len(query) >= 3:
                continue
            p50, _, _, indexed_total = timed(library, query)
            with scanning():
                scan, low, high, total = timed(library, query)
            same = "same hits" if total == indexed_total else f"{total:,} hits (substring)"
            print(f"   {label:15} {query!r:18} scan p50 {scan:7.1f} ms ({low:.1f}–{high:.1f}),"
                  f" {scan / p50:5.1f}× the index; {same}")
        print("\n2. space:")
        for what, size in sizes(library):
            print(f"   {what:32} {size / 1e6:9.1f} MB")
        library.close()
        print(f"\n3. write-time cost: {args.cost_articles:,} articles stored (half with "
              f"their English); load {os.getloadavg()[0]:.1f}:")
        costs = {}
        for label, without in (("no search index", ("trigram", "grams")),
                               ("trigram index only", ("grams",)),
                               ("trigram + grams (now)", ())):
            costs[label] = build(new_url(f"cost{len(costs)}"), args.cost_articles,
                                 without=without)
        base = costs["no search index"]
        for label, took in costs.items():
            print(f"   {label:24} {took:6.1f} s = {took / args.cost_articles * 1000:5.1f} ms an "
                  f"article ({took / base:.2f}× none)")
        print(f"   load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
