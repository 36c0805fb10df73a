"""Inference: load a package's CTranslate2 model and tokenizer once, translate in batches.

Fidelity. For one sentence, ``translate_sentences([s], m)[0]`` equals
``argostranslate.translate.translate(s, from, to)`` with the same package whenever Argos keeps
``s`` as one sentence: the same tokenizer object (``Package.tokenizer``), the same Translator
settings (device, ``compute_type`` only when not ``auto``) and the same decoding options (beam
size ``max(n, ARGOS_BEAM_SIZE)``, ``length_penalty=0.2``, ``replace_unknowns``, target prefix,
CTranslate2's default ``max_decoding_length`` of 256, ``max_input_length`` of 1024) and the same
detokenisation (prefix and one leading space removed). Lines of a sentence are translated
separately and joined with ``\\n``, as Argos does with paragraphs. What we skip is Argos's own
sentence splitting (MiniSBD), which would download a model: our sentences are split at import.

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

import os
import threading
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from webapp.engine.packages import ModelInfo
from webapp.errors import ModelError

DEFAULT_BATCH_TOKENS = 768  # fastest on 2 cores in tests/bench/bench_translate.py
LENGTH_PENALTY = 0.2  # argostranslate.translate.apply_packaged_translation
# Two batches decoded side by side, one core each, beat one batch on two cores (see the bench);
# create_app and the CLI call configure() with the ENFACE_*_THREADS settings.
_threads = {"inter_threads": 1, "intra_threads": 1}


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

    ``None`` means the default: two workers sharing the cores (one core each on two cores).
    """
    cores = os.cpu_count() or 1
    inter = inter_threads or (2 if cores > 1 else 1)
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


def _batches(lengths: list[int], order: list[int], batch_tokens: int) -> list[list[int]]:
    """Group ``order`` (sorted by length) so each batch's padded size fits in batch_tokens."""
    batches: list[list[int]] = []
    current: list[int] = []
    for item in order:  # longest first, so a batch's first item sets its padded width
        if current and lengths[current[0]] * (len(current) + 1) > batch_tokens:
            batches.append(current)
            current = []
        current.append(item)
    if current:
        batches.append(current)
    return batches


def translate_sentences(
    sentences: Sequence[str],
    model: ModelInfo,
    *,
    on_batch: Callable[[list[int], list[str]], None] | None = None,
    batch_tokens: int = DEFAULT_BATCH_TOKENS,
    should_stop: Callable[[], bool] | None = None,
) -> list[str]:
    """Translate many sentences in length-sorted batches; ``on_batch(indices, texts)`` per batch.

    Blank sentences give ``""`` without reaching the model (and are not reported). When
    ``should_stop()`` turns true between batches the work stops and the result holds ``""`` for
    every sentence not translated yet.
    """
    results = [""] * len(sentences)
    split = [s.split("\n") if s.strip() else [] for s in sentences]
    lines = [(i, j) for i, ps in enumerate(split) for j, part in enumerate(ps) if part.strip()]
    if not lines:
        return results
    loaded = _load(model)
    tokens = [loaded.tokenizer.encode(split[i][j]) for i, j in lines]
    lengths = [max(1, len(t)) for t in tokens]
    order = sorted(range(len(lines)), key=lambda k: -lengths[k])
    expected = Counter(i for i, _ in lines)
    partial: dict[int, dict[int, str]] = defaultdict(dict)
    def collect(batch: list[int], outputs: list) -> None:
        finished = []
        for k, output in zip(batch, outputs, strict=True):
            i, j = lines[k]
            partial[i][j] = _decode(loaded, output.result().hypotheses[0])
            if len(partial[i]) == expected[i]:
                texts = partial.pop(i)
                joined = "\n".join(texts.get(j, "") for j in range(len(split[i])))
                results[i] = joined.lstrip("\n")
                finished.append(i)
        if on_batch is not None and finished:
            on_batch(finished, [results[i] for i in finished])

    # Keep one batch per CTranslate2 worker (inter_threads) in flight, plus one queued.
    in_flight: deque[tuple[list[int], list]] = deque()
    for batch in _batches(lengths, order, batch_tokens):
        if should_stop is not None and should_stop():
            break
        outputs = loaded.translator.translate_batch(
            [tokens[k] for k in batch],
            **_options(loaded, len(batch), 1, batch_tokens),
            asynchronous=True,
        )
        in_flight.append((batch, outputs))
        if len(in_flight) > loaded.translator.num_translators:
            collect(*in_flight.popleft())
    while in_flight:
        collect(*in_flight.popleft())
    return results


def alternatives(sentence: str, model: ModelInfo, n: int = 3) -> list[str]:
    """Up to ``n`` distinct translations of one sentence, best first (beam search n-best)."""
    parts = sentence.split("\n")
    wanted = [j for j, part in enumerate(parts) if part.strip()]
    if not wanted or n < 1:
        return []
    loaded = _load(model)
    batch = [loaded.tokenizer.encode(parts[j]) for j in wanted]
    outputs = loaded.translator.translate_batch(
        batch, **_options(loaded, len(batch), n, DEFAULT_BATCH_TOKENS)
    )
    found: list[str] = []
    for rank in range(n):
        texts = [""] * len(parts)
        for j, output in zip(wanted, outputs, strict=True):
            hyps = output.hypotheses
            texts[j] = _decode(loaded, hyps[min(rank, len(hyps) - 1)])
        text = "\n".join(texts).lstrip("\n")
        if text not in found:
            found.append(text)
    return found


configure()
