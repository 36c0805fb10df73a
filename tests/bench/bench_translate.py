"""Benchmark: Argos's own per-paragraph translation against webapp.engine's batched one.

Run ``python tests/bench/bench_translate.py`` from the checkout. It builds a Transformer-base
sized model (6+6 layers, d_model 512, FFN 2048, 8 heads, 32k vocabulary, int8) wired to copy
its input, so every path decodes exactly as many tokens as the source has, at the real cost per
token, then translates the 475 WMT21 zh sentences (one story after another, paragraphs of a few
sentences) (a) with ``argostranslate.translate.translate()`` per paragraph at default settings
(its MiniSBD sentence splitter, which would download a model, is replaced by the known
sentence boundaries, which only favours it) and (b) with ``engine.translate_sentences``.
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOME = Path(tempfile.mkdtemp(prefix="enface-bench-argos-"))
os.environ.update(
    XDG_DATA_HOME=str(HOME / "data"),
    XDG_CACHE_HOME=str(HOME / "cache"),
    XDG_CONFIG_HOME=str(HOME / "config"),
    ARGOS_PACKAGES_DIR=str(HOME / "data" / "argos-translate" / "packages"),
)
# CT2_FORCE_CPU_ISA only reaches CTranslate2's own kernels; its GEMM library (oneDNN) takes the
# CPU's best unless ONEDNN_MAX_CPU_ISA says otherwise. To stand for a machine of that ISA both
# are capped (this process and the processes it starts).
LOWER = {"AVX2": "AVX2", "AVX": "AVX", "GENERIC": "SSE41"}
if os.environ.get("CT2_FORCE_CPU_ISA", "").upper() in LOWER:
    os.environ.setdefault("ONEDNN_MAX_CPU_ISA", LOWER[os.environ["CT2_FORCE_CPU_ISA"].upper()])
ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from argos_testmodel import SAMPLES  # noqa: E402

from webapp import engine  # noqa: E402

BASE = dict(layers=6, d_model=512, ffn=2048, heads=8, vocab_size=32000, quantization="int8")

PARALLEL = SAMPLES / "parallel" / "newstest2021_zh-en_first475"


def memory() -> str:
    """Peak and current resident set size of this process, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    status = Path("/proc/self/status").read_text()
    current = int(status.split("VmRSS:")[1].split()[0]) / 1024
    return f"peak RSS {peak:.0f} MB (current {current:.0f} MB)"


def build_model() -> Path:
    """Build the base-size copy model in a child process, so its numpy arrays stay out of ours.

    ``ENFACE_BENCH_MODEL`` names an archive built earlier (the build takes a while).
    """
    if os.environ.get("ENFACE_BENCH_MODEL"):
        return Path(os.environ["ENFACE_BENCH_MODEL"])
    code = (
        "import sys; from pathlib import Path; from argos_testmodel import build_package; "
        f"print(build_package(Path(sys.argv[1]), **{BASE!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(HOME / "build")],
        check=True, capture_output=True, text=True, cwd=ROOT / "tests",
    )
    return Path(done.stdout.strip().splitlines()[-1])


def installed_env(**extra: str) -> dict[str, str]:
    """The environment of a cold Enface process as an installed Enface starts: with its compiled
    bytecode (``pip install .`` writes it), even where this environment sets
    ``PYTHONDONTWRITEBYTECODE`` (every module of the checkout would be compiled from source on
    every start; run such a process once, uncounted, to write the bytecode)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | extra


def machine() -> str:
    """The CPU as the figures depend on it: the ISA CTranslate2 uses, cores and load."""
    from webapp.engine.inference import cpu_isa

    vendor = next((line.split(":", 1)[1].strip() for line in
                   Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("vendor_id")),
                  "unknown")
    return (f"CTranslate2 ISA {cpu_isa()} (CT2_FORCE_CPU_ISA="
            f"{os.environ.get('CT2_FORCE_CPU_ISA', 'unset')}, ONEDNN_MAX_CPU_ISA="
            f"{os.environ.get('ONEDNN_MAX_CPU_ISA', 'unset: the CPU best')}), {vendor}, "
            f"{os.cpu_count()} cpus, load average {os.getloadavg()[0]:.1f}")


def timed(fn) -> tuple[float, float, object]:
    """Wall seconds, process CPU seconds (all threads) and the result of fn()."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def paragraphs(per_paragraph: int) -> list[list[str]]:
    """The sample document as paragraphs: each story cut into runs of a few sentences."""
    lines = PARALLEL.with_suffix(".zh").read_text(encoding="utf-8").splitlines()
    starts = [
        int(row.split("\t")[0]) - 1
        for row in PARALLEL.with_suffix(".docstarts.tsv").read_text().splitlines()[1:]
    ]
    bounds = [*starts, len(lines)]
    result = []
    for begin, end in zip(bounds, bounds[1:], strict=False):
        story = lines[begin:end]
        result += [story[i : i + per_paragraph] for i in range(0, len(story), per_paragraph)]
    return result


def argos_translator(paras: list[list[str]]):
    """argostranslate.translate.translate, with the known sentence boundaries for MiniSBD's."""
    from argostranslate import sbd, translate

    known = {"".join(p): p for p in paras}

    class KnownSentences:
        def sentences(self, text: str) -> list[str]:
            return known[text]

    sbd.MiniSBDSentencizer.lazy_detector = lambda self: KnownSentences()
    return lambda paragraph: translate.translate(paragraph, "zh", "en")


def server_figures() -> None:
    """``enface serve``: time to its first answer, and its memory before and after a model loads."""
    import json
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = Path(tempfile.mkdtemp(prefix="enface-bench-data-"))
    for label, seeded in (("first start (imports seeds/)", False), ("later start", True)):
        env = dict(os.environ, ENFACE_DATA_DIR=str(data))
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "webapp.cli", "serve", "--port", str(port)],
                                env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.005)
        first = time.perf_counter() - started

        def rss(pid: int = proc.pid) -> str:
            status = Path(f"/proc/{pid}/status").read_text()
            now, peak = (int(status.split(k)[1].split()[0]) // 1024 for k in ("VmRSS:", "VmHWM:"))
            return f"RSS {now} MB (peak {peak} MB)"

        urllib.request.urlopen(base + "/documents/1").read()
        print(f"server {label}: first answer in {first:.2f} s; before a model loads: {rss()}")
        if seeded:
            request = urllib.request.Request(base + "/api/documents/1/translate", data=b"{}",
                                             headers={"Content-Type": "application/json"})
            job = json.load(urllib.request.urlopen(request))["job"]
            while json.load(urllib.request.urlopen(f"{base}/api/jobs/{job}"))["status"] in (
                    "queued", "running"):
                time.sleep(0.1)
            print(f"server after translating the seed article (model loaded): {rss()}")
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    """Build the model, run both paths and print sentences/second, the ratio and peak RSS."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-paragraph", type=int, default=3)
    parser.add_argument("--batch-tokens", type=int, nargs="+", default=[engine.DEFAULT_BATCH_TOKENS])
    parser.add_argument("--threads", nargs="+", default=["2x1", "1x2"], help="INTERxINTRA")
    parser.add_argument("--sentences", type=int, default=0, help="only the first N (0: all)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each engine setting")
    parser.add_argument("--skip-argos", action="store_true")
    parser.add_argument("--skip-server", action="store_true")
    args = parser.parse_args()

    paras = paragraphs(args.per_paragraph)
    if args.sentences:
        kept, count = [], 0
        for p in paras:
            if count >= args.sentences:
                break
            kept.append(p[: args.sentences - count])
            count += len(kept[-1])
        paras = kept
    texts = ["".join(p) for p in paras]
    sentences = [s for p in paras for s in p]
    print(f"document: {len(sentences)} sentences in {len(paras)} paragraphs; {machine()}")
    started = time.perf_counter()
    model = engine.install_file(build_model())
    print(f"model built and installed in {time.perf_counter() - started:.1f} s "
          f"({model.size_bytes / 1e6:.0f} MB on disk)")
    translate = argos_translator(paras)
    if not args.skip_server:
        server_figures()
    print(f"before the model loads: {memory()}")
    engine.translate_sentences(sentences[:1], model)
    print(f"after the engine loaded it: {memory()}")

    base = None
    if not args.skip_argos:
        translate(texts[0])  # argos loads its own Translator
        print(f"after argostranslate loaded its own copy: {memory()}")
        wall, cpu, out = timed(lambda: [translate(t) for t in texts])
        base = len(sentences) / wall
        # Argos decodes a paragraph's sentences as one token stream: a space joins them.
        copied = sum(a.replace(" ", "") == b.replace(" ", "") for a, b in zip(out, texts, strict=True))
        print(f"(a) argostranslate per paragraph: {wall:6.1f} s wall {cpu:6.1f} s cpu "
              f"{base:6.1f} sent/s  (copied {copied}/{len(texts)} paragraphs)")

    for threads in args.threads:
        inter, intra = (int(x) for x in threads.split("x"))
        engine.configure(inter_threads=inter, intra_threads=intra)
        engine.translate_sentences(sentences[:1], model)
        for batch_tokens in [n for n in args.batch_tokens for _ in range(args.repeat)]:
            wall, cpu, out = timed(
                lambda n=batch_tokens: engine.translate_sentences(sentences, model, batch_tokens=n)
            )
            rate = len(sentences) / wall
            ratio = f"  (b)/(a) = {rate / base:4.1f}x" if base else ""
            copied = sum(a == b for a, b in zip(out, sentences, strict=True))
            print(f"(b) engine {inter}x{intra} threads, {batch_tokens:5d} tokens/batch: "
                  f"{wall:6.1f} s wall {cpu:6.1f} s cpu {rate:6.1f} sent/s{ratio}  "
                  f"(copied {copied}/{len(sentences)})")
    print(f"at the end: {memory()}")


if __name__ == "__main__":
    main()
