"""Correcting translations: saves, conflicts, history, restore, memory, paragraphs, retranslation."""

from __future__ import annotations

import re

import pytest
from argos_testmodel import install_test_model

from webapp import engine

pytestmark = pytest.mark.both_databases

HX = {"HX-Request": "true"}


def units(library, doc_id: int) -> list[dict]:
    return [u for s in library.documents.tree(doc_id)["segments"] for u in s["units"]]


@pytest.fixture
def doc(add_article) -> int:
    return add_article("第一句话。第二句话。", "第三句话。")


@pytest.fixture
def model():
    found = install_test_model(copy=False)
    yield found
    engine.remove_model("zh", "en")


def test_save_swaps_the_sentence_and_is_durable(client, library, doc, post):
    first = units(library, doc)[1]
    response = post(f"/units/{first['id']}", translation="The first sentence.", revision="0")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.startswith(f'<span class="t st-edited" id="t-{first["id"]}"')
    assert 'data-revision="1"' in html
    assert 'id="review-counts"' in html and "hx-swap-oob" in html and "1/4 reviewed" in html
    stored = library.units.get(first["id"])
    assert (stored["translation"], stored["status"], stored["revision"]) == (
        "The first sentence.", "edited", 1)
    history = library.units.history(first["id"])
    assert [(r["text"], r["origin"]) for r in history] == [("The first sentence.", "human")]
    assert history[0]["created_at"].endswith("Z")


def test_untranslated_sentences_open_an_editor_with_the_base_revision(client, library, doc):
    unit = units(library, doc)[2]
    html = client.get(f"/units/{unit['id']}/edit", headers=HX).get_data(as_text=True)
    assert '<textarea name="translation"' in html
    assert 'name="revision" value="0"' in html and 'name="csrf_token"' in html
    assert 'maxlength="5000"' in html


def test_stale_save_is_refused_and_shows_both_versions(client, library, doc, post):
    unit = units(library, doc)[1]
    url = f"/units/{unit['id']}"
    assert post(url, translation="Theirs.", revision="0").status_code == 200
    stale = post(url, translation="Mine.", revision="0")
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Theirs." in html and "Mine." in html
    assert "Keep theirs" in html and "Overwrite with yours" in html
    assert 'name="revision" value="1"' in html  # overwriting is based on the current revision
    assert library.units.get(unit["id"])["translation"] == "Theirs."
    overwrite = post(url, translation="Mine.", revision="1")
    assert overwrite.status_code == 200
    assert [r["text"] for r in library.units.history(unit["id"])] == ["Theirs.", "Mine."]


def test_state_changing_routes_need_the_csrf_token(client, library, doc, csrf):
    unit, seg = units(library, doc)[1], library.documents.tree(doc)["segments"][1]
    library.units.update(unit["id"], "Kept.", base_revision=0, status="edited")
    for url, form in [
        (f"/units/{unit['id']}", {"translation": "Forged.", "revision": "1"}),
        (f"/units/{unit['id']}/approve", {"revision": "1"}),
        (f"/units/{unit['id']}/restore", {"revision": "1", "restore": "1"}),
        (f"/units/{unit['id']}/retranslate", {"revision": "1"}),
        (f"/segments/{seg['id']}", {"translation": "A\nB", "rev-1": "0"}),
        (f"/segments/{seg['id']}/retranslate", {}),
    ]:
        refused = client.post(url, data=form, headers=HX)
        assert refused.status_code == 403, url
        wrong = client.post(url, data=form, headers={**HX, "X-CSRF-Token": csrf + "x"})
        assert wrong.status_code == 403, url
    assert library.units.get(unit["id"])["translation"] == "Kept."
    assert library.units.get(unit["id"])["revision"] == 1


def test_history_diffs_each_revision_and_restore_makes_a_new_one(client, library, doc, post,
                                                                 csrf):
    unit = units(library, doc)[1]
    url = f"/units/{unit['id']}"
    post(url, translation="Russia and China held talks.", revision="0")
    post(url, translation="Russia and China held strategic talks.", revision="1")
    html = client.get(f"{url}/history", headers=HX).get_data(as_text=True)
    assert "<ins>strategic </ins>" in html
    assert html.index("#2") < html.index("#1")  # newest first
    assert "Restore #1" in html and "Restore #2" not in html
    restored = post(f"{url}/restore", revision="2", restore="1")
    assert restored.status_code == 200
    assert "Russia and China held talks." in restored.get_data(as_text=True)
    history = library.units.history(unit["id"])
    assert [r["revision"] for r in history] == [1, 2, 3]
    assert history[-1]["text"] == "Russia and China held talks."
    assert history[-1]["origin"] == "human"
    assert post(f"{url}/restore", revision="2", restore="1").status_code == 409  # stale base
    assert client.post(f"{url}/restore", data={"revision": "3", "restore": "9"},
                       headers={"X-CSRF-Token": csrf}).status_code == 404  # header alone


def test_corrections_spread_to_identical_untouched_sentences(client, library, post, add_article):
    one = add_article("第一句话。共同的句子。", title="一")
    two = add_article("共同的句子。", "共同的句子。 ", "共同的句子。别的。", title="二")
    shared = units(library, one)[2]
    others = [u for u in units(library, two) if u["source"].strip() == "共同的句子。"]
    assert len(others) == 3
    library.units.update(others[2]["id"], "A person's version.", base_revision=0,
                        status="edited")
    library.units.store_translations([(others[1]["id"], "machine output")], model_id="m")
    response = post(f"/units/{shared['id']}", translation="The shared sentence.", revision="0")
    assert response.status_code == 200
    after = {u["id"]: u for u in units(library, two)}
    for other in others[:2]:
        assert after[other["id"]]["translation"] == "The shared sentence."
        assert after[other["id"]]["status"] == "memory"
        assert library.units.history(other["id"])[-1]["origin"] == "memory"
    assert after[others[2]["id"]]["translation"] == "A person's version."  # never overwritten
    assert after[others[2]["id"]]["status"] == "edited"
    hits = library.memory.lookup(["共同的句子。"], "zh", "en", "argos:zh-en@1.0")
    assert hits["共同的句子。"] == ("The shared sentence.", "human")


def test_propagation_updates_same_page_sentences_out_of_band(library, doc, post, add_article):
    twin = add_article("第一句话。", "第一句话。", title="双")
    first, second = units(library, twin)[1:3]
    html = post(f"/units/{first['id']}", translation="One.", revision="0").get_data(as_text=True)
    assert f'id="t-{second["id"]}"' in html
    assert re.search(rf'id="t-{second["id"]}"[^>]*hx-swap-oob="true"', html)
    elsewhere = units(library, doc)[1]  # same source in another document: stored, not swapped
    assert library.units.get(elsewhere["id"])["status"] == "memory"
    assert f'id="t-{elsewhere["id"]}"' not in html


def test_api_patch_also_spreads_corrections(client, library, doc, add_article):
    twin = add_article("第一句话。", title="双")
    unit = units(library, doc)[1]
    response = client.patch(f"/api/units/{unit['id']}",
                            json={"translation": "First.", "revision": 0})
    assert response.status_code == 200
    assert library.units.get(units(library, twin)[1]["id"])["translation"] == "First."


def test_markup_in_an_edit_is_shown_as_text(client, library, doc, post):
    unit = units(library, doc)[1]
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    html = post(f"/units/{unit['id']}", translation=hostile, revision="0").get_data(as_text=True)
    page = client.get(f"/documents/{doc}").get_data(as_text=True)
    history = client.get(f"/units/{unit['id']}/history", headers=HX).get_data(as_text=True)
    editor = client.get(f"/units/{unit['id']}/edit", headers=HX).get_data(as_text=True)
    for body in (html, page, history, editor):
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_length_limit_and_empty_edits(client, library, doc, post):
    unit = units(library, doc)[1]
    url = f"/units/{unit['id']}"
    too_long = post(url, translation="x" * 5001, revision="0")
    assert too_long.status_code == 400
    assert "at most 5000 characters" in too_long.get_data(as_text=True)
    assert too_long.headers["HX-Retarget"] == "#messages"
    post(url, translation="Something.", revision="0")
    empty = post(url, translation="   ", revision="1")
    assert empty.status_code == 400 and "Clear the translation" in empty.get_data(as_text=True)
    assert library.units.get(unit["id"])["translation"] == "Something."
    cleared = post(url, translation="", revision="1", clear="1")
    assert cleared.status_code == 200 and "not translated yet" in cleared.get_data(as_text=True)
    assert library.units.get(unit["id"])["status"] == "untranslated"
    assert [r["text"] for r in library.units.history(unit["id"])] == ["Something.", None]


def test_approve_and_review_counts(client, library, doc, post):
    first, second = units(library, doc)[1:3]
    refused = post(f"/units/{first['id']}/approve", revision="0")
    assert refused.status_code == 400 and "no English yet" in refused.get_data(as_text=True)
    library.units.store_translations([(first["id"], "machine one")], model_id="m")
    approved = post(f"/units/{first['id']}/approve", revision="1")
    assert approved.status_code == 200
    assert 'class="t st-approved"' in approved.get_data(as_text=True)
    assert library.units.get(first["id"])["translation"] == "machine one"
    post(f"/units/{second['id']}", translation="Two.", revision="0", approve="1")
    assert library.units.get(second["id"])["status"] == "approved"
    assert library.units.status_counts(doc) == {"untranslated": 2, "machine": 0, "memory": 0,
                                          "edited": 0, "approved": 2}
    row = library.documents.page()[0]
    assert (row["reviewed"], row["approved"]) == (2, 2)


def test_document_shows_counts_filter_and_status_titles(client, library, doc):
    unit = units(library, doc)[1]
    library.units.update(unit["id"], "Edited.", base_revision=0, status="edited")
    page = client.get(f"/documents/{doc}").get_data(as_text=True)
    assert 'id="review-counts"' in page and "1/4 reviewed" in page
    assert 'title="edited"' in page and 'title="not translated"' in page
    assert 'class="enface view-side" id="reader"' in page
    filtered = client.get(f"/documents/{doc}?filter=unreviewed").get_data(as_text=True)
    assert 'class="enface view-side only-unreviewed"' in filtered
    assert re.search(r'data-filter checked', filtered)


def test_paragraph_saved_line_by_line(client, library, doc, post):
    seg = library.documents.tree(doc)["segments"][1]
    a, b = seg["units"]
    library.units.update(a["id"], "Old first.", base_revision=0, status="machine",
                        origin="machine")
    editor = client.get(f"/segments/{seg['id']}/edit", headers=HX).get_data(as_text=True)
    assert f'name="rev-{a["id"]}" value="1"' in editor
    assert "Old first.\n" in editor
    response = post(f"/segments/{seg['id']}", translation="Old first.\nNew second.\n",
                    **{f"rev-{a['id']}": "1", f"rev-{b['id']}": "0"})
    assert response.status_code == 200
    assert f'id="seg-{seg["id"]}"' in response.get_data(as_text=True)
    assert library.units.get(a["id"])["revision"] == 1  # unchanged line: no new revision
    assert library.units.get(b["id"])["translation"] == "New second."
    stale = post(f"/segments/{seg['id']}", translation="X.\nY.",
                 **{f"rev-{a['id']}": "1", f"rev-{b['id']}": "0"})
    assert stale.status_code == 409
    assert library.units.get(a["id"])["translation"] == "Old first."


def test_paragraph_merge_needs_consent_and_keeps_history(client, library, doc, post):
    seg = library.documents.tree(doc)["segments"][1]
    a, b = seg["units"]
    library.units.update(a["id"], "One.", base_revision=0, status="edited")
    library.units.update(b["id"], "Two.", base_revision=0, status="edited")
    bases = {f"rev-{a['id']}": "1", f"rev-{b['id']}": "1"}
    refused = post(f"/segments/{seg['id']}", translation="One and two.", **bases)
    assert refused.status_code == 400 and "Merge into one sentence" in refused.get_data(
        as_text=True)
    merged = post(f"/segments/{seg['id']}", translation="One and two.", merge="1", **bases)
    assert merged.status_code == 200
    after = library.units.segment(seg["id"])["units"]
    assert len(after) == 1 and after[0]["id"] == a["id"]
    assert after[0]["source"] == "第一句话。第二句话。"  # nothing lost, nothing added
    assert after[0]["translation"] == "One and two." and after[0]["revision"] == 3
    assert [r["text"] for r in library.units.history(a["id"])] == ["One.", "Two.", "One and two."]


def test_retranslate_without_a_model_says_so(client, library, doc, post, monkeypatch):
    from webapp import engine

    monkeypatch.setattr(engine, "find_model", lambda *a: None)  # other tests install one
    unit = units(library, doc)[1]
    response = post(f"/units/{unit['id']}/retranslate", revision="0")
    assert response.status_code == 400
    assert "No translation model is installed for Chinese" in response.get_data(as_text=True)
    assert client.get(f"/units/{unit['id']}/alternatives", headers=HX).status_code == 400
    assert library.units.get(unit["id"])["status"] == "untranslated"


def test_retranslate_and_alternatives_never_overwrite_edits_silently(library, doc, post,
                                                                     client, model):
    first, second = units(library, doc)[1:3]
    done = post(f"/units/{first['id']}/retranslate", revision="0")
    assert done.status_code == 200
    machine = library.units.get(first["id"])
    assert machine["status"] == "machine" and machine["translation"]
    assert library.units.history(first["id"])[-1]["model_id"] == model.model_id
    library.units.update(second["id"], "Mine.", base_revision=0, status="edited")
    ask = post(f"/units/{second['id']}/retranslate", revision="1")
    assert ask.headers["HX-Retarget"] == f"#panel-{second['id']}"
    assert "Replace mine" in ask.get_data(as_text=True)
    assert library.units.get(second["id"])["translation"] == "Mine."
    alts = client.get(f"/units/{second['id']}/alternatives", headers=HX).get_data(as_text=True)
    choices = re.findall(r'name="text" value="([^"]*)"', alts)
    assert 1 <= len(choices) <= 3 and "Use this" in alts
    picked = post(f"/units/{second['id']}/retranslate", revision="1", text=choices[-1],
                  confirm="1")
    assert picked.status_code == 200
    assert library.units.get(second["id"])["status"] == "machine"
    assert [r["text"] for r in library.units.history(second["id"])][0] == "Mine."


def test_retranslate_paragraph_keeps_edits_until_confirmed(library, doc, post, model):
    seg = library.documents.tree(doc)["segments"][1]
    a, b = seg["units"]
    library.units.update(a["id"], "Mine.", base_revision=0, status="approved")
    response = post(f"/segments/{seg['id']}/retranslate")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "1 edited or approved sentence kept" in html
    assert library.units.get(a["id"])["translation"] == "Mine."
    assert library.units.get(b["id"])["status"] == "machine"
    post(f"/segments/{seg['id']}/retranslate", confirm="1")
    assert library.units.get(a["id"])["status"] == "machine"


def test_plain_form_posts_are_redirected_back_to_the_reader(library, doc, post):
    unit = units(library, doc)[1]
    response = post(f"/units/{unit['id']}", htmx=False, translation="Plain.", revision="0")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/documents/{doc}#t-{unit['id']}")


# --- one rule for the API and the form ------------------------------------------------------

REFUSED_EDITS = [
    pytest.param("x" * 5001, "at most 5000 characters", id="too-long"),
    pytest.param("   ", "The translation is empty", id="empty-without-clear"),
]


@pytest.mark.parametrize(("text", "reason"), REFUSED_EDITS)
def test_an_edit_refused_by_the_api_is_refused_by_the_form_for_the_same_reason(
    client, library, doc, post, text, reason
):
    unit = units(library, doc)[1]
    api = client.patch(f"/api/units/{unit['id']}", json={"translation": text, "revision": 0})
    form = post(f"/units/{unit['id']}", translation=text, revision="0")
    assert api.status_code == form.status_code == 400
    assert reason in api.get_json()["error"]
    assert reason in form.get_data(as_text=True)
    assert library.units.get(unit["id"])["revision"] == 0  # nothing stored by either


def test_a_stale_edit_is_a_conflict_through_both(client, library, doc, post):
    unit = units(library, doc)[1]
    assert post(f"/units/{unit['id']}", translation="Mine.", revision="0").status_code == 200
    api = client.patch(f"/api/units/{unit['id']}", json={"translation": "Old.", "revision": 0})
    form = post(f"/units/{unit['id']}", translation="Old.", revision="0")
    assert api.status_code == form.status_code == 409
    assert api.get_json()["current"]["translation"] == "Mine."
    assert "Mine." in form.get_data(as_text=True)


def test_lone_surrogates_are_refused_as_not_text(library, doc):
    from webapp.actions import edit

    unit = units(library, doc)[1]
    with pytest.raises(edit.EditRefused, match="not valid text"):
        edit.save_translation(library, unit["id"], "bad \ud800", base_revision=0)
    assert library.units.get(unit["id"])["revision"] == 0
