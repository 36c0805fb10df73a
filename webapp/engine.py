"""Translation engine: the one adapter around Argos Translate and CTranslate2.

Models are Argos packages, found and installed with ``argostranslate.package`` in the folders
``argospm`` uses, so a model installed either way is seen by both. Nothing heavy is imported
with this module: argostranslate and ctranslate2 load on first use.

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
import shutil
import tempfile
import threading
import urllib.error
import urllib.request
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from webapp.errors import ModelError, NotFound, Offline
from webapp.models import validate_archive

__all__ = [
    "ModelInfo",
    "alternatives",
    "available_models",
    "configure",
    "find_model",
    "install_file",
    "install_from_index",
    "installed_models",
    "remove_model",
    "translate_sentences",
    "validate_archive",
]

DEFAULT_BATCH_TOKENS = 768  # fastest on 2 cores in tests/bench/bench_translate.py
LENGTH_PENALTY = 0.2  # argostranslate.translate.apply_packaged_translation
INSTALL_HINT = (
    "Download the .argosmodel file on a machine that is online (for instance from "
    "https://www.argosopentech.com/argospm/index/) and install it with "
    "“enface models install --file PATH.argosmodel” or upload it on the Models page."
)
# Two batches decoded side by side, one core each, beat one batch on two cores (see the bench).
_INTER = int(os.environ.get("ENFACE_INTER_THREADS", "2" if (os.cpu_count() or 1) > 1 else "1"))
_threads = {
    "inter_threads": _INTER,
    "intra_threads": int(
        os.environ.get("ENFACE_INTRA_THREADS", str(max(1, (os.cpu_count() or 1) // _INTER)))
    ),
}


@dataclass(frozen=True)
class ModelInfo:
    """An installed Argos translation package."""

    from_code: str
    to_code: str
    from_name: str
    to_name: str
    package_version: str
    path: Path
    size_bytes: int

    @property
    def model_id(self) -> str:
        """Stable id recorded with every machine translation, e.g. ``argos:zh-en@1.9``."""
        return f"argos:{self.from_code}-{self.to_code}@{self.package_version}"


@dataclass
class _Loaded:
    translator: Any
    tokenizer: Any
    target_prefix: str
    beam_size: int


_loaded: dict[tuple[Path, int], _Loaded] = {}  # by package folder and model.bin mtime
_load_lock = threading.Lock()


def configure(*, inter_threads: int | None = None, intra_threads: int | None = None) -> None:
    """Set CTranslate2 threading for models loaded from now on (loaded ones are dropped)."""
    with _load_lock:
        if inter_threads is not None:
            _threads["inter_threads"] = inter_threads
        if intra_threads is not None:
            _threads["intra_threads"] = intra_threads
        _loaded.clear()


def _tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _info(pkg: Any) -> ModelInfo:
    path = Path(pkg.package_path)
    return ModelInfo(
        from_code=pkg.from_code,
        to_code=pkg.to_code,
        from_name=pkg.from_name or pkg.from_code,
        to_name=pkg.to_name or pkg.to_code,
        package_version=pkg.package_version or "0",
        path=path,
        size_bytes=_tree_size(path),
    )


def _packages() -> list[Any]:
    from argostranslate import package, settings

    try:
        return package.get_installed_packages()
    except (FileNotFoundError, ValueError):
        # A stray folder without (valid) metadata.json makes Argos give up; skip it instead.
        found = []
        for directory in settings.package_dirs:
            for path in sorted(directory.iterdir()):
                try:
                    found.append(package.Package(path))
                except (FileNotFoundError, NotADirectoryError, ValueError):
                    continue
        return found


def installed_models() -> list[ModelInfo]:
    """Translation packages installed where argospm installs them, sorted by pair."""
    models = [
        _info(pkg)
        for pkg in _packages()
        if pkg.type == "translate" and pkg.from_code and pkg.to_code
    ]
    return sorted(models, key=lambda m: (m.from_code, m.to_code, _version_key(m)))


def _version_key(model: ModelInfo) -> tuple:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(model.package_version))
    except InvalidVersion:
        return (0, model.package_version)


def find_model(from_code: str, to_code: str) -> ModelInfo | None:
    """The newest installed model for a pair; Traditional Chinese ('zt') falls back to 'zh'."""
    models = installed_models()
    for code in [from_code, "zh"] if from_code == "zt" else [from_code]:
        matches = [m for m in models if m.from_code == code and m.to_code == to_code]
        if matches:
            return max(matches, key=_version_key)
    return None


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


def _offline(what: str, exc: BaseException) -> Offline:
    reason = getattr(exc, "reason", None) or exc
    return Offline(f"{what} could not be reached ({reason}). {INSTALL_HINT}")


def available_models(*, timeout: float = 10) -> list[dict]:
    """Packages in the Argos index, each with whether (and which version) is installed here."""
    from argostranslate import package, settings

    url = settings.remote_package_index
    try:  # argos's own update_package_index has no timeout and hides failures
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - https index
            data = response.read()
    except (OSError, ValueError) as exc:
        raise _offline(f"The Argos package index ({url})", exc) from exc
    with package.package_lock:
        Path(settings.local_package_index).write_bytes(data)
    try:
        index = package.get_available_packages()
    except ValueError as exc:
        raise ModelError(f"The Argos package index is not valid JSON: {exc}") from exc
    installed = {(m.from_code, m.to_code): m for m in installed_models()}
    return [
        {
            "from_code": p.from_code,
            "to_code": p.to_code,
            "from_name": p.from_name,
            "to_name": p.to_name,
            "package_version": p.package_version,
            "links": list(p.links),
            "installed_version": getattr(
                installed.get((p.from_code, p.to_code)), "package_version", None
            ),
        }
        for p in index
        if p.type == "translate" and p.from_code and p.to_code
    ]


def _download(links: list[str], dest: Path, progress, timeout: float) -> None:
    errors = []
    for link in links:
        try:
            request = urllib.request.Request(link, headers={"User-Agent": "ArgosTranslate"})
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                total = int(response.headers.get("Content-Length") or 0)
                done = 0
                with dest.open("wb") as out:
                    while chunk := response.read(1 << 20):
                        out.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total)
            return
        except (OSError, ValueError) as exc:
            errors.append(exc)
    raise _offline("The model download", errors[-1] if errors else OSError("no download link"))


def install_from_index(
    from_code: str,
    to_code: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    timeout: float = 30,
) -> ModelInfo:
    """Download a pair's package from the Argos index and install it; Offline when unreachable."""
    from argostranslate import settings

    matches = [
        p
        for p in available_models(timeout=timeout)
        if p["from_code"] == from_code and p["to_code"] == to_code
    ]
    if not matches:
        raise NotFound(f"The Argos index has no model for {from_code} → {to_code}.")
    folder = Path(tempfile.mkdtemp(prefix="enface-download-", dir=settings.downloads_dir))
    try:
        archive = folder / f"translate-{from_code}_{to_code}.argosmodel"
        _download(matches[0]["links"], archive, progress, timeout)
        return install_file(archive, expect=(from_code, to_code))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def install_file(path: Path, *, expect: tuple[str, str] | None = None) -> ModelInfo:
    """Check an .argosmodel and install it with argostranslate, replacing the pair's old model."""
    from argostranslate import package, settings

    meta = validate_archive(Path(path))
    pair = (meta["from_code"], meta["to_code"])
    if expect is not None and pair != tuple(expect):
        raise ModelError(
            f"{Path(path).name} translates {pair[0]} → {pair[1]}, not {expect[0]} → {expect[1]}. "
            "Nothing was installed."
        )
    target = Path(settings.package_data_dir) / meta["folder"]
    old = [m for m in installed_models() if (m.from_code, m.to_code) == pair]
    for model in old:
        if model.path == target:
            _uninstall(model)
    try:
        package.install_from_path(Path(path))
    except Exception as exc:  # noqa: BLE001 - argos raises bare Exception
        raise ModelError(f"{Path(path).name} could not be installed: {exc}") from exc
    for model in old:
        if model.path != target and model.path.parent == target.parent:
            _uninstall(model)
    for model in installed_models():
        if model.path == target:
            return model
    raise ModelError(f"{Path(path).name} was unpacked but Argos does not see it as a model.")


def _uninstall(model: ModelInfo) -> None:
    from argostranslate import package

    with _load_lock:
        for key in [k for k in _loaded if k[0] == model.path]:
            del _loaded[key]
    package.uninstall(package.Package(model.path))


def remove_model(from_code: str, to_code: str) -> None:
    """Uninstall every installed model for the pair; NotFound if there is none."""
    matches = [m for m in installed_models() if (m.from_code, m.to_code) == (from_code, to_code)]
    if not matches:
        raise NotFound(f"No model for {from_code} → {to_code} is installed.")
    for model in matches:
        _uninstall(model)
