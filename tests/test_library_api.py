"""The library's JSON API and command line on SQLite and PostgreSQL: ``GET /api/documents``
pages, filters and sorts (``?all=1``: the old list), tag and collection endpoints with every
wrong body a 4xx; English headlines (a headline job per imported document); glossary problems
counted, filtered on and checked again after a change; ``enface list``, ``tag``,
``collection``."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from webapp.actions import jobs, problems
from webapp.vocabulary import EDITED, HEADLINE_JOB

pytestmark = pytest.mark.both_databases


@pytest.fixture
def three(add_article):
    """Three documents from two sites, dated 1–3 June 2021."""
    return [add_article(f"第{i}篇的第一句。第二句。", title=f"文章{i}",
                        source_url=f"https://{'a' if i < 2 else 'b'}.example.org/{i}",
                        published_at=datetime(2021, 6, i + 1, tzinfo=UTC)) for i in range(3)]


def test_the_api_pages_filters_and_sorts(client, library, three):
    first = client.get("/api/documents?per_page=2").get_json()
    assert (first["total"], first["page"], first["per_page"]) == (3, 1, 2)
    assert [d["id"] for d in first["documents"]] == [three[2], three[1]]
    assert {"id", "title", "title_translation", "lede_translation", "site", "units",
            "translated", "reviewed", "tags", "published_at"} <= set(first["documents"][0])
    second = client.get("/api/documents?per_page=2&page=2").get_json()
    assert [d["id"] for d in second["documents"]] == [three[0]]
    beyond = client.get("/api/documents?page=9").get_json()
    assert beyond["total"] == 3 and beyond["documents"] == []
    assert [d["id"] for d in client.get("/api/documents?site=a.example.org&sort=oldest")
            .get_json()["documents"]] == three[:2]
    library.tags.add([three[1]], "Kept")
    tagged = client.get("/api/documents?tag=kept").get_json()
    assert [d["id"] for d in tagged["documents"]] == [three[1]]
    assert tagged["documents"][0]["tags"] == ["Kept"]
    assert client.get("/api/documents?state=done").get_json()["total"] == 0
    plain = client.get("/api/documents?all=1").get_json()
    assert isinstance(plain, list) and len(plain) == 3


def test_headlines_are_translated_first_and_shown_beside_the_original(client, library, post,
                                                                        zh_model, samples):
    seed = samples / "articles" / "000_0c91fdeb926f7009.txt"
    assert post("/import", files={"files": ("seed.txt", seed.read_bytes())}).status_code == 200
    (doc,) = client.get("/api/documents").get_json()["documents"]
    assert doc["title_translation"] is None
    job = library.jobs.active(HEADLINE_JOB, str(doc["id"]))
    assert job is not None and job["status"] == "queued"
    assert jobs.run_next(library)  # a worker takes it before anything else
    tree = library.documents.tree(doc["id"])
    done = [s for s in tree["segments"] if any(u["translation"] for u in s["units"])]
    assert [s["kind"] for s in done][0] == "title" and "paragraph" in [s["kind"] for s in done]
    assert len(done) < len(tree["segments"])  # only the headline: the rest waits to be asked
    title_unit = tree["segments"][0]["units"][0]
    library.units.update(title_unit["id"], "Russia and China hold strategic security talks",
                         base_revision=title_unit["revision"], status=EDITED)
    listed = client.get("/api/documents").get_json()["documents"][0]
    assert listed["title_translation"] == "Russia and China hold strategic security talks"
    assert listed["lede_translation"]
    page = client.get("/").get_data(as_text=True)
    assert 'lang="en" title="' in page and ">Russia and China hold strategic security talks<" \
        in page and f'class="original" lang="zh-Hans">{tree["title"]}<' in page
    hits = client.get("/search?q=磋商").get_data(as_text=True)
    assert ">Russia and China hold strategic security talks</a>" in hits
    book = client.get(f"/documents/{doc['id']}/export?format=epub")
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(book.data)) as epub:
        assert f"Russia and China hold strategic security talks — {tree['title']}" in \
            epub.read("EPUB/nav.xhtml").decode()


def test_no_headline_job_without_a_model_or_when_turned_off(app, library, post, samples,
                                                            zh_model, monkeypatch):
    from webapp import engine

    app.config["HEADLINES"] = False  # ENFACE_HEADLINES=0
    seed = samples / "articles" / "000_0c91fdeb926f7009.txt"
    assert post("/import", files={"files": ("a.txt", seed.read_bytes())}).status_code == 200
    assert library.jobs.active_count(HEADLINE_JOB) == 0
    app.config["HEADLINES"] = True
    monkeypatch.setattr(engine, "find_model", lambda *pair: None)
    other = samples / "articles" / "voa_2025-02_img-small-caption_1008880.txt"
    assert post("/import", files={"files": ("b.txt", other.read_bytes())}).status_code == 200
    assert library.documents.count() == 2 and library.jobs.active_count(HEADLINE_JOB) == 0


def test_glossary_problems_are_counted_filtered_and_checked_again(client, library, post,
                                                                   add_article, zh_model,
                                                                   monkeypatch):
    from webapp.actions import glossary, translate

    lacking = add_article("第一句话。", title="标题一")
    fine = add_article("别的话。", title="标题二")
    for doc in (lacking, fine):
        translate.translate_document(library, doc)
    glossary.add(library, "第一", "First")  # the copy model's English lacks it
    found = client.get("/api/documents?problems=1").get_json()
    assert [d["id"] for d in found["documents"]] == [lacking]
    assert found["documents"][0]["problems"] == 1
    assert "1 lacking glossary terms" in client.get("/").get_data(as_text=True)
    unit = [u for s in library.documents.tree(lacking)["segments"] for u in s["units"]][1]
    library.units.update(unit["id"], "The First sentence.", base_revision=unit["revision"],
                         status=EDITED)
    assert client.get("/api/documents?problems=1").get_json()["total"] == 0
    glossary.add(library, "别的", "Other")
    assert client.get("/api/documents?problems=1").get_json()["total"] == 1
    # more to check than a page may take: the rest goes to a background job
    problems.forget(library)
    monkeypatch.setattr(problems, "BATCH", 1)
    monkeypatch.setattr(problems, "PAGE_BUDGET", 0.0)
    page = client.get("/?problems=1").get_data(as_text=True)
    assert "1 document still to be checked against the glossary" in page
    assert 'hx-trigger="load delay:2s"' in page  # the list asks again
    assert jobs.run_next(library)
    while jobs.run_next(library):  # (and what else the imports queued: measuring, checks)
        pass
    assert library.catalog.unchecked_count() == 0
    assert client.get("/api/documents?problems=1").get_json()["total"] == 1


def test_tag_endpoints(client, library, three):
    made = client.post("/api/tags", json={"names": ["Economy", "Asia"],
                                          "documents": three[:2]})
    assert made.status_code == 200 and made.get_json() == {"added": {"Economy": 2, "Asia": 2}}
    listed = client.get("/api/tags").get_json()
    assert [(t["name"], t["documents"]) for t in listed] == [("Asia", 2), ("Economy", 2)]
    asia, economy = listed[0]["id"], listed[1]["id"]
    assert client.put(f"/api/documents/{three[2]}/tags", json={"tags": ["asia", "New"]}) \
        .get_json() == ["Asia", "New"]
    assert client.get(f"/api/documents/{three[2]}/tags").get_json() == ["Asia", "New"]
    assert client.patch(f"/api/tags/{economy}", json={"name": "asia"}).status_code == 409
    assert client.patch(f"/api/tags/{economy}", json={"name": "Money"}).get_json()["name"] \
        == "Money"
    assert client.post(f"/api/tags/{economy}/merge", json={"into": "Asia"}).get_json()["id"] \
        == asia
    assert client.delete(f"/api/tags/{asia}").status_code == 204
    assert [t["name"] for t in client.get("/api/tags").get_json()] == ["New"]
    for method, path, body, status in [
        ("post", "/api/tags", {"names": "a,b", "documents": ["x"]}, 400),
        ("post", "/api/tags", {"names": [], "documents": [1]}, 400),
        ("post", "/api/tags", {"names": [5], "documents": [1]}, 400),
        ("post", "/api/tags", {"name": "ok", "documents": "1,2"}, 400),
        ("post", "/api/tags", {"name": "ok", "documents": [True]}, 400),
        ("post", "/api/tags", {"name": "ok", "documents": list(range(1, 10_002))}, 400),
        ("patch", f"/api/tags/{asia}", {"name": "x"}, 404),
        ("patch", "/api/tags/999", {"name": "x"}, 404),
        ("post", "/api/tags/999/merge", {"into": 1}, 404),
        ("put", f"/api/documents/{three[0]}/tags", {"tags": "a"}, 400),
        ("put", "/api/documents/999/tags", {"tags": []}, 404),
        ("get", "/api/documents/999/tags", None, 404),
    ]:
        response = getattr(client, method)(path, json=body)
        assert response.status_code == status, (method, path, body, response.get_json())
        assert response.get_json()["error"]


def test_collection_endpoints(client, library, three):
    a, b, c = three
    made = client.post("/api/collections", json={"name": "Weekend", "note": "long reads"})
    assert made.status_code == 201
    weekend = made.get_json()["id"]
    assert client.post("/api/collections", json={"name": "WEEKEND"}).status_code == 409
    assert client.post(f"/api/collections/{weekend}/documents",
                       json={"documents": [c, a]}).get_json() == {"added": 2}
    shown = client.get(f"/api/collections/{weekend}").get_json()
    assert [d["id"] for d in shown["documents"]] == [c, a]
    assert "title_translation" in shown["documents"][0]
    reordered = client.patch(f"/api/collections/{weekend}",
                             json={"documents": [a, c], "name": "Weekend reads"}).get_json()
    assert [d["id"] for d in reordered["documents"]] == [a, c]
    assert reordered["name"] == "Weekend reads"
    assert client.patch(f"/api/collections/{weekend}", json={"documents": [a]}).status_code \
        == 409
    assert client.delete(f"/api/collections/{weekend}/documents/{c}").status_code == 204
    assert client.delete(f"/api/collections/{weekend}/documents/{c}").status_code == 404
    other = client.post("/api/collections", json={"name": "Other"}).get_json()["id"]
    client.post(f"/api/collections/{other}/documents", json={"documents": [b], "move": True})
    merged = client.post(f"/api/collections/{other}/merge", json={"into": weekend})
    assert merged.status_code == 200 and library.collections.documents(weekend) == [a, b]
    assert [c["name"] for c in client.get("/api/collections").get_json()] == ["Weekend reads"]
    assert client.delete(f"/api/collections/{weekend}").status_code == 204
    for method, path, body, status in [
        ("post", "/api/collections", {"name": ""}, 400),
        ("post", "/api/collections", {"name": "x" * 101}, 400),
        ("post", "/api/collections", {"name": "ok", "note": 5}, 400),
        ("post", "/api/collections", [], 400),
        ("patch", f"/api/collections/{other}", {"colour": "red"}, 400),
        ("patch", f"/api/collections/{weekend}", {"name": "x"}, 404),
        ("post", f"/api/collections/{weekend}/documents", {"documents": [a]}, 404),
        ("post", f"/api/collections/{weekend}/documents", {"documents": [a], "move": "yes"},
         400),
        ("post", f"/api/collections/{weekend}/merge", {"into": "x"}, 400),
        ("get", "/api/collections/999", None, 404),
    ]:
        response = getattr(client, method)(path, json=body)
        assert response.status_code == status, (method, path, body, response.get_json())
        assert response.get_json()["error"]


def cli(database_url, tmp_path, *args):
    from webapp.cli import main

    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "cli"), *args],
                                env={"ENFACE_DATABASE_URL": database_url})
    return result


def test_enface_list_tag_and_collection(database_url, tmp_path, library, three):
    a, b, c = three
    listed = cli(database_url, tmp_path, "list", "--site", "a.example.org")
    assert listed.exit_code == 0, listed.output
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == [str(b), str(a)]
    paged = json.loads(cli(database_url, tmp_path, "list", "--page", "1", "--per-page", "1",
                           "--json").stdout)
    assert paged["total"] == 3 and [d["id"] for d in paged["documents"]] == [c]
    assert cli(database_url, tmp_path, "list", "--from", "June 1").exit_code == 1
    tagged = cli(database_url, tmp_path, "tag", "add", "Economy, Later", "--site",
                 "a.example.org")
    assert tagged.stdout == "Economy: 2 documents newly tagged\nLater: 2 documents newly tagged\n"
    assert cli(database_url, tmp_path, "tag", "add", "Only", str(c)).exit_code == 0
    assert cli(database_url, tmp_path, "tag", "add", "Nothing").exit_code == 2  # no target
    assert cli(database_url, tmp_path, "tag", "merge", "later", "economy").stdout == "Economy\n"
    assert cli(database_url, tmp_path, "tag", "rename", "Only", "Solo").stdout == "Solo\n"
    assert cli(database_url, tmp_path, "tag", "list").stdout.split("\n")[0].endswith(
        "\t2\tEconomy")
    assert [d["id"] for d in json.loads(cli(database_url, tmp_path, "list", "--tag", "economy",
                                            "--json").stdout)] == [b, a]
    made = cli(database_url, tmp_path, "collection", "create", "Weekend")
    weekend = made.stdout.strip()
    assert cli(database_url, tmp_path, "collection", "add", weekend, "--tag", "economy",
               "--sort", "oldest").stdout == "2 documents added\n"
    assert cli(database_url, tmp_path, "collection", "order", weekend, str(b), str(a)) \
        .exit_code == 0
    shown = cli(database_url, tmp_path, "collection", "show", weekend).stdout.splitlines()
    assert [line.split("\t")[0] for line in shown] == [str(b), str(a)]
    book = tmp_path / "weekend.md"
    assert cli(database_url, tmp_path, "collection", "export", weekend, "--format", "md",
               "-o", str(book)).exit_code == 0
    assert book.read_text(encoding="utf-8").startswith("# Weekend\n")
    missing = cli(database_url, tmp_path, "collection", "show", "99")
    assert missing.exit_code == 1 and "no collection 99" in missing.stderr
    assert cli(database_url, tmp_path, "tag", "delete", "Solo").exit_code == 0
    assert cli(database_url, tmp_path, "tag", "delete", "Solo").exit_code == 1
