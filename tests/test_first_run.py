"""A new user with no model: told once, with the two ways to get one; errors read as words."""

from __future__ import annotations

import os
import re
import time

import pytest

from webapp import engine

HX = {"HX-Request": "true"}
STATUS_HEADING = re.compile(r"\((?:4|5)\d\d\)|Bad request|\b(?:400|403|404|405|409|413|500)\b")


@pytest.fixture
def no_model(monkeypatch):
    monkeypatch.setattr(engine, "find_model", lambda *a: None)


def visible_text(html: str) -> str:
    """The page's text without tags, scripts' URLs or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_library_says_once_that_no_model_is_installed_and_disables_translate(
        client, add_article, no_model):
    for n in range(3):
        add_article(f"第{n}段。", title=f"标题{n}")
    page = client.get("/").get_data(as_text=True)
    assert page.count('id="no-model"') == 1  # once, not per document
    assert "No translation model is installed for Chinese" in page
    assert 'href="/models"' in page and "argospm/index" in page  # the two ways
    assert "enface models install zh en" in page
    buttons = re.findall(r'<button[^>]*aria-label="Translate [^"]*"[^>]*>Translate</button>', page)
    assert len(buttons) == 3 and all("disabled" in b for b in buttons)
    assert 'action="/documents/1/translate"' not in page  # no form to post a 400 with


def test_reader_disables_translate_with_the_reason(client, add_article, no_model):
    doc = add_article("第一段。")
    page = client.get(f"/documents/{doc}").get_data(as_text=True)
    assert page.count('id="no-model"') == 1
    assert re.search(r'<button type="button" disabled aria-describedby="no-model">Translate 2 '
                     r'sentences</button>', page)


def test_with_a_model_the_notice_is_gone_and_translate_is_a_form(client, add_article,
                                                                   monkeypatch):
    monkeypatch.setattr(engine, "find_model", lambda *a: object())
    add_article("第一段。")
    page = client.get("/").get_data(as_text=True)
    assert 'id="no-model"' not in page
    assert 'action="/documents/1/translate"' in page


def test_translate_posted_anyway_explains_without_a_status_code(client, add_article, post,
                                                                no_model):
    doc = add_article("第一段。")
    for htmx in (False, True):
        answer = post(f"/documents/{doc}/translate", htmx=htmx)
        text = visible_text(answer.get_data(as_text=True))
        assert "No translation model is installed" in text and "Models page" in text
        assert not STATUS_HEADING.search(text), text


def test_errors_have_words_not_status_codes(client, add_article, post):
    doc = add_article("第一段。")
    unit = client.get(f"/api/documents/{doc}").get_json()["segments"][1]["units"][0]
    cases = [
        client.get("/documents/999"),
        client.get("/no/such/page"),
        client.get("/import"),  # 405
        post(f"/units/{unit['id']}/approve", revision="0"),  # untranslated
        post(f"/units/{unit['id']}/approve", revision="0", htmx=False),
        client.post(f"/documents/{doc}/translate", data={"csrf_token": "forged"}),
    ]
    for answer in cases:
        assert answer.status_code >= 400
        text = visible_text(answer.get_data(as_text=True))
        assert not STATUS_HEADING.search(text), text
    approve = visible_text(cases[3].get_data(as_text=True))
    assert "Nothing to approve yet" in approve and "no English yet" in approve
    assert "nothing at this address" in visible_text(cases[1].get_data(as_text=True))
    # the JSON API keeps its status codes and plain messages
    api = client.get("/api/documents/999")
    assert api.status_code == 404 and api.get_json()["error"] == "There is no document 999."


def test_a_failed_download_is_forgotten_once_the_model_is_installed(client, library, tmp_path,
                                                                    monkeypatch):
    job = library.jobs.create("install-model", "zh en")
    library.jobs.claim(job, "worker", lease_seconds=30)
    library.jobs.finish(job, "failed", error="The Argos index could not be reached.")
    page = client.get("/models").get_data(as_text=True)
    assert "could not be reached" in page
    assert "argospm/index" in page  # the download link is there before any failure, too

    class Model:
        from_code, to_code, from_name, to_name = "zh", "en", "Chinese", "English"
        package_version, size_bytes, path = "1.9", 1 << 20, tmp_path / "old"

    Model.path.mkdir()
    os.utime(Model.path, (0, 0))  # installed before the download failed: still worth saying
    monkeypatch.setattr(engine, "installed_models", lambda: [Model()])
    assert "could not be reached" in client.get("/models").get_data(as_text=True)
    Model.path = tmp_path / "new"  # installed since (from a file): the failure is moot
    Model.path.mkdir()
    later = time.time() + 5
    os.utime(Model.path, (later, later))
    assert "could not be reached" not in client.get("/models").get_data(as_text=True)
