"""Benchmark: importing a book. An EPUB of 300 chapters and about 2 MB (WMT21 news sentences,
shuffled, a note and a list in every chapter) is read, stored in a fresh library, and exported
back as a bilingual EPUB; baselines in the same run: ebooklib's own read of the file, and the
same text imported as one plain-text file. Issue 23's target: the 2 MB book imported in < 10 s.

Run: python tests/bench/bench_books.py [--chapters 300] [--megabytes 2]   (prints; asserts nothing)
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from book_files import chapter, epub  # noqa: E402

from webapp.actions.imports import import_bytes  # noqa: E402
from webapp.exports import export_document  # noqa: E402
from webapp.importing import load_bytes  # noqa: E402
from webapp.storage import Library  # noqa: E402

WMT = ROOT / "tests" / "fixtures" / "samples" / "parallel" / "newstest2021_zh-en_first475.zh"


def cpu() -> str:
    """The processor's model name and its widest vector extension."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines()
                 if line.startswith("model name")), platform.machine())
    flags = next((line.split(":", 1)[1].split() for line in info.splitlines()
                  if line.startswith("flags")), [])
    isa = next((isa for isa, flag in (("AVX-512", "avx512f"), ("AVX2", "avx2"), ("SSE4.1", "sse4_1"))
                if flag in flags), "baseline")
    return f"{name}, {isa}, {os.cpu_count()} cores"


def make_book(chapters: int, megabytes: float) -> tuple[bytes, str]:
    """(the EPUB, its text as plain text): ``chapters`` chapters grown until the file is about
    ``megabytes`` MB."""
    sentences = [s.strip() for s in WMT.read_text(encoding="utf-8").splitlines() if s.strip()]
    rng = random.Random(23)
    per_chapter = 20
    while True:
        parts, text = [], []
        for number in range(1, chapters + 1):
            paragraphs = ["".join(rng.sample(sentences, 3)) for _ in range(per_chapter)]
            extra = (f'<p>注<a epub:type="noteref" href="#n{number}">1</a>。</p>'
                     f'<aside epub:type="footnote" id="n{number}"><p>1 注释{number}。</p></aside>'
                     "<ul><li>第一项</li><li>第二项</li></ul>")
            parts.append((f"第{number}章", chapter(f"第{number}章", paragraphs, extra)))
            text += [f"第{number}章", *paragraphs]
        data = epub(parts, title="基准之书")
        if len(data) >= megabytes * 1024 * 1024:
            return data, "\n\n".join(text)
        per_chapter = int(per_chapter * megabytes * 1024 * 1024 / len(data)) + 1


def timed(function):  # noqa: ANN001, ANN201 - any call
    """(result, wall seconds, CPU seconds)."""
    wall, cpu_time = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu_time


def main() -> None:
    """Build the book, time each step, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--chapters", type=int, default=300)
    parser.add_argument("--megabytes", type=float, default=2.0)
    args = parser.parse_args()
    data, text = make_book(args.chapters, args.megabytes)
    print(f"CPU: {cpu()}; load average {os.getloadavg()[0]:.2f}")
    print(f"book: {args.chapters} chapters, {len(data) / 1024 / 1024:.2f} MB EPUB, "
          f"{len(text):,} characters of text")
    from ebooklib import epub as ebooklib_epub

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, ebook_wall, _ = timed(lambda: ebooklib_epub.read_epub(io.BytesIO(data)))
    article, read_wall, read_cpu = timed(lambda: load_bytes(data, "book.epub",
                                                            max_bytes=50 * 1024 * 1024))
    _, text_wall, _ = timed(lambda: load_bytes(text.encode(), "book.txt",
                                               max_bytes=50 * 1024 * 1024))
    units = sum(len(article.sentences(block)) for block in article.blocks)
    with tempfile.TemporaryDirectory() as folder:
        library = Library(Path(folder) / "library.sqlite3")
        [result], import_wall, import_cpu = timed(lambda: import_bytes(
            library, data, "book.epub", max_bytes=50 * 1024 * 1024))
        doc = library.documents.tree(result.doc_id)
        exported, export_wall, _ = timed(lambda: export_document(doc, "epub"))
        library.close()
    print(f"ebooklib's own read of the file (baseline) {ebook_wall:7.2f} s")
    print(f"read as an article (blocks, chapters)       {read_wall:7.2f} s wall, {read_cpu:.2f} s "
          f"CPU; {len(article.blocks):,} blocks, {article.meta['chapters']} chapters; "
          f"{read_wall / ebook_wall:.1f}x ebooklib's read")
    print(f"the same text as one plain-text file       {text_wall:7.2f} s "
          f"(the EPUB read is {read_wall / text_wall:.2f}x that)")
    print(f"imported into a library (read + store)     {import_wall:7.2f} s wall, "
          f"{import_cpu:.2f} s CPU; {units:,} sentences stored (target: < 10 s)")
    print(f"exported back as a bilingual EPUB          {export_wall:7.2f} s, "
          f"{len(exported) / 1024 / 1024:.2f} MB")


if __name__ == "__main__":
    main()
