"""Benchmark: issue 17's numbers — workers, the embedded default, web processes, reading while
translating, and ``enface db copy``; each comparison measured in one run, alternating.

Run ``python tests/bench/bench_scaleout.py [--parts workers embedded web responsive copy]`` from
the checkout (``CT2_FORCE_CPU_ISA=AVX2`` to stand for an AVX2 laptop, see bench_translate.py).
Needs ``taskset`` (util-linux), ``wrk`` (Debian's ``wrk``) for the web parts, PostgreSQL's
binaries for the copy. Prints figures; asserts nothing about time.

1. ``workers``: one ``enface worker`` pinned to core 0 against two pinned to cores 0 and 1
   (one CTranslate2 thread each), base-size model: a 1,000-sentence document (``--workload
   big``), and 50 documents of 20 sentences (``small``); wall time from queueing to the last job done, models warm (bar: ≥ 1.8×).
2. ``embedded``: ``enface translate ID`` as a whole process (the job runner, chunks and leases)
   in this checkout against ``--before CHECKOUT`` (the commit before the storage rewrite), on the
   same document: time to the first screen (title + 3 blocks stored), to every sentence's
   English stored, and to the process's end (which, since issue 18, includes the model's
   judgement of the English, done after it) (bar: ≤ 5 %). Both processes start with their
   compiled bytecode, as installed ones do (``installed_env``; a first run of each writes it).
3. ``web``: ``enface serve --processes 4`` against ``--processes 1`` (waitress), 50 concurrent
   wrk clients on the 2,000-block reader page and on the library page: requests/s, p50, p99.
   The library page twice: without a session (wrk keeps no cookie: every request is a first
   visit, whose page is made anew) and with one browser session's cookie (its page is kept
   while the library does not change, ``webapp.web.pagecache``).
4. ``responsive``: 4 clients reading the seed's reader page and saving a sentence, p50/p95, on an
   idle server and while its worker translates a 1,000-sentence document on every core: the
   worker at nice 10 (the default) and at nice 0 (bar: p95 within 2× of idle).
5. ``copy``: ``enface db copy`` of a 20,000-article library (SQLite → PostgreSQL): time and the
   per-table checksums.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_translate import HOME, PARALLEL, ROOT, build_model, installed_env, machine  # noqa: E402

from webapp import config, engine  # noqa: E402
from webapp.deploy.postgres import LocalPostgres, free_port  # noqa: E402
from webapp.segmenting.article import Article, Block  # noqa: E402
from webapp.storage import Library  # noqa: E402
from webapp.worker.queue import JobQueue  # noqa: E402

CLI = [sys.executable, "-m", "webapp.cli"]


def wmt() -> tuple[list[str], list[str]]:
    zh = PARALLEL.with_suffix(".zh").read_text(encoding="utf-8").splitlines()
    en = PARALLEL.with_suffix(".en").read_text(encoding="utf-8").splitlines()
    return zh, en


def article(count: int, tag: str, per_paragraph: int = 3) -> Article:
    """``count`` WMT sentences (repeats numbered), a title and paragraphs of a few."""
    zh, _ = wmt()
    picked = [zh[k % len(zh)] + (f"（{k // len(zh)}）" if k >= len(zh) else "")
              for k in range(count)]
    blocks = [Block("title", picked[0])] + [Block("paragraph", "".join(picked[i:i + per_paragraph]))
                                            for i in range(1, count, per_paragraph)]
    return Article(picked[0], blocks, "zh", f"{tag}.txt", f"{tag} {count}")


def spread(values: list[float], unit: str = "s") -> str:
    return f"{statistics.median(values):7.2f} {unit} ({min(values):.2f}–{max(values):.2f})"


# --- 1. workers -------------------------------------------------------------------------------

def run_workers(cores: list[int], docs: list[Article], data: Path) -> float:
    """Seconds from queueing ``docs`` to their last job done, with one worker per core."""
    settings = config.load({"DATA_DIR": str(data)})
    library = Library(settings["DATABASE_URL"])
    queue = JobQueue(settings)
    env = dict(os.environ, ENFACE_DATA_DIR=str(data), ENFACE_INTER_THREADS="1",
               ENFACE_INTRA_THREADS="1", ENFACE_SEED="0")
    procs = [subprocess.Popen(["taskset", "-c", str(core), *CLI, "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for core in cores]
    try:
        # warm up: one tiny chunk per worker, so each has loaded its model before the clock runs
        warm = library.documents.add(article(2 * len(cores) + 1, f"warm-{len(cores)}", 1))[0]
        job = library.jobs.create("translate", str(warm), total=len(cores),
                                  chunks=[(i, i + 1, 1) for i in range(len(cores))])
        queue.submit(job, "translate", len(cores))
        wait_jobs(library, [job])
        ids = [library.documents.add(doc)[0] for doc in docs]
        started = time.perf_counter()
        from webapp.actions import translate as translating

        jobs = [translating.queue_translation(library, doc_id, queue.submit) for doc_id in ids]
        wait_jobs(library, jobs)
        return time.perf_counter() - started
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait()
        queue.close()
        library.close()


def wait_jobs(library: Library, jobs: list[int], timeout: float = 3600) -> None:
    """Until every job has ended. One small read every 0.1 s (the first job not seen ended):
    asking after 50 jobs every 50 ms took CPU time from the workers being measured."""
    deadline = time.monotonic() + timeout
    waiting = list(jobs)
    while waiting:
        while waiting and library.jobs.get(waiting[0])["status"] not in ("queued", "running"):
            waiting.pop(0)
        if not waiting:
            return
        if time.monotonic() > deadline:
            raise SystemExit("jobs did not end")
        time.sleep(0.1)


def workers_part(repeat: int, which: list[str]) -> None:
    cases = {name: make for key, name, make in (
        ("big", "1,000-sentence document", lambda: [article(1000, "big")]),
        ("small", "50 documents of 20 sentences",
         lambda: [article(20, f"small-{k}") for k in range(50)])) if key in which}
    print("\n1. workers pinned to a core each (taskset), one CTranslate2 thread each, models "
          f"warm; median of {repeat} (min–max), alternating")
    for name, make in cases.items():
        times: dict[int, list[float]] = {1: [], 2: []}
        for r in range(repeat):
            for n in ((1, 2) if r % 2 == 0 else (2, 1)):
                data = Path(tempfile.mkdtemp(prefix=f"enface-bench-w{n}-"))
                times[n].append(run_workers(list(range(n)), make(), data))
        ratio = statistics.median(times[1]) / statistics.median(times[2])
        print(f"   {name}: 1 worker {spread(times[1])}, 2 workers {spread(times[2])}: "
              f"{ratio:.2f}x")


# --- 2. the embedded default against the checkout before ---------------------------------------

def cli_translate(checkout: Path, text: Path, data: Path) -> tuple[float, float, float]:
    """(seconds to the first screen, to every sentence's English stored, in all — the model's
    judgement after the English included) of ``enface translate`` in ``checkout``."""
    env = installed_env(ENFACE_DATA_DIR=str(data), ENFACE_SEED="0")
    out = subprocess.run([*CLI, "import", str(text), "--lang", "zh"], cwd=checkout, env=env,
                         check=True, capture_output=True, text=True).stdout
    doc_id = out.split("\t")[0].strip()
    db = sqlite3.connect(f"file:{data / 'library.sqlite3'}?mode=ro", uri=True)
    left = ("SELECT COUNT(*) FROM unit u JOIN segment s ON s.id = u.segment_id WHERE"
            " s.document_id = ? AND u.status = 'untranslated'")
    started = time.perf_counter()
    proc = subprocess.Popen([*CLI, "translate", doc_id], cwd=checkout, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = english = None
    while proc.poll() is None:
        if seen is None and db.execute(left + " AND s.position < 4", (doc_id,)).fetchone()[0] == 0:
            seen = time.perf_counter() - started
        if english is None and db.execute(left, (doc_id,)).fetchone()[0] == 0:
            english = time.perf_counter() - started
        time.sleep(0.01)
    total = time.perf_counter() - started
    db.close()
    if proc.returncode:
        raise SystemExit(f"enface translate failed in {checkout}")
    return seen or total, english or total, total


def embedded_part(before: Path | None, sizes: list[int], repeat: int) -> None:
    if before is None:
        print("\n2. embedded default: skipped (give --before CHECKOUT, e.g. a worktree of the "
              "commit before the storage rewrite)")
        return
    print(f"\n2. enface translate ID, whole process, this checkout against {before}; "
          f"median of {repeat} (min–max), alternating")
    for count in sizes:
        zh, _ = wmt()
        lines = [zh[k % len(zh)] for k in range(count)]
        text = Path(tempfile.mkdtemp(prefix="enface-bench-text-")) / "doc.txt"
        text.write_text("\n\n".join("".join(lines[i:i + 3]) for i in range(0, count, 3)),
                        encoding="utf-8")
        runs: dict[str, list[tuple[float, float, float]]] = {"now": [], "before": []}
        if count == sizes[0]:  # each checkout's bytecode written first (see installed_env)
            for checkout in (ROOT, before):
                cli_translate(checkout, text, Path(tempfile.mkdtemp(prefix="enface-bench-")))
        for r in range(repeat):
            for name in (("now", "before") if r % 2 == 0 else ("before", "now")):
                checkout = ROOT if name == "now" else before
                data = Path(tempfile.mkdtemp(prefix=f"enface-bench-{name}-"))
                runs[name].append(cli_translate(checkout, text, data))
        for name in ("before", "now"):
            print(f"   {count:5d} sentences, {name:6s}: first screen "
                  f"{spread([f for f, _, _ in runs[name]])}, English "
                  f"{spread([e for _, e, _ in runs[name]])}, process "
                  f"{spread([t for _, _, t in runs[name]])}")
        ratios = [statistics.median(x[k] for x in runs["now"])
                  / statistics.median(x[k] for x in runs["before"]) for k in range(3)]
        print(f"   now/before: first screen {ratios[0]:.3f}, every English stored {ratios[1]:.3f},"
              f" process (the model's judgement after the English included) {ratios[2]:.3f}")


# --- 3. web processes -------------------------------------------------------------------------

def big_library(data: Path, blocks: int = 2000) -> int:
    """A library with a 2,000-block document, its English the WMT reference (as stored English
    only: nothing is shown as a model's output), and 300 more documents for the library page."""
    zh, en = wmt()
    library = Library(config.load({"DATA_DIR": str(data)})["DATABASE_URL"])
    lines = [zh[k % len(zh)] + (f"（{k // len(zh)}）" if k >= len(zh) else "")
             for k in range(blocks * 2)]
    doc = Article(lines[0], [Block("title", lines[0])] + [
        Block("paragraph", lines[i] + lines[i + 1]) for i in range(2, blocks * 2, 2)],
        "zh", "big.txt", "big")
    doc_id = library.documents.add(doc)[0]
    units = [u for s in library.documents.tree(doc_id)["segments"] for u in s["units"]]
    by_zh = {z.split("（")[0]: e for z, e in zip(zh, en, strict=True)}
    library.units.store_translations([(u["id"], by_zh.get(u["source"].split("（")[0], "-"))
                                      for u in units], model_id="bench-reference")
    for k in range(300):
        library.documents.add(article(12, f"lib-{k}"))
    library.close()
    return doc_id


def serve(data: Path, processes: int, port: int, **env: str) -> subprocess.Popen:
    proc = subprocess.Popen([*CLI, "serve", "--port", str(port), "--processes", str(processes)],
                            env={**os.environ, "ENFACE_DATA_DIR": str(data), "ENFACE_SEED": "0",
                                 **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def wrk(url: str, seconds: int, clients: int, cookie: str | None = None
        ) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms) of wrk on one URL (with ``cookie``: as one browser)."""
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency",
                          "--timeout", "30s", *headers, url], capture_output=True, text=True,
                         check=True).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), ms("50"), ms("99")


#: The web part's pages: (name, path, sent with a browser session's cookie).
PAGES = [("reader (2,000 blocks)", "/documents/{doc_id}", False),
         ("library, no session", "/", False),
         ("library, one session", "/", True)]


def web_part(seconds: int) -> None:
    data = Path(tempfile.mkdtemp(prefix="enface-bench-web-"))
    doc_id = big_library(data)
    print(f"\n3. web processes, 50 wrk clients for {seconds} s a page (2 wrk threads on the same "
          "2 cores)")
    results = {}
    for processes in (1, 4, 1, 4):
        port = free_port()
        proc = serve(data, processes, port, ENFACE_WORKER="0")
        try:
            # a browser's session (its cookie: the page is kept for it, see
            # webapp.web.pagecache), or none (wrk's own: every request a first visit)
            first = urllib.request.urlopen(f"http://127.0.0.1:{port}/")
            cookie = "; ".join(c.split(";", 1)[0] for c in first.headers.get_all("Set-Cookie"))
            for page, path, session in PAGES:
                url = f"http://127.0.0.1:{port}{path.format(doc_id=doc_id)}"
                urllib.request.urlopen(url).read()  # warm
                results.setdefault((page, processes), []).append(
                    wrk(url, seconds, 50, cookie if session else None))
        finally:
            proc.terminate()
            proc.wait()
    for page, _, _ in PAGES:
        rows = {}
        for processes in (1, 4):
            runs = results[(page, processes)]
            rows[processes] = statistics.median(r[0] for r in runs)
            print(f"   {page}, {processes} process{'es' if processes > 1 else ''}: "
                  f"{rows[processes]:7.1f} req/s, p50 {statistics.median(r[1] for r in runs):7.1f}"
                  f" ms, p99 {statistics.median(r[2] for r in runs):7.1f} ms")
        print(f"   {page}: 4 processes / 1 = {rows[4] / rows[1]:.2f}x requests/s")


# --- 4. reading while translating --------------------------------------------------------------

def clients(base: str, unit: int, seconds: float, n: int = 4) -> list[float]:
    """Latencies (ms) of n clients alternating the reader page and a save, for ``seconds``."""
    found: list[float] = []
    stop = time.monotonic() + seconds

    def one(k: int) -> None:
        revision = None
        while time.monotonic() < stop:
            t = time.perf_counter()
            urllib.request.urlopen(f"{base}/documents/1").read()
            found.append((time.perf_counter() - t) * 1000)
            if k == 0:  # one of the clients edits a sentence too (a real save, revision-checked)
                if revision is None:
                    revision = json.load(urllib.request.urlopen(
                        f"{base}/api/documents/1"))["segments"][1]["units"][0]["revision"]
                body = json.dumps({"translation": f"Edit {time.time()}",
                                   "revision": revision}).encode()
                request = urllib.request.Request(f"{base}/api/units/{unit}", data=body,
                                                 method="PATCH",
                                                 headers={"Content-Type": "application/json",
                                                          "Origin": base})
                t = time.perf_counter()
                revision = json.load(urllib.request.urlopen(request))["revision"]
                found.append((time.perf_counter() - t) * 1000)

    threads = [threading.Thread(target=one, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return found


def responsive_part(seconds: float) -> None:
    print(f"\n4. reading and saving while a translation uses every core: 4 clients for "
          f"{seconds:.0f} s, reader page of the seed and a save (ms)")
    for nice in ("10", "0"):
        data = Path(tempfile.mkdtemp(prefix=f"enface-bench-nice{nice}-"))
        port = free_port()
        proc = serve(data, 1, port, ENFACE_WORKER_NICE=nice, ENFACE_SEED="1")
        base = f"http://127.0.0.1:{port}"
        try:
            doc = json.load(urllib.request.urlopen(f"{base}/api/documents/1"))
            unit = doc["segments"][1]["units"][0]["id"]
            idle = clients(base, unit, seconds)
            library = Library(config.load({"DATA_DIR": str(data)})["DATABASE_URL"])
            big = library.documents.add(article(1000, "busy"))[0]
            request = urllib.request.Request(f"{base}/api/documents/{big}/translate", data=b"{}",
                                             method="POST",
                                             headers={"Content-Type": "application/json",
                                                      "Origin": base})
            job = json.load(urllib.request.urlopen(request))["job"]
            while library.jobs.get(job)["done"] < 20:  # the model loaded, decoding under way
                time.sleep(0.1)
            busy = clients(base, unit, seconds)
            running = library.jobs.get(job)["status"] == "running"
            library.close()
        finally:
            proc.terminate()
            proc.wait()
        p95 = (statistics.quantiles(busy, n=20)[-1], statistics.quantiles(idle, n=20)[-1])
        print(f"   worker nice {nice:>2}: idle p50 {statistics.median(idle):6.1f} p95 "
              f"{p95[1]:6.1f}; translating p50 {statistics.median(busy):6.1f} p95 {p95[0]:6.1f}"
              f" -> p95 {p95[0] / p95[1]:.2f}x idle ({len(busy)} requests"
              f"{'' if running else '; the job ended early'})")


# --- 5. db copy -------------------------------------------------------------------------------

def copy_part(articles: int) -> None:
    from bench_search import build

    from webapp.storage.copy import copy_library

    work = Path(tempfile.mkdtemp(prefix="enface-bench-copy-"))
    built = build(work / "library.sqlite3", articles)
    print(f"\n5. enface db copy of {articles:,} articles (built in {built:.0f} s), SQLite → "
          "PostgreSQL (a local server)")
    server = LocalPostgres().start()
    try:
        started = time.perf_counter()
        report = copy_library(str(work / "library.sqlite3"), server.url)
        print(f"   {time.perf_counter() - started:.1f} s")
        for line in report.lines():
            print("   " + line)
    finally:
        server.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", nargs="+", default=["workers", "embedded", "web",
                                                      "responsive", "copy"])
    parser.add_argument("--before", type=Path, help="a checkout to compare the embedded default")
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workload", nargs="+", choices=["big", "small"],
                        default=["big", "small"], help="the workers part's cases")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--articles", type=int, default=20_000)
    options = parser.parse_args()
    print(machine())
    if {"workers", "embedded", "responsive"} & set(options.parts):
        engine.install_file(build_model())  # the base-size copy model, in this run's folders
        print(f"models in {HOME}")
    if "workers" in options.parts:
        workers_part(options.repeat, options.workload)
    if "embedded" in options.parts:
        embedded_part(options.before, options.sizes, options.repeat)
    if "web" in options.parts:
        web_part(options.seconds)
    if "responsive" in options.parts:
        responsive_part(options.seconds)
    if "copy" in options.parts:
        copy_part(options.articles)


if __name__ == "__main__":
    main()
