"""Download one web page or feed through the outbound rule (``webapp.outbound``): http(s) only,
every hop's address checked, time and size limits."""

from __future__ import annotations

import time
from collections.abc import Callable

import urllib3

from webapp.errors import ImportFailed, TooLarge
from webapp.outbound import FetchFailed, open_url

_CHUNK = 64 * 1024
_TEXT_TYPES = ("text/", "application/xhtml+xml", "application/xml", "application/rss+xml",
               "application/x-rss+xml", "application/atom+xml", "application/rdf+xml")
_ACCEPT = "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.5"


def is_text_type(mime: str) -> bool:
    """True for a media type that holds text or markup (``text/*``, ``…/xml``, ``…+xml``)."""
    return mime.startswith(_TEXT_TYPES) or mime.endswith(("+xml", "/xml"))


def download(
    url: str, *, timeout: float, max_bytes: int, allow_private: bool = False,
    sniff: Callable[[bytes], bool] | None = None, accept: str = _ACCEPT,
) -> tuple[bytes, str, str | None]:
    """Fetch ``url``; return ``(body, final URL, Content-Type)`` or raise ImportFailed/TooLarge.

    Private and local addresses are refused unless ``allow_private`` (see ``webapp.outbound``).
    A body whose Content-Type is not text or XML is refused, unless ``sniff`` recognises it.
    """
    deadline = time.monotonic() + timeout
    try:
        with open_url(url, timeout=timeout, allow_private=allow_private,
                      headers={"Accept": accept}) as opened:
            return _read(opened.response, url, deadline, max_bytes, opened.url, sniff)
    except FetchFailed as exc:
        raise ImportFailed(url, exc.reason) from exc


def _read(
    response: urllib3.BaseHTTPResponse, url: str, deadline: float, max_bytes: int, final: str,
    sniff: Callable[[bytes], bool] | None,
) -> tuple[bytes, str, str | None]:
    if response.status >= 400:
        raise ImportFailed(url, f"the server answered {response.status} {response.reason or ''}"
                           .rstrip())
    content_type = response.headers.get("Content-Type")
    mime = (content_type or "").split(";")[0].strip().lower()
    refused = bool(mime) and not is_text_type(mime)
    if refused and sniff is None:
        raise ImportFailed(url, f"not a web page or text (the server sent {mime})")
    length = response.headers.get("Content-Length", "")
    if length.isascii() and length.isdigit() and int(length) > max_bytes:
        raise TooLarge(url, f"the page is {int(length)} bytes, over the {max_bytes} byte limit")
    body = bytearray()
    while chunk := response.read1(_CHUNK):  # whatever has arrived: the deadline is checked often
        body += chunk
        if len(body) > max_bytes:
            raise TooLarge(url, f"the page is over the {max_bytes} byte import limit")
        if time.monotonic() > deadline:
            raise ImportFailed(url, "the download took too long (timed out)")
    if refused and sniff is not None and not sniff(bytes(body)):
        raise ImportFailed(url, f"not a feed, web page or text (the server sent {mime})")
    return bytes(body), final, content_type
