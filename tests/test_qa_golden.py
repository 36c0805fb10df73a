"""Real articles and pages from QA rounds (tests/fixtures/qa, qa2, qa3), as a reader sees them.

Each input file has a golden ``<stem>.json`` beside it: the article's title, language, source
URL, publication time and every block (kind, text, link), which the import must reproduce
exactly. Two hand-written keys say what must stay true when the golden part is regenerated:
``absent`` (text that is boilerplate on that page and must appear in no block, compared
case-insensitively) and ``repeats`` (block texts that may occur more than once; any other text
appears once). ``python -m pytest tests/test_qa_golden.py --update-golden`` rewrites the
generated keys from the current importer and keeps the hand-written ones; review the diff.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from webapp.importing import load_path
from webapp.importing.readers.html import segment_html
from webapp.importing.readers.html.boilerplate import is_boilerplate
from webapp.segmenting.article import Article, Block

FIXTURES = Path(__file__).parent / "fixtures"
FOLDERS = {"qa": 9, "qa2": 3, "qa3": 7}  # folder → how many cases it holds at least
HAND_WRITTEN = ("absent", "repeats")


def cases(folder: str) -> list[Path]:
    """The input files of a QA folder (not its SOURCES.md nor the golden files), sorted."""
    return sorted(
        p for p in (FIXTURES / folder).iterdir() if p.suffix != ".json" and p.name != "SOURCES.md"
    )


CASES = [path for folder in FOLDERS for path in cases(folder)]


def generated(article: Article) -> dict:
    """What the golden file records of an import (everything but the hand-written keys)."""
    when = article.published_at
    return {
        "title": article.title,
        "source_lang": article.source_lang,
        "source_url": article.source_url,
        "published_at": when.isoformat() if when else None,
        "blocks": [[b.kind, b.text, b.href] for b in article.blocks],
    }


def dump(golden: dict) -> str:
    """The golden file's text: one key per line, one block per line (readable diffs)."""
    dumps = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731
    lines = [f' "{key}": {dumps(golden[key])}' for key in golden if key != "blocks"]
    blocks = ",\n".join(f"  {dumps(block)}" for block in golden["blocks"])
    return "{\n" + ",\n".join(lines) + ',\n "blocks": [\n' + blocks + "\n ]\n}\n"


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_every_case_is_listed_in_sources_and_has_a_golden_file(folder):
    sources = (FIXTURES / folder / "SOURCES.md").read_text(encoding="utf-8")
    found = cases(folder)
    assert len(found) >= FOLDERS[folder]
    for path in found:
        assert f"`{path.name}`" in sources, path.name
        assert path.with_suffix(".json").is_file(), f"no golden file for {path.name}"


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_golden(path, request):
    article = load_path(path)
    golden_path = path.with_suffix(".json")
    got = generated(article)
    if request.config.getoption("update_golden"):
        old = json.loads(golden_path.read_text(encoding="utf-8")) if golden_path.exists() else {}
        kept = {key: old.get(key, []) for key in HAND_WRITTEN}
        golden_path.write_text(dump(kept | got), encoding="utf-8")
    golden = json.loads(golden_path.read_text(encoding="utf-8"))
    # what every QA article must be, whatever its golden file says
    assert article.blocks[0].kind == "title" and len(article.blocks) > 1
    assert article.source_lang in ("zh", "zt")
    texts = [b.text for b in article.blocks]
    for text in golden["absent"]:
        assert not any(text.casefold() in t.casefold() for t in texts), text
    twice = {t for t, n in Counter(texts).items() if n > 1}
    assert twice <= set(golden["repeats"]), twice
    # and exactly what it was when the golden file was reviewed
    assert got == {key: golden[key] for key in got}


# --- rules the QA rounds found, checked on their own ----------------------------------------


CONTROLS = ["分享 :", "分享到：", "【纠错】", "加载更多", "Share:", "請繼續下滑閱讀"]
CRUMBS = ["现在位置： 首页 >> 东区新闻 >> 正文", "首页 > 新闻中心 > 国际", "【打印本页】【关闭窗口】"]
PAGERS = ["【1】【2】【3】【4】", "上一页 1 2 3 下一页", "【上一页】【下一页】"]
LONG = "这是一段很长的正文内容，讲述了事情的来龙去脉和各方反应。"


@pytest.mark.parametrize("text", CONTROLS + CRUMBS + PAGERS)
def test_page_furniture_is_boilerplate(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize("text", [
    *(label + LONG for label in CONTROLS),
    "【完】", "首页在哪里并不重要，他说。", "下一页的内容讲述了他在上海的童年。",
])
def test_text_that_only_looks_like_furniture_is_kept(text):
    assert not is_boilerplate(text)


@pytest.mark.parametrize("line", ["《棱镜》作者 周纯", "本报记者 王五", "作者：李四"])
def test_author_lines_are_bylines_anywhere(line):
    html = "<p>第一段正文，讲了很多事情。</p>" + f"<p>{line}</p>" + "<p>第二段。</p>" * 5
    assert segment_html(html)[1].kind == "byline"
    html = f"<p>{line}在北京说，这件事很重要。</p>" + "<p>下一段。</p>" * 4
    assert segment_html(html)[0].kind == "paragraph"


def test_page_element_restores_repeats_and_credits_but_never_new_text():
    from webapp.importing.readers.html import _restored

    found = [Block("paragraph", "甲段。"), Block("paragraph", "点评："), Block("paragraph", "乙段。")]
    page = [*found[:2], Block("paragraph", "乙段。"), Block("paragraph", "点评："),
            Block("byline", "(责编：某某)")]
    page[2], page[3] = page[3], page[2]  # the repeated label comes before the last paragraph
    assert _restored(found, page) == page
    assert _restored(found, [*found, Block("paragraph", "扫码下载客户端，看更多新闻。")]) == found
    assert _restored(found, found[:2]) == found  # something the extractor found is missing
