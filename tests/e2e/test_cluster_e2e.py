"""The one-machine cluster (``python -m webapp.deploy.cluster``): PostgreSQL, two workers, two web
processes; a reader translates in Chromium and the workers share the document."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from webapp.deploy.cluster import Cluster
from webapp.storage import Library


@pytest.fixture
def cluster(tmp_path, zh_model):
    running = Cluster(tmp_path / "cluster", workers=2, processes=2,
                      env={"ENFACE_BATCH_TOKENS": "64"}).start()
    yield running
    running.stop()


def test_a_reader_translates_on_the_cluster_and_both_workers_work(cluster, browser):
    blocks = "".join(f"<p>第{i}段，这是一个很长的句子，用来让翻译多花一点时间。</p>" for i in range(700))
    article = cluster.folder / "long.html"
    article.write_text(f"<html><head><title>长文</title></head><body><article><h1>长文</h1>"
                       f"{blocks}</article></body></html>", encoding="utf-8")
    imported = subprocess.run([sys.executable, "-m", "webapp.cli", "import", str(article)],
                              env=cluster.env(), capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    doc_id = int(imported.stdout.split("\t")[0])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{cluster.url}/documents/{doc_id}")
    total = page.locator(".t[data-unit]").count()
    page.get_by_role("button", name=re.compile(r"Translate \d+ sentences")).click()
    expect(page.locator("#progress")).to_contain_text("Translating")
    try:
        expect(page.locator(".t.st-machine")).to_have_count(total, timeout=300_000)
    except AssertionError:
        logs = "\n".join(p.read_text(errors="replace") for p in cluster.folder.glob("*.log"))
        raise AssertionError(logs) from None
    expect(page.locator("#progress")).not_to_contain_text("Translating", timeout=10_000)
    context.close()
    library = Library(cluster.database_url)
    try:
        job = library.jobs.active("translate", str(doc_id))
        # (the headline job translated the title and the first paragraph as it was imported)
        assert job["status"] == "done" and job["done"] == job["total"] >= total - 2
        workers = {c["lease_owner"].split(":")[1] for c in library.jobs.chunks(job["id"])}
        assert workers == {str(cluster.procs["worker1"].pid),
                           str(cluster.procs["worker2"].pid)}
    finally:
        library.close()
