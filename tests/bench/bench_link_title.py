"""Benchmark: the envelope's ``[title](url)`` line on link-like runs (``"[a](" × n``).

Issue 22 found an import of such a line growing far faster than its size (19.7 s for 100 KB).
The cause was the pattern that read the seed envelope's title line: on ``[a](`` runs it
backtracks in cubic time. Run ``python tests/bench/bench_link_title.py`` from the checkout: it
times that pattern (copied here as the baseline) against ``link_title``'s one scan on the same
lines, then a whole ``load_bytes`` of a 100 KB envelope. Prints figures; asserts nothing.
"""

from __future__ import annotations

import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from webapp.importing import load_bytes  # noqa: E402
from webapp.importing.readers.envelope import link_title  # noqa: E402

#: The pattern used before (baseline only).
BEFORE = re.compile(r"\A\[(?P<title>.*)\]\((?P<url>[^\s)]*(?:\([^\s)]*\)[^\s)]*)*)\)\Z")


def seconds(function, line: str) -> float:
    """Best of three wall times of ``function(line)``."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        function(line)
        best = min(best, time.perf_counter() - started)
    return best


def cpu() -> str:
    """The processor's model name and architecture."""
    try:
        info = Path("/proc/cpuinfo").read_text()
        name = next(line.split(":", 1)[1].strip() for line in info.splitlines()
                    if line.startswith("model name"))
    except (OSError, StopIteration):
        name = platform.processor()
    return f"{name} ({platform.machine()})"


def main() -> None:
    """Print the baseline and the scan side by side, then the whole import."""
    print(f"CPU: {cpu()}")
    shapes = (('"[a](" × n', lambda n: "[a](" * n),
              ('"[a](" × n + "u)"', lambda n: "[a](" * n + "u)"))
    for label, make in shapes:
        print(f"\n{label}")
        print(f"{'repeats':>8} {'bytes':>9} {'pattern before':>15} {'scan':>11} {'ratio':>11}")
        for repeats in (250, 500, 1000, 1500, 25_000, 250_000):
            line = make(repeats)
            after = seconds(link_title, line)
            if repeats <= 1500:
                before = seconds(BEFORE.match, line)
                print(f"{repeats:8,} {len(line):9,} {before:14.3f}s {after * 1e6:9.1f}µs "
                      f"{before / after:10,.0f}×")
            else:
                print(f"{repeats:8,} {len(line):9,} {'(not run)':>15} {after * 1e6:9.1f}µs")
    data = b"<!--1622054989000-->\n" + b"[a](" * 25_000 + b"\n---\n<p>\xe6\xad\xa3\xe6\x96\x87</p>"
    started = time.perf_counter()
    load_bytes(data, "a.txt")
    print(f"load_bytes of a 100 KB envelope with that title line: "
          f"{time.perf_counter() - started:.3f} s (issue 22: 19.7 s before)")


if __name__ == "__main__":
    main()
