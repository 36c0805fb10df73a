"""The Models page in real Chromium: install a model from a file, translate with it, remove it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_upload_a_model_then_remove_it(page, server, tmp_path):
    from argos_testmodel import build_package

    archive = build_package(tmp_path / "build")
    page.goto(server + "/models")
    models = page.locator("#models")
    expect(models.get_by_role("button", name="Remove")).to_have_count(0)
    page.locator("#upload-model input[type=file]").set_input_files(str(archive))
    page.locator("#upload-model").get_by_role("button", name="Install").click()
    expect(models).to_contain_text("Installed Chinese → English (1.0).", timeout=30_000)
    # the reader can now translate with it
    page.goto(server + "/documents/1")
    page.get_by_role("button", name=re.compile(r"Translate \d+ sentences")).click()
    expect(page.locator(".t .pending")).to_have_count(0, timeout=60_000)  # (not the button's words)
    expect(page.locator("#progress")).not_to_contain_text("Translating", timeout=60_000)
    page.goto(server + "/models")
    page.once("dialog", lambda dialog: dialog.accept())  # "Remove the zh → en model?"
    page.locator("#models").get_by_role("button", name="Remove").first.click()
    expect(page.locator("#models form button", has_text="Remove")).to_have_count(0)
    # a file that is not a model is refused with its reason, and nothing is installed
    bad = tmp_path / "not-a-model.argosmodel"
    bad.write_bytes(b"PK\x03\x04 this is not a zip")
    page.locator("#upload-model input[type=file]").set_input_files(str(bad))
    page.locator("#upload-model").get_by_role("button", name="Install").click()
    expect(page.locator("#models, #messages").locator(".error").first).to_be_visible()
    expect(page.locator("#models form button", has_text="Remove")).to_have_count(0)
    assert page.foreign_requests == []
