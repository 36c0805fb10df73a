"""A library holding every kind of thing Enface stores, in every state, for route walks: a page
that breaks only on real data (a document-scoped term, a feed with an error, a failed install)
is caught by walking every route over it."""

from __future__ import annotations

import json

from auth_helpers import add_user

from webapp.actions import edit, feeds, glossary, left_out
from webapp.actions import translate as translating
from webapp.actions.imports import ImportResult
from webapp.segmenting.article import Article, Block, LeftOut
from webapp.storage.accounts import acting_as
from webapp.vocabulary import (
    CANCELLED,
    DONE,
    FAILED,
    FEEDS_JOB,
    INSTALL_MODEL_JOB,
    TRANSLATE_JOB,
)

ROLES = ("reader", "editor", "admin")


#: Left-out blocks of every stored shape: a rule's, hostile text, one after the last block.
LEFT_OUT = [LeftOut(2, "paragraph", "欢迎扫码关注我们的公众号<script>alert(1)</script>", "promo"),
            LeftOut(2, "list_item", "分享到微信\n分享到微博", "share"),
            LeftOut(99, "paragraph", "版权所有 © 2026 <img src=x onerror=alert(1)>",
                    "copyright")]


def _article(title: str, *paragraphs: str, href: str | None = None) -> Article:
    blocks = [Block("title", title), Block("heading", "小标题"),
              *(Block("paragraph", p) for p in paragraphs),
              Block("list_item", "相关链接", href=href), Block("caption", "图片说明。"),
              Block("quote", "“引用的话。”"), Block("byline", "记者 王小明")]
    after = [LeftOut(len(blocks), b.kind, b.text, b.rule) if b.position == 99 else b
             for b in LEFT_OUT]
    return Article(title, blocks, "zh", f"{title}.txt", "\n".join([title, *paragraphs]),
                   source_url="https://news.example.org/a", meta={"author": "王小明"},
                   left_out=after)


def stock(library, *, translated: bool = True) -> dict[str, list[int]]:
    """Fill ``library`` with every kind of entity; returns their ids by kind.

    ``translated`` needs an installed zh→en model (the ``zh_model`` fixture).
    """
    ids: dict[str, list[int]] = {k: [] for k in (
        "document", "segment", "unit", "glossary", "feed", "job", "user", "left_out")}
    for name in ROLES:
        add_user(library, f"{name[:2]}-{name}", name)
    accounts = {a["name"]: a["id"] for a in library.accounts.all()}
    ids["user"] = sorted(accounts.values())
    token = library.accounts.add_token(accounts["ed-editor"], "0" * 64)
    library.accounts.add_token(accounts["ad-admin"], "1" * 64)
    library.accounts.revoke_tokens(accounts["ed-editor"], token)
    library.accounts.record_failure("203.0.113.9", "re-reader", keep_after="2000-01-01T00:00:00Z")

    first, _ = library.documents.add(_article("第一篇", "第一句话。第二句话。", "第三句。",
                                            href="https://example.org/x"))
    second, _ = library.documents.add(_article("第二篇", "另一篇文章的第一句。"))
    empty, _ = library.documents.add(Article("只有标题", [Block("title", "只有标题")], "zh",
                                           "t.txt", "只有标题"))
    ids["document"] = [first, second, empty]
    if translated:
        translating.translate_document(library, first)
    units = [u for s in library.documents.tree(first)["segments"] for u in s["units"]]
    with acting_as("ed-editor"):
        if translated:
            edit.save_translation(library, units[1]["id"], "An edited sentence.",
                                  base_revision=units[1]["revision"])
            edit.approve(library, units[2]["id"], base_revision=units[2]["revision"])
            edit.restore(library, units[1]["id"], 1, base_revision=units[1]["revision"] + 1)
        else:
            edit.save_translation(library, units[1]["id"], "An edited sentence.",
                                  base_revision=units[1]["revision"], approve=True)
    with acting_as("ed-editor"):  # the second document: one block restored, one left out
        restored = left_out.blocks(library, second)[1]
        left_out.restore(library, second, restored["id"])
        left_out.leave_out(library, second, library.documents.tree(second)["segments"][-1]["id"])
    ids["left_out"] = [b["id"] for doc_id in (first, second)
                       for b in left_out.blocks(library, doc_id)] + [restored["id"]]
    for doc_id in ids["document"]:
        for segment in library.documents.tree(doc_id)["segments"]:
            ids["segment"].append(segment["id"])
            ids["unit"] += [u["id"] for u in segment["units"]]

    ids["glossary"] = [glossary.add(library, "第一", "First", "a note").id,
                       glossary.add(library, "说了", "said", document_id=first).id,
                       glossary.add(library, "句话", "sentence", "scoped", document_id=second).id]
    library.glossary.add_user_word("第二句")

    ok, _ = library.feeds.add("https://news.example.org/feed.xml", "好的源")
    library.feeds.mark_item(ok, "guid-1", first)
    library.feeds.checked(ok, "好的源", None)
    broken, _ = library.feeds.add("https://broken.example.org/feed.xml", None)
    library.feeds.checked(broken, None, "https://broken.example.org/feed.xml: the server "
                                       "answered 500 <script>alert(1)</script>")
    never, _ = library.feeds.add("https://never.example.org/rss", "从未更新")
    ids["feed"] = [ok, broken, never]

    report = feeds.FeedReport("https://news.example.org/feed.xml", ok, "好的源",
                              new=[ImportResult("https://news.example.org/1", first, "第一篇",
                                                True, warning="the feed's summary")],
                              failed=["https://x.example/2: the server answered 404"])
    broken_report = feeds.FeedReport("https://broken.example.org/feed.xml", broken,
                                     error="not an RSS or Atom feed")
    states = [(TRANSLATE_JOB, str(first), DONE, None), (TRANSLATE_JOB, str(second), FAILED,
                                                        "No translation model for zh → en"),
              (TRANSLATE_JOB, str(empty), CANCELLED, None),
              (INSTALL_MODEL_JOB, "zh en", FAILED, "The model download could not be reached"),
              (INSTALL_MODEL_JOB, "ja en", DONE, None),
              (FEEDS_JOB, "all", DONE, None), (FEEDS_JOB, str(broken), FAILED, "gone")]
    for kind, target, status, error in states:
        job = library.jobs.create(kind, target, total=3)
        chunk = library.jobs.claim(job, "stocked", lease_seconds=3600)
        library.jobs.progress(chunk["id"], "stocked", 2, 3)
        if kind == FEEDS_JOB:
            library.jobs.set_result(job, json.dumps([report.to_dict(), broken_report.to_dict()],
                                                   ensure_ascii=False))
        if status == CANCELLED:
            library.jobs.cancel(job)
        else:
            library.jobs.finish(job, status, error)
        ids["job"].append(job)
    for kind, target in ((TRANSLATE_JOB, str(second)), (INSTALL_MODEL_JOB, "fr en"),
                         (FEEDS_JOB, str(ok))):  # running, half way
        job = library.jobs.create(kind, target, total=4)
        chunk = library.jobs.claim(job, "stocked", lease_seconds=3600)
        library.jobs.progress(chunk["id"], "stocked", 1, 4)
        ids["job"].append(job)
    ids["job"].append(library.jobs.create(TRANSLATE_JOB, str(first), total=2))  # queued
    return ids
