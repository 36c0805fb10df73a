"""The in-memory shape of an imported article, shared by importing, segmenting and storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from webapp.segmenting.sentences import block_sentences
from webapp.text import has_invalid, strip_invalid
from webapp.vocabulary import BLOCK_KINDS

__all__ = ["BLOCK_KINDS", "Article", "Block", "LeftOut"]


@dataclass(frozen=True)
class Block:
    """One block of an article: its kind, its text, and for a list item the link it points to.

    While a reader works, a block it leaves out stays in its stream with ``left_out`` naming
    the rule (see ``webapp.vocabulary.LEFT_OUT_RULES``); an Article's blocks are all kept.
    """

    kind: str
    text: str
    href: str | None = None
    left_out: str | None = None


@dataclass(frozen=True)
class LeftOut:
    """A block the importer left out, kept so that a person can see it in place and restore it.

    ``position`` is where it stood among the kept blocks: the index in ``Article.blocks`` of
    the block it came before (``len(blocks)`` when it came after the last one).
    """

    position: int
    kind: str
    text: str
    rule: str


@dataclass
class Article:
    """An article ready to store: metadata plus its ordered blocks (the title block first) and
    the blocks left out of it, each with the rule that left it out."""

    title: str
    blocks: list[Block]
    source_lang: str
    origin: str
    raw: str
    source_url: str | None = None
    published_at: datetime | None = None
    meta: dict = field(default_factory=dict)
    left_out: list[LeftOut] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Whatever door it came through, an article holds no character stored text may not
        (``webapp.text``): a block left blank by that is dropped."""
        if has_invalid(self.title):
            self.title = strip_invalid(self.title)
        if has_invalid(self.raw):
            self.raw = strip_invalid(self.raw)
        if any(has_invalid(block.text) for block in self.blocks):
            cleaned = [Block(b.kind, strip_invalid(b.text), b.href) for b in self.blocks]
            self.blocks = [b for b in cleaned if b.kind == "title" or b.text.strip()]
        if any(has_invalid(block.text) for block in self.left_out):
            self.left_out = [LeftOut(b.position, b.kind, strip_invalid(b.text), b.rule)
                             for b in self.left_out if strip_invalid(b.text).strip()]

    def sentences(self, block: Block) -> list[str]:
        """A block's sentences in the article's language (they concatenate to its text), none
        longer than a model can decode whole (``sentences.bounded``)."""
        return block_sentences(block.text, self.source_lang)
