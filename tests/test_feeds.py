"""Feeds: RSS and Atom items become documents once; hostile feeds store nothing."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from webapp.actions import feeds, jobs
from webapp.actions.feeds import add_feed, import_feed, update_feeds
from webapp.cli import main
from webapp.errors import ImportFailed, TooLarge
from webapp.importing.readers.feed import parse_feed
from webapp.storage import Library
from webapp.vocabulary import FEEDS_JOB

pytestmark = pytest.mark.both_databases

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
SERVED: dict[str, Path] = {}

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
    + b"".join(b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
               for i in range(1, 10))
    + b']>\n<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
    b"<link>http://example.org/1</link><description>&lol9;</description></item></channel></rss>"
)
MALFORMED = b"<rss version='2.0'><channel><title>broken</title><item><title>x</tit"


@pytest.fixture
def lib(tmp_path):
    library = Library(tmp_path / "library.sqlite3")
    yield library
    library.close()


@pytest.fixture
def feed_files(tmp_path) -> Path:
    """The RSS and Atom fixtures, copied where the test may change them."""
    folder = tmp_path / "feeds"
    shutil.copytree(FEEDS, folder)
    return folder


def test_rss_and_atom_imported_twice_second_run_imports_nothing_new(lib, feed_files, no_network):
    reports = [add_feed(lib, str(feed_files / name), fetch_pages=False)
               for name in ("news.rss", "news.atom")]
    assert [len(r.new) for r in reports] == [3, 2] and not reports[0].failed
    # offline, the summary-only item is its summary, with a warning that says so
    (summary,) = [r for r in reports[0].new if r.warning]
    assert "not fetched (offline)" in summary.warning and "summary" in summary.warning
    assert "warning: 只有摘要的条目: the linked page was not fetched" in reports[0].describe()
    assert lib.documents.count() == 5
    again = update_feeds(lib, fetch_pages=False)
    assert [len(r.new) for r in again] == [0, 0]
    assert [r.skipped for r in again] == [3, 2]
    assert lib.documents.count() == 5
    docs = {d["title"]: d for d in lib.documents.page()}
    park = lib.documents.get(docs["城市公园今年新增绿地三百公顷"]["id"])
    assert park["published_at"] == "2024-05-14T01:30:00Z"  # +0800 in the feed, kept as an instant
    assert park["source_url"] == "https://news.example.org/2024/05/parks.html"
    assert park["meta"]["feed"] == str(feed_files / "news.rss")
    blocks = lib.documents.tree(park["id"])["segments"]
    assert [s["kind"] for s in blocks][-2:] == ["paragraph", "byline"]
    assert "caption" in [s["kind"] for s in blocks]
    assert lib.documents.get(docs["颱風過境 北部山區累積雨量破千毫米"]["id"])["source_lang"] == "zt"


def test_only_new_items_are_imported_by_guid(lib, feed_files):
    add_feed(lib, str(feed_files / "news.atom"), fetch_pages=False)
    atom = feed_files / "news.atom"
    text = atom.read_text(encoding="utf-8")
    entry = text[text.index("<entry>"):text.index("</entry>") + len("</entry>")]
    fresh = (entry.replace("aaaa-80da344efa6a", "bbbb-000000000001")
             .replace("颱風過境", "豪雨特報").replace("一千毫米", "八百毫米"))
    atom.write_text(text.replace("<entry>", fresh + "\n<entry>", 1), encoding="utf-8")
    [report] = update_feeds(lib, fetch_pages=False)
    assert [r.title for r in report.new] == ["豪雨特報 北部山區累積雨量破千毫米"]
    assert report.skipped == 2 and not report.failed


def test_summary_only_item_is_fetched_when_online(lib, feed_files, monkeypatch):
    from webapp.importing import load_bytes

    def fake_fetch(url, **kwargs):
        return load_bytes("<html><body><article><p>从网页取来的全文，第一段。</p>"
                                   "<p>第二段也在这里。</p></article></body></html>".encode(),
                                   "page.html", source_url=url)

    monkeypatch.setattr("webapp.importing.fetch_url", fake_fetch)
    report = add_feed(lib, str(feed_files / "news.rss"), fetch_pages=True)
    assert len(report.new) == 3 and not report.failed
    fetched = [r for r in report.new if r.origin.endswith("never-fetched.html")]
    doc = lib.documents.get(fetched[0].doc_id)
    assert doc["meta"]["guid"] == "rss-0003"
    assert doc["published_at"] == "2024-05-16T00:00:00Z"  # the page has no time: the item's


@pytest.mark.parametrize("data, error, message", [
    (BILLION_LAUGHS, ImportFailed, "entities"),
    (MALFORMED, ImportFailed, "not a readable"),
    (b"<html><body>not a feed</body></html>", ImportFailed, "not an RSS or Atom"),
    (b"<rss version='2.0'><channel><title>x</title></channel>" + b" " * 2000, ImportFailed,
     "not a readable"),
])
def test_hostile_feeds_are_clear_errors(data, error, message):
    with pytest.raises(error, match=message):
        parse_feed(data, "feed.xml")


def test_external_dtd_is_never_fetched(no_network):
    feed = parse_feed(b"<?xml version='1.0'?><!DOCTYPE rss SYSTEM 'http://example.org/x.dtd'>"
                      b"<rss version='2.0'><channel><title>t</title><item><title>a</title>"
                      b"<link>http://example.org/a</link></item></channel></rss>", "dtd.xml")
    assert [i.title for i in feed.items] == ["a"] and no_network == []


def test_huge_feed_is_refused_before_parsing():
    with pytest.raises(TooLarge, match="limit"):
        parse_feed(b"<rss>" + b" " * 2048 + b"</rss>", "huge.xml", max_bytes=1024)


@pytest.mark.parametrize("data", [BILLION_LAUGHS, MALFORMED, b"<rss>" + b"x" * 5000])
def test_hostile_feed_stores_nothing(lib, tmp_path, data):
    path = tmp_path / "hostile.rss"
    path.write_bytes(data)
    report = add_feed(lib, str(path), max_bytes=4096)
    assert not report.ok and report.error
    assert lib.feeds.all() == [] and lib.documents.count() == 0
    assert not import_feed(lib, str(path), max_bytes=4096).ok
    assert lib.documents.count() == 0


def test_cli_feeds_add_list_update_remove(tmp_path, feed_files):
    runner = CliRunner()
    env = {"ENFACE_DATA_DIR": str(tmp_path / "data"), "ENFACE_SEED": "0"}
    added = runner.invoke(main, ["feeds", "add", "--offline", str(feed_files / "news.atom")],
                          env=env)
    assert added.exit_code == 0, added.output
    assert "颱風過境 北部山區累積雨量破千毫米" in added.stdout
    assert "2 new, 0 skipped, 0 failed" in added.stderr
    listed = runner.invoke(main, ["feeds", "list"], env=env)
    assert listed.stdout.startswith("1\t2\t") and "測試新聞 Atom" in listed.stdout
    updated = runner.invoke(main, ["feeds", "update", "--offline"], env=env)
    assert updated.exit_code == 0 and updated.stdout == ""
    assert "0 new, 2 skipped, 0 failed" in updated.stderr
    assert runner.invoke(main, ["feeds", "remove", "1"], env=env).exit_code == 0
    assert runner.invoke(main, ["feeds", "list"], env=env).stdout == ""
    missing = runner.invoke(main, ["feeds", "remove", "1"], env=env)
    assert missing.exit_code == 1 and "no feed 1" in missing.stderr
    hostile = tmp_path / "lol.rss"
    hostile.write_bytes(BILLION_LAUGHS)
    refused = runner.invoke(main, ["feeds", "add", str(hostile)], env=env)
    assert refused.exit_code == 1 and "entities" in refused.stderr


def test_cli_import_of_a_feed_file_imports_its_items(tmp_path, feed_files):
    runner = CliRunner()
    env = {"ENFACE_DATA_DIR": str(tmp_path / "data"), "ENFACE_SEED": "0"}
    result = runner.invoke(main, ["import", str(feed_files / "news.atom")], env=env)
    assert result.exit_code == 0
    assert result.stdout.count("\t") == 2
    again = runner.invoke(main, ["import", str(feed_files / "news.atom")], env=env)
    assert again.exit_code == 0 and "already imported" in again.stderr


@pytest.fixture
def app(tmp_path):
    """The app, allowed to fetch from the loopback feed server (ENFACE_ALLOW_PRIVATE_URLS=1)."""
    from webapp import create_app

    app = create_app({"DATA_DIR": str(tmp_path / "data"), "SEED": False, "WORKER": False,
                      "TESTING": True, "ALLOW_PRIVATE_URLS": True})
    yield app
    app.extensions["library"].close()


@pytest.fixture
def feed_server(feed_files):
    """The feed folder served over HTTP on a free loopback port."""
    handler = functools.partial(QuietHandler, directory=str(feed_files))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    SERVED[url] = feed_files
    yield url
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log to stderr."""

    extensions_map = {".atom": "application/atom+xml", ".rss": "application/rss+xml",
                      ".xrss": "application/x-rss+xml", ".xml": "text/xml",
                      ".bin": "application/octet-stream", ".png": "image/png"}

    def log_message(self, *args) -> None:  # noqa: D102
        pass


def _post(client, path, **form):
    client.get("/feeds")
    with client.session_transaction() as session:
        form["csrf_token"] = session["csrf"]
    return client.post(path, data=form)


def test_feeds_page_subscribe_update_unsubscribe(app, client, library, feed_server):
    page = client.get("/feeds")
    assert page.status_code == 200 and "No subscriptions yet" in page.get_data(as_text=True)
    added = _post(client, "/feeds", url=f"{feed_server}/news.atom")
    # Stored at once; its items are imported by the job worker, not in the request.
    assert added.status_code == 202 and "Importing the feed’s items" in added.get_data(as_text=True)
    assert len(library.feeds.all()) == 1 and library.documents.count() == 0
    first = library.jobs.latest(FEEDS_JOB)
    assert jobs.run_next(library, allow_private=True)
    imported = client.get(f"/feeds/update/{first['id']}", headers={"HX-Request": "true"})
    assert "2 new, 0 skipped, 0 failed" in imported.get_data(as_text=True)
    assert "The feed’s items are in." in imported.get_data(as_text=True)
    assert library.documents.count() == 2
    updated = _post(client, "/feeds/update")  # queued for the job worker, not run in the request
    assert updated.status_code == 202 and "Updating feeds… 0 of 1" in updated.get_data(as_text=True)
    job = library.jobs.latest(FEEDS_JOB)
    polling = client.get(f"/feeds/update/{job['id']}", headers={"HX-Request": "true"})
    assert f'hx-get="/feeds/update/{job["id"]}"' in polling.get_data(as_text=True)
    assert jobs.run_next(library, allow_private=True)
    done = client.get(f"/feeds/update/{job['id']}", headers={"HX-Request": "true"})
    text = done.get_data(as_text=True)
    assert "0 new, 2 skipped, 0 failed" in text and "hx-get" not in text
    assert 'id="feed-list" hx-swap-oob="true"' in text  # the subscriptions table refreshed
    assert library.jobs.get(job["id"])["status"] == "done"
    feed_id = library.feeds.all()[0]["id"]
    removed = _post(client, f"/feeds/{feed_id}/delete")
    assert removed.status_code == 200 and library.feeds.all() == []
    assert library.documents.count() == 2  # documents stay


def test_update_job_reports_each_feed_and_stops_on_cancel(library, feed_files):
    for name in ("news.atom", "news.rss"):
        feeds.add_feed(library, str(feed_files / name))
    (feed_files / "news.rss").write_bytes(b"<rss><channel><item>")  # now broken
    job_id = feeds.queue_update(library)
    assert feeds.queue_update(library) == job_id  # one update at a time
    jobs.run_job(library, library.jobs.get(job_id))
    job = feeds.update_job(library, job_id)
    assert job["status"] == "done" and (job["done"], job["total"]) == (2, 2)
    first, second = job["reports"]
    assert first.ok and (len(first.new), first.skipped, first.failed) == (0, 2, [])
    assert not second.ok and second.error
    cancelled = feeds.queue_update(library)
    library.jobs.cancel(cancelled)
    jobs.run_job(library, cancelled)  # a cancelled job runs nothing
    assert feeds.update_job(library, cancelled)["reports"] == []
    assert feeds.update_job(library, None)["id"] == cancelled


def feed_server_dir(url: str) -> Path:
    """The folder a feed server started by this module serves."""
    return SERVED[url]


def test_feeds_page_refuses_bad_input_and_missing_csrf(client, library, feed_server):
    assert client.post("/feeds", data={"url": f"{feed_server}/news.atom"}).status_code == 403
    assert client.post("/feeds/update").status_code == 403
    assert client.post("/feeds/1/delete").status_code == 403
    local = _post(client, "/feeds", url=str(FEEDS / "news.rss"))  # no local files from a form
    assert local.status_code == 400
    (feed_server_dir(feed_server) / "lol.rss").write_bytes(BILLION_LAUGHS)
    hostile = _post(client, "/feeds", url=f"{feed_server}/lol.rss")
    assert hostile.status_code == 400 and "entities" in hostile.get_data(as_text=True)
    missing = _post(client, "/feeds", url=f"{feed_server}/missing.rss")
    assert missing.status_code == 400 and "404" in missing.get_data(as_text=True)
    assert _post(client, "/feeds/99/delete").status_code == 404
    assert library.feeds.all() == [] and library.documents.count() == 0


def test_a_new_subscription_imports_only_its_own_items_in_a_job(library, feed_files, feed_server):
    feeds.add_feed(library, str(feed_files / "news.rss"))
    before = library.documents.count()
    report, job_id = feeds.subscribe(library, f"{feed_server}/news.atom", allow_private=True)
    assert report.ok and job_id is not None and library.documents.count() == before
    assert feeds.subscribe(library, f"{feed_server}/news.atom", allow_private=True)[1] == job_id  # queued once
    job = library.jobs.get(job_id)
    jobs.run_job(library, job, allow_private=True)
    (done,) = feeds.update_job(library, job_id)["reports"]
    assert done.url.endswith("/news.atom") and len(done.new) == 2
    assert library.documents.count() == before + 2
    # Unsubscribed before its job ran: the job ends with nothing to do.
    gone, gone_job = feeds.subscribe(library, f"{feed_server}/news.atom", allow_private=True)
    assert gone_job != job_id
    library.feeds.remove(library.feeds.all()[-1]["id"])
    jobs.run_job(library, library.jobs.get(gone_job), allow_private=True)
    assert feeds.update_job(library, gone_job)["reports"] == []
    broken, none = feeds.subscribe(library, f"{feed_server}/missing.rss", allow_private=True)
    assert none is None and "404" in broken.error and len(library.feeds.all()) == 1


def test_a_feed_update_can_be_cancelled_and_other_jobs_are_not_its_to_cancel(
        app, client, library, feed_server):
    feeds.add_feed(library, f"{feed_server}/news.atom", allow_private=True)
    job_id = feeds.queue_update(library)
    status = client.get(f"/feeds/update/{job_id}", headers={"HX-Request": "true"})
    assert f'hx-post="/feeds/update/{job_id}/cancel"' in status.get_data(as_text=True)
    # The translations' cancel route refuses a feed job: 404, not a 500 on its "all" target.
    assert _post(client, f"/jobs/{job_id}/cancel").status_code == 404
    assert library.jobs.get(job_id)["status"] == "queued"
    assert client.post(f"/feeds/update/{job_id}/cancel").status_code == 403  # no CSRF token
    cancelled = _post(client, f"/feeds/update/{job_id}/cancel")
    assert cancelled.status_code == 200
    assert "The feed update was cancelled." in cancelled.get_data(as_text=True)
    assert library.jobs.get(job_id)["status"] == "cancelled"
    assert not jobs.run_next(library, allow_private=True)  # nothing left
    translation = library.jobs.create("translate", "1")
    assert _post(client, f"/feeds/update/{translation}/cancel").status_code == 404
    assert library.jobs.get(translation)["status"] == "queued"
    assert _post(client, "/feeds/update/999/cancel").status_code == 404


@pytest.mark.parametrize("name", ["feed.xrss", "feed.atom", "feed.xml", "feed.bin", "feed.png"])
def test_feeds_are_read_whatever_xml_type_they_are_served_as(lib, feed_files, feed_server,
                                                              name):
    """application/x-rss+xml, application/atom+xml, text/xml, and anything whose bytes are a
    feed (application/octet-stream, even a wrong image/png)."""
    source = "news.rss" if name != "feed.atom" else "news.atom"
    shutil.copy(feed_files / source, feed_files / name)
    report = add_feed(lib, f"{feed_server}/{name}", fetch_pages=False, allow_private=True)
    assert report.ok, report.error
    assert len(report.new) >= 2


def test_a_file_that_is_no_feed_is_refused_whatever_its_type(lib, feed_files, feed_server):
    (feed_files / "page.bin").write_bytes(b"\x89PNG\r\n\x1a\n not a feed")
    report = add_feed(lib, f"{feed_server}/page.bin", allow_private=True)
    assert not report.ok and "not a feed" in report.error and lib.feeds.all() == []


def test_an_items_own_full_text_is_the_article_however_short(lib, tmp_path, no_network):
    feed = tmp_path / "short.rss"
    feed.write_text(
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>t</title><item><title>短讯</title><link>https://news.example.org/short</link>"
        "<guid>s1</guid><description>这是一段比正文还长的摘要，说了很多很多的话，但它只是摘要。"
        "</description><content:encoded><![CDATA[<p>短讯全文。</p>]]></content:encoded></item>"
        "</channel></rss>", encoding="utf-8")
    report = add_feed(lib, str(feed), fetch_pages=True)  # online, but nothing is fetched
    assert len(report.new) == 1 and not report.failed and not report.new[0].warning
    assert no_network == []
    doc = lib.documents.tree(report.new[0].doc_id)
    assert [u["source"] for s in doc["segments"][1:] for u in s["units"]] == ["短讯全文。"]


def test_a_link_that_cannot_be_fetched_imports_the_feeds_text_with_a_warning(
        lib, feed_files, feed_server):
    rss = (feed_files / "news.rss").read_text(encoding="utf-8")
    (feed_files / "gone.rss").write_text(
        rss.replace("http://127.0.0.1:9/never-fetched.html", f"{feed_server}/missing.html"),
        encoding="utf-8")
    report = add_feed(lib, f"{feed_server}/gone.rss", allow_private=True)
    assert len(report.new) == 3 and not report.failed
    (warned,) = [r for r in report.new if r.warning]
    assert "could not be fetched" in warned.warning and "404" in warned.warning
    units = [u["source"] for s in lib.documents.tree(warned.doc_id)["segments"]
             for u in s["units"]]
    assert "这一条只有摘要。" in units
    refused = add_feed(lib, str(feed_files / "news.rss"))  # its link: a loopback address
    (private,) = [r for r in [*refused.new, *refused.known] if r.warning]
    assert "ENFACE_ALLOW_PRIVATE_URLS=1" in private.warning
