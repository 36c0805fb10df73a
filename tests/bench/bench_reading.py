"""Benchmark: the reading aids on their own (no server).

Run ``python tests/bench/bench_reading.py`` from the checkout. Prints, in one run:

1. Dictionary index build time (CC-CEDICT → SQLite in a fresh data folder; the issue's bar is
   under 5 s) and the p50 of a lookup once built.
2. Word splitting of the seed article's sentences: first split (rjieba + contextual pinyin)
   against a cached split, per sentence.
3. Memory the reading aids add to a process (RSS before any of them loads and after the
   dictionary, the splitter, pypinyin and the HSK lists are in use; the bar is 120 MB),
   measured in a fresh subprocess so nothing else is counted.

Figures only; nothing here asserts on time.
"""

from __future__ import annotations

import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

_MEMORY = """
import sys, tempfile
sys.path.insert(0, sys.argv[1])
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
import webapp.reading as reading
before = rss()
aids = reading.aids_for(sys.argv[2])  # the index was built by the parent
aids.use_words(['帕特鲁舍夫'])
for line in sys.argv[3:]:
    aids.words(line)
aids.lookup('行'); aids.lookup('長江')
print(before, rss())
"""


def seed_sentences() -> list[str]:
    """Sentences (lines) of the seed article's text."""
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (ROOT / "seeds").iterdir()
                     if p.is_file())
    import re

    body = re.sub(r"<[^>]+>", "\n", text)
    return [s for s in re.split(r"[\n。！？]", body) if re.search(r"[\u4e00-\u9fff]", s)][:400]


def cpu() -> str:
    """The CPU model and its widest vector extension, for reading the figures."""
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((ln.split(":", 1)[1].strip() for ln in info.splitlines()
                  if ln.startswith("model name")), platform.processor())
    flags = next((ln.split(":", 1)[1].split() for ln in info.splitlines()
                  if ln.startswith("flags")), [])
    isa = next((f for f in ("avx512f", "avx2", "avx", "sse4_2") if f in flags), "")
    return f"CPU: {platform.machine()} {model} ({isa})"


def main() -> None:
    from webapp.reading import ReadingAids

    print(cpu())
    data = Path(tempfile.mkdtemp(prefix="enface-bench-reading-"))
    aids = ReadingAids(data)
    start = time.perf_counter()
    aids.lookup("磋商")
    print(f"index build + first lookup: {time.perf_counter() - start:.2f} s (bar: < 5 s)")
    words = ["磋商", "行", "长江", "銀行", "帕特鲁舍夫", "中华人民共和国", "的", "表示", "战略",
             "安全", "俄罗斯", "美国", "联盟", "会谈", "学者", "关系", "合作", "国家", "西方"]
    first, again = [], []
    for word in words:
        t = time.perf_counter()
        aids.lookup(word)
        first.append(time.perf_counter() - t)
        t = time.perf_counter()
        aids.lookup(word)
        again.append(time.perf_counter() - t)
    print(f"lookup p50: first {statistics.median(first) * 1e3:.3f} ms, cached "
          f"{statistics.median(again) * 1e3:.4f} ms ({len(words)} words)")

    sentences = seed_sentences()
    t = time.perf_counter()
    for s in sentences:
        aids.words(s)
    first = time.perf_counter() - t
    t = time.perf_counter()
    for s in sentences:
        aids.words(s)
    cached = time.perf_counter() - t
    n = max(1, len(sentences))
    print(f"split {n} sentences: first {first / n * 1e3:.3f} ms/sentence (incl. loading rjieba "
          f"and pypinyin), cached {cached / n * 1e6:.2f} µs/sentence, ratio {first / max(cached, 1e-9):.0f}×")

    out = subprocess.run([sys.executable, "-c", _MEMORY, str(ROOT), str(data), *sentences[:200]],
                         capture_output=True, text=True, check=True).stdout.split()
    before, after = float(out[0]), float(out[1])
    print(f"memory: RSS {before:.0f} MB with the index open → {after:.0f} MB with every aid in use: "
          f"+{after - before:.0f} MB (bar: < 120 MB)")


if __name__ == "__main__":
    main()
