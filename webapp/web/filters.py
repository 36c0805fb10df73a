"""Template filters and tests, and the vocabulary every template can use."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask

from webapp import vocabulary
from webapp.actions.edit import one_line
from webapp.exports import FORMATS


def host(url: str) -> str:
    """The host of a URL (the URL itself when it has none or cannot be parsed)."""
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def basename(path: str) -> str:
    """The last part of a path."""
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def datetime_filter(stamp: str) -> str:
    """An ISO UTC time as '2021-05-26 18:49 UTC'."""
    return f"{stamp[:10]} {stamp[11:16]} UTC" if len(stamp) >= 16 else stamp


def original_time(local: str | None) -> str:
    """A page's own time as it printed it: '2019-09-26 12:11 (UTC+08:00)'."""
    if not local or len(local) < 16:
        return ""
    zone = local[19:].replace(".000", "") if len(local) > 19 else ""
    return f"{local[:10]} {local[11:16]} (UTC{zone or '+00:00'})"


def safe_url(url: str) -> bool:
    """Only http(s) links from articles are rendered as links."""
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))


def init_app(app: Flask) -> None:
    """Register the filters, the test and the context processor."""
    app.add_template_filter(vocabulary.status_label, "statuslabel")
    app.add_template_filter(vocabulary.name, "langname")
    app.add_template_filter(vocabulary.bcp47, "bcp47")
    app.add_template_filter(host, "host")
    app.add_template_filter(basename, "basename")
    app.add_template_filter(datetime_filter, "datetime")
    app.add_template_filter(original_time, "original_time")
    app.add_template_filter(one_line, "oneline")
    app.add_template_test(safe_url, "safe_url")

    @app.context_processor
    def _vocabulary() -> dict:
        return {**vocabulary.template_globals(), "export_formats": FORMATS}
