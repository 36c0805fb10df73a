"""Library lists kept while the library has not changed, served again to whoever asked them.

The library page, its list (htmx, which also polls it while translations run) and the API's
pages of documents are made from the library alone, with who asks and what the request says:
most of their time is six reads and a hundred rows rendered, the same again for every reader
who opens the page and every poll while nothing changed. A kept page is served again while

* ``catalog.version`` reads the same: the library's change counter, which every unit of work
  that writes moves on as its last statement, in every process, on either database (migration
  0017), and the folders models are installed in (a list says which documents lack one);
* and the request is the same one: its path and query, its htmx headers (a partial or the whole
  page), and who asks — the user, their role and the session's CSRF token, which a page holds.
  A page is never kept for a session without its token yet (its first page makes it).

The version is read before the page is made, so a page kept under it is at least that new
(``Database.generation``); a write committed since moves the version on and the next request
makes the page anew. Each process keeps its own pages, bounded in bytes (``PAGE_CACHE_MB``,
0: none), least recently served first out. The headers every response gets (security, the
owner, metrics) are added to a kept page as to any; its compressed bodies (brotli, gzip: what a
browser asks for) are kept too, through flask-compress's own cache (``CompressedPages``), by
the kept page's token: compressing 180 KB took longer than serving it.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g, request, session

from webapp.actions import catalog
from webapp.web.db import lib

#: The request headers a kept page may differ by (htmx's: a partial or the whole page).
_VARYING = ("HX-Request", "HX-History-Restore-Request", "HX-Target", "HX-Trigger",
            "HX-Current-URL", "Accept")


#: A kept page: its body, status, the headers the view gave it, and its token (which names
#: its compressed bodies in ``CompressedPages``).
Page = tuple[bytes, int, list[tuple[str, str]], str]
_tokens = itertools.count(1)


class PageCache:
    """Responses by key, at most ``max_bytes`` of bodies, least recently served out first."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[tuple, Page] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: Page) -> bool:
        """Keep ``page``; False when it is too big to keep (over a quarter of the whole: one
        page never pushes out most of the others)."""
        size = len(page[0])
        if size > self.max_bytes // 4:
            return False
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old[0])
            self._pages[key] = page
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped[0])
        return True

    def __len__(self) -> int:
        return len(self._pages)


class CompressedPages:
    """flask-compress's cache (``COMPRESS_CACHE_BACKEND``): the compressed bodies of kept pages
    by "algorithm;token" (``compressed_key``), the most recent ``max_items``; any other
    response's key has no token, and nothing is kept or found for it."""

    def __init__(self, max_items: int = 256) -> None:
        self.max_items = max_items
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        if key.endswith(";"):
            return None
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
            return body

    def set(self, key: str, body: bytes) -> None:
        if key.endswith(";"):
            return
        with self._lock:
            self._bodies[key] = body
            self._bodies.move_to_end(key)
            while len(self._bodies) > self.max_items:
                self._bodies.popitem(last=False)


def compressed_key(_request: Any) -> str:
    """flask-compress's cache key (``COMPRESS_CACHE_KEY``): the token of the kept page this
    response is, or "" (nothing kept)."""
    return g.get("kept_page", "")


def compression_settings(config: dict[str, Any]) -> None:
    """Have flask-compress keep kept pages' compressed bodies (before it reads its settings)."""
    if config.get("PAGE_CACHE_MB", 32) > 0:
        config.setdefault("COMPRESS_CACHE_BACKEND", CompressedPages)
        config.setdefault("COMPRESS_CACHE_KEY", compressed_key)


def init_app(app: Flask) -> None:
    """Give the app its page cache (none when ``PAGE_CACHE_MB`` is 0)."""
    megabytes = app.config.get("PAGE_CACHE_MB", 32)
    app.extensions["page_cache"] = PageCache(megabytes * 1024 * 1024) if megabytes > 0 else None


def _key(*, html: bool) -> tuple | None:
    """This request's key, or None when its page must not be kept or served from the cache."""
    if request.method != "GET":
        return None
    token = session.get("csrf")
    if html and token is None:
        return None  # (the page will make the session's token: never another session's)
    user = g.get("user")
    who = (user.id, user.name, user.role) if user is not None else None
    varying = tuple(request.headers.get(name) for name in _VARYING)
    return (request.endpoint, request.full_path, varying, who, token, g.get("accounts"),
            catalog.version(lib()))


def kept(*, html: bool = True) -> Callable:
    """Serve the view's 200 answer again while the library and the request are the same (see
    the module's docstring). ``html``: the page holds the session's CSRF token."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def serve(*args: Any, **kwargs: Any) -> Any:
            cache: PageCache | None = current_app.extensions.get("page_cache")
            key = _key(html=html) if cache is not None else None
            if key is None:
                return view(*args, **kwargs)
            page = cache.get(key)
            if page is not None:
                body, status, headers, g.kept_page = page
                return Response(body, status, headers)
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code == 200 and not response.is_streamed:
                token = str(next(_tokens))
                if cache.put(key, (response.get_data(), response.status_code,
                                   list(response.headers.items()), token)):
                    g.kept_page = token
            return response

        return serve

    return decorate
