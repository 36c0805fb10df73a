"""Benchmark: importing every sample, a big envelope, a deep page and a local URL.

Run ``python tests/bench/bench_importing.py`` from the checkout. For each sample article and page
prints the best of five import times, then the time for a 2 MB seed-envelope article built from
the WMT21 sentences, a 100,000-deep nested ``<div>`` page, charset detection of 1 MB of
undeclared GBK, and a 2 MB page fetched from a local server. Prints figures; asserts nothing.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from webapp.errors import ImportFailed  # noqa: E402
from webapp.importing import fetch_url, load_bytes, load_path  # noqa: E402
from webapp.importing.charset import decode  # noqa: E402

SAMPLES = ROOT / "tests" / "fixtures" / "samples"


def best_of(runs: int, work: Callable[[], object]) -> tuple[float, object]:
    """Best wall time of ``runs`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        try:
            result = work()
        except ImportFailed as exc:
            result = exc
        best = min(best, time.perf_counter() - started)
    return best, result


def samples() -> None:
    pages = ROOT / "tests" / "fixtures" / "pages"  # the samples' ten whole pages live there
    files = [*sorted((SAMPLES / "articles").iterdir()),
             *sorted(p for p in pages.glob("*.html")
                     if p.name.startswith(("goose3_", "readability_", "trafilatura_")))]
    for path in files:
        seconds, article = best_of(5, lambda p=path: load_path(p))
        blocks = len(article.blocks) if hasattr(article, "blocks") else article
        print(f"{seconds * 1000:8.1f} ms  {path.stat().st_size / 1024:7.1f} KB  "
              f"{blocks!s:>4} blocks  {path.parent.name}/{path.name}")


def big_envelope() -> bytes:
    sentences = (SAMPLES / "parallel" / "newstest2021_zh-en_first475.zh").read_text().splitlines()
    paragraphs = []
    while sum(map(len, paragraphs)) < 700_000:  # characters: about 2 MB of UTF-8
        paragraphs += [f"<p>{s}</p>" for s in sentences]
    body = "".join(paragraphs)
    return f"<!--1622054989000-->\n[长文](https://example.org/long)\n------\n{body}\n".encode()


def serve(body: bytes) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/page.html"


def main() -> None:
    samples()
    envelope = big_envelope()
    seconds, article = best_of(3, lambda: load_bytes(envelope, "long.txt"))
    print(f"{seconds * 1000:8.1f} ms  {len(envelope) / 1e6:.1f} MB envelope, "
          f"{len(article.blocks)} blocks")
    depth = 100_000
    deep = ("<html><body>" + "<div>" * depth + "<p>深处。</p>" + "</div>" * depth
            + "</body></html>").encode()
    seconds, result = best_of(1, lambda: load_bytes(deep, "deep.html"))
    print(f"{seconds * 1000:8.1f} ms  {depth:,}-deep page -> {type(result).__name__}")
    gbk = ("这是一段没有声明编码的简体中文文本，用来测量字符集检测的速度。" * 12_000).encode("gbk")
    seconds, (_, codec) = best_of(3, lambda: decode(gbk, "gbk.txt"))
    print(f"{seconds * 1000:8.1f} ms  charset detection of {len(gbk) / 1e6:.1f} MB -> {codec}")
    page = b"<html><head><title>t</title></head><body><article>" + envelope.split(b"------\n")[1] \
        + b"</article></body></html>"
    httpd, url = serve(page)
    try:
        seconds, article = best_of(3, lambda: fetch_url(url, allow_private=True))
        print(f"{seconds * 1000:8.1f} ms  fetch + import of a {len(page) / 1e6:.1f} MB page, "
              f"{len(article.blocks)} blocks")
    finally:
        httpd.shutdown()
        httpd.server_close()


if __name__ == "__main__":
    main()
