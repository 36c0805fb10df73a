"""Compressed responses, and the CSRF token masked afresh in every compressed page (BREACH)."""

from __future__ import annotations

import gzip
import re

import brotli

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_pages_json_css_and_js_are_compressed_when_the_browser_accepts_it(client, add_article):
    doc = add_article("第一段。" * 200, "第二段。" * 200)
    page = client.get(f"/documents/{doc}", headers={"Accept-Encoding": "gzip, deflate"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers["Vary"]
    html = gzip.decompress(page.data).decode()
    assert html.count("段") >= 400
    plain = client.get(f"/documents/{doc}")
    assert "Content-Encoding" not in plain.headers
    assert len(page.data) * 4 < len(plain.data)
    api = client.get(f"/api/documents/{doc}", headers={"Accept-Encoding": "br"})
    assert api.headers["Content-Encoding"] == "br"
    assert brotli.decompress(api.data).decode().count("\\u6bb5") >= 400  # 段, JSON-escaped
    for path in ("/static/css/enface.css", "/static/js/enface.js"):
        response = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert response.headers.get("Content-Encoding") in ("br", "deflate", "gzip"), path
        response.close()


def test_the_csrf_token_differs_in_every_page_and_each_one_works(client, add_article):
    doc = add_article("第一段。")
    tokens = [TOKEN.search(client.get(f"/documents/{doc}").get_data(as_text=True)).group(1)
              for _ in range(2)]
    with client.session_transaction() as session:
        own = session["csrf"]
    assert tokens[0] != tokens[1]
    assert own not in tokens[0] and own not in tokens[1]  # the secret itself is never sent
    for token in tokens:
        answer = client.post(f"/documents/{doc}/focus", data={"segments": "", "csrf_token": token})
        assert answer.status_code == 204
    forged = tokens[0][:-4] + ("AAAA" if not tokens[0].endswith("AAAA") else "BBBB")
    assert client.post(f"/documents/{doc}/focus",
                       data={"segments": "", "csrf_token": forged}).status_code == 403
    assert client.post(f"/documents/{doc}/focus",
                       data={"segments": "", "csrf_token": "%%%"}).status_code == 403
