"""The reader during a long translation: the top fills in first, then what is on screen."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LONG = "，这是一段很长的测试内容，用来让翻译模型多花一点时间" * 2
MIDDLE = range(70, 110)  # short blocks: the last ones in length order, so done last unless seen


def long_article(path) -> None:
    """A title and 130 blocks: long ones, short ones in the middle, a short last block."""
    blocks = [f"第{i}段{'短' if i in MIDDLE else LONG}。" for i in range(129)] + ["最后一段。"]
    path.write_text("长文章的标题\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")


@pytest.fixture
def slow_zh_model():
    """A zh→en copy model a few times the size of the usual test model (slower to decode)."""
    from argos_testmodel import install_test_model

    return install_test_model("zh", "en", layers=4, d_model=256, ffn=1024, heads=4)


@pytest.fixture
def small_batches(monkeypatch):
    """Small batches in the server (set before it starts), so priorities show within seconds."""
    monkeypatch.setenv("ENFACE_BATCH_TOKENS", "160")


def test_top_first_then_what_is_on_screen(small_batches, slow_zh_model, page, server, tmp_path):
    text = tmp_path / "long.txt"
    long_article(text)
    env = dict(os.environ, ENFACE_DATA_DIR=str(tmp_path / "lib"))
    done = subprocess.run([sys.executable, "-m", "webapp.cli", "import", str(text), "--lang", "zh"],
                          env=env, check=True, capture_output=True, text=True)
    doc_id = int(done.stdout.split("\t")[0])
    page.goto(f"{server}/documents/{doc_id}")
    rows = page.locator("#reader section.row[data-segment]")
    total = page.locator(".t[data-unit]").count()
    assert total == rows.count() == 131
    page.get_by_role("button", name=re.compile(r"Translate \d+ sentences")).click()

    title = rows.first.locator(".t")
    expect(title).to_have_text("长文章的标题", timeout=60_000)
    assert page.locator(".t .pending").count() > total // 2  # less than half done

    last = rows.last.locator(".t")
    middle = rows.nth(1 + MIDDLE.start + len(MIDDLE) // 2).locator(".t")
    reported = []
    page.on("response", lambda r: reported.append(r.status) if "/focus" in r.url else None)
    last.scroll_into_view_if_needed()
    expect(last).to_have_text("最后一段。", timeout=60_000)
    expect(middle.locator(".pending")).to_have_count(1)  # the middle is still to come
    expect(page.locator("#progress")).to_contain_text("Translating")  # the job still runs
    assert reported and set(reported) == {204}
    assert page.console_errors == []


def test_cancel_stops_a_translation_and_translate_again_finishes_it(
        small_batches, slow_zh_model, page, server, tmp_path):
    text = tmp_path / "long.txt"
    long_article(text)
    env = dict(os.environ, ENFACE_DATA_DIR=str(tmp_path / "lib"))
    done = subprocess.run([sys.executable, "-m", "webapp.cli", "import", str(text), "--lang", "zh"],
                          env=env, check=True, capture_output=True, text=True)
    page.goto(f"{server}/documents/{int(done.stdout.split(chr(9))[0])}")
    page.get_by_role("button", name=re.compile(r"Translate \d+ sentences")).click()
    progress = page.locator("#progress")
    expect(progress).to_contain_text("Translating", timeout=30_000)
    progress.get_by_role("button", name="Cancel").click()
    expect(progress).to_contain_text("The last translation was cancelled", timeout=30_000)
    page.wait_for_timeout(2500)  # the block polls once more, for a batch stored meanwhile
    pending = page.locator(".t .pending").count()
    assert pending > 0
    page.reload()
    assert page.locator(".t .pending").count() == pending  # the page showed all, and it stopped
    again = page.get_by_role("button", name=re.compile(rf"Translate {pending} sentences"))
    again.click()
    expect(page.locator(".t .pending")).to_have_count(0, timeout=120_000)
    assert page.console_errors == []
