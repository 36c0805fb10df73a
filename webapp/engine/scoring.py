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

from webapp.engine.alignment import Link, Span, align_words, encoded, words
from webapp.engine.inference import _load, _Loaded
from webapp.engine.packages import ModelInfo
from webapp.errors import ModelError


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
    links: list[Link] = field(default_factory=list)  # English word, source token, weight


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
    return encoded(loaded.tokenizer, text)


def judge(pairs: Sequence[tuple[str, str]], model: ModelInfo) -> list[Analysis]:
    """Score and word probabilities of each (source, English) pair, without alignment: one
    ``score_batch`` pass (what the worker adds to a batch it translated with attention).
    A package without SentencePiece offsets gets its scores alone."""
    return Judging(pairs, model).result()


class Judging:
    """``judge`` handed to CTranslate2 at once (``score_batch(asynchronous=True)``) and
    collected later: a translation job queues the judgements of every batch it stored
    together, so each CTranslate2 worker takes one while the others are scored."""

    def __init__(self, pairs: Sequence[tuple[str, str]], model: ModelInfo) -> None:
        self.size = len(pairs)
        self.loaded = loaded = _load(model)
        self.prefix = _prefix(loaded)
        self.fallback: list[float | None] | None = None
        self.pending: list = []
        try:
            self.work = [(i, loaded.tokenizer.encode(s), *_pieces(loaded, e))
                         for i, (s, e) in enumerate(pairs) if s.strip() and e.strip()]
        except ModelError:
            self.work, self.fallback = [], score(pairs, model)
            return
        if self.work:
            self.pending = loaded.translator.score_batch(
                [w[1] for w in self.work], [self.prefix + w[2] for w in self.work],
                max_batch_size=1024, batch_type="tokens", asynchronous=True)

    def result(self) -> list[Analysis]:
        """Each pair's analysis (waits for CTranslate2; raises what it raised)."""
        if self.fallback is not None:
            return [Analysis(value) for value in self.fallback]
        found: dict[int, Analysis] = {}
        for (i, _, pieces, spans), scoring in zip(self.work, self.pending, strict=True):
            probs = list(scoring.result().log_probs)[len(self.prefix):]
            found[i] = Analysis(_mean(probs), _word_probabilities(probs, pieces, spans))
        return [found.get(i, Analysis(None)) for i in range(self.size)]


def _word_probabilities(probs: list[float], pieces: list[str], spans: list[Span]) -> list[Word]:
    return [Word(spans[g[0]][0], spans[g[-1]][1],
                 math.exp(sum(probs[k] for k in g if k < len(probs))))
            for g in words(pieces, spans)]


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
        rows = [list(zip(source_spans, row, strict=False)) for row in attention]
        by_index[i] = Analysis(_mean(probs), _word_probabilities(probs, pieces, spans),
                               align_words(pieces, spans, rows))
    for i in range(len(pairs)):
        results.append(by_index.get(i, Analysis(None)))
    return results
