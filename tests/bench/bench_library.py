"""Benchmark: the library page, a filtered page and the documents API at 1k, 10k and 50k articles.

Run ``python tests/bench/bench_library.py [--sizes 1000 10000 50000] [--requests 60]``. It grows
one SQLite library of generated articles (WMT21 sentences: a title and three paragraphs of two
sentences; 40 sites; dated over two years; a third translated, a third with only the headline,
some reviewed, a fifth tagged, three collections) in transactions of 1,000 articles, and at each
size prints the p50 / p90 of, in-process (Flask test client, one session, requests interleaved):

* a trivial endpoint of the same app (through the same access check, session and headers),
* the library page (``/``, whole) and its list alone (htmx), a filtered page (site and state;
  tag and date; review state and last edited; glossary problems), ``GET /api/documents`` page 1,
  a middle page and the last page, and a text filter (``q``, through the search index);

with the ratio of each p50 to the trivial endpoint's. The pages are served from the page cache
while the library has not changed (``webapp.web.pagecache``): the rows marked "changed" are
the same pages made anew, each request just after a write. Then what the per-document counts cost and
save: storing 1,000 articles with and without the triggers that keep ``document_stats``, and
the state filter's count made from the sentences themselves (what the page would do without
the table) against the kept counts. Figures only; nothing asserts on time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "bench")]

from bench_reading import cpu  # noqa: E402

from webapp.segmenting.article import Article, Block  # noqa: E402
from webapp.storage import Library  # noqa: E402

PARALLEL = ROOT / "tests" / "fixtures" / "samples" / "parallel" / "newstest2021_zh-en_first475"
SITES = [f"news{i}.example.org" for i in range(40)]
TAGS = ["economy", "politics", "asia", "to read", "science", "sport", "health", "climate"]
START = datetime(2023, 1, 1, tzinfo=UTC)


def sentences() -> tuple[list[str], list[str]]:
    zh = PARALLEL.with_suffix(".zh").read_text(encoding="utf-8").splitlines()
    en = PARALLEL.with_suffix(".en").read_text(encoding="utf-8").splitlines()
    return zh, en


def article(k: int, zh: list[str], rng: random.Random) -> tuple[Article, list[int]]:
    picked = rng.sample(range(len(zh)), 7)
    title = f"第{k}篇 " + zh[picked[0]][:24]
    blocks = [Block("title", title)] + [Block("paragraph", zh[picked[i]] + zh[picked[i + 1]])
                                        for i in (1, 3, 5)]
    site = SITES[min(int(rng.paretovariate(1.2)) - 1, len(SITES) - 1)]
    return Article(title, blocks, "zh", f"bench-{k}.txt", f"bench {k} {picked}",
                   source_url=f"https://www.{site}/{k}",
                   published_at=START + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
                   ), picked


def grow(library: Library, start: int, stop: int, rng: random.Random) -> float:
    """Add articles ``start``..``stop`` (translations, reviews, tags as the docstring says)."""
    zh, en = sentences()
    english = {text: en[i] for i, text in enumerate(zh)}
    began = time.perf_counter()
    for first in range(start, stop, 1000):
        with library.transaction():
            for k in range(first, min(first + 1000, stop)):
                doc_id, _ = library.documents.add(article(k, zh, rng)[0])
                units = [u for s in library.documents.tree(doc_id)["segments"]
                         for u in s["units"]]
                if k % 3 == 0:
                    done = units
                elif k % 3 == 1:
                    done = units[:3]  # the headline: title and first paragraph
                else:
                    done = []
                library.units.store_translations(
                    [(u["id"], english.get(u["source"], "English.")) for u in done],
                    model_id="bench")
                if done and k % 10 == 0:
                    library.review.approve(done[0]["id"], base_revision=1)
                if k % 5 == 0:
                    library.tags.add([doc_id], TAGS[k % len(TAGS)])
    return time.perf_counter() - began


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.9)] * 1000


def measure(app, size: int, requests: int) -> None:
    """Interleaved requests of every path; p50/p90 and the ratio to the trivial endpoint."""
    client = app.test_client()
    client.get("/bench-trivial")
    total = app.extensions["library"].catalog.count()
    last = -(-total // 100)
    paths = {
        "trivial endpoint": ("/bench-trivial", {}),
        "library page (whole)": ("/", {}),
        "library page, brotli": ("/", {"Accept-Encoding": "br, gzip"}),  # as browsers ask
        "library list (htmx)": ("/", {"HX-Request": "true"}),
        "site + state": (f"/?site={SITES[3]}&state=partly", {"HX-Request": "true"}),
        "tag + date range": ("/?tag=asia&from=2023-06-01&to=2023-12-31&sort=date",
                             {"HX-Request": "true"}),
        "review + last edited": ("/?review=partly&sort=edited", {"HX-Request": "true"}),
        "glossary problems": ("/?problems=1", {"HX-Request": "true"}),
        "API page 1": ("/api/documents?page=1", {}),
        f"API page {last // 2}": (f"/api/documents?page={last // 2}", {}),
        f"API page {last} (last)": (f"/api/documents?page={last}", {}),
        "text filter (q, index)": ("/?q=新冠疫情", {"HX-Request": "true"}),
        # the same pages made anew: the library changed just before (as when a worker stored a
        # batch, someone edited), so the kept page is no longer true
        "library page, changed": ("/", {}),
        "library page, brotli, changed": ("/", {"Accept-Encoding": "br, gzip"}),
        "list (htmx), changed": ("/", {"HX-Request": "true"}),
        f"API page {last // 2}, changed": (f"/api/documents?page={last // 2}", {}),
    }
    library = app.extensions["library"]
    times: dict[str, list[float]] = {name: [] for name in paths}
    for path, headers in paths.values():  # warm every path once
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code)
    kept = [name for name in paths if not name.endswith(", changed")]
    writes = 0
    for names in (kept, [name for name in paths if name not in kept]):  # (writes last)
        for _ in range(requests):
            for name in names:
                path, headers = paths[name]
                if name not in kept:  # a write: the first document tagged, or untagged
                    writes += 1
                    (library.tags.add if writes % 2 else library.tags.remove)([1], "bench change")
                began = time.perf_counter()
                response = client.get(path, headers=headers)
                times[name].append(time.perf_counter() - began)
                response.close()
    base = percentiles(times["trivial endpoint"])[0]
    print(f"\n{size:,} articles ({total:,} in the library), p50 / p90 of {requests} requests:")
    for name, (path, headers) in paths.items():
        p50, p90 = percentiles(times[name])
        size_kb = len(client.get(path, headers=headers).data) / 1024
        print(f"   {name:30} {p50:7.2f} / {p90:7.2f} ms  {p50 / base:5.1f}x trivial  "
              f"{size_kb:6.1f} KB")
    data(app.extensions["library"], requests, last)


def data(library: Library, requests: int, last: int) -> None:
    """The same pages' data alone (the actions, no HTML or JSON): what grows with the library."""
    from webapp.actions import catalog

    reads = {
        "library page": lambda: catalog.library_page(library, catalog.Query(), editors=True),
        "site + state": lambda: catalog.library_page(
            library, catalog.parse_query({"site": SITES[3], "state": "partly"}), editors=True),
        "tag + date range": lambda: catalog.library_page(library, catalog.parse_query(
            {"tag": "asia", "from": "2023-06-01", "to": "2023-12-31", "sort": "date"}),
            editors=True),
        "filter choices": lambda: catalog.choices(library),
        f"API page {last // 2}": lambda: catalog.documents_json(
            library, catalog.parse_query({"page": last // 2})),
    }
    times: dict[str, list[float]] = {name: [] for name in reads}
    for _ in range(requests):
        for name, read in reads.items():
            began = time.perf_counter()
            read()
            times[name].append(time.perf_counter() - began)
    print("   the data alone (actions, no rendering), p50 / p90:")
    for name in reads:
        p50, p90 = percentiles(times[name])
        print(f"   {name:30} {p50:7.2f} / {p90:7.2f} ms")


def trigger_cost(work: Path, count: int) -> None:
    """Storing ``count`` articles with and without the triggers that keep the counts."""
    results = {}
    for keep in (True, False):
        library = Library(work / f"triggers-{keep}.sqlite3")
        if not keep:
            with library.transaction() as conn:
                for name in ("document_stats_new", "unit_stats_insert", "unit_stats_delete",
                             "unit_stats_update"):
                    conn.exec_driver_sql(f"DROP TRIGGER {name}")
        results[keep] = grow(library, 0, count, random.Random(11))
        library.close()
    print(f"\nstoring {count:,} articles (a third translated, a third the headline): "
          f"{results[True]:.1f} s with the count triggers, {results[False]:.1f} s without: "
          f"{results[True] / results[False]:.2f}x")


def counted_from_sentences(library: Library) -> None:
    """The state filter's count from the sentences (no kept counts) against the kept counts."""
    naive = sa.text(
        "SELECT COUNT(*) FROM (SELECT d.id FROM document d JOIN segment s ON s.document_id = d.id"
        " JOIN unit u ON u.segment_id = s.id GROUP BY d.id HAVING"
        " COUNT(u.id) FILTER (WHERE u.status <> 'untranslated') BETWEEN 1 AND COUNT(u.id) - 1)")
    kept = sa.text("SELECT COUNT(*) FROM document_stats WHERE translated > 0"
                   " AND translated < units")
    for name, query in (("from the sentences", naive), ("from document_stats", kept)):
        runs = []
        for _ in range(3):
            began = time.perf_counter()
            found = library.db.scalar(query)
            runs.append(time.perf_counter() - began)
        print(f"   'partly translated' counted {name:22} {statistics.median(runs) * 1000:8.1f} ms"
              f"  ({found:,} documents)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--cost-articles", type=int, default=1_000)
    args = parser.parse_args()
    print(cpu())
    from webapp import create_app

    work = Path(tempfile.mkdtemp(prefix="enface-bench-library-"))
    app = create_app({"DATA_DIR": str(work), "SEED": False, "WORKER": False})
    app.add_url_rule("/bench-trivial", "bench_trivial", lambda: "ok")
    from webapp.web import access

    access.ENDPOINTS["bench_trivial"] = "read"
    library = app.extensions["library"]
    collections = [library.collections.create(f"Reading list {i}") for i in range(3)]
    rng = random.Random(7)
    built = 0
    for size in sorted(args.sizes):
        seconds = grow(library, built, size, rng)
        print(f"\ngrew the library from {built:,} to {size:,} articles in {seconds:.0f} s")
        built = size
        for i, collection in enumerate(collections):
            library.collections.add(collection, range(1 + i * 50, 1 + i * 50 + 50))
        from webapp.actions import problems

        problems.recheck(library)  # the glossary check done (by the job, in real life)
        measure(app, size, args.requests)
        if size == max(args.sizes):
            print(f"\nper-document counts at {size:,} articles:")
            counted_from_sentences(library)
    size_mb = (work / "library.sqlite3").stat().st_size / 1e6
    print(f"\ndatabase: {size_mb:.0f} MB")
    trigger_cost(work, args.cost_articles)


if __name__ == "__main__":
    main()
