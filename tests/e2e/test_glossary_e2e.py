"""The Glossary page in real Chromium: add, find, change, delete, import and export terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
SETTLED = "() => document.querySelectorAll('.htmx-request, .htmx-swapping, .htmx-settling').length === 0"


def test_glossary_page_add_find_change_delete_import_export(page, server, tmp_path):
    page.goto(server + "/glossary")
    add = page.get_by_role("form", name="Add a term")
    add.get_by_label("Source term").fill("帕特鲁舍夫")
    add.get_by_label("English").fill("Patrushev")
    add.get_by_role("button", name="Add").click()
    row = page.locator("table.glossary tr", has=page.locator("input[value='帕特鲁舍夫']"))
    expect(row).to_have_count(1)
    add.get_by_label("Source term").fill("磋商")
    add.get_by_label("English").fill("talks")
    add.get_by_role("button", name="Add").click()
    expect(page.locator("table.glossary tbody tr")).to_have_count(2)
    page.wait_for_function(SETTLED)  # the swapped-in search box is wired
    # search as you type
    page.get_by_label("Search", exact=True).fill("磋")
    expect(page.locator("table.glossary tbody tr")).to_have_count(1)
    page.get_by_label("Search", exact=True).fill("")
    expect(page.locator("table.glossary tbody tr")).to_have_count(2)
    # change a term in its row (the inputs belong to the row's form by their form= attribute)
    talks = page.locator("table.glossary tr", has=page.locator("input[value='磋商']"))
    talks.get_by_label("English term").fill("consultations")
    talks.get_by_role("button", name="Save").click()
    page.wait_for_function(SETTLED)
    page.reload()
    talks = page.locator("table.glossary tr", has=page.locator("input[value='磋商']"))
    expect(talks.get_by_label("English term")).to_have_value("consultations")
    # delete one
    row.get_by_role("button", name="Delete 帕特鲁舍夫").click()
    expect(page.locator("table.glossary tbody tr")).to_have_count(1)
    # import a CSV file, then export: the imported term is in the download
    csv = tmp_path / "terms.csv"
    csv.write_text("source,target,note\n战略,strategic,from a file\n", encoding="utf-8")
    imports = page.get_by_role("form", name="Import terms")
    imports.locator("input[type=file]").set_input_files(str(csv))
    imports.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("table.glossary tbody tr")).to_have_count(2)
    with page.expect_download() as done:
        page.get_by_role("link", name="CSV").click()
    exported = Path(done.value.path()).read_text(encoding="utf-8-sig")
    assert "战略" in exported and "consultations" in exported and "帕特鲁舍夫" not in exported
    assert page.console_errors == [] and page.foreign_requests == []
