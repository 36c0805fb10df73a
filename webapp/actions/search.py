"""Search the library: sentences whose source or English holds a text (web, API and CLI)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from webapp.errors import EnfaceError
from webapp.storage import Library
from webapp.storage.catalog import Where
from webapp.storage.search import HIT_END, HIT_START
from webapp.text import INVALID

MAX_QUERY = 200  # characters: a sentence, not a document
PER_PAGE = 50


@dataclass
class Results:
    """One page of hits for a query, best first."""

    query: str
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    hits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """How many pages the hits fill."""
        return max(1, -(-self.total // self.per_page))

    def to_json(self) -> dict[str, Any]:
        """As the API gives it: snippets as plain text."""
        return {"query": self.query, "total": self.total, "page": self.page,
                "hits": [{**hit, "snippet": plain(hit["snippet"])} for hit in self.hits]}


def plain(snippet: str) -> str:
    """A snippet without its match marks."""
    return snippet.replace(HIT_START, "").replace(HIT_END, "")


def clean_query(query: object) -> str:
    """The query as searched: text with its whitespace collapsed and characters no text holds
    (NUL and other controls, lone surrogates) taken as spaces; 400 when it is not text or too
    long."""
    if query is None:
        return ""
    if not isinstance(query, str):
        raise EnfaceError("The search must be text.")
    text = " ".join(INVALID.sub(" ", query).split())
    if len(text) > MAX_QUERY:
        raise EnfaceError(f"A search is at most {MAX_QUERY} characters.")
    return text


def page_number(value: object) -> int:
    """A page number from a form or query string (1 when missing); 400 when not one."""
    if value in (None, ""):
        return 1
    text = str(value)
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 100_000:
        raise EnfaceError("'page' must be a page number.")
    return int(text)


def search(library: Library, query: object, page: object = None,
           where: Where | None = None) -> Results:
    """One page of sentences holding ``query`` (an empty query finds nothing), in the
    documents the library's filters ``where`` keep (its own ``q`` aside) when given."""
    text, number = clean_query(query), page_number(page)
    results = Results(text, page=number)
    if text:
        documents = library.catalog.matching(replace(where, q="")) if where else None
        results.total, results.hits = library.search.units(
            text, limit=PER_PAGE, offset=(number - 1) * PER_PAGE, documents=documents)
        heads = library.catalog.headlines({hit["document_id"] for hit in results.hits})
        for hit in results.hits:
            hit["title_translation"] = heads.get(hit["document_id"], {}).get(
                "title_translation")
    return results
