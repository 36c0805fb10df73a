"""The web app with Flask's test client: library, upload, reader, JSON API, security."""

from __future__ import annotations

import io
import json
import re

import pytest
from auth_helpers import add_user, sign_in

from webapp import create_app

pytestmark = pytest.mark.both_databases


@pytest.fixture
def upload(post):
    """Import ``(name, bytes)`` files (or a ``url=``) with the library page's form (``client=``
    for another app's client)."""

    def send(*files, **form):
        return post("/import", htmx=False, files={"files": list(files)}, **form)

    return send


def test_empty_library_page(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "The library is empty" in page.get_data(as_text=True)
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_seeds_imported_on_first_start_only(tmp_path):
    settings = {"DATA_DIR": str(tmp_path), "WORKER": False, "TESTING": True}
    app = create_app(settings)
    docs = app.extensions["library"].documents.page()
    assert [d["title"] for d in docs] == ["俄中战略安全磋商 西方孤立下的实用性联盟"]
    app.extensions["library"].documents.delete(docs[0]["id"])
    app.extensions["library"].close()
    again = create_app(settings)  # empty again: seeds come back; never duplicated
    assert again.extensions["library"].documents.count() == 1


def test_upload_seed_and_read_it(client, seed_file, upload):
    response = upload(("seed.txt", seed_file.read_bytes()))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "imported as document 1" in body
    page = client.get("/documents/1").get_data(as_text=True)
    assert "俄罗斯与中国5月25日在莫斯科举行第十六轮战略安全磋商" in re.sub(r"<[^>]+>", "", page)
    assert 'lang="zh-Hans"' in page and 'lang="en"' in page
    assert "not translated yet" in page
    assert 'rel="noopener noreferrer"' in page
    assert "2021-05-26" in page
    again = upload(("copy.txt", seed_file.read_bytes()))
    assert "already imported as document 1" in again.get_data(as_text=True)


def test_reader_rows_pair_every_source_sentence(client, library, seed_file, upload):
    upload(("seed.txt", seed_file.read_bytes()))
    doc = client.get("/api/documents/1").get_json()
    page = client.get("/documents/1").get_data(as_text=True)
    for seg in doc["segments"]:
        assert f'id="seg-{seg["id"]}"' in page
        for unit in seg["units"]:
            assert f'id="s-{unit["id"]}"' in page and f'id="t-{unit["id"]}"' in page


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), ""),
        ("textless.html", b"<html><body><script>x()</script></body></html>", ""),
    ],
)
def test_bad_uploads_are_refused_clearly(library, name, content, reason, upload):
    response = upload((name, content))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert name in text and reason in text.lower()
    assert library.documents.count() == 0


def test_upload_over_the_limit_is_413(tmp_path, upload):
    app = create_app({"DATA_DIR": str(tmp_path), "SEED": False, "WORKER": False,
                      "MAX_IMPORT_BYTES": 1000, "TESTING": True})
    client = app.test_client()
    response = upload(("big.txt", b"x" * 200_000), client=client)
    assert response.status_code == 413
    assert "limit" in response.get_data(as_text=True)
    assert app.extensions["library"].documents.count() == 0


def test_form_posts_need_the_csrf_token(client, seed_file):
    response = client.post("/import", data={"files": [(io.BytesIO(b"x"), "a.txt")]},
                           content_type="multipart/form-data")
    assert response.status_code == 403


def test_missing_things_are_404_pages_not_500(client):
    assert client.get("/documents/424242").status_code == 404
    assert client.get("/documents/424242/progress").status_code == 404
    api = client.get("/api/documents/424242")
    assert api.status_code == 404 and "error" in api.get_json()
    assert client.get("/api/jobs/9").status_code == 404


def test_api_document_json_contract(client, seed_file, upload):
    upload(("seed.txt", seed_file.read_bytes()))
    listing = client.get("/api/documents").get_json()
    assert (listing["total"], listing["page"], listing["per_page"]) == (1, 1, 100)
    assert listing["documents"][0]["id"] == 1
    assert listing["documents"][0]["title_translation"] is None  # not translated yet
    assert client.get("/api/documents?all=1").get_json()[0]["id"] == 1  # the old plain list
    doc = client.get("/api/documents/1").get_json()
    assert set(doc) >= {"id", "title", "source_url", "published_at", "source_lang",
                        "target_lang", "segments"}
    assert doc["published_at"] == "2021-05-26T18:49:49Z"
    assert doc["source_lang"] == "zh" and doc["target_lang"] == "en"
    seg = doc["segments"][0]
    assert set(seg) >= {"id", "position", "kind", "href", "units"}
    assert set(seg["units"][0]) >= {"id", "position", "source", "translation", "status",
                                    "revision"}


def test_api_patch_rules(client, seed_file, upload):
    upload(("seed.txt", seed_file.read_bytes()))
    unit = client.get("/api/documents/1").get_json()["segments"][1]["units"][0]
    url = f"/api/units/{unit['id']}"
    ok = client.patch(url, json={"translation": "Russia and China…", "revision": 0})
    assert ok.status_code == 200 and ok.get_json()["revision"] == 1
    stale = client.patch(url, json={"translation": "Lost?", "revision": 0})
    assert stale.status_code == 409
    assert stale.get_json()["current"]["translation"] == "Russia and China…"
    assert client.patch(url, data="translation=x", content_type="text/plain").status_code == 415
    assert client.patch(url, json={"translation": "x"}).status_code == 400
    assert client.patch(url, json=["not", "an", "object"]).status_code == 400
    empty = client.patch(url, json={"translation": "  ", "revision": 1})
    assert empty.status_code == 400 and "null" in empty.get_json()["error"]
    kept = client.get("/api/documents/1").get_json()["segments"][1]["units"][0]
    assert kept["translation"] == "Russia and China…" and kept["revision"] == 1
    too_long = client.patch(url, json={"translation": "x" * 6000, "revision": 1})
    assert too_long.status_code == 400 and "characters" in too_long.get_json()["error"]
    cross = client.patch(url, json={"translation": "x", "revision": 1},
                         headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    history = client.get(f"{url}/revisions").get_json()
    assert [r["text"] for r in history] == ["Russia and China…"]
    cleared = client.patch(url, json={"translation": None, "revision": 1})
    assert cleared.status_code == 200 and cleared.get_json()["status"] == "untranslated"


def test_html_in_text_is_escaped(client, library, upload):
    hostile = (b"<!--1622054989000-->\n[t<script>alert(1)</script>](https://e.org/x)\n------\n"
               b"<p>\xe6\xad\xa3\xe6\x96\x87<img src=x onerror=alert(1)>\xe3\x80\x82</p>"
               b"<p>\xe7\xac\xac\xe4\xba\x8c\xe6\xae\xb5<script>alert(2)</script>\xe3\x80\x82</p>")
    upload(("hostile.txt", hostile))
    page = client.get("/documents/1").get_data(as_text=True)
    assert "<script>alert" not in page and "onerror=alert" not in page
    assert "&lt;script&gt;" in page  # the title's markup shows as text


def test_translate_without_a_model_says_what_is_missing(client, seed_file, monkeypatch, upload):
    from webapp import engine

    monkeypatch.setattr(engine, "find_model", lambda *a: None)
    upload(("seed.txt", seed_file.read_bytes()))
    api = client.post("/api/documents/1/translate", json={})
    assert api.status_code == 400
    assert "enface models install" in api.get_json()["error"]
    page = client.get("/documents/1").get_data(as_text=True)
    assert "No translation model is installed for Chinese" in page


def test_json_api_never_answers_500_to_garbage(client):
    for body in (b"{", b"null", b'{"translation": 5, "revision": 0}', b"\xff\xfe"):
        response = client.patch("/api/units/1", data=body, content_type="application/json")
        assert response.status_code in (400, 404), body
        json.loads(response.get_data())


@pytest.mark.slow
def test_downloads_from_the_reader_and_the_library(client, seed_file, samples, upload):
    import zipfile

    upload(("seed.txt", seed_file.read_bytes()))
    upload(("voa.txt", (samples / "articles" /
                                "voa_2025-02_img-small-caption_1008880.txt").read_bytes()))
    docx = client.get("/documents/1/export?format=docx&bilingual=1")
    assert docx.status_code == 200
    assert docx.headers["Content-Disposition"].startswith('attachment; filename="1-')
    assert docx.data[:2] == b"PK"
    both = client.get("/documents/1/export?format=txt").get_data(as_text=True)
    english_only = client.get("/documents/1/export?format=txt&bilingual=0&layout=translation")
    assert english_only.status_code == 200
    assert len(english_only.get_data(as_text=True)) < len(both)
    assert client.get("/documents/1/export?format=pdf").status_code == 400
    assert client.get("/documents/9/export?format=md").status_code == 404
    library = client.get("/export?format=md")
    assert library.status_code == 200
    assert len(zipfile.ZipFile(io.BytesIO(library.data)).namelist()) == 2
    book = client.get("/export?format=epub")
    assert book.headers["Content-Disposition"].endswith('.epub"')


def test_uploading_an_xliff_applies_it(client, seed_file, upload):
    upload(("seed.txt", seed_file.read_bytes()))
    xliff = client.get("/documents/1/export?format=xliff").get_data(as_text=True)
    doc = client.get("/api/documents/1").get_json()
    first = doc["segments"][1]["units"][0]
    marker = f'id="{first["id"]}"'
    assert marker in xliff
    head, tail = xliff.split(marker, 1)
    source_end = tail.index("</source>") + len("</source>")
    tail = (tail[:source_end] + '<target state="translated">Typed in a CAT tool.</target>'
            + tail[source_end:])
    response = upload(("seed.xlf", (head + marker + tail).encode()))
    text = response.get_data(as_text=True)
    assert response.status_code == 200, text
    assert "applied to document 1" in text and "1 changed" in text
    unit = client.get("/api/documents/1").get_json()["segments"][1]["units"][0]
    assert unit["translation"] == "Typed in a CAT tool." and unit["status"] == "edited"
    assert client.get(f"/api/units/{unit['id']}/revisions").get_json()[-1]["origin"] == "import"


@pytest.mark.parametrize("host", ["0.0.0.0", "127.0.0.1"])
def test_url_imports_reach_no_local_address_unless_allowed(tmp_path, upload, seed_file, host):
    """Beyond loopback and for the local single user alike: ENFACE_ALLOW_PRIVATE_URLS=1 only."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(seed_file.parent))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/{seed_file.name}"
    try:
        for allowed in (False, True):
            app = create_app({"DATA_DIR": str(tmp_path / str(allowed)), "SEED": False,
                              "WORKER": False, "HOST": host, "TESTING": True,
                              "ALLOW_PRIVATE_URLS": allowed})
            client = app.test_client()
            if host != "127.0.0.1":
                add_user(app.extensions["library"], "ed", "editor")  # beyond loopback: accounts
                assert sign_in(client, "ed").status_code == 303
            response = upload(client=client, url=url)
            text = response.get_data(as_text=True)
            if allowed:
                assert response.status_code == 200, text
                assert app.extensions["library"].documents.count() == 1
            else:
                assert response.status_code == 400
                assert "loopback address" in text and "ENFACE_ALLOW_PRIVATE_URLS=1" in text
                assert app.extensions["library"].documents.count() == 0
            app.extensions["library"].close()
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_every_endpoint_a_template_names_exists(app):
    """A wrong name in url_for() is a 500 only when that branch renders (it hid on the Glossary
    page until a document-scoped term existed): check every template's names at once."""
    import re

    from webapp.config import resource_dir

    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    named = {(path.name, name) for path in resource_dir("templates").glob("*.html")
             for name in re.findall(r"url_for\(\s*['\"]([^'\"]+)['\"]", path.read_text())}
    assert len(named) > 40
    assert {(page, name) for page, name in named if name not in endpoints} == set()


def test_templates_read_a_dicts_keys_as_jinja_does(app):
    """The environment's shortcut for ``row.key`` of a dict gives what Jinja's rule gives: the
    key, a dict method before a key of the same name, undefined for neither; other objects as
    before."""
    class Row:
        title = "attribute"

    render = app.jinja_env.from_string(
        "{{ d.title }}|{{ d.items is callable }}|{{ d.missing is defined }}|{{ r.title }}"
        "|{{ sub.title }}|{{ d.get('title') }}").render
    from webapp.web.filters import Environment

    assert isinstance(app.jinja_env, Environment)
    sub = type("Sub", (dict,), {})(title="subclass")
    assert render(d={"title": "key", "items": "shadowed"}, r=Row(), sub=sub) == (
        "key|True|False|attribute|subclass|key")
