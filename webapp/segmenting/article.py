"""The in-memory shape of an imported article, shared by importing, segmenting and storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from webapp.segmenting.sentences import bounded, split_sentences
from webapp.text import has_invalid, strip_invalid
from webapp.vocabulary import BLOCK_KINDS

__all__ = ["BLOCK_KINDS", "Article", "Block"]


@dataclass(frozen=True)
class Block:
    """One block of an article: its kind, its text, and for a list item the link it points to."""

    kind: str
    text: str
    href: str | None = None


@dataclass
class Article:
    """An article ready to store: metadata plus its ordered blocks (the title block first)."""

    title: str
    blocks: list[Block]
    source_lang: str
    origin: str
    raw: str
    source_url: str | None = None
    published_at: datetime | None = None
    meta: dict = field(default_factory=dict)

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

    def sentences(self, block: Block) -> list[str]:
        """A block's sentences in the article's language (they concatenate to its text), none
        longer than a model can decode whole (``sentences.bounded``)."""
        lang = self.source_lang
        return bounded(split_sentences(block.text, lang) or [block.text], lang)
