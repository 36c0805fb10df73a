"""Sending pages from the browser: the bookmarklet's window, the share target, the extension API;
what they import and what the same-origin and CSRF checks still refuse."""

from __future__ import annotations

import html
import re

from auth_helpers import add_user

PAGE = ("<!DOCTYPE html><html lang='zh'><head><meta charset='gb2312'><title>战略安全磋商 - 新闻</title>"
        "<meta property='article:published_time' content='2021-05-26T18:49:49+08:00'></head><body>"
        "<nav>首页 新闻 国际</nav><article><h1>战略安全磋商</h1>"
        + "".join(f"<p>俄罗斯与中国在莫斯科举行第{n}轮战略安全磋商，两国要推动全面战略协作伙伴关系。</p>"
                  for n in range(1, 7))
        + "</article><footer>版权所有</footer></body></html>")
URL = "https://news.example.org/2021/05/26/talks.html"


def sent(client, post, page=PAGE, url=URL, **extra):
    return post("/send", html=page, url=url, htmx=False, **extra)


def test_a_page_sent_from_the_bookmarklet_window_is_imported_and_opened(client, post, library):
    answer = sent(client, post)
    assert answer.status_code == 303
    doc_id = int(answer.headers["Location"].rsplit("/", 1)[1])
    doc = library.documents.tree(doc_id)
    assert doc["source_url"] == URL
    assert doc["title"] == "战略安全磋商"
    assert doc["published_at"] == "2021-05-26T10:49:49Z"  # the page's own date, as an instant
    text = "".join(u["source"] for s in doc["segments"] for u in s["units"])
    assert "第6轮战略安全磋商" in text and "首页" not in text and "版权所有" not in text
    # the meta charset says gb2312, but a browser's DOM is text: it arrives as UTF-8, unharmed
    assert "俄罗斯与中国" in text
    again = sent(client, post)
    assert again.headers["Location"] == answer.headers["Location"]  # the same document
    assert library.documents.count() == 1


def test_the_bookmarklet_window_refuses_what_is_not_a_page(client, post, library):
    for page, url, reason in (("<p>x</p>", "javascript:alert(1)", "not an http(s) URL"),
                              ("   ", URL, "arrived empty"),
                              ("x" * 5000, "file:///etc/passwd", "not an http(s) URL")):
        answer = sent(client, post, page=page, url=url)
        assert answer.status_code == 400
        assert reason in answer.get_data(as_text=True)
    assert library.documents.count() == 0


def test_a_page_over_the_limit_is_refused_with_the_limit(tmp_path, post):
    from webapp import create_app

    app = create_app({"DATA_DIR": str(tmp_path / "small"), "SEED": False, "WORKER": False,
                      "TESTING": True, "MAX_IMPORT_BYTES": 20_000})
    client = app.test_client()
    answer = post("/send", client=client, html=PAGE * 20, url=URL, htmx=False)
    assert answer.status_code in (400, 413)
    assert "limit" in answer.get_data(as_text=True)
    assert app.extensions["library"].documents.count() == 0


def test_the_send_window_needs_the_forms_csrf_token(client, library):
    client.get("/send")
    answer = client.post("/send", data={"html": PAGE, "url": URL},
                         headers={"Origin": "https://news.example.org", "Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 403
    assert library.documents.count() == 0


def test_the_bookmarklet_page_offers_it_on_loopback_and_https_only(client, app):
    page = client.get("/bookmarklet").get_data(as_text=True)
    code = html.unescape(re.search(r'class="bookmarklet" href="([^"]+)"', page).group(1))
    assert code.startswith("javascript:") and "http://localhost" in code
    assert "?" not in code and "#" not in code  # nothing the URL parser would cut off
    app.config["ALLOWED_HOSTS"] = "*"
    app.extensions["allowed_hosts"] = None
    plain = client.get("/bookmarklet", base_url="http://enface.lan").get_data(as_text=True)
    assert 'class="bookmarklet"' not in plain and "needs HTTPS" in plain
    secure = client.get("/bookmarklet", base_url="https://enface.lan").get_data(as_text=True)
    assert "https://enface.lan" in secure and 'class="bookmarklet"' in secure


def test_the_extension_api_takes_a_token_from_another_origin(app, client, library):
    from webapp.actions import accounts

    add_user(library, "eve", "editor")
    _, token = accounts.issue_token(library, "eve")
    headers = {"Origin": "chrome-extension://abcdef", "Sec-Fetch-Site": "none",
               "Authorization": f"Bearer {token}"}
    answer = client.post("/api/pages", json={"url": URL, "html": PAGE}, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["created"] is True and body["reader"].endswith(f"/documents/{body['id']}")
    # without a token, another origin is refused as on every API route; a bad token too
    for bad in ({"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
                {**headers, "Authorization": "Bearer wrong"}):
        refused = client.post("/api/pages", json={"url": URL, "html": PAGE}, headers=bad)
        assert refused.status_code in (401, 403)
    # the token does not open other API routes to other origins
    other = client.post("/api/documents/1/translate", json={},
                        headers={**headers, "Origin": "https://evil.example",
                                 "Sec-Fetch-Site": "cross-site"})
    assert other.status_code == 403
    wrong = client.post("/api/pages", json={"url": URL}, headers=headers)
    assert wrong.status_code == 400 and "html" in wrong.get_json()["error"]


def test_sharing_shows_what_to_import_and_imports_only_on_the_post(client, post, library,
                                                                  monkeypatch):
    from webapp.actions import imports

    page = client.get("/share", query_string={"title": "Talks", "text": f"Read this {URL}"})
    assert page.status_code == 200 and URL in page.get_data(as_text=True)
    assert library.documents.count() == 0  # a GET never imports
    fetched = []

    def fake_import_url(library_, url, **options):
        fetched.append((url, options["allow_private"]))  # what a download would import
        return [imports.import_page(library_, PAGE, url, max_bytes=options["max_bytes"])]

    monkeypatch.setattr(imports, "import_url", fake_import_url)
    answer = post("/share", url=URL, title="Talks", htmx=False)
    assert answer.status_code == 303 and fetched == [(URL, False)]
    text = post("/share", text="第一句话。第二句话。", title="A note", htmx=False)
    assert text.status_code == 303
    doc = library.documents.tree(int(text.headers["Location"].rsplit("/", 1)[1]))
    assert "第一句话" in "".join(u["source"] for s in doc["segments"] for u in s["units"])
    nothing = post("/share", htmx=False)
    assert nothing.status_code == 400 and "Nothing was shared" in nothing.get_data(as_text=True)
