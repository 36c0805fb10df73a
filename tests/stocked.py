"""A library holding every kind of thing Enface stores, in every state, for route walks: a page
that breaks only on real data (a document-scoped term, a feed with an error, a failed install)
is caught by walking every route over it."""

from __future__ import annotations

import io
import json

from auth_helpers import add_user

from webapp.actions import edit, feeds, glossary, jobs, left_out, quality
from webapp.actions import translate as translating
from webapp.actions.imports import ImportResult
from webapp.segmenting.article import Article, Block, LeftOut
from webapp.storage.accounts import acting_as
from webapp.vocabulary import (
    CANCELLED,
    CHECK_JOB,
    DONE,
    FAILED,
    FEEDS_JOB,
    INSTALL_MODEL_JOB,
    LEARNING_JOB,
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
    ids: dict[str, list] = {k: [] for k in (
        "document", "segment", "unit", "glossary", "feed", "job", "user", "word", "tag",
        "collection", "left_out")}
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
    named, _ = library.documents.add(Article("帕特鲁舍夫", [Block("title", "帕特鲁舍夫"),
                                                          Block("paragraph", "帕特鲁舍夫说。")],
                                             "zh", "named.txt", "帕特鲁舍夫说。"))
    elsewhere, _ = library.documents.add(Article("另一篇", [Block("title", "另一篇"),
                                                         Block("paragraph", "帕特鲁舍夫表示，五万人参加。")],
                                                 "zh", "elsewhere.txt", "帕特鲁舍夫表示，五万人参加。"))
    ids["document"] = [first, second, empty, named, elsewhere]
    if translated:
        translating.translate_document(library, first)
        translating.translate_document(library, elsewhere)
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
    said = library.documents.tree(named)["segments"][1]["units"][0]
    with acting_as("ed-editor"):  # an approved rendering of a name: the name ledger
        edit.save_translation(library, said["id"], "Patrushev said.",
                              base_revision=said["revision"], approve=True)
    if translated:  # the check job judges the edit (a real model's forced decoding)
        jobs.run_job(library, quality.queue_check(library, named))
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

    library.tags.add([first, second], "<b>经济</b> & more")  # markup a page must escape
    library.tags.add([first], "To read")
    library.tags.add([], "Unused")
    ids["tag"] = [t["id"] for t in library.tags.all()]
    reading = library.collections.create("周末 <i>reading</i>", "a note <script>x</script>")
    library.collections.add(reading, [second, first, empty])
    ids["collection"] = [reading, library.collections.create("Empty")]

    ok, _ = library.feeds.add("https://news.example.org/feed.xml", "好的源")
    library.feeds.mark_item(ok, "guid-1", first)
    library.feeds.checked(ok, "好的源", None)
    broken, _ = library.feeds.add("https://broken.example.org/feed.xml", None)
    library.feeds.checked(broken, None, "https://broken.example.org/feed.xml: the server "
                                       "answered 500 <script>alert(1)</script>")
    never, _ = library.feeds.add("https://never.example.org/rss", "从未更新")
    ids["feed"] = [ok, broken, never]

    stock_words(library, ids, first)

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
              (FEEDS_JOB, "all", DONE, None), (FEEDS_JOB, str(broken), FAILED, "gone"),
              (CHECK_JOB, str(second), FAILED, "The model could not judge these sentences"),
              (LEARNING_JOB, "library", DONE, None),
              (LEARNING_JOB, "library", FAILED, "Measuring articles failed: <b>x</b>")]
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
                         (FEEDS_JOB, str(ok)), (CHECK_JOB, str(first))):  # running, half way
        job = library.jobs.create(kind, target, total=4)
        chunk = library.jobs.claim(job, "stocked", lease_seconds=3600)
        library.jobs.progress(chunk["id"], "stocked", 1, 4)
        ids["job"].append(job)
    ids["job"].append(library.jobs.create(TRANSLATE_JOB, str(first), total=2))  # queued
    ids["job"] += _archive_imports(library)
    return ids


def stock_words(library, ids: dict[str, list], doc_id: int) -> None:
    """Learners' words: the local user's and each account's statuses of every kind, notes (one
    with markup), a sentence met in an edited and approved article, a measured article with
    names, the learners' figures kept, and words waiting to be worked into them."""
    from webapp.actions.learning import PROFILE_VERSION

    unit = next(u for s in library.documents.tree(doc_id)["segments"] for u in s["units"]
                if "第一" in u["source"])
    library.words.save_profile(doc_id, PROFILE_VERSION, {
        "words": 9, "names": 1, "hsk_1": 4, "hsk_2": 2, "hsk_3": 0, "hsk_4": 0, "hsk_5": 0,
        "hsk_6": 0, "hsk_7_9": 1, "hsk_beyond": 2, "level": "beyond", "level_rank": 8},
        [("第一", False, 2), ("句话", False, 3), ("文章", False, 1), ("引用", False, 3),
         ("王小明", True, 1)])
    for user_id in [0, *ids["user"]]:
        me = library.words.learner(user_id)
        me.set_statuses({"第一": "learning1", "句话": "known", "文章": "ignored",
                         "说明": "new", "引用": "learning4", "王小明": "learning2"})
        me.add_example("第一", unit["id"], unit["source"].index("第一"), "第一")
        me.set_note("第一", "<b>a note</b> with markup")
        me.refresh()
        me.set_statuses({"标题": "learning3"})  # waiting to be worked into the figures
    ids["word"] = ["第一", "句话", "王小明"]
def _archive_imports(library) -> list[int]:
    """Archive imports: one done with every kind of problem (hostile names among them), one
    running half way, one cancelled with files still to do."""
    from archive_samples import envelopes, make_tar, make_zip

    from webapp.actions import archives
    from webapp.actions.jobs import run_job
    from webapp.importing.archives import Limits

    limits = Limits(max_bytes=1024 * 1024, max_files=100, max_total=2**26)
    hostile = [("<script>alert(1)</script>.txt", b""), ("../../etc/x.txt", b"<p>x</p>"),
               ("photo.jpg", b"\xff\xd8"), (".hidden.txt", b"x"), ("inner.zip", b"PK")]
    done = archives.queue_upload(library, io.BytesIO(make_zip([*envelopes(2), *hostile])),
                                 "新闻<b>.zip", limits=limits)
    run_job(library, done.job_id, max_bytes=limits.max_bytes)
    running = archives.queue_upload(library, io.BytesIO(make_tar(list(envelopes(3, start=10)))),
                                    "running.tar.gz", limits=limits)
    chunk = library.jobs.claim(running.job_id, "stocked", lease_seconds=3600)
    library.jobs.progress(chunk["id"], "stocked", 1, 3)
    cancelled = archives.queue_upload(library, io.BytesIO(make_zip(envelopes(2, start=20))),
                                      "cancelled.zip", limits=limits)
    archives.cancel(library, cancelled.job_id)
    return [done.job_id, running.job_id, cancelled.job_id]
