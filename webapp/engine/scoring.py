"""How sure the model is of an English sentence, word by word, and where each word came from.

The model that translates also judges: ``Translator.score_batch`` gives the log-probability of
every token of any English for a source (the machine's own output or a person's edit), and
forced decoding — ``translate_batch`` with the English as ``target_prefix`` and
``return_attention=True`` — gives, for every English token, the model's attention over the
source tokens: its word alignment. Both tokenise as inference does, with the package's own
tokenizer (and its target prefix, when the package has one).

Tokens are mapped back to characters with the SentencePiece model's own offsets (``proto``
output, which points into the text as given, before normalisation), so a span is always a
slice of the stored sentence. Packages with a BPE tokenizer have no such offsets: ``analyse``
then refuses with a ModelError (``score`` works with any tokenizer).

How good an alignment is depends on the model: attention of a Transformer trained with guided
alignment (OpenNMT's ``alignment_layer``) follows words closely; plain attention is rougher but
still points at the right clause, which is what the omission check and the reader need.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from webapp.engine.inference import _load, _Loaded
from webapp.engine.packages import ModelInfo
from webapp.errors import ModelError

Span = tuple[int, int]
SECOND_CHOICE = 0.5  # a source token aligned besides the strongest: at least half its weight


@dataclass(frozen=True)
class Word:
    """An English word, its characters and the model's probability of it (its tokens' product)."""

    start: int
    end: int
    probability: float


@dataclass(frozen=True)
class Analysis:
    """A sentence pair as the model sees it: its score, its words, its word alignment."""

    score: float | None  # mean log-probability of the English tokens (length-normalised)
    words: list[Word] = field(default_factory=list)
    links: list[tuple[Span, Span, float]] = field(default_factory=list)  # English, source, weight


def _prefix(loaded: _Loaded) -> list[str]:
    return [loaded.target_prefix] if loaded.target_prefix else []


def score(pairs: Sequence[tuple[str, str]], model: ModelInfo) -> list[float | None]:
    """The length-normalised log-probability of each English given its source (None if blank).

    The mean over the English tokens and the end of sentence (not the target prefix): 0 is
    certain; a person's edit the model finds unlikely scores lower than its own output.
    """
    wanted = [i for i, (source, english) in enumerate(pairs) if source.strip() and english.strip()]
    scores: list[float | None] = [None] * len(pairs)
    if not wanted:
        return scores
    loaded = _load(model)
    prefix = _prefix(loaded)
    sources = [loaded.tokenizer.encode(pairs[i][0]) for i in wanted]
    targets = [prefix + loaded.tokenizer.encode(pairs[i][1]) for i in wanted]
    results = loaded.translator.score_batch(sources, targets, max_batch_size=1024,
                                            batch_type="tokens")
    for i, result in zip(wanted, results, strict=True):
        scores[i] = _mean(list(result.log_probs)[len(prefix):])
    return scores


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _pieces(loaded: _Loaded, text: str) -> tuple[list[str], list[Span]]:
    """The tokens of ``text`` as inference makes them, with each token's characters."""
    processor = getattr(loaded.tokenizer, "lazy_processor", None)
    if processor is None:
        raise ModelError("Word alignment needs a model with a SentencePiece tokenizer.")
    proto = processor().encode(text, return_type="proto")
    chars = [0] * (len(text.encode("utf-8")) + 1)  # byte offset → character offset
    offset = 0
    for index, char in enumerate(text):
        size = len(char.encode("utf-8"))
        for b in range(offset, offset + size):
            chars[b] = index
        offset += size
    chars[offset] = len(text)
    spans = []
    for piece in proto.pieces:
        start, end = chars[piece.begin], chars[piece.end]
        while start < end and text[start].isspace():  # '▁café' covers ' café': keep 'café'
            start += 1
        spans.append((start, end))
    return [p.piece for p in proto.pieces], spans


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum() or "\u00c0" <= char <= "\u024f"


def _words(pieces: list[str], spans: list[Span]) -> list[list[int]]:
    """English tokens grouped into words: a token joins the word before it when it does not
    start with '▁' and both sides of the join are Latin letters or digits ('▁ca' 'f' 'é')."""
    groups: list[list[int]] = []
    for k, (piece, (start, end)) in enumerate(zip(pieces, spans, strict=True)):
        if start == end:
            continue
        previous = pieces[groups[-1][-1]] if groups else ""
        if previous and not piece.startswith("▁") and _latin(previous[-1]) and _latin(piece[0]):
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def analyse(pairs: Sequence[tuple[str, str]], model: ModelInfo) -> list[Analysis]:
    """Score, word probabilities and word alignment of each (source, English) pair."""
    loaded = _load(model)
    prefix = _prefix(loaded)
    results: list[Analysis] = []
    work = [(i, *_pieces(loaded, s), *_pieces(loaded, e)) for i, (s, e) in enumerate(pairs)
            if s.strip() and e.strip()]
    if not work:
        return [Analysis(None) for _ in pairs]
    sources = [w[1] for w in work]
    targets = [prefix + w[3] for w in work]
    scored = loaded.translator.score_batch(sources, targets, max_batch_size=1024,
                                           batch_type="tokens")
    forced = loaded.translator.translate_batch(
        sources, target_prefix=targets, return_attention=True, beam_size=1,
        max_decoding_length=max(len(t) for t in targets) + 1, max_batch_size=1024,
        batch_type="tokens")
    by_index = {}
    for (i, _, source_spans, pieces, spans), scoring, output in zip(work, scored, forced,
                                                                   strict=True):
        probs = list(scoring.log_probs)[len(prefix):]
        attention = output.attention[0][len(prefix):len(prefix) + len(pieces)]
        by_index[i] = _analysis(probs, pieces, spans, source_spans, attention)
    for i in range(len(pairs)):
        results.append(by_index.get(i, Analysis(None)))
    return results


def _analysis(probs: list[float], pieces: list[str], spans: list[Span],
              source_spans: list[Span], attention: list[list[float]]) -> Analysis:
    words, links = [], []
    for group in _words(pieces, spans):
        start, end = spans[group[0]][0], spans[group[-1]][1]
        words.append(Word(start, end, math.exp(sum(probs[k] for k in group if k < len(probs)))))
        weights = [0.0] * len(source_spans)
        for k in group:
            row = attention[k] if k < len(attention) else []
            for s, value in enumerate(row[:len(source_spans)]):
                weights[s] += value
        order = sorted((s for s in range(len(source_spans))
                        if source_spans[s][0] < source_spans[s][1]),
                       key=lambda s: -weights[s])
        if not order:
            continue
        top = weights[order[0]]
        for s in order:
            if weights[s] < SECOND_CHOICE * top or weights[s] <= 0:
                break
            links.append(((start, end), source_spans[s], weights[s] / len(group)))
    return Analysis(_mean(probs), words, links)
