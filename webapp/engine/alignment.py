"""Tokens to characters, and English words to the source tokens they came from.

Shared by ``scoring`` (forced decoding of any English) and ``inference`` (the attention of the
model's own beam search while it translates). SentencePiece gives every token's offsets in the
text (``proto`` output: bytes, turned into characters here), so a span is always a slice of
the stored sentence; a package without a SentencePiece tokenizer has no offsets
(``ModelError``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from webapp.errors import ModelError

Span = tuple[int, int]
Link = tuple[Span, Span, float]  # English word, source token, weight
SECOND_CHOICE = 0.5  # a source token aligned besides the strongest: at least half its weight


def processor_of(tokenizer: Any) -> Any:
    """The SentencePiece processor behind an Argos tokenizer; ModelError for another kind."""
    lazy = getattr(tokenizer, "lazy_processor", None)
    if lazy is None:
        raise ModelError("Word alignment needs a model with a SentencePiece tokenizer.")
    return lazy()


def _char_of_byte(text: str) -> list[int]:
    """For every UTF-8 byte offset of ``text`` (and its end), the character offset."""
    chars = [0] * (len(text.encode("utf-8")) + 1)
    offset = 0
    for index, char in enumerate(text):
        size = len(char.encode("utf-8"))
        for b in range(offset, offset + size):
            chars[b] = index
        offset += size
    chars[offset] = len(text)
    return chars


def encoded(tokenizer: Any, text: str) -> tuple[list[str], list[Span]]:
    """The tokens of ``text`` as inference makes them, with each token's characters."""
    proto = processor_of(tokenizer).encode(text, return_type="proto")
    chars = _char_of_byte(text)
    spans = []
    for piece in proto.pieces:
        start, end = chars[piece.begin], chars[piece.end]
        while start < end and text[start].isspace():  # '▁café' covers ' café': keep 'café'
            start += 1
        spans.append((start, end))
    return [p.piece for p in proto.pieces], spans


def decoded(tokenizer: Any, tokens: list[str]) -> list[Span] | None:
    """Each token's characters in ``tokenizer.decode(tokens)`` (Argos replaces '▁' and '_'
    one for one, so SentencePiece's offsets hold); None if they cannot be told."""
    proto = processor_of(tokenizer).decode_pieces_as_proto(tokens)
    if len(proto.pieces) != len(tokens):
        return None
    text, chars = proto.text, _char_of_byte(proto.text)
    spans = []
    for piece in proto.pieces:
        start, end = chars[piece.begin], chars[piece.end]
        while start < end and text[start].isspace():
            start += 1
        spans.append((start, end))
    return spans


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum() or "\u00c0" <= char <= "\u024f"


def words(pieces: list[str], spans: list[Span]) -> list[list[int]]:
    """English tokens grouped into words: a token joins the word before it when it does not
    start with '▁' and both sides of the join are Latin letters or digits ('▁ca' 'f' 'é')."""
    groups: list[list[int]] = []
    for k, (piece, (start, end)) in enumerate(zip(pieces, spans, strict=True)):
        if start >= end:
            continue
        previous = pieces[groups[-1][-1]] if groups else ""
        if previous and not piece.startswith("▁") and _latin(previous[-1]) and _latin(piece[0]):
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def align_words(pieces: list[str], spans: list[Span],
                rows: Sequence[Sequence[tuple[Span, float]]]) -> list[Link]:
    """Word alignment links (English word, source token, weight) from each English token's
    attention over source tokens (``rows[k]``: (source span, weight) pairs).

    A word's weights are its tokens' summed by source span; it is linked to its strongest
    source token and to those with at least ``SECOND_CHOICE`` of that weight.
    """
    links = []
    for group in words(pieces, spans):
        start, end = spans[group[0]][0], spans[group[-1]][1]
        weights: dict[Span, float] = {}
        for k in group:
            for span, value in rows[k] if k < len(rows) else ():
                if span[0] < span[1] and value > 0:
                    weights[span] = weights.get(span, 0.0) + value
        if not weights:
            continue
        order = sorted(weights, key=lambda span: (-weights[span], span))
        top = weights[order[0]]
        for span in order:
            if weights[span] < SECOND_CHOICE * top:
                break
            links.append(((start, end), span, weights[span] / len(group)))
    return links
