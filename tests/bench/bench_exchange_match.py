"""Benchmark: which document a TMX/XLIFF file without a document id belongs to.

Run ``python tests/bench/bench_exchange_match.py [--documents 1200]`` from the checkout. Builds a
library of documents of 40 sentences each, then times finding the best-matching document for a
file of one document's sentences: the old way (every document loaded as JSON, sources compared
in Python) against ``Library.best_document_for`` (one SQL query), best of 3, and checks both pick
the same document. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import make_article  # noqa: E402

from webapp.storage import Library  # noqa: E402


def loading_every_document(library: Library, sources: set[str]) -> int | None:
    """The old lookup: every document's JSON loaded, units compared in Python."""
    best, best_hits = None, 0
    for summary in library.documents.page():
        doc = library.documents.tree(summary["id"])
        hits = sum(" ".join(u["source"].split()) in sources
                   for s in doc["segments"] for u in s["units"])
        if hits > best_hits:
            best, best_hits = doc["id"], hits
    return best


def best_of(runs: int, work) -> tuple[float, object]:  # noqa: ANN001 - any callable
    """Best wall time of ``runs`` calls and the result."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    """Build the library, time both lookups, print the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1200)
    count = parser.parse_args().documents
    library = Library(Path(tempfile.mkdtemp(prefix="enface-bench-")) / "library.db")
    for n in range(count):
        sentences = [f"第{n}篇文章的第{i}句话，内容是{(n * 7 + i) % 97}。" for i in range(40)]
        library.documents.add(make_article(*("".join(sentences[j:j + 4])
                                           for j in range(0, 40, 4)), title=f"文章{n}"))
    target = library.documents.page()[count // 2]["id"]
    sources = {u["source"] for s in library.documents.tree(target)["segments"] for u in s["units"]}
    old, found_old = best_of(3, lambda: loading_every_document(library, sources))
    new, found_new = best_of(3, lambda: library.documents.best_for_sources(sources))
    print(f"{count} documents, {len(sources)} sources in the file")
    print(f"  every document loaded: {old * 1000:8.1f} ms  -> document {found_old}")
    print(f"  one SQL query:         {new * 1000:8.1f} ms  -> document {found_new}")
    print(f"  {old / new:.0f}x faster; same document: {found_old == found_new == target}")


if __name__ == "__main__":
    main()
