"""Benchmark: importer speed in seconds per MB, real pages against dense and hostile shapes.

Run ``python tests/bench/bench_hostile_speed.py [--only SUBSTRING] [--profile NAME]`` from the
checkout. Times ``load_bytes`` once per input (the real pages in tests/fixtures/pages, then
synthetic pages: many small tags, nesting just under the cap,
long attribute runs, a huge table, 9 MB Markdown lists, long lines), in CPU seconds per MB
(``time.process_time``: robust to other load on the machine) and wall seconds per MB, with the
load average before and after. Prints every input, then the slowest 10 by CPU s/MB; an input
refused with a clear error counts as refused (its time still counts). ``--profile`` prints the
cProfile top 25 for the inputs whose name contains NAME. Asserts nothing (issue 13's target:
no input over ~2 s/MB).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from webapp.errors import EnfaceError  # noqa: E402
from webapp.importing import load_bytes  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
_PAGE = "<!DOCTYPE html><html><head><title>标题</title></head><body>{}</body></html>"
_SENTENCE = "国家统计局今天发布了最新的经济数据，显示消费市场继续回暖。"


def real_pages() -> Iterator[tuple[str, bytes]]:
    """The saved news pages the golden tests import."""
    for path in sorted((FIXTURES / "pages").glob("*.htm*")):
        yield str(path.relative_to(FIXTURES)), path.read_bytes()


def synthetic() -> Iterator[tuple[str, bytes]]:
    """Dense and long shapes no real article has, each as a whole page or a file of its kind."""
    page = _PAGE.format
    yield "tags-30k-b.html", page("<b>x</b>" * 30_000).encode()
    yield "tags-30k-p.html", page("<p>字</p>" * 30_000).encode()
    yield "tags-39k-span.html", page("<span>一</span>" * 39_000).encode()
    yield "tags-30k-p-sentences.html", page(f"<p>{_SENTENCE}</p>" * 30_000).encode()
    yield "nest-19k.html", page("<div>" * 19_000 + _SENTENCE + "</div>" * 19_000).encode()
    yield "nest-19k-b.html", page("<b>" * 19_000 + _SENTENCE + "</b>" * 19_000).encode()
    attrs = " ".join(f'data-a{i}="{i}"' for i in range(20_000))
    yield "attrs-20k.html", page(f"<p {attrs}>{_SENTENCE}</p>" * 3).encode()
    yield "attr-long-1mb.html", page(f'<p title="{"x" * 1_000_000}">{_SENTENCE}</p>').encode()
    row = "<tr>" + "<td>数据</td>" * 150 + "</tr>"
    yield "table-200x150.html", page("<table>" + row * 200 + "</table>").encode()
    yield "article-2mb.html", page(f"<p>{_SENTENCE * 10}</p>" * 3_500).encode()
    yield "fragment-30k-p.html", ("<p>字</p>" * 30_000).encode()
    yield "list-9mb.md", ("# 标题\n\n" + f"- {_SENTENCE}\n" * 100_000).encode()
    yield "list-9mb-short.md", ("# 标题\n\n" + "- 一\n" * 1_500_000).encode()
    yield "list-nested.md", ("# 标题\n\n" + "".join(
        "  " * (i % 30) + f"- {_SENTENCE}\n" for i in range(60_000))).encode()
    yield "brackets-1mb.md", ("# 标题\n\n" + "[" * 500_000 + "]" * 500_000).encode()
    yield "line-5mb.txt", ("标题\n\n" + _SENTENCE * 55_000).encode()
    yield "line-5mb.md", ("# 标题\n\n" + _SENTENCE * 55_000).encode()
    yield "line-5mb-nopunct.txt", ("标题\n\n" + "字" * 1_700_000).encode()
    yield "h1-spaces.md", ("# 标题" + " " * 2_000_000 + "\n\n正文。").encode()
    yield "decorated-h2.html", page("<h2>标题" + " -" * 500_000 + "</h2><p>正文。</p>").encode()


def timed(name: str, data: bytes) -> tuple[float, float, str]:
    """CPU and wall seconds of one import, and its outcome."""
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        load_bytes(data, name)
        outcome = "imported"
    except EnfaceError as exc:
        outcome = f"refused: {str(exc)[:70]}"
    return time.process_time() - cpu, time.perf_counter() - wall, outcome


def main() -> None:
    """Time every input, print the table and the slowest 10."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="time only inputs whose name contains this")
    parser.add_argument("--profile", default=None, help="cProfile inputs whose name contains this")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    # One-time costs, not per MB: the first dated page loads dateparser's locales, and the first
    # page with a month-name cue loads htmldate's month-word table (every dateparser locale).
    cpu, wall, _ = timed("warm-up", (FIXTURES / "pages" / "gne_toutiao_4.html").read_bytes())
    print(f"warm-up import (one time per process): cpu {cpu:.2f} s, wall {wall:.2f} s")
    import htmldate.extractors

    started = time.process_time()
    htmldate.extractors.month_words()
    print(f"htmldate month-word table (one time per process): cpu "
          f"{time.process_time() - started:.2f} s")
    rows = []
    for name, data in [*real_pages(), *synthetic()]:
        if args.only not in name:
            continue
        if args.profile and args.profile in name:
            profile = cProfile.Profile()
            profile.runcall(timed, name, data)
            print(f"--- profile {name}")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        cpu, wall, outcome = timed(name, data)
        mb = len(data) / 1e6
        rows.append((cpu / mb, wall / mb, len(data), cpu, wall, name, outcome))
        print(f"{name:44} {len(data) / 1e3:9.0f} kB  cpu {cpu / mb:6.2f} s/MB  "
              f"wall {wall / mb:6.2f} s/MB  ({cpu:.2f} s)  {outcome}", flush=True)
    print(f"load average after: {os.getloadavg()}")
    print("\nslowest 10 by CPU s/MB:")
    for per_mb, wall_mb, size, cpu, _, name, outcome in sorted(rows, reverse=True)[:10]:
        print(f"  {per_mb:6.2f} cpu s/MB  {wall_mb:6.2f} wall s/MB  {size / 1e3:8.0f} kB  "
              f"{cpu:6.2f} s  {name}  {outcome[:40]}")
    worst = max(rows)[0] if rows else 0.0
    print(f"worst: {worst:.2f} CPU s/MB (target ~2)")


if __name__ == "__main__":
    main()
