"""Benchmark: saving edits over HTTP, and opening a 2,000-block document.

Run ``python tests/bench/bench_edit.py [--seconds 30] [--clients 20]`` from the checkout.

1. Save round trip: ``--clients`` threads, each with a keep-alive connection, PATCH
   ``/api/units/<id>`` on a real ``enface serve`` (waitress) subprocess for ``--seconds``; the
   clients share a few sentences, so some saves are stale (409) and are retried on the current
   revision. The same load runs against a trivial Flask endpoint served by waitress the same way.
   Prints p50/p99 of each, then checks every unit's revisions against the acknowledged saves:
   no acknowledged save lost, none stored twice.
2. A 2,000-block document: server render time of the reader page, and time to a usable page in
   Chromium (load event, then the first editor open). Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from webapp.segmenting.article import Article, Block  # noqa: E402
from webapp.storage import Library  # noqa: E402

TRIVIAL = """
import sys
from flask import Flask, jsonify, request
from waitress import serve
app = Flask("trivial")
@app.patch("/api/units/<int:unit_id>")
def patch(unit_id):
    body = request.get_json()
    return jsonify({"id": unit_id, "translation": body["translation"], "revision": 1})
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=8, _quiet=True)
"""
SHARED_UNITS = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], port: int, env: dict) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server did not start: {cmd}")


def big_article(blocks: int) -> Article:
    lines = (ROOT / "tests/fixtures/samples/parallel/newstest2021_zh-en_first475.zh").read_text(
        encoding="utf-8").splitlines()
    paras = [lines[i % len(lines)] + lines[(i + 1) % len(lines)] for i in range(blocks - 1)]
    body = [Block("title", "两千段的文章"), *(Block("paragraph", p) for p in paras)]
    return Article("两千段的文章", body, "zh", "bench.txt", "\n".join(paras) + str(time.time()))


def load(port: int, units: list[int], clients: int, seconds: float) -> dict:
    """Run the save load; return latencies, statuses and acknowledged texts per unit."""
    latencies: list[float] = []
    statuses: dict[int, int] = defaultdict(int)
    acked: dict[int, list[str]] = defaultdict(list)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        revision: dict[int, int] = defaultdict(int)
        i = 0
        while time.monotonic() < stop:
            unit = units[(n + i) % len(units)]
            text = f"client {n} save {i}"
            body = json.dumps({"translation": text, "revision": revision[unit]})
            t0 = time.perf_counter()
            conn.request("PATCH", f"/api/units/{unit}", body,
                         {"Content-Type": "application/json"})
            response = conn.getresponse()
            data = json.loads(response.read())
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                statuses[response.status] += 1
                if response.status == 200:
                    acked[unit].append(text)
            if response.status == 200:
                revision[unit] = data["revision"]
                i += 1
            elif response.status == 409:
                revision[unit] = data["current"]["revision"]  # retry on the current one
            else:
                print(f"unexpected {response.status}: {data}", file=sys.stderr)
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"latencies": latencies, "statuses": dict(statuses), "acked": acked}


def report(name: str, result: dict, seconds: float) -> None:
    lat = sorted(result["latencies"])
    p50 = statistics.median(lat) * 1000
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
    print(f"{name:>16}: {len(lat)} requests, {len(lat) / seconds:.0f}/s,"
          f" p50 {p50:.1f} ms, p99 {p99:.1f} ms, statuses {result['statuses']}")


def check_revisions(base: str, acked: dict[int, list[str]]) -> None:
    lost = duplicated = total = copies = 0
    for unit, texts in acked.items():
        with urllib.request.urlopen(f"{base}/api/units/{unit}/revisions") as r:
            history = json.loads(r.read())
        stored = [rev["text"] for rev in history if rev["origin"] == "human"]
        spread = sum(rev["origin"] == "memory" for rev in history)
        total += len(stored)
        copies += spread
        lost += len(set(texts) - set(stored))
        duplicated += len(stored) - len(set(stored))
    print(f"revisions: {total} human revisions stored for {sum(map(len, acked.values()))}"
          f" acknowledged saves; lost {lost}, duplicated {duplicated}"
          f" (plus {copies} copies spread from identical sentences)")


def open_big_document(base: str, doc_id: int) -> None:
    url = f"{base}/documents/{doc_id}"
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        with urllib.request.urlopen(url) as r:
            size = len(r.read())
        times.append(time.perf_counter() - t0)
    print(f"2,000-block reader: server render {statistics.median(times) * 1000:.0f} ms median"
          f" of 5 ({size / 1e6:.1f} MB of HTML)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get(
            "ENFACE_CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        t0 = time.perf_counter()
        page.goto(url, wait_until="load")
        page.wait_for_function("window.htmx !== undefined")
        loaded = time.perf_counter() - t0
        last = page.locator(".t[data-unit]").last
        last.scroll_into_view_if_needed()
        t1 = time.perf_counter()
        last.click()
        page.locator(".t.editing textarea").wait_for()
        editor = time.perf_counter() - t1
        t2 = time.perf_counter()
        page.keyboard.press("Escape")
        page.locator(".t.editing").wait_for(state="detached")
        page.keyboard.press("k")
        moved = time.perf_counter() - t2
        browser.close()
    print(f"2,000-block reader in Chromium: usable (load + scripts) {loaded * 1000:.0f} ms;"
          f" open the last sentence's editor {editor * 1000:.0f} ms;"
          f" cancel + move {moved * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="enface-bench-edit-"))
    library = Library(data / "library.sqlite3")
    doc_id, _ = library.documents.add(big_article(2000))
    units = [u["id"] for s in library.documents.tree(doc_id)["segments"] for u in s["units"]]
    library.close()
    env = dict(os.environ, ENFACE_DATA_DIR=str(data), ENFACE_SEED="0")
    enface_port, trivial_port = free_port(), free_port()
    servers = [
        start([sys.executable, "-m", "webapp.cli", "serve", "--port", str(enface_port)],
              enface_port, env),
        start([sys.executable, "-c", TRIVIAL, str(trivial_port)], trivial_port, env),
    ]
    try:
        print(f"{args.clients} clients, {args.seconds:.0f} s each, {SHARED_UNITS} shared sentences")
        trivial = load(trivial_port, units[1 : 1 + SHARED_UNITS], args.clients, args.seconds)
        report("trivial Flask", trivial, args.seconds)
        saves = load(enface_port, units[1 : 1 + SHARED_UNITS], args.clients, args.seconds)
        report("enface PATCH", saves, args.seconds)
        base = f"http://127.0.0.1:{enface_port}"
        check_revisions(base, saves["acked"])
        open_big_document(base, doc_id)
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
