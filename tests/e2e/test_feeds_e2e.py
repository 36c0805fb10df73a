"""Feeds in real Chromium: an update runs in the background and its status block polls."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {".atom": "application/atom+xml", ".rss": "application/rss+xml"}

    def log_message(self, *args) -> None:  # noqa: D102
        pass


@pytest.fixture
def server_env() -> dict[str, str]:
    """The feed server is on loopback: the real server must be allowed to fetch from it."""
    return {"ENFACE_ALLOW_PRIVATE_URLS": "1"}


@pytest.fixture
def feed_url():
    """The fixture feeds served on a free loopback port."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(FEEDS)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/news.atom"
    server.shutdown()
    server.server_close()


def test_feed_update_runs_in_the_background_and_reports_per_feed(page, server, feed_url):
    page.goto(server + "/feeds")
    page.get_by_label("RSS or Atom feed address").fill(feed_url)
    page.get_by_role("button", name="Subscribe").click()
    # the update waits behind the seeds' headline jobs on the server's one worker (seconds on a
    # busy machine)
    expect(page.get_by_text(re.compile(r"2 new, 0 skipped, 0 failed"))).to_be_visible(
        timeout=30_000)
    page.get_by_role("button", name="Update all feeds").click()
    status = page.locator("#feed-update")
    expect(status).to_contain_text("0 new, 2 skipped, 0 failed", timeout=30_000)
    expect(status).to_contain_text("Feeds updated.")
    expect(page.locator("#feed-list td").nth(1)).to_have_text("2")
    assert page.console_errors == []
