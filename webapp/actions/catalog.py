"""The library as a list: one query (filters, sort, page) read from a URL, a form, the API or the
command line, and the page, the API answer and the CLI's list made from it.

A query's URL holds all of it (``Query.args``), so a shared link or the back button shows the
same list. Every value is checked here, once, whoever sent it: a wrong one is a 400 that says
which and what it may be.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from webapp import vocabulary
from webapp.actions import Submit, problems
from webapp.actions import translate as translation
from webapp.actions.fields import tag_name
from webapp.actions.search import clean_query, page_number
from webapp.errors import EnfaceError
from webapp.learning.rules import library_filters
from webapp.storage import Library
from webapp.storage.catalog import SORTS, Where
from webapp.storage.tags import tag_key
from webapp.text import has_invalid
from webapp.vocabulary import HEADLINE_JOB, MAX_ROW_ID, TRANSLATE_JOB

PER_PAGE = 100  # documents a page of the library shows
MAX_PER_PAGE = 500  # the most the API gives at once
STATES = {"untranslated": "Not translated", "partly": "Partly translated", "done": "Translated"}
REVIEWS = {"unreviewed": "Not reviewed", "partly": "Partly reviewed", "reviewed": "Reviewed"}
_ALIASES = {"translated": "done"}  # what people also call a translated document
#: The query's fields as URLs name them, in the order they are written.
FIELDS = ("q", "site", "lang", "from", "to", "state", "review", "problems", "tag", "collection",
          "level", "known", "sort", "page", "per_page")
#: Sorts by an article's difficulty for the learner reading the list (``actions.learning``
#: orders them; without learners the list is newest first).
LEARNER_SORTS = {"difficulty": "Easiest for you first", "-difficulty": "Hardest for you first"}


@dataclass(frozen=True)
class Query:
    """What to list: filters (``where``), a sort key, a page."""

    where: Where = field(default_factory=Where)
    sort: str = next(iter(SORTS))
    page: int = 1
    per_page: int = PER_PAGE
    tag_label: str | None = None  # the tag as it was written (``where.tag`` is its key)
    level: str | None = None  # for a learner: articles of this HSK level or easier
    known: int | None = None  # for a learner: articles with at least this % of words known

    @property
    def for_learner(self) -> bool:
        """Whether the list is sorted or filtered by difficulty (``actions.learning``)."""
        return self.sort in LEARNER_SORTS or self.level is not None or self.known is not None

    @property
    def filtered(self) -> bool:
        """Whether any filter is set."""
        return self.where != Where() or self.level is not None or self.known is not None

    @property
    def narrowed(self) -> bool:
        """Whether any filter but the text (``q``) is set."""
        return (replace(self.where, q="") != Where() or self.level is not None
                or self.known is not None)

    def args(self, **changes: object) -> dict[str, str]:
        """The query as URL arguments (defaults left out), with ``changes`` applied."""
        w = self.where
        values: dict[str, object] = {
            "q": w.q, "site": w.site, "lang": w.lang, "from": w.date_from, "to": w.date_to,
            "state": w.state, "review": w.review, "problems": "1" if w.problems else None,
            "tag": self.tag_label, "collection": w.collection, "level": self.level,
            "known": self.known,
            "sort": None if self.sort == Query.sort else self.sort,
            "page": self.page if self.page > 1 else None,
            "per_page": None if self.per_page == PER_PAGE else self.per_page}
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "", False)}


def sort_label(name: str) -> str:
    """How a sort key is named to people."""
    return SORTS[name].label if name in SORTS else LEARNER_SORTS.get(name, name)


def _text(value: object, name: str, limit: int) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise EnfaceError(f"'{name}' must be text.")
    text = " ".join(value.split())
    if len(text) > limit or has_invalid(text):
        raise EnfaceError(f"'{name}' must be at most {limit} characters of text.")
    return text or None


def _choice(value: object, name: str, choices: Mapping[str, str]) -> str | None:
    text = _text(value, name, 40)
    if text is None:
        return None
    text = _ALIASES.get(text.lower(), text.lower())
    if text not in choices:
        raise EnfaceError(f"'{name}' must be one of: {', '.join(choices)}.")
    return text


def _date(value: object, name: str) -> str | None:
    text = _text(value, name, 10)
    if text is None:
        return None
    try:
        if len(text) != 10:  # fromisoformat also reads "20210526" and week dates
            raise ValueError(text)
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise EnfaceError(f"'{name}' must be a date written YYYY-MM-DD.") from None


def _number(value: object, name: str, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise EnfaceError(f"'{name}' must be a whole number from {low} to {high}.")
    return int(text)


def _flag(value: object, name: str) -> bool:
    text = "" if value is None else str(value).strip().lower()
    if text in ("", "0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise EnfaceError(f"'{name}' must be 1 or 0.")


def parse_query(args: Mapping[str, Any], *, per_page: int = PER_PAGE) -> Query:
    """A query from URL arguments, form fields or the CLI's options (``from``, ``to``…)."""
    lang = _text(args.get("lang"), "lang", 10)
    if lang is not None and lang not in vocabulary.NAMES:
        raise EnfaceError(f"Unknown language {lang!r}: use one of "
                          f"{', '.join(vocabulary.NAMES)}.")
    site = _text(args.get("site"), "site", 255)
    date_from, date_to = _date(args.get("from"), "from"), _date(args.get("to"), "to")
    if date_from and date_to and date_from > date_to:
        raise EnfaceError("'from' must not be after 'to'.")
    tag = tag_name(args.get("tag")) if args.get("tag") not in (None, "") else None
    sort = _text(args.get("sort"), "sort", 40) or Query.sort
    if sort not in SORTS and sort not in LEARNER_SORTS:
        raise EnfaceError(f"'sort' must be one of: {', '.join([*SORTS, *LEARNER_SORTS])}.")
    learner = library_filters({"level": args.get("level"), "known": args.get("known")})
    where = Where(
        q=clean_query(args.get("q")),
        site=site.lower().removeprefix("www.") if site else None, lang=lang,
        date_from=date_from, date_to=date_to,
        state=_choice(args.get("state"), "state", STATES),
        review=_choice(args.get("review"), "review", REVIEWS),
        problems=_flag(args.get("problems"), "problems"),
        tag=tag_key(tag) if tag else None,
        collection=_number(args.get("collection"), "collection", 1, MAX_ROW_ID))
    return Query(where, sort, page_number(args.get("page")),
                 _number(args.get("per_page"), "per_page", 1, MAX_PER_PAGE) or per_page,
                 tag_label=tag, level=learner.level, known=learner.known)


def with_headlines(library: Library, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """List rows with their English title and lede, and their tags."""
    ids = [r["id"] for r in rows]
    heads = library.catalog.headlines(ids)
    tags = library.tags.of_documents(ids)
    empty = {"title_translation": None, "lede_translation": None}
    return [row | heads.get(row["id"], empty) | {"tags": [t["name"] for t in
                                                          tags.get(row["id"], [])]}
            for row in rows]


def _listed(library: Library, query: Query, submit: Submit | None) -> dict[str, Any]:
    """One page of the query, with how many there are and the glossary check's progress."""
    unchecked = problems.refresh(library, submit) if query.where.problems else 0
    with library.reading():
        total, rows = library.catalog.page(query.where, _stored_sort(query.sort),
                                           limit=query.per_page,
                                           offset=(query.page - 1) * query.per_page)
        rows = with_headlines(library, rows)
    return {"documents": rows, "total": total, "unchecked": unchecked,
            "pages": max(1, -(-total // query.per_page))}


def _stored_sort(sort: str) -> str:
    """A sort the catalog knows (a learner's sort without a learner: newest first)."""
    return sort if sort in SORTS else Query.sort


def library_page(library: Library, query: Query, *, editors: bool,
                 submit: Submit | None = None) -> dict[str, Any]:
    """One page of the library: documents with their English headline, progress and tags, the
    running translations (and who last edited each, when people sign in)."""
    listed = _listed(library, query, submit)
    with library.reading():
        ids = [d["id"] for d in listed["documents"]]
        last = library.units.last_editors(ids) if editors else {}
        running = library.jobs.active_targets(TRANSLATE_JOB)
        heading = library.jobs.active_count(HEADLINE_JOB)
        collections = library.collections.all()
        tags = library.tags.names()
    work = [sum(j[k] for j in running.values()) for k in ("done", "total")]
    untranslated = {(d["source_lang"], d["target_lang"]) for d in listed["documents"]
                    if d["translated"] < d["units"]}
    return {**listed, "editors": last, "page": query.page, "query": query, "jobs": running,
            "no_model": translation.missing_models(untranslated),
            "work": work, "headlines_pending": heading, "collections": collections,
            "all_tags": tags}


def version(library: Library) -> tuple:
    """What the library's lists are made of, beyond who asks and what they ask, as a value that
    changes whenever any of it may have: the library's change counter (moved on by every write
    of every process) and the models installed here (a list says which documents lack one).
    Read it before the list: a list made after reading it is at least that new."""
    return library.generation(), translation.models_stamp()


def choices(library: Library, *, learning: bool = False) -> dict[str, Any]:
    """What the filter form offers: sites, languages, tags, collections, states, sorts (and,
    with ``learning``, the sorts and filters by difficulty for the reader)."""
    from webapp.reading import hsk

    sorts = {name: s.label for name, s in SORTS.items()}
    with library.reading():
        return {"sites": library.catalog.sites(), "languages": library.catalog.languages(),
                "tags": library.tags.all(), "collections": library.collections.all(),
                "states": STATES, "reviews": REVIEWS, "learning": learning,
                "sorts": sorts | LEARNER_SORTS if learning else sorts,
                "hsk_levels": hsk.LABELS if learning else ()}


def documents_json(library: Library, query: Query) -> dict[str, Any]:
    """The API's page: {"total", "page", "per_page", "documents"}, each document with its
    progress counts, ``title_translation`` (None until translated) and tags."""
    listed = _listed(library, query, None)
    return {"total": listed["total"], "page": query.page, "per_page": query.per_page,
            "documents": listed["documents"]}


def selected_ids(library: Library, query: Query, limit: int) -> list[int]:
    """Every document the query keeps, in its order (at most ``limit``; EnfaceError beyond)."""
    found = library.catalog.ids(query.where, _stored_sort(query.sort), limit=limit + 1)
    if len(found) > limit:
        raise EnfaceError(f"The query keeps more than {limit:,} documents: narrow it first.")
    return found


def with_ids(query: Query, ids: list[int]) -> Query:
    """The query kept to these documents (a selection)."""
    return replace(query, where=replace(query.where, ids=tuple(ids)))
