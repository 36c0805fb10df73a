"""The Models page: list, upload (validated first), remove, offline install from the index."""

from __future__ import annotations

import io

import pytest
from argos_testmodel import build_package

from webapp import engine

pytestmark = pytest.mark.both_databases


def test_lists_installed_models(client, zh_model):
    page = client.get("/models").get_data(as_text=True)
    assert "<code>zh</code>" in page and "<code>en</code>" in page
    assert zh_model.package_version in page


def test_upload_installs_a_valid_package(post, tmp_path, zh_model):
    archive = build_package(tmp_path, "ko", "en")
    response = post("/models/upload", files={"model": ("ko_en.argosmodel", archive.read_bytes())})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Installed" in response.get_data(as_text=True)
    assert engine.find_model("ko", "en") is not None
    removed = post("/models/remove", **{"from": "ko", "to": "en"})
    assert removed.status_code == 200
    assert engine.find_model("ko", "en") is None
    again = post("/models/remove", **{"from": "ko", "to": "en"})
    assert again.status_code == 404


def test_bad_upload_installs_nothing(post):
    before = engine.installed_models()
    response = post("/models/upload", files={"model": ("evil.argosmodel", b"PK\x03\x04 broken")})
    assert response.status_code == 400
    assert "evil.argosmodel" in response.get_data(as_text=True)
    assert engine.installed_models() == before


def test_upload_needs_csrf(client):
    response = client.post("/models/upload", data={"model": (io.BytesIO(b"x"), "a.argosmodel")},
                           content_type="multipart/form-data")
    assert response.status_code == 403


def test_install_from_index_offline_reports_failure(app, client, library, no_network, post):
    """The install is queued as a job, like translations, and a worker's run fails readably."""
    from webapp.actions import jobs

    response = post("/models/install", **{"from": "zh", "to": "en"})
    assert response.status_code == 202
    job = library.jobs.latest("install-model")
    assert job["kind"] == "install-model" and job["target"] == "zh en"
    assert job["status"] == "queued"
    assert jobs.run_next(library)  # what a worker does with it
    text = client.get("/models/progress", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "could not be reached" in text and "--file" in text
    assert library.jobs.get(job["id"])["status"] == "failed"


def test_install_refuses_codes_that_are_not_language_codes(post):
    response = post("/models/install", **{"from": "../zh", "to": "en"})
    assert response.status_code == 400
    assert "is not a language code" in response.get_data(as_text=True)
