"""Fetching URLs from a local server (127.0.0.1 only, so private addresses are allowed here) and
finding the article in a page. The outbound rule itself is tested in test_outbound.py."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from webapp.errors import ImportFailed, TooLarge
from webapp.importing import fetch_url
from webapp.importing.download import download
from webapp.importing.readers.html.page import strip_site_name

PARAGRAPH = "本地服务器上的一篇测试文章，用来检查下载、编码和正文提取是否正确。"
PAGE = (
    "<html><head><meta charset='gbk'><title>测试文章标题 - 本地网</title></head><body>"
    "<div class='nav'><a href='/'>首页</a> <a href='/news'>新闻频道</a></div>"
    f"<article><h1>测试文章标题</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><p>第三段。</p></article>"
    "</body></html>"
).encode("gbk")


class Handler(BaseHTTPRequestHandler):
    """Routes for the tests; each path exercises one behaviour."""

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == "/page.html":
            self.send(200, PAGE, "text/html; charset=GBK")
        elif self.path == "/undeclared.html":
            self.send(200, PAGE, "text/html")
        elif self.path == "/redirect":
            self.send(302, b"", "text/plain", Location="/page.html")
        elif self.path == "/loop":
            self.send(302, b"", "text/plain", Location="/loop")
        elif self.path == "/image.png":
            self.send(200, b"\x89PNG\r\n\x1a\n", "image/png")
        elif self.path == "/big-declared":
            self.send(200, b"x" * 5000, "text/plain")
        elif self.path == "/big-streamed":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no Content-Length: the limit must hold while streaming
            for _ in range(10):
                self.wfile.write(b"y" * 1000)
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(40):  # each read is quick, the whole download is not
                self.wfile.write(b"z" * 100)
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/odd-length":  # a digit to str.isdigit(), not to int()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", "\u00b2")
            self.end_headers()
            self.wfile.write("一句话。".encode())
            self.close_connection = True
        elif self.path == "/slow":
            time.sleep(1.5)
            self.send(200, PAGE, "text/html")
        else:
            self.send(404, b"not here", "text/plain")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # a client gave up: expected
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_fetch_a_page(server):
    article = fetch_url(f"{server}/page.html", allow_private=True)
    assert article.origin == f"{server}/page.html"
    assert article.source_url == f"{server}/page.html"
    assert article.title == "测试文章标题"
    assert article.meta["charset"] == "gb18030"
    texts = [block.text for block in article.blocks]
    assert PARAGRAPH in texts
    assert "新闻频道" not in "".join(texts)
    assert article.raw.startswith("<html>") and PARAGRAPH in article.raw


def test_charset_from_the_page_when_the_header_has_none(server):
    assert PARAGRAPH in fetch_url(f"{server}/undeclared.html", allow_private=True).raw


def test_redirect_is_followed_and_recorded(server):
    article = fetch_url(f"{server}/redirect", allow_private=True)
    assert article.origin == f"{server}/redirect"
    assert article.source_url == f"{server}/page.html"


def test_redirect_loop_is_refused(server):
    with pytest.raises(ImportFailed, match="too many redirects"):
        fetch_url(f"{server}/loop", allow_private=True)


def test_not_found(server):
    with pytest.raises(ImportFailed, match="404") as info:
        fetch_url(f"{server}/missing", allow_private=True)
    assert info.value.origin == f"{server}/missing"


def test_non_text_content_type(server):
    with pytest.raises(ImportFailed, match="image/png"):
        fetch_url(f"{server}/image.png", allow_private=True)


def test_too_big_by_content_length(server):
    with pytest.raises(TooLarge):
        fetch_url(f"{server}/big-declared", max_bytes=1000, allow_private=True)


def test_a_content_length_that_is_no_number_is_ignored(server):
    data, _, _ = download(f"{server}/odd-length", timeout=5, max_bytes=1000, allow_private=True)
    assert data.decode() == "一句话。"


def test_too_big_while_streaming(server):
    with pytest.raises(TooLarge):
        download(f"{server}/big-streamed", timeout=5, max_bytes=2500, allow_private=True)
    data, _, _ = download(f"{server}/big-streamed", timeout=5, max_bytes=20_000, allow_private=True)
    assert data == b"y" * 10_000


def test_slow_server_times_out(server):
    started = time.monotonic()
    with pytest.raises(ImportFailed, match="timed out"):
        fetch_url(f"{server}/slow", timeout=0.3, allow_private=True)
    assert time.monotonic() - started < 1.4  # gave up before the server answered


def test_a_download_that_drips_past_the_time_budget_is_stopped(server):
    started = time.monotonic()
    with pytest.raises(ImportFailed, match="took too long"):
        download(f"{server}/drip", timeout=0.5, max_bytes=100_000, allow_private=True)
    assert time.monotonic() - started < 3  # the server would go on for 4 seconds


def test_connection_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket is closed
    with pytest.raises(ImportFailed, match="could not connect"):
        fetch_url(f"http://127.0.0.1:{port}/", timeout=2, allow_private=True)


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/a.html", "file:///etc/passwd", "javascript:alert(1)", "http://"]
)
def test_only_http_urls(url):
    with pytest.raises(ImportFailed, match="only http"):
        fetch_url(url)


@pytest.mark.parametrize(
    ("raw", "site", "expected"),
    [
        ("港特首梁振英就住宅违建事件道歉 - BBC中文网 - 两岸三地", None, "港特首梁振英就住宅违建事件道歉"),
        ("海外留学生看两会：出国前后关注点大不同_教育频道_中国青年网", None,
         "海外留学生看两会：出国前后关注点大不同"),
        ("武汉的声音：有英勇的你，才有英雄的城！-新华网", None, "武汉的声音：有英勇的你，才有英雄的城！"),
        ("新竹尖石_美樹營地賞楓 (2) @ 史蒂文的家_藍天 :: 痞客邦 PIXNET ::", None,
         "新竹尖石_美樹營地賞楓 (2)"),
        ("Short - Example Site Name", "Example Site Name", "Short"),
        ("COVID-19 疫苗接种", None, "COVID-19 疫苗接种"),
        ("一个标题", None, "一个标题"),
    ],
)
def test_strip_site_name(raw, site, expected):
    assert strip_site_name(raw, site) == expected


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_local_addresses_are_refused_unless_allowed(server, host):
    url = server.replace("127.0.0.1", host) + "/page.html"
    with pytest.raises(ImportFailed, match="ENFACE_ALLOW_PRIVATE_URLS=1"):
        fetch_url(url)
    assert fetch_url(url, allow_private=True).title == "测试文章标题"
