"""Benchmark: the reading aids in the app, the issue's numbers in one run.

Run ``python tests/bench/bench_reading_web.py [--requests 300]`` from the checkout. Prints:

1. Popup round trip: p50/p99 of ``GET /words?q=WORD`` (the popup partial) and of
   ``GET /api/dictionary?q=WORD`` on a real ``enface serve`` (waitress), one keep-alive client
   holding a session cookie as a browser does, against a trivial Flask endpoint served by
   waitress the same way, requests interleaved; ratio of the p50s (bar: 2×).
2. The 2,000-block reader: server render time of ``/documents/<id>`` with word marks and with
   ``ENFACE_WORD_MARKS=0``, in-process (Flask test client), first (cold: splitting every unit)
   and then warm (median of five); ratio warm/warm (bar: 1.5×).
3. Memory the reading aids add to the server: RSS after start and a library page, then after a
   popup and the reader with marks (bar: < 120 MB), and how long the server took to start.

Figures only; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "bench")]

from bench_reading import cpu  # noqa: E402

TRIVIAL = """
import sys
from flask import Flask
from waitress import serve
app = Flask("trivial")
@app.get("/words")
def words():
    return "<div class='popup'>trivial</div>"
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=8, _quiet=True)
"""
WORDS = ["磋商", "俄罗斯", "战略", "安全", "中国", "美国", "联盟", "会谈", "行", "長江"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], port: int, env: dict) -> tuple[subprocess.Popen, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, time.perf_counter() - t0
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit(f"server did not start: {cmd}")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed_gets(port: int, paths: list[str], cookie: str = "") -> list[float]:
    """Keep-alive GETs that send back the session cookie, as a browser does."""
    return interleaved([(port, paths, cookie)])[0]


def interleaved(series: list[tuple[int, list[str], str]]) -> list[list[float]]:
    """Several request series, one request of each in turn, so that load on the machine falls
    on all of them alike; each keeps its own keep-alive connection and session cookie."""
    conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=60) for port, _, _ in series]
    cookies = [cookie for _, _, cookie in series]
    out: list[list[float]] = [[] for _ in series]
    for i in range(max(len(paths) for _, paths, _ in series)):
        for k, (_, paths, _) in enumerate(series):
            if i >= len(paths):
                continue
            t0 = time.perf_counter()
            conns[k].request("GET", paths[i], headers={"Cookie": cookies[k]} if cookies[k] else {})
            response = conns[k].getresponse()
            response.read()
            out[k].append(time.perf_counter() - t0)
            cookies[k] = (response.getheader("Set-Cookie") or cookies[k]).split(";", 1)[0]
            if response.status != 200:
                raise SystemExit(f"GET {paths[i]}: {response.status}")
    for conn in conns:
        conn.close()
    return out


def summary(name: str, lat: list[float]) -> float:
    lat = sorted(lat)
    p50 = statistics.median(lat) * 1000
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
    print(f"{name:>24}: p50 {p50:.2f} ms, p99 {p99:.2f} ms over {len(lat)}")
    return p50


def session_cookie(port: int) -> str:
    """The session cookie a browser holds after opening the library page."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/")
    response = conn.getresponse()
    response.read()
    conn.close()
    return (response.getheader("Set-Cookie") or "").split(";", 1)[0]


def popup_and_memory(requests: int) -> None:
    from urllib.parse import quote

    data = Path(tempfile.mkdtemp(prefix="enface-bench-web-"))
    port, tport = free_port(), free_port()
    env = dict(os.environ, ENFACE_DATA_DIR=str(data), ENFACE_WORKER="0")
    server, started = start([sys.executable, "-m", "webapp.cli", "serve", "--port", str(port)],
                            port, env)
    trivial, _ = start([sys.executable, "-c", TRIVIAL, str(tport)], tport, env)
    try:
        timed_gets(port, ["/"])
        before = rss_mb(server.pid)
        t0 = time.perf_counter()
        timed_gets(port, [f"/words?q={quote('磋商')}"])
        print(f"server start {started:.2f} s; first lookup (builds the dictionary index): "
              f"{time.perf_counter() - t0:.2f} s")
        paths = [f"/words?q={quote(WORDS[i % len(WORDS)])}&document=1" for i in range(requests)]
        api = [f"/api/dictionary?q={quote(WORDS[i % len(WORDS)])}" for i in range(requests)]
        timed_gets(tport, ["/words"] * 20)
        cookie = session_cookie(port)
        trivial_lat, popup_lat, api_lat = interleaved(
            [(tport, ["/words"] * requests, ""), (port, paths, cookie), (port, api, cookie)])
        base = summary("trivial endpoint", trivial_lat)
        popup = summary("popup /words", popup_lat)
        summary("JSON /api/dictionary", api_lat)
        print(f"popup p50 / trivial p50: {popup / base:.2f}× (bar: 2×)")
        timed_gets(port, ["/documents/1"])
        after = rss_mb(server.pid)
        print(f"server RSS {before:.0f} MB before any reading aid → {after:.0f} MB after popups "
              f"and the marked reader: +{after - before:.0f} MB (bar: < 120 MB)")
    finally:
        for proc in (server, trivial):
            proc.terminate()
            proc.wait(timeout=10)


def big_article(blocks: int):
    from webapp.segmenting.article import Article, Block

    text = re.sub(r"<[^>]+>", "\n", next((ROOT / "seeds").iterdir()).read_text(encoding="utf-8"))
    lines = [ln.strip() for ln in text.splitlines() if re.search(r"[\u4e00-\u9fff]", ln)]
    paras = [lines[i % len(lines)] + lines[(i + 3) % len(lines)] for i in range(blocks - 1)]
    body = [Block("title", "两千段的文章"), *(Block("paragraph", p) for p in paras)]
    return Article("两千段的文章", body, "zh", "bench.txt", "\n".join(paras) + str(time.time()))


def reader_render(blocks: int) -> None:
    from webapp import create_app

    data = Path(tempfile.mkdtemp(prefix="enface-bench-reader-"))
    results = {}
    for marks in (False, True):
        app = create_app({"DATA_DIR": str(data), "SEED": False, "WORKER": False,
                          "WORD_MARKS": marks})
        library = app.extensions["library"]
        doc_id = library.documents.page()[0]["id"] if marks else library.documents.add(
            big_article(blocks))[0]
        client = app.test_client()
        t0 = time.perf_counter()
        first = client.get(f"/documents/{doc_id}")
        cold = time.perf_counter() - t0
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            client.get(f"/documents/{doc_id}")
            times.append(time.perf_counter() - t0)
        results[marks] = statistics.median(times)
        label = "with word marks" if marks else "without marks"
        print(f"reader, {blocks} blocks, {label:>15}: first {cold:.2f} s, then {results[marks]:.3f} s"
              f" (median of 5), {len(first.data) / 1e6:.1f} MB of HTML")
    print(f"marked / unmarked (warm): {results[True] / results[False]:.2f}× (bar: 1.5×)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--blocks", type=int, default=2000)
    args = parser.parse_args()
    print(cpu())
    popup_and_memory(args.requests)
    reader_render(args.blocks)


if __name__ == "__main__":
    main()
