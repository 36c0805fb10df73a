"""Library lists kept while the library has not changed (``webapp.web.pagecache``), on SQLite and
PostgreSQL: made once while nothing changes, made anew after any write of any process and
after a model is installed, never served to another session, user or request."""

from __future__ import annotations

import re

import pytest
from auth_helpers import add_user, csrf_of, sign_in

from webapp import create_app
from webapp.actions import catalog
from webapp.storage import Library
from webapp.web.pagecache import PageCache

pytestmark = pytest.mark.both_databases

HX = {"HX-Request": "true"}


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The lists made (not served from the cache): one entry per page the catalog read."""
    calls: list[str] = []
    listed = catalog._listed

    def counting(library, query, submit):
        calls.append(str(query))
        return listed(library, query, submit)

    monkeypatch.setattr(catalog, "_listed", counting)
    return calls


def rows(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="doc-(\d+)"', html)]


def units_of(library, doc_id: int) -> list[dict]:
    return [u for s in library.documents.tree(doc_id)["segments"] for u in s["units"]]


def test_a_list_is_made_once_while_nothing_changes(client, add_article, made):
    doc = add_article("第一句。")
    client.get("/")  # the session's first page makes its CSRF token: never kept
    made.clear()
    first = client.get("/")
    assert rows(first.get_data(as_text=True)) == [doc] and len(made) == 1
    again = client.get("/")
    assert again.get_data() == first.get_data() and len(made) == 1
    assert again.headers["Content-Security-Policy"] and again.headers["X-Frame-Options"] == "DENY"
    assert "HX-Request" in again.headers["Vary"]
    partial = client.get("/", headers=HX)  # the list alone: another page
    assert "<html" not in partial.get_data(as_text=True) and len(made) == 2
    client.get("/", headers=HX)
    client.get("/?site=news.example.org", headers=HX)  # another query: made
    assert len(made) == 3
    api = client.get("/api/documents?page=1").get_json()
    assert client.get("/api/documents?page=1").get_json() == api and len(made) == 4
    client.get("/documents")  # the list that polls while translations run
    client.get("/documents")
    assert len(made) == 5


def test_every_write_shows_at_once(client, library, add_article, made):
    doc = add_article("第一句。", title="标题")
    assert "Headline in English" not in client.get("/").get_data(as_text=True)
    title = units_of(library, doc)[0]
    library.units.store_translations([(title["id"], "Headline in English")], model_id="m")
    assert "Headline in English" in client.get("/").get_data(as_text=True)
    library.tags.add([doc], "economy")
    assert "economy" in client.get("/", headers=HX).get_data(as_text=True)
    assert client.get("/api/documents").get_json()["documents"][0]["tags"] == ["economy"]
    other = add_article("第二篇。", title="另一篇")
    assert rows(client.get("/").get_data(as_text=True)) == [other, doc]
    library.documents.delete(other)
    assert rows(client.get("/").get_data(as_text=True)) == [doc]
    assert client.get("/api/documents").get_json()["total"] == 1


def test_another_processs_write_shows_at_once(app, client, add_article, made):
    """A write by another library object on the same database (a worker, another web process)
    moves the counter on as this process's writes do."""
    doc = add_article("第一句。", title="标题")
    for _ in range(3):
        client.get("/")
    assert len(made) == 2  # (the session's first, then one kept)
    elsewhere = Library(app.config["DATABASE_URL"])
    try:
        unit = units_of(elsewhere, doc)[0]
        elsewhere.units.store_translations([(unit["id"], "Done elsewhere")], model_id="m")
    finally:
        elsewhere.close()
    assert "Done elsewhere" in client.get("/").get_data(as_text=True) and len(made) == 3


def test_the_counter_moves_with_every_commit_that_writes_and_nothing_else(library, add_article):
    before = library.generation()
    add_article("第一句。")
    after = library.generation()
    assert after > before
    library.catalog.page(catalog.Query().where, catalog.Query.sort, limit=10, offset=0)  # a read
    with library.reading():
        library.documents.get(1)
    assert library.generation() == after
    library.catalog.unchecked(10)  # settles the new document's problems (none): a change
    settled = library.generation()
    assert settled > after
    library.catalog.unchecked(10)  # (a write transaction that finds nothing to change)
    with library.transaction():
        pass
    assert library.generation() == settled
    after = settled
    with pytest.raises(RuntimeError), library.transaction():
        library.tags.add([1], "kept?")
        raise RuntimeError("rolled back")
    assert library.generation() == after and library.tags.names() == []


def test_installing_a_model_shows_at_once(client, add_article, made):
    """The list says which documents lack a model: it is made anew once one is installed."""
    from argos_testmodel import install_test_model

    from webapp import engine

    add_article("第一句。")
    for model in engine.installed_models():
        engine.remove_model(model.from_code, model.to_code)
    client.get("/")
    made.clear()
    assert "No translation model is installed" in client.get("/").get_data(as_text=True)
    assert "No translation model is installed" in client.get("/").get_data(as_text=True)
    assert len(made) == 1
    install_test_model()
    assert "No translation model is installed" not in client.get("/").get_data(as_text=True)
    assert len(made) == 2


def test_a_kept_page_is_never_another_sessions(app, add_article, made):
    """Each session's page holds its own CSRF token: a page kept for one is never served to
    another (a first page, which makes the session's token, is never served from the cache)."""
    add_article("第一句。")
    tokens = []  # (each session's first page makes its token, each collection is a change)
    for i in range(3):
        client = app.test_client()
        for j in range(2):
            html = client.get("/").get_data(as_text=True)
            token = re.search(r'"X-CSRF-Token": "([^"]+)"', html).group(1)
            made_one = client.post("/collections", data={"csrf_token": token, "name": f"{i}{j}"})
            assert made_one.status_code == 303, "the page's token is not this session's"
        tokens.append(token)
    assert len(set(tokens)) == 3 and len(made) == 6


def test_users_and_roles_get_their_own_pages(tmp_path, database_url, made, article):
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "SEED": False, "WORKER": False,
                      "TESTING": True, "AUTH": True, "DATABASE_URL": database_url})
    library = app.extensions["library"]
    try:
        add_user(library, "ad-admin", "admin")
        add_user(library, "re-reader", "reader")
        library.documents.add(article("第一句。"))
        pages = {}
        for name in ("ad-admin", "re-reader"):
            client = app.test_client()
            assert sign_in(client, name).status_code == 303
            csrf_of(client)
            pages[name] = [client.get("/").get_data(as_text=True) for _ in range(2)]
        assert "Delete…" in pages["ad-admin"][1] and "ad-admin" in pages["ad-admin"][1]
        assert "Delete…" not in pages["re-reader"][1] and "re-reader" in pages["re-reader"][1]
        assert "ad-admin" not in pages["re-reader"][1]
    finally:
        library.close()
        app.extensions["queue"].close()


def test_no_cache_when_it_is_turned_off(tmp_path, database_url, made):
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "SEED": False, "WORKER": False,
                      "TESTING": True, "DATABASE_URL": database_url, "PAGE_CACHE_MB": 0})
    try:
        client = app.test_client()
        for _ in range(3):
            client.get("/")
        assert len(made) == 3
    finally:
        app.extensions["library"].close()
        app.extensions["queue"].close()


def test_the_cache_keeps_at_most_its_bytes_least_recently_served_out_first():
    cache = PageCache(1000)
    for key in "abcd":
        assert cache.put((key,), (b"x" * 240, 200, [], key))
    assert cache.get(("a",)) is not None  # served: now the most recent
    cache.put(("e",), (b"x" * 240, 200, [], "e"))
    assert cache.get(("b",)) is None and cache.get(("a",)) is not None
    assert len(cache) == 4
    assert not cache.put(("big",), (b"x" * 300, 200, [], "t"))  # over a quarter: not kept
    assert cache.get(("big",)) is None and len(cache) == 4


def test_a_kept_pages_compressed_bodies_are_kept_with_it(client, library, add_article,
                                                         monkeypatch):
    """What a browser gets (brotli or gzip) is compressed once per kept page; any other
    response is compressed every time, as before."""
    import gzip

    from flask_compress import flask_compress

    compressed = []
    compress = flask_compress._compress_data

    def counting(app, data, algorithm):
        compressed.append(algorithm)
        return compress(app, data, algorithm)

    monkeypatch.setattr(flask_compress, "_compress_data", counting)
    doc = add_article("第一句。" * 200)
    plain = client.get("/")  # (the session's first page)
    gzipped = {"Accept-Encoding": "gzip"}
    first = client.get("/", headers=gzipped)
    second = client.get("/", headers=gzipped)
    assert compressed == ["gzip"]  # the kept page, once
    assert second.headers["Content-Encoding"] == "gzip" and second.data == first.data
    assert "Accept-Encoding" in second.headers["Vary"]
    assert gzip.decompress(second.data) == client.get("/").data != plain.data
    client.get("/", headers={"Accept-Encoding": "br"})
    client.get("/", headers={"Accept-Encoding": "br"})
    assert compressed == ["gzip", "br"]
    library.tags.add([doc], "changed")
    changed = client.get("/", headers=gzipped)
    assert compressed == ["gzip", "br", "gzip"]
    assert b"changed" in gzip.decompress(changed.data)
    for _ in range(2):  # the reader page is not kept: compressed each time
        client.get(f"/documents/{doc}", headers=gzipped)
    assert len(compressed) == 5


def test_a_replaced_model_changes_the_stamp_within_one_tick_of_the_clock(tmp_path,
                                                                         monkeypatch):
    """A package replaced by another of the same name, its folder's time set back as a coarse
    file system clock would leave it, still changes what the lists are kept under."""
    import os

    from argostranslate import settings

    from webapp.engine import installed_stamp

    packages = tmp_path / "packages"
    (packages / "translate-zh_en").mkdir(parents=True)
    monkeypatch.setattr(settings, "package_dirs", [packages])
    before = installed_stamp()
    times = os.stat(packages)
    (packages / "new").mkdir()
    (packages / "translate-zh_en").rename(tmp_path / "old")
    (packages / "new").rename(packages / "translate-zh_en")
    os.utime(packages, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert os.stat(packages).st_mtime_ns == times.st_mtime_ns
    assert installed_stamp() != before
