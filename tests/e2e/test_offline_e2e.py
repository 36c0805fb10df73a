"""Installable and offline in real Chromium: the service worker keeps an article opened once,
an edit made offline is sent on reconnect (a conflict is shown, nothing lost), sharing a URL
imports it, sign-out forgets the copies, and the bookmarklet sends a page that only JavaScript
renders."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from auth_helpers import PASSWORD, add_user
from playwright.sync_api import expect

from webapp.storage import Library

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "has_touch": True,
         "is_mobile": True}
ARTICLE = ["俄罗斯与中国5月25日在莫斯科举行第十六轮战略安全磋商。",
           "两国要推动全面战略协作伙伴关系，法国学者认为分歧很深。",
           "这是一篇只有脚本才能显示的文章，它的每一段都由浏览器写出。"]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EnfaceServer:
    """``enface serve`` on a fixed port and library, stopped and started again at will."""

    def __init__(self, tmp_path, **env) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, ENFACE_DATA_DIR=str(tmp_path / "lib"),
                        ENFACE_ALLOW_PRIVATE_URLS="1", **env)
        self.log = tmp_path / "server.log"
        self.proc = None

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "webapp.cli", "serve", "--port", str(self.port)],
                env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.base + "/manifest.webmanifest", timeout=2).read()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.proc.kill()
                    pytest.fail(f"server did not start:\n{self.log.read_text()}")
                time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def json(self, path: str, method: str = "GET", body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())


@pytest.fixture
def enface(tmp_path):
    server = EnfaceServer(tmp_path)
    server.start()
    yield server
    if server.proc.poll() is None:
        server.stop()


@pytest.fixture
def site(tmp_path):
    """A local web site: a plain article page and one that only JavaScript fills in."""
    root = tmp_path / "site"
    root.mkdir()
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    (root / "plain.html").write_text(
        f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>战略安全磋商</title>"
        f"</head><body><article><h1>战略安全磋商</h1>{paragraphs}</article></body></html>",
        encoding="utf-8")
    (root / "app.js").write_text(
        "const parts = " + json.dumps(ARTICLE, ensure_ascii=False) + ";\n"
        "setTimeout(() => { const a = document.createElement('article');"
        " const h = document.createElement('h1'); h.textContent = '脚本写出的文章'; a.append(h);"
        " for (const t of parts) { const p = document.createElement('p'); p.textContent = t;"
        " a.append(p); } document.getElementById('app').append(a); }, 200);\n",
        encoding="utf-8")
    (root / "js.html").write_text(
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>脚本写出的文章</title>"
        "<script src='app.js' defer></script></head><body><div id='app'></div></body></html>",
        encoding="utf-8")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def wait_kept(page, path: str, english: bool = False) -> None:
    """Wait until the service worker holds ``path`` (with English, when asked)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    script = """async ([path, english]) => {
      for (const name of await caches.keys()) {
        if (!name.startsWith('enface-user-')) continue;
        const hit = await (await caches.open(name)).match(location.origin + path);
        if (hit && (!english || (await hit.text()).includes('st-machine'))) return true;
      }
      return false;
    }"""
    deadline = time.monotonic() + 20
    while not page.evaluate(script, [path, english]):
        assert time.monotonic() < deadline, f"{path} was not kept"
        time.sleep(0.2)


def unit_text(server: EnfaceServer, unit: str) -> str | None:
    doc = server.json("/api/documents/1")
    return next(u["translation"] for s in doc["segments"] for u in s["units"]
                if str(u["id"]) == unit)


def test_an_article_read_offline_and_an_offline_edit_sent_on_reconnect(browser, enface, zh_model,
                                                                       artifacts):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(enface.base + "/documents/1")
    page.get_by_role("button", name=re.compile(r"Translate \d+ sentences")).click()
    total = page.locator(".t[data-unit]").count()
    expect(page.locator(".t.st-machine")).to_have_count(total, timeout=60_000)
    page.reload()  # the worker is in charge now: this copy, with its English, is kept
    wait_kept(page, "/documents/1", english=True)
    word = page.locator("#reader .kind-paragraph .w").first
    word.click()
    expect(page.locator("#word-popup .popup .entry").first).to_be_visible(timeout=30_000)
    headword = page.locator("#word-popup .hw").inner_text()
    page.locator("#word-popup [data-close]").click()

    # offline: the server is gone and the browser knows it
    context.set_offline(True)
    enface.stop()
    page.reload()
    expect(page.locator(".t.st-machine")).to_have_count(total)
    expect(page.locator("#offline-note")).to_be_visible()
    page.locator("#reader .kind-paragraph .w").first.click()  # the popup looked up before
    expect(page.locator("#word-popup .hw")).to_have_text(headword)
    page.locator("#word-popup [data-close]").click()
    page.screenshot(path=str(artifacts / "offline-reader.png"))

    # an edit made offline: the editor is made in the page, the edit waits on this device
    edited, conflicted = page.locator(".kind-paragraph .t").nth(0), page.locator(".kind-paragraph .t").nth(1)
    unit, other = edited.get_attribute("data-unit"), conflicted.get_attribute("data-unit")
    for sentence, text in ((edited, "Russia and China held talks (offline edit)."),
                           (conflicted, "Mine, written offline.")):
        sentence.click()
        area = page.locator(".t.editing textarea")
        expect(area).to_be_focused()
        area.fill(text)
        area.press("Control+Enter")
        expect(page.locator(".t.editing")).to_have_count(0)
    expect(page.locator(".t.st-pending")).to_have_count(2)
    page.reload()  # still waiting, still shown
    expect(page.locator(f"#t-{unit}")).to_contain_text("(offline edit)")
    expect(page.locator(".t.st-pending")).to_have_count(2)

    # back online; meanwhile someone else changed the second sentence on the server
    enface.start()
    current = enface.json("/api/documents/1")
    revision = next(u["revision"] for s in current["segments"] for u in s["units"] if str(u["id"]) == other)
    enface.json(f"/api/units/{other}", "PATCH", {"translation": "Theirs, from the server.",
                                                  "revision": revision})
    context.set_offline(False)
    deadline = time.monotonic() + 20
    while unit_text(enface, unit) != "Russia and China held talks (offline edit).":
        assert time.monotonic() < deadline, "the offline edit never reached the server"
        time.sleep(0.3)
    expect(page.locator(f"#t-{unit}")).to_have_class(re.compile(r"\bst-edited\b"))
    conflict = page.locator(f"#t-{other}.conflict")
    expect(conflict).to_be_visible(timeout=10_000)  # shown, with both versions: nothing lost
    expect(conflict.locator(".yours")).to_contain_text("Mine, written offline.")
    expect(conflict.locator(".theirs")).to_contain_text("Theirs, from the server.")
    assert unit_text(enface, other) == "Theirs, from the server."
    conflict.get_by_role("button", name="Overwrite with yours").click()
    expect(page.locator(f"#t-{other}.conflict")).to_have_count(0)  # settled
    expect(page.locator(f"#t-{other}")).to_have_class(re.compile(r"\bst-edited\b"))
    expect(page.locator(f"#t-{other}")).to_have_text(re.compile("Mine, written offline."))
    assert unit_text(enface, other) == "Mine, written offline."
    context.close()


def test_share_a_url_into_enface(browser, enface, site):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    manifest = page.goto(enface.base + "/manifest.webmanifest").json()
    assert manifest["share_target"]["action"] == "/share"
    assert {"192x192", "512x512"} <= {i["sizes"] for i in manifest["icons"]}
    page.goto(enface.base + "/share?title=战略&text=" + site + "/plain.html")  # Android: URL in text
    expect(page.locator(".shared-url")).to_have_text(site + "/plain.html")
    page.get_by_role("button", name="Import").click()

    expect(page).to_have_url(re.compile(r"/documents/\d+$"))
    expect(page.locator("#reader")).to_contain_text("第十六轮战略安全磋商")
    context.close()


def test_a_javascript_page_is_sent_with_the_bookmarklet(browser, enface, site):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(enface.base + "/bookmarklet")
    code = page.locator("a.bookmarklet").get_attribute("href")
    assert code.startswith("javascript:") and enface.base in code
    page.goto(site + "/js.html")
    expect(page.locator("#app p")).to_have_count(len(ARTICLE))
    # the bookmark bar's click: a link on the page carrying the bookmarklet
    page.evaluate("""code => { const a = document.createElement('a'); a.id = 'bm';
        a.textContent = 'Send to Enface'; a.href = code; document.body.prepend(a); }""", code)
    with page.expect_popup() as opened:
        page.click("#bm")
    window = opened.value
    expect(window).to_have_url(enface.base + "/send")
    expect(window.locator("#send-title")).to_have_text("脚本写出的文章")
    window.get_by_role("button", name="Import").click()
    expect(window).to_have_url(re.compile(r"/documents/\d+$"))
    reader = window.locator("#reader")
    for paragraph in ARTICLE:
        expect(reader).to_contain_text(paragraph[:12])
    doc_id = int(window.url.rsplit("/", 1)[1])
    doc = enface.json(f"/api/documents/{doc_id}")
    assert doc["source_url"] == site + "/js.html"
    # the same page again: the same document
    window.close()
    with page.expect_popup() as again:
        page.click("#bm")
    again.value.get_by_role("button", name="Import").click()
    expect(again.value).to_have_url(re.compile(rf"/documents/{doc_id}$"))
    context.close()


def test_signing_out_forgets_the_offline_copies(browser, tmp_path):
    library = Library(tmp_path / "lib" / "library.sqlite3")
    add_user(library, "ann", "editor")
    library.close()
    server = EnfaceServer(tmp_path)
    server.start()
    try:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.goto(server.base + "/login")
        page.get_by_label("User name").fill("ann")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(server.base + "/documents/1")
        wait_kept(page, "/documents/1")
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/login"))
        kept = page.evaluate("caches.keys().then(k => k.filter(n => n.startsWith('enface-user-')))")
        assert kept == []
        context.close()
    finally:
        server.stop()
