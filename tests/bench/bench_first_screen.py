"""Benchmark: time to the first screen, reading order against length order, whole processes.

Run ``python tests/bench/bench_first_screen.py`` from the checkout, once per instruction set:
``CT2_FORCE_CPU_ISA=AVX2`` (most laptops), ``GENERIC`` (no AVX), ``AVX512`` or unset (what
CTranslate2 picks: AVX-512 on Intel only); a forced lower ISA also caps oneDNN's GEMMs with
``ONEDNN_MAX_CPU_ISA`` (see ``bench_translate.py``), for both sides of every comparison. It
uses the base-size copy model of ``bench_translate.py`` (``ENFACE_BENCH_MODEL=PATH`` reuses one
built earlier) and prints, each measured ``--repeat`` times (median, min–max: the noise):

1. time to the first screen (title and first 3 blocks stored) on articles of 30, 300 and 1,000
   sentences, and the total time of a 300-sentence job in reading order and in today's length
   order (run alternately);
2. where the time goes in a job (tokenising, storing batches, the planner, decoding);
3. whole processes, cold: ``enface translate ID`` against a script that calls
   ``argostranslate.translate.translate()`` per paragraph, on 120 WMT sentences, outputs compared
   (``--no-argos``: ours alone). The processes may keep their compiled bytecode (``__pycache__``),
   as an installed Enface has it (``pip install .`` compiles it), even where the environment sets
   ``PYTHONDONTWRITEBYTECODE``; a first run, not counted, writes it.

Each job starts on an idle engine: a job stopped at its first screen returns at once, but the
batches it had in flight decode on (CTranslate2 cannot cancel them), and the next job's first
batch would wait 2–3 s behind them — a figure of the benchmark, not of a first screen.

``--without-judgement`` switches off, in every job and process, what issue 18 added to a
translation job (the model's judgement of each sentence, the checks, the attention kept for word
alignment): the work a checkout from before it did, to compare the storage and queue alone with
one (``python tests/bench/bench_first_screen.py`` run in that checkout).

Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_translate import PARALLEL, ROOT, build_model, installed_env, machine  # noqa: E402

from webapp import engine  # noqa: E402
from webapp.actions import translate as translating  # noqa: E402
from webapp.segmenting.article import Article, Block  # noqa: E402
from webapp.storage import Library  # noqa: E402

FIRST = 4  # the title and the first 3 blocks


def wmt_lines() -> list[str]:
    return PARALLEL.with_suffix(".zh").read_text(encoding="utf-8").splitlines()


def article(count: int, per_paragraph: int = 3) -> Article:
    """An article of ``count`` distinct WMT sentences (repeats numbered), a title, paragraphs."""
    lines = wmt_lines()
    picked = [lines[k % len(lines)] + (f"（{k // len(lines)}）" if k >= len(lines) else "")
              for k in range(count)]
    title, body = picked[0], picked[1:]
    blocks = [Block("title", title)] + [
        Block("paragraph", "".join(body[i : i + per_paragraph]))
        for i in range(0, len(body), per_paragraph)
    ]
    return Article(title=title, blocks=blocks, source_lang="zh", origin=f"bench-{count}.txt",
                   raw=f"{count}")


def job_times(count: int, reading_order: bool, *,
              to_the_end: bool = True) -> tuple[float, float, float]:
    """(seconds to the first screen, to every sentence's English stored, in all — the model's
    judgement after the English included, since issue 18) of one job on a fresh library.

    With ``to_the_end=False`` the job stops once the first screen is stored.
    """
    library = Library(Path(tempfile.mkdtemp(prefix="enface-bench-lib-")) / "lib.db")
    doc_id, _ = library.documents.add(article(count))
    first = {u["id"] for s in library.documents.tree(doc_id)["segments"][:FIRST]
             for u in s["units"]}
    seen_first = english = None

    def progress(done: int, total: int) -> bool:
        nonlocal seen_first, english
        if seen_first is None and not first & {u for u, _ in library.units.pending(doc_id)}:
            seen_first = time.perf_counter() - started
        if english is None and done >= total:
            english = time.perf_counter() - started
        return to_the_end or seen_first is None

    translating.FIRST_SCREEN_SEGMENTS = FIRST if reading_order else 0
    started = time.perf_counter()
    translating.translate_document(library, doc_id, progress=progress)
    total = time.perf_counter() - started
    translating.FIRST_SCREEN_SEGMENTS = FIRST
    idle(translating.model_for(library, doc_id))
    library.close()
    return seen_first or total, english or total, total


def idle(model) -> None:
    """Wait until CTranslate2 has no batch of ``model`` queued or decoding (what a stopped job
    left in flight)."""
    from webapp.engine import inference

    translator = inference._load(model).translator
    while translator.num_active_batches or translator.num_queued_batches:
        time.sleep(0.005)


#: Run in-process (``exec``) or before ``enface`` in a process: a translation job without what
#: issue 18 added to it (``--without-judgement``).
WITHOUT_JUDGEMENT = r"""
from webapp.actions import translate as _translating
_translating.judge_stored = lambda *args, **kwargs: None
_decode = _translating.engine.translate_sentences
def _plain(*args, **kwargs):
    if kwargs.pop("alignment", False):
        store = kwargs["on_batch"]
        kwargs["on_batch"] = lambda found, texts: store(found, texts, [None] * len(found))
    return _decode(*args, **kwargs)
_translating.engine.translate_sentences = _plain
"""


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} s ({min(values):.2f}–{max(values):.2f})"


def first_screen(sizes: list[int], whole: int, repeat: int) -> None:
    print(f"\n1. time to the first screen (title + first 3 blocks stored), median of {repeat} "
          "(min–max); the job is stopped there")
    for count in sizes:
        firsts = [job_times(count, True, to_the_end=False)[0] for _ in range(repeat)]
        print(f"   {count:5d} sentences, reading order: first screen {spread(firsts)}")
    print(f"   whole job of {whole} sentences, reading order against today's length order "
          f"(alternating), median of {repeat} (min–max):")
    runs: dict[bool, list[tuple[float, float, float]]] = {True: [], False: []}
    for r in range(repeat):  # alternate, so drifting load hits both alike
        for order in ((True, False) if r % 2 == 0 else (False, True)):
            runs[order].append(job_times(whole, order))
    for order, label in ((True, "reading order"), (False, "length order ")):
        print(f"   {label}: first screen {spread([f for f, _, _ in runs[order]])}, "
              f"English {spread([e for _, e, _ in runs[order]])}, "
              f"all {spread([t for _, _, t in runs[order]])}")
    ratio = (statistics.median(t for _, _, t in runs[True])
             / statistics.median(t for _, _, t in runs[False]))
    print(f"   total time reading/length order = {ratio:.3f}")


def profile(count: int) -> None:
    """Where a job's time goes: wrap the tokenizer, the storage and the planner."""
    from webapp.engine import inference, schedule

    spent = {"tokenise": 0.0, "store": 0.0, "plan": 0.0, "check": 0.0, "store judgements": 0.0}

    def clock(key, fn):
        def wrapped(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - t
        return wrapped

    library = Library(Path(tempfile.mkdtemp(prefix="enface-bench-lib-")) / "lib.db")
    doc_id, _ = library.documents.add(article(count))
    model = translating.model_for(library, doc_id)
    loaded = inference._load(model)
    tokenizer = loaded.tokenizer
    real_encode, real_next = tokenizer.encode, schedule.Planner.next_batch
    shapes: list[tuple[int, int, int]] = []  # (sentences, longest, tokens) of each batch

    class Counting:  # the translator, counting each batch's tokens and its padded size
        num_translators = loaded.translator.num_translators

        def translate_batch(self, batch, **options):
            shapes.append((len(batch), max(map(len, batch)), sum(map(len, batch))))
            return real_translator.translate_batch(batch, **options)

        def __getattr__(self, name):  # the scoring passes of the judgement, as they are
            return getattr(real_translator, name)

    real_translator, loaded.translator = loaded.translator, Counting()
    tokenizer.encode = clock("tokenise", real_encode)
    schedule.Planner.next_batch = clock("plan", real_next)
    library.units.store_translations = clock("store", library.units.store_translations)
    library.quality.refresh = clock("check", library.quality.refresh)
    library.quality.judge = clock("store judgements", library.quality.judge)
    started = time.perf_counter()
    translating.translate_document(library, doc_id)
    total = time.perf_counter() - started
    tokenizer.encode, schedule.Planner.next_batch = real_encode, real_next
    loaded.translator = real_translator
    rest = total - sum(spent.values())
    parts = ", ".join(f"{k} {v:.3f} s ({v / total:.1%})" for k, v in spent.items())
    print(f"\n2. where the time of a {count}-sentence job goes ({total:.2f} s): {parts}, "
          f"decoding, the model's judgement and waiting for CTranslate2 {rest:.2f} s "
          f"({rest / total:.1%})")
    padded = sum(n * width for n, width, _ in shapes)
    real = sum(tokens for _, _, tokens in shapes)
    print(f"   {len(shapes)} batches of {min(n for n, _, _ in shapes)}–"
          f"{max(n for n, _, _ in shapes)} sentences; padding {1 - real / padded:.1%} of the "
          f"{padded} batched source tokens")
    sources = [u["source"] for s in library.documents.tree(doc_id)["segments"] for u in s["units"]]
    lengths = [max(1, len(t)) for t in inference._Work.of(sources, "zh", real_encode).tokens]
    budget, workers = inference.tuning()["batch_tokens"], real_translator.num_translators
    for label, wanted in (("length order", ()), ("document order", range(len(lengths)))):
        planner = schedule.Planner(lengths, range(len(lengths)), budget, workers)
        padded = 0
        while planner:
            batch = planner.next_batch(wanted, budget)
            padded += len(batch) * max(lengths[k] for k in batch)
        print(f"   the same sentences batched in {label}: padding {1 - sum(lengths) / padded:.1%}")


ARGOS_SCRIPT = r"""
import json, sys
from argostranslate import sbd, translate
from webapp.segmenting.sentences import split_sentences

class SentenceEnds:  # MiniSBD's model is a download: cut at every sentence end instead
    def sentences(self, text):
        parts = split_sentences(text, "zh", quote_limit=0)
        return [p.rstrip() for p in parts[:-1] if p.strip()] + parts[-1:]

sbd.MiniSBDSentencizer.lazy_detector = lambda self: SentenceEnds()
paragraphs = json.load(open(sys.argv[1], encoding="utf-8"))
out = [translate.translate(p, "zh", "en") for p in paragraphs]
json.dump(out, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
"""


def whole_process(sentences: int, repeat: int, *, argos: bool = True,
                  judged: bool = True) -> None:
    """``enface translate ID`` against Argos per paragraph, both cold processes."""
    work = Path(tempfile.mkdtemp(prefix="enface-bench-cli-"))
    lines = wmt_lines()[:sentences]
    text = "\n\n".join("".join(lines[i : i + 3]) for i in range(0, len(lines), 3))
    (work / "wmt.txt").write_text(text, encoding="utf-8")
    cli = [sys.executable, "-m", "webapp.cli"]
    translate = cli if judged else [sys.executable, "-c",
                                    WITHOUT_JUDGEMENT + "from webapp.cli import main\nmain()"]

    def run(args: list[str], data: Path) -> float:
        env = installed_env(ENFACE_DATA_DIR=str(data))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[args is script].append(after.ru_utime + after.ru_stime
                                   - before.ru_utime - before.ru_stime)
        return time.perf_counter() - started

    ours, theirs, same = [], [], None
    cpu: dict[bool, list[float]] = {False: [], True: []}
    for r in range(-1, repeat):  # round -1 writes the bytecode and is not counted
        data = work / f"lib{r}"
        env = installed_env(ENFACE_DATA_DIR=str(data))
        doc = subprocess.run([*cli, "import", str(work / "wmt.txt"), "--lang", "zh"], env=env,
                             cwd=ROOT, check=True, capture_output=True, text=True)
        doc_id = doc.stdout.split("\t")[0].strip()
        library = Library(data / "library.sqlite3")
        segments = library.documents.tree(int(doc_id))["segments"]
        paragraphs = ["".join(u["source"] for u in s["units"]) for s in segments]
        (work / "paragraphs.json").write_text(json.dumps(paragraphs, ensure_ascii=False))
        script = [sys.executable, "-c", ARGOS_SCRIPT, str(work / "paragraphs.json"),
                  str(work / "argos.json")]
        if r < 0:
            run([*translate, "translate", doc_id], data)
            cpu[False].clear()
            library.close()
            continue
        pair = [("ours", [*translate, "translate", doc_id]), ("theirs", script)][:2 if argos else 1]
        for name, args in (pair if r % 2 == 0 else pair[::-1]):
            (ours if name == "ours" else theirs).append(run(args, data))
        if argos:
            segments = library.documents.tree(int(doc_id))["segments"]
            mine = [" ".join(u["translation"] or "" for u in s["units"]) for s in segments]
            argos_out = json.loads((work / "argos.json").read_text(encoding="utf-8"))
            same = sum(a == b for a, b in zip(mine, argos_out, strict=True))
        library.close()
    n = len(lines)
    what = "" if judged else " (without the judgement)"
    print(f"\n3. whole processes, cold, {n} WMT sentences in {len(paragraphs)} paragraphs, "
          f"median of {repeat} (min–max):")
    print(f"   enface translate ID{what}: {spread(ours)}  {n / statistics.median(ours):5.1f} "
          f"sent/s, {statistics.median(cpu[False]):.1f} CPU seconds")
    if argos:
        print(f"   argostranslate.translate() per para: {spread(theirs)}  "
              f"{n / statistics.median(theirs):5.1f} sent/s")
        print(f"   ratio argos/enface = {statistics.median(theirs) / statistics.median(ours):.2f}x "
              f"wall, {statistics.median(cpu[True]) / statistics.median(cpu[False]):.2f}x CPU "
              f"seconds ({statistics.median(cpu[False]):.1f} s against "
              f"{statistics.median(cpu[True]):.1f} s); identical paragraphs {same}/{len(paragraphs)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 300, 1000])
    parser.add_argument("--total", type=int, default=300, help="sentences of the whole-job race")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--whole", type=int, default=120, help="sentences for part 3 (0: skip)")
    parser.add_argument("--skip-first", action="store_true")
    parser.add_argument("--no-argos", action="store_true", help="part 3 without Argos's run")
    parser.add_argument("--without-judgement", action="store_true",
                        help="jobs without the model's judgement, the checks and the alignment")
    args = parser.parse_args()
    if args.without_judgement:
        exec(WITHOUT_JUDGEMENT, {})  # noqa: S102 - the bench's own text
        print("without the judgement, the checks and the alignment (--without-judgement)")
    print(f"{machine()}; defaults {engine.inference.tuning()}, threads {engine.inference._threads}")
    model = engine.install_file(build_model())
    print(f"model: {model.model_id}, {model.size_bytes / 1e6:.0f} MB")
    if not args.skip_first:
        started = time.perf_counter()
        job_times(30, True)  # loads the model, as a running server has it loaded
        print(f"model load and a first 30-sentence job: {time.perf_counter() - started:.2f} s")
        first_screen(args.sizes, args.total, args.repeat)
        profile(args.total)
    if args.whole:
        whole_process(args.whole, args.repeat, argos=not args.no_argos,
                      judged=not args.without_judgement)


if __name__ == "__main__":
    main()
