"""Benchmark: alignment data for a sentence (score, word probabilities, word alignment).

Run ``python tests/bench/bench_alignment.py [--sentences 100]``. It builds an Argos package of
the size of Argos's zh→en model (6+6 layers, d_model 512, FFN 2048, 8 heads, 32k vocabulary,
int8: the copying test model of tests/argos_testmodel.py at that size, so the arithmetic is a
real model's) and, for WMT21 sentences and the model's own English, prints per sentence
(median of the sentences, each alone as the reader's hover would ask for it):

1. ``engine.analyse`` of one sentence (score_batch + forced decoding with attention);
2. ``engine.score`` of one sentence (score_batch only);
3. the baseline, measured in the same run: ``engine.translate_sentences`` of the same sentence
   (what producing the English costs);

and ``analyse`` of all of them in one call (the check job's case), per sentence; what attention
costs when it is asked for while translating (CTranslate2 beam search as inference runs it,
with and without ``return_attention``); and the translation job's whole path in batches: plain,
with ``alignment=True`` (attention turned into word links), and with the judgement of each
batch (``engine.judge``: one score_batch pass) — what the worker now does.
Goal of issue 18: alignment data for a sentence under 20 ms. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
HOME = Path(tempfile.mkdtemp(prefix="enface-bench-align-"))
os.environ["ARGOS_PACKAGES_DIR"] = str(HOME / "packages")

from argos_testmodel import SAMPLES, build_package  # noqa: E402

from webapp import engine  # noqa: E402
from webapp.engine.inference import cpu_isa  # noqa: E402

BASE = dict(layers=6, d_model=512, ffn=2048, heads=8, vocab_size=32000, quantization="int8")


def timed(work, *args) -> float:
    started = time.perf_counter()
    work(*args)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=100)
    args = parser.parse_args()
    from argostranslate import settings

    settings.package_data_dir = HOME / "packages"
    settings.package_dirs = [HOME / "packages"]
    engine.configure(inter_threads=1, intra_threads=1)  # per-sentence figures on one thread
    model = engine.install_file(build_package(HOME / "build", **BASE))
    lines = (SAMPLES / "parallel" / "newstest2021_zh-en_first475.zh").read_text(
        encoding="utf-8").splitlines()[:args.sentences]
    outputs = engine.translate_sentences(lines, model)
    pairs = list(zip(lines, outputs, strict=True))
    engine.analyse(pairs[:1], model)  # warm up
    figures = {"analyse (alignment data)": [], "score only": [], "translate (baseline)": []}
    for pair in pairs:
        figures["analyse (alignment data)"].append(timed(engine.analyse, [pair], model))
        figures["score only"].append(timed(engine.score, [pair], model))
        figures["translate (baseline)"].append(timed(engine.translate_sentences, [pair[0]], model))
    batch = timed(engine.analyse, pairs, model) / len(pairs)
    from webapp.engine.inference import _load, _options

    loaded = _load(model)
    tokens = [loaded.tokenizer.encode(s) for s in lines]
    options = _options(loaded, 1, 1, 1024)
    def translate(x: list[str], attention: bool) -> None:
        loaded.translator.translate_batch([x], return_attention=attention, **options)

    plain = statistics.median(timed(translate, x, False) for x in tokens)
    attention = statistics.median(timed(translate, x, True) for x in tokens)
    chars = statistics.mean(len(s) for s in lines)
    print(f"{len(pairs)} WMT21 sentences ({chars:.0f} characters on average), base-size int8 "
          f"model, {cpu_isa()}, 1 thread")
    for name, values in figures.items():
        print(f"  {name:26} median {statistics.median(values) * 1000:6.1f} ms, "
              f"p90 {sorted(values)[int(len(values) * 0.9)] * 1000:6.1f} ms a sentence")
    ratio = statistics.median(figures["analyse (alignment data)"]) / statistics.median(
        figures["translate (baseline)"])
    print(f"  analyse costs {ratio:.2f}x a translation of the sentence; goal: under 20 ms")
    print(f"  analyse of all {len(pairs)} in one call: {batch * 1000:.1f} ms a sentence")
    print(f"  translating with attention: {attention * 1000:.1f} ms against {plain * 1000:.1f} ms "
          f"without (+{(attention - plain) * 1000:.1f} ms, {attention / plain:.2f}x) a sentence")
    worker(lines, model)


def worker(lines: list[str], model) -> None:
    """The worker's whole path, batched as a translation job runs: ``translate_sentences``
    plain, against the same with ``alignment=True`` (beam search attention turned into word
    links) and against that plus ``judge`` (one score_batch pass: scores and word
    probabilities) of every batch; run in turn, median of 3."""
    got: list = []

    def keep(indices, texts, links=None) -> None:
        got.append(links)

    def plain() -> None:
        engine.translate_sentences(lines, model, on_batch=keep)

    def aligned() -> None:
        engine.translate_sentences(lines, model, on_batch=keep, alignment=True)

    def judged() -> None:
        outputs = engine.translate_sentences(lines, model, alignment=True, on_batch=keep)
        engine.judge(list(zip(lines, outputs, strict=True)), model)

    times: dict[str, list[float]] = {"plain": [], "aligned": [], "judged": []}
    for _ in range(3):
        for name, work in (("plain", plain), ("aligned", aligned), ("judged", judged)):
            times[name].append(timed(work))
    base, with_links, with_judge = (statistics.median(times[k]) for k in times)
    n = len(lines)
    print(f"  the worker's path, {n} sentences in batches of 1,024 tokens, 1 thread:")
    print(f"    translate {base:.2f} s ({base / n * 1000:.0f} ms a sentence); with attention and "
          f"word links {with_links:.2f} s (+{(with_links / base - 1) * 100:.0f}%); with the judgement "
          f"too {with_judge:.2f} s (+{(with_judge / base - 1) * 100:.0f}%)")


if __name__ == "__main__":
    main()
