"""Build small but real Argos Translate packages for tests and benchmarks.

``build_package`` writes a genuine ``.argosmodel`` (a zip holding one folder with
``metadata.json``, a SentencePiece ``sentencepiece.model`` trained here and a CTranslate2
Transformer in ``model/``). The Transformer's weights are not learned; they are wired so that
the model copies its input:

* every vector lives in two disjoint subspaces of ``d_model``: token codes (random, centred,
  unit-norm) and position codes (sinusoids, centred, unit-norm); centring makes layer norm a
  pure rescaling, so the codes survive it;
* the source gets ``</s>`` appended (``add_source_eos``); decoder step *t* sees only its position
  (target embeddings are zero and every self-attention/FFN output projection is zero), and the
  last decoder layer's cross-attention matches that position against the source positions and
  copies the token code found there; the output projection turns the code back into the token.

So decoder step *t* emits source token *t*, and the translation of a sentence is its
detokenized input. With ``copy=False`` the output projection maps each ordinary piece to the
next ordinary piece of the vocabulary instead (see ``shift_pieces``), so a translation can be
told from its source. Other layers get small random weights and zero output projections: they
cost what a real layer costs but change nothing.

The SentencePiece model uses identity normalisation, keeps whitespace and falls back to bytes,
so any text is representable and a copy reproduces it exactly (argostranslate's decoder turns
``_`` into a space and drops one leading space: avoid those in exact-match tests).
"""

from __future__ import annotations

import functools
import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import numpy as np

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"
_FALLBACK_TEXT = [
    "今天天气很好，我们去公园散步。",
    "新华社北京电 国务院总理主持召开会议。",
    "The weather is fine today, so we go for a walk in the park.",
    "Premier chairs a State Council meeting in Beijing.",
]
_POSITIONS = 1024  # size of the learned position table (max_input_length of CTranslate2)
_BUILDS = Path(tempfile.mkdtemp(prefix="enface-argos-testmodel-"))


def _corpus() -> list[str]:
    """Training text for the tokenizer: the Chinese/English samples in tests/fixtures/samples."""
    lines: list[str] = []
    for name in ("newstest2021_zh-en_first475.zh", "newstest2021_zh-en_first475.en"):
        path = SAMPLES / "parallel" / name
        if path.is_file():
            lines += path.read_text(encoding="utf-8").splitlines()
    articles = SAMPLES / "articles"
    if articles.is_dir():
        for path in sorted(articles.glob("*.txt")):
            lines += path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()] or _FALLBACK_TEXT


@functools.lru_cache(maxsize=4)
def train_tokenizer(vocab_size: int = 4000) -> bytes:
    """Train a byte-fallback SentencePiece model on the samples; returns the model bytes."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_corpus()),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=0.9995,
        byte_fallback=True,
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,
        num_threads=2,
        minloglevel=2,
    )
    return model.getvalue()


def _processor(model: bytes):
    import sentencepiece as spm

    return spm.SentencePieceProcessor(model_proto=model)


def _ordinary(sp) -> list[int]:
    """Ids of the pieces that are neither control, unknown nor byte pieces."""
    return [
        i
        for i in range(sp.get_piece_size())
        if not (sp.is_control(i) or sp.is_unknown(i) or sp.is_byte(i))
    ]


def _shift_map(sp) -> np.ndarray:
    """Output id for each source id when ``copy=False``: ordinary pieces move one step on."""
    mapping = np.arange(sp.get_piece_size())
    ordinary = _ordinary(sp)
    mapping[ordinary] = ordinary[1:] + ordinary[:1]
    return mapping


def shift_pieces(text: str, sentencepiece_model: Path) -> str:
    """The expected output of a ``copy=False`` package for ``text`` (as argostranslate decodes)."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(sentencepiece_model))
    mapping = _shift_map(sp)
    pieces = [sp.id_to_piece(int(mapping[i])) for i in sp.encode(text)]
    value = sp.decode_pieces(pieces).replace("▁", " ").replace("_", " ")
    return value[1:] if value.startswith(" ") else value


def _unit_codes(raw: np.ndarray) -> np.ndarray:
    """Centre each row (so layer norm only rescales it) and scale it to unit length."""
    centred = raw - raw.mean(axis=1, keepdims=True)
    return centred / np.linalg.norm(centred, axis=1, keepdims=True)


def _position_codes(count: int, dims: int) -> np.ndarray:
    freqs = 1.0 / (100 ** (np.arange(dims // 2) * 2 / dims))
    angles = np.arange(count)[:, None] * freqs[None, :]
    raw = np.zeros((count, dims))
    raw[:, 0::2], raw[:, 1::2] = np.sin(angles), np.cos(angles)
    return _unit_codes(raw)


def _min_gap(codes: np.ndarray, limit: int = 512) -> float:
    """Smallest margin between a code's similarity to itself (1) and to any other code."""
    codes = codes[:limit].astype(np.float32)
    worst = -1.0
    for start in range(0, len(codes), 2048):
        sims = codes[start : start + 2048] @ codes.T
        rows = np.arange(len(sims))
        sims[rows, rows + start] = -np.inf
        worst = max(worst, float(sims.max()))
    return 1.0 - worst


def _weights(vocab: int, d: int, heads: int, layers: int, ffn: int, mapping: np.ndarray, rng):
    """All weight arrays, keyed by role; see the module docstring for the wiring."""
    dh = d // heads
    dp = min(dh, max(16, d // 4))  # position dims: one head's width at most
    dt = d - dp  # token dims come first, positions last
    tok = np.zeros((vocab, d))
    tok[:, :dt] = _unit_codes(rng.standard_normal((vocab, dt)))
    pos = np.zeros((_POSITIONS, d))
    pos[:, dt:] = _position_codes(_POSITIONS, dp)
    tok_gap = _min_gap(tok[:, :dt], limit=vocab)
    pos_gap = _min_gap(pos[:, dt:])

    def small(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape) * 0.02

    # Copying cross-attention (pre-norm): queries see sqrt(d)*pos_t, keys sqrt(d/2)*pos_s.
    score = 40.0 / pos_gap  # logit margin of 40 between the right source position and any other
    alpha = score * np.sqrt(dh) / (d / np.sqrt(2.0))
    wq, wk, wv, wo = (np.zeros((d, d)) for _ in range(4))
    for h in range(heads):
        rows = slice(h * dh, h * dh + dp)
        wq[rows, dt:] = alpha * np.eye(dp)
        wk[rows, dt:] = np.eye(dp)
    chunk = 0
    for h in range(heads):  # values: token dims spread over the heads' value slots
        width = min(dh, dt - chunk)
        if width <= 0:
            break
        wv[h * dh : h * dh + width, chunk : chunk + width] = np.eye(width)
        wo[chunk : chunk + width, h * dh : h * dh + width] = 20.0 * np.eye(width)
        chunk += width
    # Output: logits margin of ~40 between the copied token and any other.
    kappa = 40.0 / (tok_gap * np.sqrt(d))
    proj = np.zeros((vocab, d))
    proj[mapping] = kappa * tok  # output id mapping[s] lights up for source token s
    return {
        "tok": tok,
        "pos": pos,
        "copy_attention": (wq, wk, wv, wo),
        "projection": proj,
        "small": small,
        "dims": (dt, dp),
    }


def _fill_spec(spec, w: dict, d: int, ffn: int) -> None:
    small = w["small"]
    zeros = np.zeros

    def norm(ln) -> None:
        ln.gamma, ln.beta = np.ones(d, np.float32), zeros(d, np.float32)

    def linear(lin, weight: np.ndarray) -> None:
        lin.weight = weight.astype(np.float32)
        lin.bias = zeros(weight.shape[0], np.float32)

    def inert_ffn(f) -> None:
        norm(f.layer_norm)
        linear(f.linear_0, small(ffn, d))
        linear(f.linear_1, zeros((d, ffn)))

    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = (w["tok"] / np.sqrt(d)).astype(np.float32)
    enc.position_encodings.encodings = w["pos"].astype(np.float32)
    norm(enc.layer_norm)
    for layer in enc.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], small(3 * d, d))
        linear(layer.self_attention.linear[1], zeros((d, d)))
        inert_ffn(layer.ffn)
    dec.embeddings.weight = zeros(w["tok"].shape, np.float32)
    dec.position_encodings.encodings = w["pos"].astype(np.float32)
    norm(dec.layer_norm)
    linear(dec.projection, w["projection"])
    for i, layer in enumerate(dec.layer):
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], small(3 * d, d))
        linear(layer.self_attention.linear[1], zeros((d, d)))
        cross = layer.attention
        norm(cross.layer_norm)
        if i == len(dec.layer) - 1:
            wq, wk, wv, wo = w["copy_attention"]
            linear(cross.linear[0], wq)
            linear(cross.linear[1], np.concatenate([wk, wv]))
            linear(cross.linear[2], wo)
        else:
            linear(cross.linear[0], small(d, d))
            linear(cross.linear[1], small(2 * d, d))
            linear(cross.linear[2], zeros((d, d)))
        inert_ffn(layer.ffn)


def _build(
    from_code: str,
    to_code: str,
    layers: int,
    d_model: int,
    ffn: int,
    vocab_size: int,
    copy: bool,
    version: str,
    heads: int,
    quantization: str | None,
) -> Path:
    """Build an archive into the session's build directory and return its path."""
    import ctranslate2

    sp_model = train_tokenizer(vocab_size)
    sp = _processor(sp_model)
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    # A small corpus cannot fill a large vocabulary: pad it with pieces that never occur, so
    # the output layer has the requested size (and cost).
    vocab += [f"<extra_{i}>" for i in range(vocab_size - len(vocab))]
    mapping = np.arange(len(vocab))
    if not copy:
        mapping[: sp.get_piece_size()] = _shift_map(sp)
    rng = np.random.default_rng(1234)
    weights = _weights(len(vocab), d_model, heads, layers, ffn, mapping, rng)

    spec = ctranslate2.specs.TransformerSpec.from_config(layers, heads)
    spec.config.add_source_eos = True
    _fill_spec(spec, weights, d_model, ffn)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=quantization)

    name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    work = Path(tempfile.mkdtemp(dir=_BUILDS))
    root = work / name
    (root / "model").mkdir(parents=True)  # spec.save() does not create its folder
    spec.save(str(root / "model"))
    (root / "sentencepiece.model").write_bytes(sp_model)
    metadata = {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": from_code,
        "from_name": _NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": _NAMES.get(to_code, to_code),
        "type": "translate",
        "links": [],
    }
    (root / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    (root / "README.md").write_text(README[copy], encoding="utf-8")
    archive = work / f"{from_code}_{to_code}.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            zf.write(path, path.relative_to(work).as_posix())
    shutil.rmtree(root)
    return archive


README = {
    True: "Enface test model: copies its input.\n",
    False: "Enface test model: shifts each piece to the next one.\n",
}
_NAMES = {"zh": "Chinese", "zt": "Chinese (traditional)", "en": "English", "fr": "French"}


@functools.lru_cache(maxsize=16)
def _cached_build(*args) -> Path:
    return _build(*args)


def build_package(
    dest: Path,
    from_code: str = "zh",
    to_code: str = "en",
    *,
    layers: int = 2,
    d_model: int = 64,
    ffn: int = 128,
    vocab_size: int = 4000,
    copy: bool = True,
    version: str = "1.0",
    heads: int = 2,
    quantization: str | None = None,
) -> Path:
    """Write a real ``.argosmodel`` into the folder ``dest``; returns its path (cached per run)."""
    built = _cached_build(
        from_code, to_code, layers, d_model, ffn, vocab_size, copy, version, heads, quantization
    )
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / built.name
    shutil.copyfile(built, target)
    return target


def install_test_model(from_code: str = "zh", to_code: str = "en", **options):
    """Build a test package, install it with ``webapp.engine.install_file``; returns ModelInfo."""
    from webapp import engine

    archive = build_package(_BUILDS / "install", from_code, to_code, **options)
    return engine.install_file(archive, expect=(from_code, to_code))
