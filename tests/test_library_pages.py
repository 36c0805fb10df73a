"""The library page on SQLite and PostgreSQL: filters and sort in the address, the list alone for
htmx, bulk actions on ticked documents or on every result, deleting with its count confirmed,
the Tags and Collections pages and the reader's tags block; hostile values are 400s."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime

import pytest

from webapp.vocabulary import TRANSLATE_JOB

pytestmark = pytest.mark.both_databases


def listed(html: str) -> list[int]:
    """The document ids of a rendered list, in order."""
    return [int(i) for i in re.findall(r'<tr id="doc-(\d+)"', html)]


@pytest.fixture
def shelf(library, add_article):
    """Five documents: three from news.example.org (one translated, one approved in part),
    two from blog.example.com (one in Japanese), dated 1–5 May 2021."""
    ids = []
    for i, (site, lang) in enumerate([("news", "zh"), ("news", "zh"), ("news", "zh"),
                                      ("blog", "zh"), ("blog", "ja")]):
        domain = "news.example.org" if site == "news" else "blog.example.com"
        ids.append(add_article(f"第{i}篇的第一句。第二句。", title=f"文章{i}", lang=lang,
                               source_url=f"https://www.{domain}/{i}",
                               published_at=datetime(2021, 5, i + 1, tzinfo=UTC)))
    units = [u for s in library.documents.tree(ids[0])["segments"] for u in s["units"]]
    library.units.store_translations([(u["id"], f"English {u['id']}") for u in units],
                                     model_id="m")
    first = [u for s in library.documents.tree(ids[1])["segments"] for u in s["units"]][0]
    library.units.store_translations([(first["id"], "Half")], model_id="m")
    library.review.approve(first["id"], base_revision=1)
    return ids


def test_filters_keep_what_the_address_says(client, shelf):
    a, b, c, d, e = shelf
    assert listed(client.get("/").get_data(as_text=True)) == [e, d, c, b, a]
    assert listed(client.get("/?site=news.example.org").get_data(as_text=True)) == [c, b, a]
    assert listed(client.get("/?site=www.NEWS.example.org").get_data(as_text=True)) == [c, b, a]
    assert listed(client.get("/?state=done").get_data(as_text=True)) == [a]
    assert listed(client.get("/?state=translated").get_data(as_text=True)) == [a]  # same word
    assert listed(client.get("/?state=partly").get_data(as_text=True)) == [b]
    assert listed(client.get("/?review=partly").get_data(as_text=True)) == [b]
    assert listed(client.get("/?lang=ja").get_data(as_text=True)) == [e]
    assert listed(client.get("/?from=2021-05-02&to=2021-05-03").get_data(as_text=True)) == [c, b]
    assert listed(client.get("/?sort=oldest").get_data(as_text=True)) == [a, b, c, d, e]
    assert listed(client.get("/?sort=title&site=blog.example.com").get_data(as_text=True)) == [d, e]
    assert listed(client.get("/?q=第3篇").get_data(as_text=True)) == [d]
    page = client.get("/?site=news.example.org&state=untranslated").get_data(as_text=True)
    assert listed(page) == [c] and "1 document matches the filters" in page
    assert 'name="site" value="news.example.org"' in page  # the form shows the query
    empty = client.get("/?site=nowhere.example").get_data(as_text=True)
    assert "No document matches these filters" in empty


def test_the_list_alone_for_htmx_and_whole_when_the_back_button_asks(client, shelf):
    part = client.get("/?state=done", headers={"HX-Request": "true"})
    text = part.get_data(as_text=True)
    assert text.startswith('<section id="documents"') and "<html" not in text
    assert "HX-Request" in part.headers["Vary"]
    whole = client.get("/?state=done", headers={"HX-Request": "true",
                                                "HX-History-Restore-Request": "true"})
    assert "<html" in whole.get_data(as_text=True) and listed(whole.get_data(as_text=True))
    paged = client.get("/?per_page=2&state=untranslated").get_data(as_text=True)
    assert 'href="/?state=untranslated&amp;page=2&amp;per_page=2"' in paged  # the query kept


@pytest.mark.parametrize("query", [
    "state=nearly", "review=maybe", "lang=xx", "from=2021-13-01", "from=20210501",
    "from=2021-05-03&to=2021-05-01", "sort=random", "page=0", "per_page=0", "per_page=501",
    "collection=abc", "collection=0", "tag=a,b", "problems=perhaps", "site=" + "x" * 300,
    "tag=%00", "q=" + "字" * 201, "collection=" + "9" * 30], ids=lambda q: q[:24])
def test_hostile_filters_are_a_clear_400(client, shelf, query):
    for path in ("/", "/documents", "/api/documents", "/search"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query)
        message = response.get_json()["error"] if path.startswith("/api") else \
            response.get_data(as_text=True)
        assert any(word in message for word in ("'", "tag", "language", "characters")), message


def tick(post, url: str, ids: list[int], **form):
    return post(url, ids=[str(i) for i in ids], **form)


def test_bulk_tag_untag_and_collect_ticked_documents_or_every_result(client, post, library,
                                                                       shelf):
    a, b, c, d, e = shelf
    done = tick(post, "/library/tag", [a, c], tags="Economy, to read", site="news.example.org")
    assert done.status_code == 200
    text = done.get_data(as_text=True)
    assert "“Economy” to 2 more documents" in text and listed(text) == [c, b, a]  # its query
    assert listed(client.get("/?tag=economy").get_data(as_text=True)) == [c, a]
    everything = post("/library/tag", scope="all", site="blog.example.com", tags="Blogs")
    assert "“Blogs” to 2 more documents" in everything.get_data(as_text=True)
    assert listed(client.get("/?tag=BLOGS").get_data(as_text=True)) == [e, d]
    assert "taken off 1 document" in tick(post, "/library/untag", [c, d], tags="economy") \
        .get_data(as_text=True)
    made = post("/collections", name="Weekend", htmx=False)
    assert made.status_code == 303
    weekend = int(made.headers["Location"].rsplit("/", 1)[1])
    assert "2 documents added" in post("/library/collect", scope="all", tag="blogs",
                                        into=str(weekend)).get_data(as_text=True)
    assert library.collections.documents(weekend) == [e, d]  # the list's order
    assert tick(post, "/library/tag", [], tags="x").status_code == 400  # nothing ticked
    assert tick(post, "/library/tag", [a], tags="").status_code == 400
    assert tick(post, "/library/tag", [a], tags="a" * 65).status_code == 400
    assert post("/library/tag", scope="all", site="nowhere.example", tags="x").status_code == 400
    assert tick(post, "/library/collect", [a], into="999").status_code == 404
    assert tick(post, "/library/collect", [a], into="").status_code == 400
    assert tick(post, "/library/tag", ["x"], tags="y").status_code == 400


def test_bulk_translate_queues_one_job_per_document_with_work_left(client, post, library,
                                                                    shelf, zh_model):
    a, b, c, d, e = shelf
    text = post("/library/translate", scope="all", site="news.example.org") \
        .get_data(as_text=True)
    assert "Queued 2 translations; 1 document was translated already" in text
    running = library.jobs.active_targets(TRANSLATE_JOB)
    assert set(running) == {str(b), str(c)}
    assert "Translating 2 documents" in text and 'hx-trigger="load delay:2s"' in text
    japanese = tick(post, "/library/translate", [e]).get_data(as_text=True)
    assert japanese and library.jobs.active(TRANSLATE_JOB, str(e)) is None  # no ja model
    from webapp.actions import jobs

    while jobs.run_next(library):
        pass
    assert listed(client.get("/?state=done&site=news.example.org").get_data(as_text=True)) \
        == [c, b, a]


def test_bulk_export_is_one_book_or_a_zip_in_the_lists_order(client, post, shelf):
    a, b, c, d, e = shelf
    book = tick(post, "/library/export", [c, a], format="epub", book="1", sort="oldest",
                htmx=False)
    assert book.status_code == 200 and book.mimetype == "application/epub+zip"
    with zipfile.ZipFile(io.BytesIO(book.data)) as epub:
        nav = epub.read("EPUB/nav.xhtml").decode()
        assert nav.index("文章2") < nav.index("文章0")  # the order ticked
    markdown = post("/library/export", scope="all", site="news.example.org", sort="oldest",
                    format="md", book="1", htmx=False)
    text = markdown.data.decode()
    assert text.startswith("# Enface: 3 articles\n") and text.index("文章0") < text.index("文章2")
    zipped = post("/library/export", scope="all", lang="ja", format="json", htmx=False)
    assert zipped.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(zipped.data)) as archive:
        assert [n.split("-")[0] for n in archive.namelist()] == [str(e)]
    assert tick(post, "/library/export", [a], format="tmx", book="1", htmx=False) \
        .status_code == 400  # no book in TMX
    assert tick(post, "/library/export", [a], format="nope", htmx=False).status_code == 400


def test_deleting_asks_with_the_count_and_goes_ahead_only_on_that_count(client, post, library,
                                                                         shelf):
    a, b, c, d, e = shelf
    asked = post("/library/delete", scope="all", site="blog.example.com")
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Delete 2 documents?" in text
    assert 'name="confirm" value="2"' in text and library.documents.count() == 5
    changed = post("/library/delete", scope="all", site="blog.example.com", confirm="3")
    assert "The list changed since you asked" in changed.get_data(as_text=True)
    assert library.documents.count() == 5
    gone = post("/library/delete", scope="all", site="blog.example.com", confirm="2")
    assert "Deleted 2 documents" in gone.get_data(as_text=True)
    assert sorted(d["id"] for d in library.documents.page()) == [a, b, c]
    assert tick(post, "/library/delete", [a], confirm="1").status_code == 200
    assert library.documents.count() == 2


def test_tags_page_renames_merges_and_deletes(client, post, library, shelf):
    a, b, c, d, e = shelf
    library.tags.add([a, b], "Economy")
    library.tags.add([c], "Economics")
    economy, economics = (library.tags.find(n)["id"] for n in ("economy", "economics"))
    page = client.get("/tags").get_data(as_text=True)
    assert 'href="/?tag=Economy">Economy</a>' in page
    clash = post(f"/tags/{economics}/rename", name="ECONOMY")
    assert clash.status_code == 409 and "merge the two" in clash.get_data(as_text=True)
    assert "Merged into “Economy”" in post(f"/tags/{economics}/merge", into=str(economy)) \
        .get_data(as_text=True)
    assert library.catalog.count(library_where(tag="economy")) == 3
    assert "Renamed to “Money”" in post(f"/tags/{economy}/rename", name=" Money ") \
        .get_data(as_text=True)
    assert post(f"/tags/{economy}/merge", into=str(economy)).status_code == 409
    assert post(f"/tags/{economy}/merge", into="").status_code == 400
    assert post(f"/tags/{economy}/delete").status_code == 200 and library.tags.all() == []
    assert post(f"/tags/{economy}/delete").status_code == 404


def library_where(**kw):
    from webapp.storage.catalog import Where

    return Where(**kw)


def test_collections_pages_keep_a_reading_list_in_order(client, post, library, shelf):
    a, b, c, d, e = shelf
    created = post("/collections", name="Weekend reading", note="long reads")
    assert created.status_code == 201 and "Made “Weekend reading”" in created.get_data(as_text=True)
    weekend = library.collections.all()[0]["id"]
    assert post("/collections", name="weekend READING").status_code == 409
    for doc in (c, a, b):  # from the reader
        panel = post(f"/documents/{doc}/collect", collection=str(weekend))
        assert panel.status_code == 200 and "Weekend reading" in panel.get_data(as_text=True)
    assert library.collections.documents(weekend) == [c, a, b]
    post(f"/collections/{weekend}/move", document=str(b), step="up")
    assert library.collections.documents(weekend) == [c, b, a]
    page = client.get(f"/collections/{weekend}").get_data(as_text=True)
    assert page.index("文章2") < page.index("文章1") < page.index("文章0")
    book = client.get(f"/collections/{weekend}/export?format=docx")
    assert book.headers["Content-Disposition"] == 'attachment; filename="weekend-reading.docx"'
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(book.data)).paragraphs)
    assert text.index("文章2") < text.index("文章1") < text.index("文章0")
    post(f"/collections/{weekend}/remove", document=str(c))
    assert library.collections.documents(weekend) == [b, a]
    other = library.collections.create("Other")
    library.collections.add(other, [e])
    assert post(f"/collections/{other}/merge", into=str(weekend)).status_code == 200
    assert library.collections.documents(weekend) == [b, a, e]
    assert post(f"/collections/{weekend}/edit", name="Renamed", note="").status_code == 200
    assert library.collections.get(weekend)["name"] == "Renamed"
    assert post(f"/collections/{weekend}/move", document=str(d), step="up").status_code == 404
    assert post(f"/collections/{weekend}/move", document=str(a), step="sideways").status_code \
        == 400
    assert post(f"/collections/{weekend}/delete").status_code == 200
    assert client.get(f"/collections/{weekend}").status_code == 404


def test_the_readers_block_adds_and_removes_tags(client, post, library, shelf):
    a = shelf[0]
    reader = client.get(f"/documents/{a}").get_data(as_text=True)
    assert 'id="organize"' in reader and "Add tags" in reader
    added = post(f"/documents/{a}/tags", tags="Economy, Asia")
    assert added.status_code == 200 and 'href="/?tag=Asia">Asia</a>' in added.get_data(
        as_text=True)
    assert library.tags.of_documents([a])[a][1]["name"] == "Economy"
    post(f"/documents/{a}/untag", tag="asia")
    assert [t["name"] for t in library.tags.of_documents([a])[a]] == ["Economy"]
    assert post("/documents/999/tags", tags="x").status_code == 404
    assert library.tags.find("x") is None  # nothing made for a missing document
    assert post(f"/documents/{a}/untag", tag="never").status_code == 404


def test_search_keeps_to_the_documents_the_filters_keep(client, shelf):
    everywhere = client.get("/api/search?q=第二句").get_json()
    assert everywhere["total"] == 5
    news = client.get("/search?q=第二句&site=news.example.org").get_data(as_text=True)
    assert "3 sentences hold “第二句” in the documents the filters keep" in news
    kept = client.get("/search?q=第二句&lang=ja&site=blog.example.com",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert kept.startswith('<section id="search-results"') and "1 sentence hold" in kept
