"""Download one web page: http(s) only, redirects hop by hop, time and size limits."""

from __future__ import annotations

import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from webapp.errors import ImportFailed, TooLarge
from webapp.links import safe_url

USER_AGENT = "Enface/0.1 (bilingual reader)"
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_TEXT_TYPES = ("text/", "application/xhtml+xml", "application/xml", "application/rss+xml",
               "application/atom+xml")


def download(
    url: str, *, timeout: float, max_bytes: int, public_only: bool = False
) -> tuple[bytes, str, str | None]:
    """Fetch ``url``; return ``(body, final URL, Content-Type)`` or raise ImportFailed/TooLarge.

    Redirects are followed here, one hop at a time (at most MAX_REDIRECTS), so that with
    ``public_only`` every hop is checked to resolve to public addresses only: a server reachable
    by others must not become a way into the network it sits in.
    """
    pool = urllib3.PoolManager(headers={"User-Agent": USER_AGENT, "Accept": "text/html, */*;q=0.5"})
    deadline = time.monotonic() + timeout
    first = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            url = safe_url(url) or ""  # "http://[::1", a port out of range: not an address
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ImportFailed(first, "only http:// and https:// addresses can be imported")
            if public_only:
                _check_public(first, parts.hostname, parts.port or 0)
            response = pool.request("GET", url, preload_content=False, redirect=False,
                                    retries=False,
                                    timeout=urllib3.Timeout(connect=timeout, read=timeout))
            try:
                location = response.headers.get("Location")
                if response.status in (301, 302, 303, 307, 308) and location:
                    url = urljoin(url, location)
                    continue
                return _read(response, first, deadline, max_bytes, url)
            finally:
                response.close()  # a body left unread must not go back to the pool
                response.release_conn()
        raise ImportFailed(first, f"too many redirects (more than {MAX_REDIRECTS})")
    except MaxRetryError as exc:
        raise ImportFailed(first, _reason(exc.reason, timeout)) from exc
    except (HTTPError, OSError) as exc:
        raise ImportFailed(first, _reason(exc, timeout)) from exc
    except ValueError as exc:  # a redirect to an address that cannot be parsed
        raise ImportFailed(first, f"the address cannot be read ({exc})") from exc
    finally:
        pool.clear()


def _check_public(origin: str, host: str, port: int) -> None:
    """ImportFailed unless every address ``host`` resolves to is a public one."""
    try:
        infos = socket.getaddrinfo(host, port or None, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise ImportFailed(origin, _reason(NameResolutionError(host, None, exc), 0)) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise ImportFailed(origin, f"{host} is a private or local address ({address}); "
                                       "this server only imports public pages")


def _read(
    response: urllib3.BaseHTTPResponse, url: str, deadline: float, max_bytes: int, final: str
) -> tuple[bytes, str, str | None]:
    if response.status >= 400:
        raise ImportFailed(url, f"the server answered {response.status} {response.reason or ''}"
                           .rstrip())
    content_type = response.headers.get("Content-Type")
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime and not mime.startswith(_TEXT_TYPES):
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
    return bytes(body), final, content_type


def _reason(exc: BaseException | None, timeout: float) -> str:
    """A sentence a person understands for a network failure."""
    if isinstance(exc, NameResolutionError):
        return "could not find that host (check the address or your connection)"
    if isinstance(exc, NewConnectionError | ConnectionError):  # before: it subclasses a timeout
        return "could not connect to the server (connection refused or network down)"
    if isinstance(exc, ConnectTimeoutError | ReadTimeoutError | TimeoutError):
        return f"the server did not answer within {timeout:g} seconds (timed out)"
    if isinstance(exc, SSLError):
        return "the secure (TLS) connection failed"
    return f"the download failed ({type(exc).__name__ if exc else 'unknown error'})"
