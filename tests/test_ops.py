"""Operations: /healthz, /metrics, ``enface db upgrade`` and ``enface db copy`` (both ways)."""

from __future__ import annotations

import json
import threading

import pytest
import sqlalchemy as sa
from auth_helpers import add_user
from click.testing import CliRunner

from webapp.cli import main
from webapp.storage import Library
from webapp.storage.copy import copy_library

pytestmark = pytest.mark.both_databases


def test_healthz_is_open_and_says_nothing_private(library, client, add_article, zh_model):
    add_article("这是秘密。", title="秘密标题")
    add_user(library, "ann", "admin")  # accounts on: everything else needs a sign-in
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.get_json()
    assert report == {"status": "ok", "database": "ok", "queue": "ok", "models": 1}
    text = response.get_data(as_text=True)
    assert "秘密" not in text and "ann" not in text and "sqlite" not in text.lower()
    assert client.get("/metrics").status_code == 302  # to the sign-in page


def test_healthz_without_a_model_is_degraded_but_serving(client, monkeypatch):
    from webapp import engine

    monkeypatch.setattr(engine, "installed_models", lambda: [])
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["status"] == "degraded"


def test_metrics_in_prometheus_text(client, library, add_article):
    doc = add_article("第一句。第二句。")
    unit = library.documents.tree(doc)["segments"][1]["units"][0]
    library.units.store_translations([(unit["id"], "One.")], model_id="m")
    library.jobs.create("translate", str(doc), total=2)
    client.get(f"/documents/{doc}")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'enface_units{status="machine"} 1.0' in text
    assert 'enface_units{status="untranslated"} 2.0' in text
    assert "enface_sentences_translated 1.0" in text
    assert 'enface_jobs{kind="translate",state="queued"} 1.0' in text
    assert 'enface_http_requests_total{endpoint="pages.document",method="GET",status="200"}' \
        in text
    assert "enface_http_request_duration_seconds_bucket" in text
    assert "enface_queue_pending" in text


def test_healthz_says_when_the_database_is_away(app, client, monkeypatch):
    library = app.extensions["library"]

    def away(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(library.db.engine, "connect", away)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "unreachable"
    page = client.get("/")
    assert page.status_code == 503
    assert "database cannot be reached" in page.get_data(as_text=True)


def test_thirty_concurrent_api_saves_of_one_revision(app, library, add_article):
    doc = add_article("第一句。")
    unit = library.documents.tree(doc)["segments"][1]["units"][0]
    barrier = threading.Barrier(30)
    codes: list[int] = []

    def save(n: int) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.patch(f"/api/units/{unit['id']}",
                                json={"translation": f"Mine {n}.", "revision": 0})
        codes.append(response.status_code)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200] + [409] * 29
    assert len(library.units.history(unit["id"])) == 1


def test_db_copy_moves_everything_and_checks_it(tmp_path, library, add_article, database_url,
                                              postgres_server):
    """SQLite → PostgreSQL and PostgreSQL → SQLite, every table compared."""
    doc = add_article("第一句。第二句。", title="标题")
    unit = library.documents.tree(doc)["segments"][1]["units"][0]
    library.units.store_translations([(unit["id"], "One.")], model_id="m")
    library.units.update(unit["id"], "One, by a person.", base_revision=1, status="edited")
    library.glossary.add([("第一", "first", "", doc)])
    library.accounts.add("ann", "admin", "hash", "key")
    library.feeds.add("https://example.org/feed.xml", "Feed")
    library.jobs.create("translate", str(doc), total=1)
    from webapp.actions.archives import stage
    from webapp.importing.archives import Member

    archive_id = stage(library, [Member("a.txt", 3, b"\x00\xff\x01"),
                                 Member("b.jpg", 1, reason="not a file Enface imports")],
                       "sha256:x", "x.zip")  # a file's bytes, waiting to be imported
    if library.db.sqlite:
        target = postgres_server.fresh_database(f"copy_{tmp_path.name[-20:].lower()}")
    else:
        target = str(tmp_path / "copy.sqlite3")
    report = copy_library(database_url, target)
    assert report.ok, "\n".join(report.lines())
    counts = {t.name: t.source_rows for t in report.tables}
    assert counts["unit"] == 3 and counts["revision"] == 2 and counts["glossary"] == 1
    assert counts["import_item"] == 2
    copied = Library(target)
    pending = copied.archives.pending(archive_id, None, None)
    assert copied.archives.data(pending[0]["id"]) == b"\x00\xff\x01"
    assert copied.search.units("一句") == library.search.units("一句")  # grams made there too
    assert copied.documents.tree(doc) == library.documents.tree(doc)
    assert copied.units.history(unit["id"]) == library.units.history(unit["id"])
    new_doc = add_article_to(copied, "新的一句。")
    assert new_doc > doc  # the copy's ids go on after the copied ones
    with pytest.raises(Exception, match="already holds a library"):
        copy_library(database_url, target)
    copied.close()


def add_article_to(library: Library, text: str) -> int:
    from webapp.segmenting.article import Article, Block

    blocks = [Block("title", "新"), Block("paragraph", text)]
    return library.documents.add(Article("新", blocks, "zh", "new.txt", text))[0]


def test_cli_db_copy_and_upgrade(tmp_path, postgres_server, seed_file):
    runner = CliRunner()
    data = str(tmp_path / "lib")
    assert runner.invoke(main, ["--data-dir", data, "import", str(seed_file)]).exit_code == 0
    upgraded = runner.invoke(main, ["--data-dir", data, "db", "upgrade"])
    assert upgraded.exit_code == 0 and "Already up to date" in upgraded.stdout
    target = postgres_server.fresh_database("cli_copy")
    copied = runner.invoke(main, ["--data-dir", data, "db", "copy", "--to", target])
    assert copied.exit_code == 0, copied.output
    assert "Every table matches." in copied.stdout and "unit" in copied.stdout
    listed = runner.invoke(main, ["--data-dir", data, "list", "--json"],
                           env={"ENFACE_DATABASE_URL": target})
    assert listed.exit_code == 0 and len(json.loads(listed.stdout)) == 1
    again = runner.invoke(main, ["--data-dir", data, "db", "copy", "--to", target])
    assert again.exit_code == 1 and "already holds a library" in again.output
