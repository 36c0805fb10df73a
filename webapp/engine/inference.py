"""Inference: load a package's CTranslate2 model and tokenizer once, translate in batches.

Fidelity. For one sentence, ``translate_sentences([s], m)[0]`` equals
``argostranslate.translate.translate(s, from, to)`` with the same package whenever Argos keeps
``s`` as one sentence of at most ``MAX_INPUT_TOKENS`` tokens: the same tokenizer object
(``Package.tokenizer``), the same Translator settings (device, ``compute_type`` only when not
``auto``) and the same decoding options (beam size ``max(n, ARGOS_BEAM_SIZE)``,
``length_penalty=0.2``, ``replace_unknowns``, target prefix, CTranslate2's default
``max_decoding_length`` of 256, ``max_input_length`` of 1024) and the same detokenisation
(prefix and one leading space removed). Lines of a sentence are translated
separately and joined with ``\\n``, as Argos does with paragraphs. Argos's own sentence splitter
(MiniSBD) would download a model: our sentences are split at import, and a unit that holds more
than one sentence (a quotation kept whole for editing) is cut again at its inner sentence ends
(``split_sentences`` with ``quote_limit=0``); its pieces are decoded separately and their tokens
joined and detokenised together, as Argos joins the sentences of a paragraph.

Length. CTranslate2 keeps at most 1,024 input tokens and Argos's decoding stops at 256 output
tokens: a longer sentence would come back cut short without a word. Units are bounded at import
(``segmenting.sentences.bounded``); here a piece of more than ``MAX_INPUT_TOKENS`` tokens (a
unit stored before that bound, a language that tokenises densely) is cut again the same way and
its parts decoded separately and joined, and an output that still reaches the decoding limit is
an error (``TooLongToTranslate``), never a silently shortened translation.

Order. ``wanted()`` names sentences to do next (the first screen, what the reader looks at);
they go in small batches spread over the workers. The rest go longest first (``Planner``).

What batching can change. Argos translates a paragraph's sentences in batches of 32 tokens,
i.e. mostly one sentence at a time; we put many sentences in one batch. The result is the same
in exact arithmetic (padding positions are masked), but on a real model the matrix products run
with other shapes, so floating-point sums are ordered differently, and int8 models quantize
activations per batch row. Scores then differ in the last bits, and where two beam hypotheses
are within that noise the chosen one can differ: a rare word-level difference, never a
different meaning class of error. It is kept small by sorting sentences by token length before
batching (little padding, similar shapes) and by decoding each sentence independently (no
cross-sentence state); it is zero on the test model, whose outputs have wide margins.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from webapp.engine.packages import ModelInfo
from webapp.engine.schedule import Planner
from webapp.errors import ModelError


class TooLongToTranslate(ModelError):
    """A sentence whose English would be longer than the model can produce in one go."""

LENGTH_PENALTY = 0.2  # argostranslate.translate.apply_packaged_translation
MAX_DECODING_LENGTH = 256  # Argos's (CTranslate2's default): output tokens per piece
MAX_INPUT_TOKENS = 200  # a longer piece is cut before decoding (its English would not fit)
#: Defaults per instruction set, from tests/bench/bench_translate.py and bench_first_screen.py
#: on 2 cores, quiet (README, "Performance"): tokens per batch and CTranslate2 workers
#: (inter_threads; each worker gets cores / workers threads). On every ISA measured two workers
#: of one core each beat one worker on both cores (1.2-1.5x in wall time, 6-19% less CPU
#: time: one thread per batch never waits for the other), and 1,024 tokens per batch was as
#: fast as any size from 768 to 2,048 (512 was slower). None of them changes an output.
TUNING: dict[str, dict[str, int]] = {
    "AVX512": {"batch_tokens": 1024, "inter_threads": 2},
    "AVX2": {"batch_tokens": 1024, "inter_threads": 2},
    "AVX": {"batch_tokens": 1024, "inter_threads": 2},
    "GENERIC": {"batch_tokens": 1024, "inter_threads": 2},
}
DEFAULT_BATCH_TOKENS = TUNING["AVX2"]["batch_tokens"]
_threads = {"inter_threads": 1, "intra_threads": 1}


def cpu_isa() -> str:
    """The instruction set CTranslate2 uses here: CT2_FORCE_CPU_ISA, else the CPU's flags."""
    forced = os.environ.get("CT2_FORCE_CPU_ISA", "").upper()
    return forced or _native_isa()


@functools.cache
def _native_isa() -> str:
    """The ISA CTranslate2 picks for this CPU (read once per process)."""
    try:
        return isa_of(Path("/proc/cpuinfo").read_text(errors="replace"))
    except OSError:
        return "GENERIC"


AVX512 = {"avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"}


def isa_of(cpuinfo: str) -> str:
    """The ISA CTranslate2 picks for a CPU described by ``/proc/cpuinfo``'s text.

    CTranslate2 dispatches to AVX-512 on Intel CPUs only: an AMD CPU with AVX-512 runs its
    AVX2 kernels unless ``CT2_FORCE_CPU_ISA=AVX512`` (its GEMM library, oneDNN, still uses
    the CPU's best, up to ``ONEDNN_MAX_CPU_ISA``).
    """
    first = cpuinfo.split("\n\n", 1)[0]
    fields = {k.strip(): v.strip() for k, _, v in
              (line.partition(":") for line in first.splitlines()) if v}
    flags = set(fields.get("flags", "").split())
    if fields.get("vendor_id") == "GenuineIntel" and AVX512 <= flags:
        return "AVX512"
    for flag, isa in (("avx2", "AVX2"), ("avx", "AVX")):
        if flag in flags:
            return isa
    return "GENERIC"


def tuning() -> dict[str, int]:
    """The default batch size and workers for this machine's instruction set."""
    return TUNING.get(cpu_isa(), TUNING["GENERIC"])


@dataclass
class _Loaded:
    translator: Any
    tokenizer: Any
    target_prefix: str
    beam_size: int


_loaded: dict[tuple[Path, int], _Loaded] = {}  # by package folder and model.bin mtime
_load_lock = threading.Lock()


def configure(*, inter_threads: int | None = None, intra_threads: int | None = None) -> None:
    """Set CTranslate2 threading for models loaded from now on (loaded ones are dropped).

    ``None`` means the default for the instruction set (``TUNING``), the cores shared evenly.
    """
    cores = os.cpu_count() or 1
    inter = inter_threads or min(tuning()["inter_threads"], cores)
    wanted = {"inter_threads": inter, "intra_threads": intra_threads or max(1, cores // inter)}
    with _load_lock:
        if wanted != _threads:
            _threads.update(wanted)
            _loaded.clear()


def forget(path: Path) -> None:
    """Drop the loaded model of a package folder (before it is removed or replaced)."""
    with _load_lock:
        for key in [k for k in _loaded if k[0] == path]:
            del _loaded[key]




def preload(model: ModelInfo) -> threading.Thread:
    """Begin loading ``model`` in a thread, for a process with Python work to do before it
    translates (``enface translate`` plans its job meanwhile): CTranslate2 reads and prepares
    the weights with the GIL released. A failure is left to the ``_load`` that needs the model,
    which raises it; that ``_load`` waits for this one rather than loading the model twice."""

    def run() -> None:
        try:
            _load(model)
        except ModelError:
            pass

    thread = threading.Thread(target=run, name="enface-load-model", daemon=True)
    thread.start()
    return thread


def _load(model: ModelInfo) -> _Loaded:
    """The model's Translator and tokenizer, loaded once per package (thread-safe)."""
    try:  # a package reinstalled in place (by us or by argospm) is loaded afresh
        key = (model.path, (model.path / "model" / "model.bin").stat().st_mtime_ns)
    except OSError as exc:
        raise ModelError(f"The model {model.model_id} is no longer installed.") from exc
    loaded = _loaded.get(key)
    if loaded is not None:
        return loaded
    with _load_lock:
        loaded = _loaded.get(key)
        if loaded is None:
            for stale in [k for k in _loaded if k[0] == model.path]:
                del _loaded[stale]
            loaded = _loaded[key] = _load_now(model)
    return loaded


def _load_now(model: ModelInfo) -> _Loaded:
    import ctranslate2
    from argostranslate import package, settings

    try:
        pkg = package.Package(model.path)
        tokenizer = getattr(pkg, "tokenizer", None)
        if tokenizer is None:
            raise ModelError(f"The model {model.model_id} has no tokenizer.")
        params: dict[str, Any] = {"device": settings.device, **_threads}
        if settings.compute_type != "auto":  # what Argos does: "auto" means the model's own type
            params["compute_type"] = settings.compute_type
        translator = ctranslate2.Translator(str(model.path / "model"), **params)
        tokenizer.encode("")  # load the tokenizer now, under the lock
    except (OSError, RuntimeError, ValueError) as exc:
        raise ModelError(f"The model {model.model_id} could not be loaded: {exc}") from exc
    return _Loaded(translator, tokenizer, pkg.target_prefix, settings.beam_size)


def _options(loaded: _Loaded, count: int, num_hypotheses: int, batch_tokens: int) -> dict:
    """translate_batch options, as argostranslate.translate.apply_packaged_translation sets them."""
    prefix = [[loaded.target_prefix]] * count if loaded.target_prefix else None
    return {
        "target_prefix": prefix,
        "max_decoding_length": MAX_DECODING_LENGTH,
        "replace_unknowns": True,
        "max_batch_size": batch_tokens,
        "batch_type": "tokens",
        "beam_size": max(num_hypotheses, loaded.beam_size),
        "num_hypotheses": num_hypotheses,
        "length_penalty": LENGTH_PENALTY,
    }


def _decode(loaded: _Loaded, tokens: list[str]) -> str:
    value = loaded.tokenizer.decode(tokens)
    if loaded.target_prefix and value.startswith(loaded.target_prefix):
        value = value[len(loaded.target_prefix) :]
    return value[1:] if value.startswith(" ") else value


def _pieces(text: str, lang: str) -> list[str]:
    """A line cut at its inner sentence ends (quotes too), as Argos's splitter would cut it.

    Whitespace after an inner sentence end is dropped, as a sentence splitter drops it.
    """
    from webapp.segmenting.sentences import split_sentences

    parts = split_sentences(text, lang, quote_limit=0)
    return [p.rstrip() for p in parts[:-1] if p.strip()] + parts[-1:]


def _fitted(text: str, encode: Callable[[str], list[str]]) -> list[tuple[str, list[str]]]:
    """``text`` and its tokens, or its parts and theirs when it has over ``MAX_INPUT_TOKENS``:
    cut after clause punctuation, else spaces, else anywhere (``cut_long``), again if need be."""
    from webapp.segmenting.sentences import cut_long

    tokens = encode(text)
    if len(tokens) <= MAX_INPUT_TOKENS or len(text) < 2:
        return [(text, tokens)]
    limit = max(1, min(len(text) // 2, len(text) * MAX_INPUT_TOKENS // len(tokens)))
    parts = cut_long(text, limit)
    kept = [p.rstrip() for p in parts[:-1] if p.strip()] + [p for p in parts[-1:] if p.strip()]
    return [fit for part in kept for fit in _fitted(part, encode)]


@dataclass
class _Work:
    """A list of sentences cut into items: lines (split at ``\\n``), then inner sentences, then
    parts short enough to decode whole; with each item's tokens."""

    split: list[list[str]]
    items: list[tuple[int, int]]  # (sentence index, line index) of each item, in order
    texts: list[str]
    tokens: list[list[str]]

    @classmethod
    def of(cls, sentences: Sequence[str], lang: str,
           encode: Callable[[str], list[str]]) -> _Work:
        split = [s.split("\n") if s.strip() else [] for s in sentences]
        items, texts, tokens = [], [], []
        for i, lines in enumerate(split):
            for j, line in enumerate(lines):
                if line.strip():
                    for piece in _pieces(line, lang):
                        for text, encoded in _fitted(piece, encode):
                            items.append((i, j))
                            texts.append(text)
                            tokens.append(encoded)
        return cls(split, items, texts, tokens)

    def join(self, i: int, lines: dict[int, list[list[str]]], loaded: _Loaded) -> str:
        """Sentence ``i`` from its items' tokens: a line's pieces decoded as one, as Argos does."""
        texts = [_decode(loaded, sum(lines[j], [])) if j in lines else ""
                 for j in range(len(self.split[i]))]
        return "\n".join(texts).lstrip("\n")


def translate_sentences(
    sentences: Sequence[str],
    model: ModelInfo,
    *,
    on_batch: Callable[[list[int], list[str]], None] | None = None,
    batch_tokens: int | None = None,
    should_stop: Callable[[], bool] | None = None,
    wanted: Callable[[], Sequence[int]] | None = None,
    alignment: bool = False,
) -> list[str]:
    """Translate many sentences in batches; ``on_batch(indices, texts)`` as sentences finish.

    With ``alignment`` the beam search also returns its attention (``return_attention``), and
    ``on_batch(indices, texts, links)`` gets each sentence's word alignment: (English word,
    source token, weight) character spans of the sentence and its English (``links`` is None
    for a sentence the package's tokenizer gives no offsets for).

    Before each batch ``wanted()`` may name sentences (indices) to translate next, most wanted
    first (the top of a document, what the reader looks at); the rest go in length-sorted
    batches. Blank sentences give ``""`` without reaching the model (and are not reported).
    When ``should_stop()`` turns true between batches the work stops and the result holds ``""``
    for every sentence not translated yet.
    """
    results = [""] * len(sentences)
    if not any(s.strip() for s in sentences):
        return results
    loaded = _load(model)
    work = _Work.of(sentences, model.from_code, loaded.tokenizer.encode)
    batch_tokens = batch_tokens or tuning()["batch_tokens"]
    tokens = work.tokens
    planner = Planner([max(1, len(t)) for t in tokens], [i for i, _ in work.items], batch_tokens,
                      loaded.translator.num_translators)
    expected = Counter(i for i, _ in work.items)
    partial: dict[int, dict[int, list[list[str]]]] = defaultdict(lambda: defaultdict(list))
    got: Counter[int] = Counter()

    attention: dict[int, list] = {}
    alignment = alignment and hasattr(loaded.tokenizer, "lazy_processor")
    items_of: dict[int, list[int]] = defaultdict(list)
    for k, (i, _) in enumerate(work.items if alignment else ()):
        items_of[i].append(k)

    def collect(batch: list[int], outputs: list) -> None:
        finished, links = [], []
        for k, output in zip(batch, outputs, strict=True):
            i, j = work.items[k]
            result = output.result()
            partial[i][j].append((k, _whole(result.hypotheses[0], sentences[i])))
            if alignment:
                attention[k] = result.attention[0]
            got[i] += 1
            if got[i] == expected[i]:
                parts = partial.pop(i)
                lines = {j: [t for _, t in sorted(p)] for j, p in parts.items()}
                results[i] = work.join(i, lines, loaded)
                finished.append(i)
                if alignment:
                    links.append(_sentence_links(work, i, items_of[i], parts, attention, loaded))
        if on_batch is not None and finished:
            texts = [results[i] for i in finished]
            if alignment:
                on_batch(finished, texts, links)
            else:
                on_batch(finished, texts)

    # Keep one batch per CTranslate2 worker (inter_threads) in flight, plus one queued; wanted
    # sentences go in batches small enough to keep every worker on them.
    urgent = max(1, batch_tokens // loaded.translator.num_translators)
    in_flight: deque[tuple[list[int], list]] = deque()
    while planner:
        if should_stop is not None and should_stop():
            return results  # what is still being decoded is left unstored: stopped means now
        batch = planner.next_batch(wanted() if wanted is not None else (), urgent)
        outputs = loaded.translator.translate_batch(
            [tokens[k] for k in batch],
            **_options(loaded, len(batch), 1, batch_tokens),
            asynchronous=True,
            **({"return_attention": True} if alignment else {}),
        )
        in_flight.append((batch, outputs))
        if len(in_flight) > loaded.translator.num_translators:
            collect(*in_flight.popleft())
    while in_flight:
        collect(*in_flight.popleft())
    return results


def _sentence_links(work: _Work, i: int, items: list[int],
                    parts: dict[int, list[tuple[int, list[str]]]], attention: dict[int, list],
                    loaded: _Loaded) -> list | None:
    """Sentence ``i``'s word alignment from the attention of its items (pieces), in characters
    of the sentence and of its English as ``_Work.join`` makes it; None if offsets fail."""
    from webapp.engine.alignment import align_words, decoded, encoded

    sentence = "\n".join(work.split[i])
    cursor, where = 0, {}
    for k in items:  # each item is a slice of its line, in order
        at = sentence.find(work.texts[k], cursor)
        if at < 0:
            return None
        where[k] = at
        cursor = at + len(work.texts[k])
    texts = [_decode(loaded, sum((t for _, t in sorted(parts[j])), [])) if j in parts else ""
             for j in range(len(work.split[i]))]
    joined = "\n".join(texts)
    shift = len(joined) - len(joined.lstrip("\n"))
    pieces, spans, rows, line_start = [], [], [], -shift
    for j, text in enumerate(texts):
        ordered = sorted(parts.get(j, []))
        tokens = sum((t for _, t in ordered), [])
        if tokens:
            raw = loaded.tokenizer.decode(tokens)
            offsets = decoded(loaded.tokenizer, tokens)
            if offsets is None:
                return None
            cut = len(raw) - len(text)  # the target prefix and one space _decode removed
            spans += [(max(0, b - cut) + line_start, max(0, e - cut) + line_start)
                      for b, e in offsets]
            pieces += tokens
            for k, output in ordered:
                _, source_spans = encoded(loaded.tokenizer, work.texts[k])
                shifted = [(b + where[k], e + where[k]) for b, e in source_spans]
                for step in range(len(output)):
                    row = attention[k][step] if step < len(attention[k]) else []
                    rows.append(list(zip(shifted, row, strict=False)))
                attention.pop(k, None)
        line_start += len(text) + 1
    return align_words(pieces, spans, rows)


def _whole(hypothesis: list[str], sentence: str) -> list[str]:
    """A decoded piece, unless the decoder stopped at its length limit (TooLongToTranslate)."""
    if len(hypothesis) >= MAX_DECODING_LENGTH:
        raise TooLongToTranslate(
            f"The English of “{sentence[:40]}…” would be longer than the model can write in "
            f"one go ({MAX_DECODING_LENGTH} tokens): it was not stored cut short. Edit the "
            "sentence shorter, or split it, and translate again.")
    return hypothesis


def alternatives(sentence: str, model: ModelInfo, n: int = 3) -> list[str]:
    """Up to ``n`` distinct translations of one sentence, best first (beam search n-best)."""
    if not sentence.strip() or n < 1:
        return []
    loaded = _load(model)
    work = _Work.of([sentence], model.from_code, loaded.tokenizer.encode)
    batch = work.tokens
    outputs = loaded.translator.translate_batch(
        batch, **_options(loaded, len(batch), n, DEFAULT_BATCH_TOKENS)
    )
    found: list[str] = []
    for rank in range(n):  # Argos's n-th hypothesis joins each piece's n-th hypothesis
        lines: dict[int, list[list[str]]] = defaultdict(list)
        for (_, j), output in zip(work.items, outputs, strict=True):
            hyps = output.hypotheses
            lines[j].append(_whole(hyps[min(rank, len(hyps) - 1)], sentence))
        text = work.join(0, lines, loaded)
        if text not in found:
            found.append(text)
    return found


configure()
