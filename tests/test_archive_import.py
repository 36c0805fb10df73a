"""Archive imports (issue 21, item 6): a folder or a .zip/.tar.gz as a job of the workers, with
progress, resumption that imports nothing twice, and a report by reason — on SQLite and
PostgreSQL, through the actions, the web and the command line."""

from __future__ import annotations

import io
import re
import threading
import time

import pytest
import sqlalchemy as sa
from archive_samples import envelopes, make_tar, make_zip, set_zip_flags
from click.testing import CliRunner

from webapp.actions import archives, imports, jobs
from webapp.cli import main
from webapp.errors import ImportFailed
from webapp.importing.archives import Limits
from webapp.storage.archives import Archives

pytestmark = pytest.mark.both_databases

LIMITS = Limits(max_bytes=1024 * 1024, max_files=1000, max_total=64 * 1024 * 1024)
JUNK = [("photo.jpg", b"\xff\xd8\xff"), ("../../escape.txt", b"<p>x</p>"), ("empty.txt", b""),
        (".hidden.txt", b"<p>x</p>"), ("binary.html", b"\x00\x01\x02")]


def queue(library, data: bytes, name: str = "news.zip", **options) -> archives.Queued:
    return archives.queue_upload(library, io.BytesIO(data), name, limits=LIMITS, **options)


def imported_once(library, archive_id: int, files: int) -> None:
    """Every article file became exactly one document of its own, recorded once."""
    rows = library.archives.items(archive_id, ("imported",))
    assert len(rows) == files
    assert len({r["document_id"] for r in rows}) == files
    assert library.documents.count() == files


def test_an_archive_imports_as_a_job_and_reports_by_reason(library):
    files = list(envelopes(6))
    queued = queue(library, make_zip(files + JUNK))
    assert library.jobs.get(queued.job_id)["total"] == 8  # what is left once it was read
    assert jobs.run_job(library, queued.job_id, max_bytes=LIMITS.max_bytes) == "done"
    report = archives.status(library, queued.job_id)
    assert report.summary() == ("news.zip: 11 files: 6 imported, 0 already in the library, "
                                "2 skipped, 3 failed")
    reasons = {(p["status"], p["reason"]): (p["count"], p["example"]) for p in report.problems}
    assert reasons == {
        ("skipped", "not a file Enface imports (.jpg files)"): (1, "photo.jpg"),
        ("skipped", "hidden (names starting with '.' are not imported)"): (1, ".hidden.txt"),
        ("failed", "an unsafe path (absolute, or reaching outside the archive with ..); "
                   "not read"): (1, "../../escape.txt"),
        ("failed", "the file is empty"): (1, "empty.txt"),
        ("failed", "this is a binary file (it contains NUL bytes), not text"): (1,
                                                                                "binary.html")}
    docs = list(archives.documents(library, queued.archive_id))
    assert [d["path"] for d in docs] == [name for name, _ in files]
    assert docs[0]["title"].startswith("第0篇") and docs[5]["title"].startswith("第5篇")
    assert library.documents.get(docs[0]["document_id"])["origin"] == files[0][0]
    imported_once(library, queued.archive_id, 6)
    assert library.archives.data(docs[0]["id"]) is None  # the bytes are let go once imported
    again = queue(library, make_zip(files + JUNK))
    assert (again.job_id, again.resumed) == (queued.job_id, True)  # the same bytes: its report
    library.documents.delete(docs[2]["document_id"])
    deleted = queue(library, make_zip(files + JUNK))  # read again: the deleted one comes back
    jobs.run_job(library, deleted.job_id, max_bytes=LIMITS.max_bytes)
    assert archives.status(library, deleted.job_id).counts == {
        "known": 5, "imported": 1, "skipped": 2, "failed": 3}
    assert library.documents.count() == 6


def test_a_tar_gz_and_a_folder_the_second_time_read_nothing_again(library, tmp_path,
                                                                    monkeypatch):
    queued = queue(library, make_tar(list(envelopes(4))), "a.tar.gz")
    jobs.run_job(library, queued.job_id, max_bytes=LIMITS.max_bytes)
    folder = tmp_path / "in"
    for name, data in envelopes(6):  # the same four, and two more
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    read: list[str] = []
    real = imports.import_bytes
    monkeypatch.setattr(imports, "import_bytes",
                        lambda lib, data, name, **kw: read.append(name) or real(lib, data, name,
                                                                                **kw))
    first = archives.queue_path(library, str(folder), limits=LIMITS)
    jobs.run_job(library, first.job_id, max_bytes=LIMITS.max_bytes)
    assert sorted(read) == [name for name, _ in envelopes(6)][4:]  # the four are known by bytes
    assert archives.status(library, first.job_id).counts == {"imported": 2, "known": 4}
    second = archives.queue_path(library, str(folder), limits=LIMITS)
    assert second.job_id != first.job_id and library.jobs.get(second.job_id)["status"] == "done"
    assert archives.status(library, second.job_id).counts == {"known": 6}
    assert len(read) == 2 and library.documents.count() == 6


def test_stopped_half_way_and_taken_up_again_imports_each_file_once(library, monkeypatch):
    monkeypatch.setattr(archives, "_PROGRESS_SECONDS", 0)  # report (and hear a stop) each file
    queued = queue(library, make_zip(list(envelopes(10))))
    stop = threading.Event()
    jobs.run_job(library, queued.job_id, max_bytes=LIMITS.max_bytes, stop=stop,
                 on_progress=lambda done, total: done >= 4 and stop.set())
    counts = library.archives.counts(queued.archive_id)
    assert 4 <= counts["imported"] < 10 and library.jobs.get(queued.job_id)["status"] == "running"
    assert [c["status"] for c in library.jobs.chunks(queued.job_id)] == ["queued"]  # given back
    again = queue(library, make_zip(list(envelopes(10))))
    assert (again.job_id, again.resumed) == (queued.job_id, True)
    assert jobs.run_job(library, queued.job_id, max_bytes=LIMITS.max_bytes) == "done"
    imported_once(library, queued.archive_id, 10)
    assert library.jobs.get(queued.job_id)["done"] == 10


def test_cancelled_then_gone_on_with(library, monkeypatch):
    monkeypatch.setattr(archives, "_PROGRESS_SECONDS", 0)
    queued = archives.queue_upload(library, io.BytesIO(make_zip(list(envelopes(9)))), "a.zip",
                                   limits=LIMITS)
    jobs.run_job(library, queued.job_id, max_bytes=LIMITS.max_bytes,
                 on_progress=lambda done, total: done >= 3 and archives.cancel(library,
                                                                             queued.job_id))
    report = archives.status(library, queued.job_id)
    assert report.job["status"] == "cancelled" and 0 < report.count("pending") <= 6
    resumed = archives.resume(library, queued.job_id)
    assert resumed.job_id != queued.job_id
    assert library.jobs.get(resumed.job_id)["total"] == report.count("pending")
    assert archives.resume(library, queued.job_id).job_id == resumed.job_id  # not twice
    jobs.run_job(library, resumed.job_id, max_bytes=LIMITS.max_bytes)
    imported_once(library, queued.archive_id, 9)


def test_a_worker_lost_mid_file_leaves_nothing_half_stored(library, monkeypatch):
    """The database goes away (or the worker dies) between storing a document and recording
    its file: the document is rolled back with the record; the file is imported later, once."""
    queued = queue(library, make_zip(list(envelopes(5))))
    real, calls = Archives.finish, []

    def lost_on_the_third(self, item_id, status, **kw):
        calls.append(item_id)
        if len(calls) == 3:
            raise sa.exc.OperationalError("UPDATE import_item", {}, Exception("server closed"))
        return real(self, item_id, status, **kw)

    monkeypatch.setattr(Archives, "finish", lost_on_the_third)
    with pytest.raises(sa.exc.OperationalError):
        jobs.run_job(library, queued.job_id, max_bytes=LIMITS.max_bytes, lease_seconds=0.2)
    assert library.documents.count() == 2 and library.archives.counts(queued.archive_id) == {
        "imported": 2, "pending": 3}
    monkeypatch.setattr(Archives, "finish", real)
    # the lost worker's lease (0.2 s from its last renewal) runs out; leases are kept to the
    # second, so a lease taken at x.9 s reads as over only once the clock shows the next-but-one
    time.sleep(1.5)
    assert jobs.run_job(library, queued.job_id, max_bytes=LIMITS.max_bytes) == "done"
    imported_once(library, queued.archive_id, 5)
    assert max(c["attempts"] for c in library.jobs.chunks(queued.job_id)) == 2


def test_a_file_that_breaks_the_importer_fails_alone(library, monkeypatch):
    real = imports.import_bytes

    def breaks(lib, data, name, **kw):
        if name.endswith("000002.txt"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(lib, data, name, **kw)

    monkeypatch.setattr(imports, "import_bytes", breaks)
    queued = queue(library, make_zip(list(envelopes(4))))
    assert jobs.run_job(library, queued.job_id, max_bytes=LIMITS.max_bytes) == "done"
    report = archives.status(library, queued.job_id)
    assert report.counts == {"imported": 3, "failed": 1}
    assert report.problems[0]["reason"] == "Enface could not read it (RecursionError)"


def test_an_archive_refused_as_a_whole_leaves_nothing(library):
    files = list(envelopes(30))
    whole = make_tar(files, "w")  # a tar damaged half way: read until then, then refused
    for data, name, reason in (
            (whole[: len(whole) // 2], "cut.tar", "damaged"),
            (set_zip_flags(make_zip(files), 0x1), "locked.zip", "password-protected"),
            (make_zip([]), "empty.zip", "there are no files in it"),
            (b"not a zip", "fake.zip", "not a ZIP archive")):
        with pytest.raises(ImportFailed, match=reason):
            queue(library, data, name)
    assert library.db.scalar(sa.text("SELECT COUNT(*) FROM import_item")) == 0
    assert library.db.scalar(sa.text("SELECT COUNT(*) FROM import_archive")) == 0
    assert library.jobs.counts() == {}


def test_the_upload_form_queues_an_archive_and_its_block_polls_then_reports(client, post,
                                                                            library):
    files = list(envelopes(3))
    hostile = ("<img src=x onerror=alert(1)>.txt", b"")
    response = post("/import", files={"files": [("news.zip",
                                                 make_zip(files + JUNK[:1] + [hostile]))]},
                    lang="")
    assert response.status_code == 202
    html = response.get_data(as_text=True)
    job_id = int(re.search(r'hx-get="/imports/(\d+)"', html)[1])
    assert "Importing news.zip: 0 of 4 files" in html and 'hx-trigger="load delay:1s"' in html
    while jobs.run_next(library, max_bytes=LIMITS.max_bytes):
        pass
    block = client.get(f"/imports/{job_id}", headers={"HX-Request": "true"})
    text = block.get_data(as_text=True)
    assert block.status_code == 200 and "hx-get" not in text  # done: it stops polling
    assert "news.zip is imported." in text and "3 imported" in text
    assert "not a file Enface imports (.jpg files)" in text and "photo.jpg" in text
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in text and "<img" not in text
    page = client.get(f"/imports/{job_id}")
    assert page.status_code == 200 and "<h1>Archive import</h1>" in page.get_data(as_text=True)
    listing = client.get("/imports").get_data(as_text=True)
    assert f'<a href="/imports/{job_id}">news.zip</a>' in listing and ">done<" in listing
    assert "3 imported, 0 already there, 1 skipped, 1 failed" in listing
    assert 'href="/imports"' in client.get("/").get_data(as_text=True)
    answer = client.get(f"/api/imports/{job_id}").get_json()
    assert answer["counts"] == {"imported": 3, "known": 0, "skipped": 1, "failed": 1,
                                "pending": 0}
    assert {p["example"] for p in answer["problems"]} == {"photo.jpg", hostile[0]}


def test_cancel_and_go_on_from_the_page(client, post, library):
    response = post("/import", files={"files": [("a.tgz", make_tar(list(envelopes(3))))]})
    job_id = int(re.search(r'hx-get="/imports/(\d+)"', response.get_data(as_text=True))[1])
    cancelled = post(f"/imports/{job_id}/cancel").get_data(as_text=True)
    assert "was cancelled: 3 files are still to do" in cancelled
    assert "Go on with the 3 files still to do" in cancelled
    gone_on = post(f"/imports/{job_id}/resume")
    assert gone_on.status_code == 202
    new_job = int(re.search(r'hx-get="/imports/(\d+)"', gone_on.get_data(as_text=True))[1])
    assert new_job != job_id
    while jobs.run_next(library, max_bytes=LIMITS.max_bytes):
        pass
    assert archives.status(library, new_job).count("imported") == 3


def test_hostile_uploads_are_refused_with_the_reason_never_a_500(tmp_path, database_url):
    from webapp import create_app

    app = create_app({"DATA_DIR": str(tmp_path / "data"), "SEED": False, "WORKER": False,
                      "TESTING": True, "DATABASE_URL": database_url, "MAX_ARCHIVE_FILES": 5,
                      "MAX_ARCHIVE_BYTES": 200_000})
    client = app.test_client()
    client.get("/")
    with client.session_transaction() as session:
        token = session["csrf"]
    files = list(envelopes(3))
    cases = [("cut.zip", make_zip(files)[:300], "damaged", 400),
             ("locked.zip", set_zip_flags(make_zip(files), 0x1), "password-protected", 400),
             ("many.zip", make_zip(envelopes(6)), "more than 5 files", 400),
             ("bomb.zip", make_zip([("a.txt", bytes(300_000))]), "unpacks to more than", 400),
             ("empty.tar.gz", b"", "not a .zip, .tar or .tar.gz archive", 400),
             ("big.zip", b"PK\x03\x04" + bytes(300_000), "larger than the limit", 413)]
    for name, data, reason, status in cases:
        response = client.post("/import", data={"files": (io.BytesIO(data), name),
                                                "csrf_token": token},
                               headers={"HX-Request": "true", "X-CSRF-Token": token},
                               content_type="multipart/form-data")
        assert response.status_code == status, name
        assert reason in response.get_data(as_text=True), name
    library = app.extensions["library"]
    assert library.documents.count() == 0 and library.jobs.counts() == {}
    translate_job = library.jobs.create("translate", "1")
    for path in (f"/imports/{translate_job}", "/imports/999", f"/api/imports/{translate_job}",
                 "/imports/x", "/imports/99999999999999999999999"):
        assert client.get(path).status_code == 404, path
    for path in (f"/imports/{translate_job}/cancel", f"/imports/{translate_job}/resume",
                 "/imports/999/resume"):
        answer = client.post(path, data={"csrf_token": token},
                             headers={"HX-Request": "true", "X-CSRF-Token": token})
        assert answer.status_code == 404, path
    app.extensions["library"].close()
    app.extensions["queue"].close()


def test_the_command_line_imports_a_folder_and_an_archive(tmp_path, database_url):
    folder = tmp_path / "in"
    for name, data in [*envelopes(3), ("broken.txt", b""), ("notes.pdf", b"%PDF")]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    env = {"ENFACE_DATABASE_URL": database_url}
    runner = CliRunner()
    first = runner.invoke(main, ["--data-dir", str(tmp_path / "lib"), "import", str(folder)],
                          env=env)
    assert first.exit_code == 1, first.output  # a file failed
    lines = first.stdout.splitlines()
    assert len(lines) == 3 and all(re.fullmatch(r"\d+\t第\d篇 .+", line) for line in lines)
    assert f"{folder}: 5 files: 3 imported, 0 already in the library, 1 skipped, 1 failed" \
        in first.stderr
    assert "Error: 1 × the file is empty (e.g. broken.txt)" in first.stderr
    assert "Skipped: 1 × not a file Enface imports (.pdf files)" in first.stderr
    archive = tmp_path / "same.zip"
    archive.write_bytes(make_zip(envelopes(3)))
    second = runner.invoke(main, ["--data-dir", str(tmp_path / "lib"), "import", str(archive)],
                           env=env)
    assert second.exit_code == 0, second.output
    assert second.stdout == first.stdout  # the same documents, known by their bytes
    assert "3 already in the library" in second.stderr
    missing = runner.invoke(main, ["--data-dir", str(tmp_path / "lib"), "import",
                                   str(tmp_path / "nope.zip")], env=env)
    assert missing.exit_code == 1 and "no such file" in missing.stderr
