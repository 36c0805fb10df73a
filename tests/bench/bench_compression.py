"""Benchmark: bytes over the wire for the 2,000-block reader page, compressed and not.

Run ``python tests/bench/bench_compression.py [--blocks 2000]`` from the checkout. It builds a
library with one article of that many blocks, translates it with the tiny real test model
(``tests/argos_testmodel.py``, built to give English that differs from its source), starts the
real server (``enface serve``, waitress) and reads ``/documents/<id>`` over a socket three ways,
in the same run:

* ``identity``: no ``Accept-Encoding`` (what every page was sent as before compression);
* ``gzip, deflate``: what Chromium sends over plain HTTP (loopback);
* ``gzip, deflate, br, zstd``: what Chromium sends over HTTPS.

For each it prints the bytes received (headers and body), the server's time to first byte
(median of 5) and the ratio to ``identity`` (the issue's bar: 4× smaller). The CSS and JS the
page loads are measured the same way. Figures only; nothing here asserts.
"""

from __future__ import annotations

import argparse
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

from bench_reading import cpu  # noqa: E402
from bench_reading_web import big_article, free_port  # noqa: E402

ENCODINGS = {"identity": None, "HTTP (gzip, deflate)": "gzip, deflate",
             "HTTPS (gzip, deflate, br, zstd)": "gzip, deflate, br, zstd"}


def fetch(port: int, path: str, encoding: str | None) -> tuple[int, float, str]:
    """One GET over a fresh socket: (bytes received, seconds to the first byte, encoding)."""
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    if encoding:
        lines.append(f"Accept-Encoding: {encoding}")
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        t0 = time.perf_counter()
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        chunks = [sock.recv(65536)]
        first = time.perf_counter() - t0
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    used = next((line.split(":", 1)[1].strip() for line in head.splitlines()
                 if line.startswith("content-encoding:")), "identity")
    return len(raw), first, used


def build_library(data: Path, blocks: int) -> int:
    """The library with the big article, translated by the test model; its document id."""
    os.environ["ENFACE_DATA_DIR"] = str(data)
    from argos_testmodel import install_test_model

    from webapp import create_app
    from webapp.actions.translate import queue_translation, translate_document

    app = create_app({"DATA_DIR": str(data), "SEED": False, "WORKER": False})
    install_test_model("zh", "en", copy=False)
    library = app.extensions["library"]
    doc_id = library.documents.add(big_article(blocks))[0]
    queue_translation(library, doc_id)
    t0 = time.perf_counter()
    stored = translate_document(library, doc_id)
    print(f"article: {blocks} blocks, {stored} sentences translated by the test model "
          f"in {time.perf_counter() - t0:.1f} s")
    library.close()
    return doc_id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--blocks", type=int, default=2000)
    args = parser.parse_args()
    print(cpu())
    data = Path(tempfile.mkdtemp(prefix="enface-bench-gzip-"))
    argos = data / "argos"
    os.environ["ARGOS_PACKAGES_DIR"] = str(argos / "packages")
    for name in ("DATA", "CACHE", "CONFIG"):
        os.environ[f"XDG_{name}_HOME"] = str(argos / name.lower())
    doc_id = build_library(data, args.blocks)
    port = free_port()
    env = dict(os.environ, ENFACE_WORKER="0", ENFACE_SEED="0")
    server = subprocess.Popen(
        [sys.executable, "-m", "webapp.cli", "--data-dir", str(data), "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                fetch(port, "/healthz", None)
                break
            except OSError:
                time.sleep(0.1)
        for path in (f"/documents/{doc_id}", "/static/css/enface.css", "/static/js/enface.js",
                     "/static/js/reading.js"):
            fetch(port, path, None)  # warm: the first render splits every sentence into words
            base = None
            for label, encoding in ENCODINGS.items():
                runs = [fetch(port, path, encoding) for _ in range(5)]
                size, used = runs[0][0], runs[0][2]
                ttfb = statistics.median(r[1] for r in runs)
                base = base or size
                print(f"{path:<28} {label:<32} {size / 1024:>9.1f} KB  {used:<8} "
                      f"first byte {ttfb * 1000:>6.0f} ms  {base / size:>5.1f}× smaller")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
