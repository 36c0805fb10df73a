"""The one rule for links: only an absolute http(s) URL may ever become a link."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

#: Characters left as they are when a URL is made a valid URI (the rest is percent-encoded).
_URI_SAFE = "/?#[]@!$&'()*+,;=:%~-._"
MAX_URL_CHARS = 8192


def safe_url(url: object) -> str | None:
    """``url`` as a valid absolute http(s) URI, else None (javascript:, data:, broken hosts).

    User names and passwords are dropped, an international host name becomes punycode, and
    anything else a URI cannot hold is percent-encoded.
    """
    if not isinstance(url, str) or not url.strip() or len(url) > MAX_URL_CHARS:
        return None
    # Browsers drop tabs and newlines anywhere in a URL ("java\tscript:"): so do we.
    cleaned = "".join(url.strip().split("\t")).replace("\n", "").replace("\r", "")
    try:
        parts = urlsplit(cleaned)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        netloc = parts.hostname.encode("idna").decode("ascii")
        netloc = f"[{netloc}]" if ":" in netloc else netloc
        netloc += f":{parts.port}" if parts.port else ""
    except (UnicodeError, ValueError):  # "http://[::1", a port out of range, a bad IDNA label
        return None
    rest = (quote(part, safe=_URI_SAFE) for part in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme.lower(), netloc, *rest))


def url_host(url: object) -> str:
    """The host of a URL for display, or the text itself (never raises)."""
    text = url if isinstance(url, str) else ("" if url is None else str(url))
    try:
        return urlsplit(text).hostname or text
    except ValueError:
        return text


def site_of(url: object) -> str | None:
    """The site a URL belongs to, as the library's site filter names it: its host in lower
    case without a leading ``www.`` ("news.example.org"); None for anything but an http(s) URL."""
    safe = safe_url(url)
    if safe is None:
        return None
    host = (urlsplit(safe).hostname or "").lower()
    return host.removeprefix("www.") or None
