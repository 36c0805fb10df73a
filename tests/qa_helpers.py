"""Helpers shared by the QA tests on real articles (tests/fixtures/qa*)."""

from __future__ import annotations

from pathlib import Path

from webapp.importing import load_path
from webapp.segmenting.article import Article

FIXTURES = Path(__file__).parent / "fixtures"


def kinds(article: Article, kind: str) -> list[str]:
    """The texts of an article's blocks of one kind, in order."""
    return [b.text for b in article.blocks if b.kind == kind]


def body(article: Article) -> list[str]:
    """The texts of every block after the title."""
    return [b.text for b in article.blocks[1:]]


def shape(article: Article) -> list[str]:
    """The kinds of an article's blocks, in order."""
    return [b.kind for b in article.blocks]


def fixture_files(folder: str) -> list[Path]:
    """The article files in tests/fixtures/<folder> (not its SOURCES.md), sorted."""
    return sorted(p for p in (FIXTURES / folder).iterdir() if p.name != "SOURCES.md")


def loader(folder: str):
    """``load(name)`` for the fixtures in tests/fixtures/<folder>."""
    return lambda name: load_path(FIXTURES / folder / name)
