"""Left-out blocks: stored with their document at import, carried by the document JSON, shown in
the reader, restored (a block again, cut into sentences and translated) or made (a person leaves
a kept block out); exports leave them out."""

from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa
from auth_helpers import add_user, csrf_of, sign_in

from webapp import create_app
from webapp.actions import left_out
from webapp.actions.imports import import_bytes
from webapp.actions.jobs import run_job
from webapp.actions.translate import translate_document
from webapp.errors import Conflict, NotFound
from webapp.exports import FORMATS, export_document
from webapp.storage.tables import left_out as left_out_table

pytestmark = pytest.mark.both_databases

SHARE, FOLLOW, SCAN = ("分享到微信", "欢迎在Instagram上关注我们：@bbcchinese",
                       "欢迎扫描二维码关注我们的微信公众号")
FIRST, SECOND = "第一段正文，很长的一句话。", "第二段正文，也是一句话。还有第二句。"
PAGE = (f"<p>{FIRST}</p><div class='share-bar'>{SHARE}</div><p>{SECOND}</p>"
        f"<p>{FOLLOW}</p><p>{SCAN}</p>").encode()
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def doc(library) -> int:
    [result] = import_bytes(library, PAGE, "page.html", max_bytes=10**6)
    assert result.created
    return result.doc_id


def texts(library, doc_id: int) -> list[str]:
    """The document's blocks in order, each its units' sources joined."""
    return ["".join(u["source"] for u in s["units"])
            for s in library.documents.tree(doc_id)["segments"]]


def api_restore(client, doc_id, block_id):
    return client.post(f"/api/documents/{doc_id}/left-out/{block_id}/restore", headers=JSON)


def test_import_stores_the_left_out_blocks_and_the_json_carries_them(client, library, doc,
                                                                      add_article):
    body = client.get(f"/api/documents/{doc}").get_json()
    assert [(b["position"], b["rule"], b["text"]) for b in body["left_out"]] == [
        (2, "share", SHARE), (3, "promo", FOLLOW), (3, "promo", SCAN)]
    assert all(set(b) == {"id", "position", "text", "rule"} for b in body["left_out"])
    assert [s["position"] for s in body["segments"]] == [0, 1, 2]
    plain = add_article("没有被删掉的段落。")
    assert client.get(f"/api/documents/{plain}").get_json()["left_out"] == []


def test_restoring_makes_a_block_with_sentences_where_it_stood_and_translates_it(
        client, library, doc, zh_model):
    [share, follow, scan] = left_out.blocks(library, doc)
    before = {s["id"]: s for s in library.documents.tree(doc)["segments"]}
    reply = api_restore(client, doc, follow["id"])
    assert reply.status_code == 200, reply.get_data(as_text=True)
    answer = reply.get_json()
    assert answer["left_out"] == 2 and answer["job"] is not None
    tree = library.documents.tree(doc)
    assert texts(library, doc)[1:] == [FIRST, SECOND, FOLLOW]
    assert [s["position"] for s in tree["segments"]] == [0, 1, 2, 3]
    restored = tree["segments"][3]
    assert restored["id"] == answer["segment"] and restored["kind"] == "paragraph"
    # the other blocks keep their ids, units and revisions
    for seg in tree["segments"][:3]:
        assert seg == before[seg["id"]]
    # the share bar still stands before the second paragraph, the scan call after the restored
    remaining = left_out.blocks(library, doc)
    assert [(b["id"], b["position"]) for b in remaining] == [(share["id"], 2), (scan["id"], 4)]
    assert all(u["status"] == "untranslated" for u in restored["units"])
    assert run_job(library, answer["job"]) == "done"
    units = library.documents.tree(doc)["segments"][3]["units"]
    assert units and all(u["translation"] for u in units)


def test_a_restored_block_is_cut_into_sentences_as_an_import_cuts_them(client, library, doc):
    block_id = library.left_out.drop(doc, library.documents.tree(doc)["segments"][2]["id"],
                                     "dropped", None)
    assert texts(library, doc)[1:] == [FIRST]
    reply = api_restore(client, doc, block_id)
    assert reply.status_code == 200
    seg = library.documents.tree(doc)["segments"][2]
    assert [u["source"] for u in seg["units"]] == ["第二段正文，也是一句话。", "还有第二句。"]


def test_restoring_twice_another_documents_block_and_junk_ids_are_told_in_words(
        client, library, doc, add_article):
    other = add_article("另一篇。")
    [share, *_] = left_out.blocks(library, doc)
    assert api_restore(client, doc, share["id"]).status_code == 200
    again = api_restore(client, doc, share["id"])
    assert again.status_code == 409
    assert "restored already" in again.get_json()["error"]
    for doc_id, block_id in [(other, share["id"]), (doc, 987654), (987654, share["id"]),
                             (doc, 2**63 - 1)]:
        reply = api_restore(client, doc_id, block_id)
        assert reply.status_code == 404, (doc_id, block_id)
        assert "left-out block" in reply.get_json()["error"] or "document" in \
            reply.get_json()["error"].lower()
    for url in [f"/api/documents/{doc}/left-out/x/restore", f"/api/documents/{doc}/left-out/"
                f"{2**64}/restore", f"/api/documents/{doc}/blocks/-1/leave-out"]:
        assert client.post(url, headers=JSON).status_code == 404
    with pytest.raises(Conflict):
        left_out.restore(library, doc, share["id"])


def test_leaving_out_and_restoring_a_block_is_a_round_trip(client, library, doc):
    segments = library.documents.tree(doc)["segments"]
    first = segments[1]
    reply = client.post(f"/api/documents/{doc}/blocks/{first['id']}/leave-out", headers=JSON)
    assert reply.status_code == 201
    dropped = reply.get_json()
    assert dropped["text"] == FIRST and dropped["rule"] == "dropped" and dropped["position"] == 1
    assert texts(library, doc)[1:] == [SECOND]
    assert [s["position"] for s in library.documents.tree(doc)["segments"]] == [0, 1]
    # the share bar stood after the paragraph: it still does
    assert [(b["text"], b["position"]) for b in left_out.blocks(library, doc)][:2] == [
        (FIRST, 1), (SHARE, 1)]
    assert client.post(f"/api/documents/{doc}/blocks/{first['id']}/leave-out",
                       headers=JSON).status_code == 404
    assert api_restore(client, doc, dropped["id"]).status_code == 200
    assert texts(library, doc)[1:] == [FIRST, SECOND]
    assert [b["text"] for b in left_out.blocks(library, doc)] == [SHARE, FOLLOW, SCAN]
    # the title stays
    title = client.post(f"/api/documents/{doc}/blocks/{segments[0]['id']}/leave-out",
                        headers=JSON)
    assert title.status_code == 409 and "title" in title.get_json()["error"]


def test_a_block_of_another_document_cannot_be_left_out(library, doc, add_article):
    other = add_article("另一篇。")
    seg = library.documents.tree(other)["segments"][1]
    with pytest.raises(NotFound):
        left_out.leave_out(library, doc, seg["id"])
    assert texts(library, other)[1:] == ["另一篇。"]


def test_deleting_a_document_deletes_its_left_out_blocks(library, doc, add_article):
    keep = add_article("另一篇。")
    library.left_out.drop(keep, library.documents.tree(keep)["segments"][1]["id"], "dropped", None)
    library.documents.delete(doc)
    with library.db.connection() as conn:
        rows = conn.execute(sa.select(left_out_table.c.document_id)).scalars().all()
    assert rows == [keep]


def test_the_reader_shows_left_out_blocks_in_place_and_restores_one(client, library, doc, post):
    page = client.get(f"/documents/{doc}").get_data(as_text=True)
    assert "Show left-out blocks (" in page and ">3</span>)" in page
    assert "left out: promo line" in page and "left out: share bar" in page
    [share, follow, scan] = left_out.blocks(library, doc)
    segments = library.documents.tree(doc)["segments"]
    order = [f'id="seg-{segments[1]["id"]}"', f'id="lo-{share["id"]}"',
             f'id="seg-{segments[2]["id"]}"', f'id="lo-{follow["id"]}"', f'id="lo-{scan["id"]}"']
    assert [page.index(mark) for mark in order] == sorted(page.index(mark) for mark in order)
    assert "show-left-out" not in page  # off by default, on from the address (no JavaScript)
    assert "show-left-out" in client.get(f"/documents/{doc}?leftout=1").get_data(as_text=True)
    reply = post(f"/documents/{doc}/left-out/{follow['id']}/restore")
    html = reply.get_data(as_text=True)
    restored = library.documents.tree(doc)["segments"][3]
    assert texts(library, doc)[3] == FOLLOW
    assert reply.status_code == 200 and f'id="seg-{restored["id"]}"' in html
    assert '<span id="left-out-count" hx-swap-oob="true">2</span>' in html
    plain = post(f"/documents/{doc}/left-out/{share['id']}/restore", htmx=False)
    assert plain.status_code == 303 and "#seg-" in plain.headers["Location"]
    again = post(f"/documents/{doc}/left-out/{share['id']}/restore")
    assert again.status_code == 409 and "restored already" in again.get_data(as_text=True)


def test_the_reader_leaves_a_block_out(client, library, doc, post):
    seg = library.documents.tree(doc)["segments"][2]
    page = client.get(f"/documents/{doc}").get_data(as_text=True)
    assert f"/documents/{doc}/blocks/{seg['id']}/leave-out" in page
    reply = post(f"/documents/{doc}/blocks/{seg['id']}/leave-out")
    html = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "left out: dropped by a person" in html
    assert "left-out fresh" in html and SECOND in html  # a left-out block's text is plain
    assert texts(library, doc)[1:] == [FIRST]
    first = library.documents.tree(doc)["segments"][1]
    plain = post(f"/documents/{doc}/blocks/{first['id']}/leave-out", htmx=False)
    assert plain.status_code == 303 and "leftout=1" in plain.headers["Location"]


def test_exports_leave_left_out_blocks_out(library, doc, zh_model):
    [share, *_] = left_out.blocks(library, doc)
    left_out.restore(library, doc, share["id"])
    translate_document(library, doc)  # TMX holds translated sentences only
    doc_json = library.documents.tree(doc)
    for fmt in FORMATS:
        data = export_document(doc_json, fmt)
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        text = data.decode("utf-8", "replace")
        assert SHARE in text and FIRST in text, fmt  # the restored block and a kept one
        assert FOLLOW not in text and SCAN not in text, fmt


@pytest.fixture
def accounts_app(tmp_path, database_url):
    app = create_app({"DATA_DIR": str(tmp_path / "accounts"), "SEED": False, "WORKER": False,
                      "TESTING": True, "AUTH": True, "DATABASE_URL": database_url})
    library = app.extensions["library"]
    for name, role in [("re-reader", "reader"), ("ed-editor", "editor")]:
        add_user(library, name, role)
    yield app
    library.close()
    app.extensions["queue"].close()


def test_readers_cannot_restore_or_leave_out_and_editors_can(accounts_app):
    library = accounts_app.extensions["library"]
    [result] = import_bytes(library, PAGE, "page.html", max_bytes=10**6)
    doc = result.doc_id
    [share, follow, _] = left_out.blocks(library, doc)
    seg = library.documents.tree(doc)["segments"][1]
    reader = accounts_app.test_client()
    assert sign_in(reader, "re-reader").status_code == 303
    token = csrf_of(reader)
    headers = {"X-CSRF-Token": token, **JSON}
    assert api_restore(reader, doc, share["id"]).status_code in (400, 403)
    assert reader.post(f"/api/documents/{doc}/left-out/{share['id']}/restore",
                       headers=headers).status_code == 403
    assert reader.post(f"/api/documents/{doc}/blocks/{seg['id']}/leave-out",
                       headers=headers).status_code == 403
    assert reader.post(f"/documents/{doc}/left-out/{share['id']}/restore",
                       data={"csrf_token": token}).status_code == 403
    page = reader.get(f"/documents/{doc}").get_data(as_text=True)
    assert "left out: share bar" in page and ">Restore</button>" not in page
    assert ">Leave out</button>" not in page
    editor = accounts_app.test_client()
    assert sign_in(editor, "ed-editor").status_code == 303
    token = csrf_of(editor)
    page = editor.get(f"/documents/{doc}").get_data(as_text=True)
    assert ">Restore</button>" in page and ">Leave out</button>" in page
    reply = editor.post(f"/api/documents/{doc}/left-out/{share['id']}/restore",
                        headers={"X-CSRF-Token": token, **JSON})
    assert reply.status_code == 200
    reply = editor.post(f"/documents/{doc}/blocks/{seg['id']}/leave-out",
                        data={"csrf_token": token})
    assert reply.status_code == 303
    dropped = [b for b in library.left_out.of_document(doc) if b["rule"] == "dropped"]
    assert [(b["text"], b["dropped_by"]) for b in dropped] == [(FIRST, "ed-editor")]
    assert library.left_out.get(doc, share["id"])["restored_at"] is not None
    assert follow["id"] in {b["id"] for b in left_out.blocks(library, doc)}


def test_a_left_out_blocks_text_is_shown_as_text(client, library, article):
    from webapp.segmenting.article import LeftOut

    hostile = "关注我们<script>alert(1)</script><img src=x onerror=alert(2)>"
    doc_id, _ = library.documents.add(article("正文。", left_out=[LeftOut(2, "paragraph",
                                                                        hostile, "promo")]))
    page = client.get(f"/documents/{doc_id}?leftout=1").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page


def test_a_block_left_out_and_restored_gets_its_corrections_back_from_the_memory(library, doc):
    from webapp.actions import edit

    seg = library.documents.tree(doc)["segments"][2]
    [one, two] = seg["units"]
    edit.save_translation(library, one["id"], "A person's English.", base_revision=0)
    dropped = left_out.leave_out(library, doc, seg["id"])
    assert dropped.block["text"] == SECOND and dropped.block["rule"] == "dropped"
    assert library.units.pending(doc) and all(u["id"] not in (one["id"], two["id"])
                                              for u in library.units.of_document(doc))
    restored = left_out.restore(library, doc, dropped.block["id"])
    units = library.units.segment(restored.segment_id)["units"]
    assert [(u["source"], u["translation"], u["status"]) for u in units] == [
        (one["source"], "A person's English.", "memory"), (two["source"], None, "untranslated")]


def test_a_left_out_block_holds_no_character_stored_text_may_not(client, library, article):
    from webapp.segmenting.article import LeftOut

    doc_id, _ = library.documents.add(article("正文。", left_out=[
        LeftOut(2, "paragraph", "关注\x00我们\ud800", "promo"), LeftOut(2, "paragraph", "\x00", "promo")]))
    assert client.get(f"/api/documents/{doc_id}").get_json()["left_out"] == [
        {"id": left_out.blocks(library, doc_id)[0]["id"], "position": 2, "text": "关注我们",
         "rule": "promo"}]
