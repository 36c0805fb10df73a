"""Benchmark: Review mode's figures of issue 18, each against a baseline measured in the same run.

Run ``python tests/bench/bench_review.py [--blocks 2000] [--skip-browser]``. It builds a library
with one document of ``--blocks`` blocks, a WMT21 sentence each (tests/fixtures/samples/
parallel/, repeats numbered), whose English is the WMT21 professional reference, stored as
memory (so nobody reviewed it, as machine output), and prints, with the CPU's instruction set:

1. checks and risk of the whole document *with storage* (``quality.refresh_document``: read the
   units, the glossary and the name ledger, run every check, write every record), median of 3,
   against the same checks without storage (``quality.record.rate`` on each pair); and what the
   checks add to storing the English (``store_translations`` with the check hook and without).
   Goal: under 1 s.
Before 2 and 3 every English is judged by the tiny real test model (forced decoding): it finds
English unlikely, so every sentence is shaded and has doubtful words marked, Review mode's
worst case.

2. the reader: server render of ``/documents/<id>`` in Review mode and in plain reading (warm,
   medians of 7 run in turn; both render the same HTML but for ``data-mode``), and without any stored
   record (what the page was before checks were stored); then in real Chromium against
   ``enface serve``, time from navigation to the page ready (load, then two frames; in Review
   mode two frames after the marks of the sentences within a screen of the window are
   painted), median of 5, alternating. Goal: Review within 1.3× of
   plain reading.
3. alignment data for a sentence, the read path: ``GET /api/units/<id>/alignment`` for 200
   sentences (the data's size depends on the sentence, not the model), in-process and over HTTP to ``enface serve``, median and p90,
   against ``GET /api/units/<id>/revisions`` (one small read) in the same loop. Goal: < 20 ms.

Asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "bench")]
HOME = Path(tempfile.mkdtemp(prefix="enface-bench-review-"))
os.environ["ARGOS_PACKAGES_DIR"] = str(HOME / "packages")
os.environ.setdefault("ENFACE_SEED", "0")

from bench_checks import pairs as wmt  # noqa: E402
from bench_reading import cpu  # noqa: E402

from webapp.segmenting.article import Article, Block  # noqa: E402
from webapp.storage import Library  # noqa: E402


def median_of(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def alternating(works: list, runs: int) -> list[float]:
    """Median times of several works run in turn (load on the machine falls on all alike)."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(runs):
        for k, work in enumerate(works):
            started = time.perf_counter()
            work()
            times[k].append(time.perf_counter() - started)
    return [statistics.median(t) for t in times]


def build(library: Library, blocks: int, *, store: bool = True) -> tuple[int, list]:
    """The document and its (unit id, English) pairs; the English stored unless ``store`` is
    False."""
    pairs = wmt()
    picked = [(pairs[k % len(pairs)][0] + (f"（{k // len(pairs)}）" if k >= len(pairs) else ""),
               pairs[k % len(pairs)][1]) for k in range(blocks)]
    article = Article("两千段的文章", [Block("title", "两千段的文章")]
                      + [Block("paragraph", zh) for zh, _ in picked],
                      "zh", "bench.txt", f"review-bench-{blocks}-{time.time()}")
    doc_id, _ = library.documents.add(article)
    english = []
    for segment, (_, en) in zip(library.documents.tree(doc_id)["segments"][1:], picked,
                                strict=True):
        if len(segment["units"]) == 1:  # a block the splitter kept as one sentence
            english.append((segment["units"][0]["id"], en))
    if store:
        library.units.store_translations(english, model_id="human", origin="memory")
    return doc_id, english


def checks_figures(blocks: int) -> tuple[Path, int]:
    from webapp.actions import quality
    from webapp.quality.record import rate

    data = HOME / "data"
    library = Library(data / "library.sqlite3")
    doc_id, english = build(library, blocks, store=False)
    # storing the English, with the checks done in the same unit of work and without
    bare = Library(HOME / "bare.sqlite3")
    _, bare_english = build(bare, blocks, store=False)
    bare.quality.changed = lambda ids: None
    started = time.perf_counter()
    bare.units.store_translations(bare_english, model_id="human", origin="memory")
    without = time.perf_counter() - started
    started = time.perf_counter()
    library.units.store_translations(english, model_id="human", origin="memory")
    with_checks = time.perf_counter() - started
    bare.close()
    units = {u["id"]: u for u in library.units.of_document(doc_id)}
    translated = [units[i] for i, _ in english]
    pure = median_of(lambda: [rate(u["source"], u["translation"]) for u in translated], 3)
    stored = median_of(lambda: quality.refresh_document(library, doc_id), 3)
    print(f"1. checks and risk of a {len(units):,}-sentence document ({len(translated):,} with "
          f"English)")
    print(f"   with storage (read, check, write every record): {stored:.3f} s (goal: < 1 s)")
    print(f"   the checks alone, no storage:                    {pure:.3f} s "
          f"(storage adds {stored / pure:.2f}x)")
    print(f"   storing the English: {with_checks:.3f} s with its checks in the same unit of work, "
          f"{without:.3f} s without ({with_checks / without:.1f}x)")
    library.close()
    return data, doc_id


def render_figures(data: Path, doc_id: int) -> None:
    from webapp import create_app

    app = create_app({"DATA_DIR": str(data), "SEED": False, "WORKER": False})
    client = app.test_client()
    url = f"/documents/{doc_id}"
    for path in (url, url + "?mode=review"):
        assert client.get(path).status_code == 200  # warm: word marks, templates
    read, review = alternating([lambda: client.get(url),
                                lambda: client.get(url + "?mode=review")], 7)
    library = app.extensions["library"]
    from webapp.storage.tables import unit_check

    with library.db.transaction() as conn:
        saved = [dict(r) for r in conn.execute(unit_check.select()).mappings()]
        conn.execute(unit_check.delete())
    unchecked = median_of(lambda: client.get(url), 5)
    with library.db.transaction() as conn:
        conn.execute(unit_check.insert(), saved)
    size = len(client.get(url + "?mode=review").data) / 1e6
    print(f"2. the reader, server render (warm, medians of 7 in turn, {size:.1f} MB of HTML)")
    print(f"   plain reading {read:.3f} s, Review mode {review:.3f} s ({review / read:.2f}x); "
          f"without stored records {unchecked:.3f} s")
    app.extensions["library"].close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(data: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = dict(os.environ, ENFACE_DATA_DIR=str(data), ENFACE_WORKER="0", ENFACE_SEED="0")
    proc = subprocess.Popen([sys.executable, "-m", "webapp.cli", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("enface serve did not start")


# Ready: two frames after load; in Review mode, two frames after the first marks are painted
# (the sentences within a screen of the window; the rest are marked as they come near).
READY = """(review) => new Promise(done => {
  const count = () => ['enface-flag', 'enface-doubt'].reduce((n, name) =>
    n + (CSS.highlights.get(name) ? CSS.highlights.get(name).size : 0), 0);
  const give = () => requestAnimationFrame(() => requestAnimationFrame(
    () => done({ready: performance.now(), marked: count()})));
  const wait = () => (!review || count() ? give() : requestAnimationFrame(wait));
  wait();
})"""


def browser_figures(data: Path, doc_id: int) -> None:
    from playwright.sync_api import sync_playwright

    proc, port = serve(data)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=os.environ.get("ENFACE_CHROMIUM",
                                                                       "/usr/bin/chromium"),
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            base = f"http://127.0.0.1:{port}/documents/{doc_id}"
            times: dict[str, list[float]] = {"read": [], "review": []}
            marked = 0
            for run in range(6):
                for mode in ("read", "review") if run % 2 else ("review", "read"):
                    page.goto(f"{base}?mode={mode}", wait_until="load", timeout=120_000)
                    found = page.evaluate(READY, mode == "review")
                    if run:  # the first of each is a warm-up
                        times[mode].append(found["ready"] / 1000)
                    marked = max(marked, found["marked"]) if mode == "review" else marked
            browser.close()
        read, review = (statistics.median(times[m]) for m in ("read", "review"))
        print(f"   Chromium, navigation to ready (median of 5): plain reading {read:.2f} s, "
              f"Review mode {review:.2f} s ({review / read:.2f}x; goal: within 1.3x); "
              f"{marked:,} spans marked when ready (findings and doubtful words near the window)")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def judge_all(data: Path, doc_id: int) -> None:
    """Every sentence's English judged by the tiny real test model (forced decoding): a
    copying model finds English unlikely, so every sentence gets doubtful words and a high
    risk — Review mode's worst case (every sentence shaded, three words marked in each)."""
    from argostranslate import settings

    settings.package_data_dir = HOME / "packages"
    settings.package_dirs = [HOME / "packages"]
    from argos_testmodel import install_test_model

    from webapp.actions import quality

    model = install_test_model("zh", "en")
    library = Library(data / "library.sqlite3")
    units = [u for u in library.units.of_document(doc_id) if u["translation"]]
    for start in range(0, len(units), 200):
        batch = units[start:start + 200]
        library.quality.judge(quality.judgements(model, [(u["id"], u["source"], u["translation"])
                                                         for u in batch]))
    library.close()


def alignment_figures(data: Path, doc_id: int, count: int = 200) -> None:
    from webapp import create_app

    library = Library(data / "library.sqlite3")
    units = [u for u in library.units.of_document(doc_id) if u["translation"]][:count]
    library.close()
    app = create_app({"DATA_DIR": str(data), "SEED": False, "WORKER": False})
    client = app.test_client()
    ids = [u["id"] for u in units]
    sizes = [len(client.get(f"/api/units/{i}/alignment").data) for i in ids]
    inproc: dict[str, list[float]] = {"alignment": [], "revisions": []}
    for unit_id in ids:
        for name in inproc:
            started = time.perf_counter()
            client.get(f"/api/units/{unit_id}/{name}")
            inproc[name].append(time.perf_counter() - started)
    app.extensions["library"].close()
    proc, port = serve(data)
    http_times: dict[str, list[float]] = {"alignment": [], "revisions": []}
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for unit_id in ids * 2:
            for name in http_times:
                started = time.perf_counter()
                conn.request("GET", f"/api/units/{unit_id}/{name}")
                conn.getresponse().read()
                http_times[name].append(time.perf_counter() - started)
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"3. alignment data for a sentence, read path ({len(ids)} sentences, "
          f"{statistics.mean(sizes) / 1000:.1f} KB of JSON on average)")
    for label, figures in (("in-process", inproc), ("HTTP, enface serve", http_times)):
        a, r = sorted(figures["alignment"]), sorted(figures["revisions"])
        print(f"   {label:19} alignment median {statistics.median(a) * 1000:.2f} ms, p90 "
              f"{a[int(len(a) * 0.9)] * 1000:.2f} ms; revisions (baseline) "
              f"{statistics.median(r) * 1000:.2f} ms ({statistics.median(a) / statistics.median(r):.2f}x)"
              f"; goal: < 20 ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--blocks", type=int, default=2000)
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    from webapp.engine.inference import cpu_isa

    print(f"{cpu()}; CTranslate2 ISA {cpu_isa()}; SQLite; {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    data, doc_id = checks_figures(args.blocks)
    judge_all(data, doc_id)
    render_figures(data, doc_id)
    if not args.skip_browser:
        browser_figures(data, doc_id)
    alignment_figures(data, doc_id)


if __name__ == "__main__":
    main()
