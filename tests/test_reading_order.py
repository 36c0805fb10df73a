"""Reading order: the first screen first, then what the reader has on screen, then the rest."""

from __future__ import annotations

import pytest

from webapp.actions import translate as translating
from webapp.engine.schedule import Planner


def long_tail(count: int) -> list[str]:
    """Paragraphs that grow longer down the page, so length order would start at the end."""
    return [f"第{i}段" + "很长的内容" * (1 + i // 4) + "。" for i in range(count)]


def stored_order(library, monkeypatch) -> list[list[int]]:
    """Record the unit ids of each stored batch."""
    batches: list[list[int]] = []
    real = library.units.store_translations

    def spy(results, **kwargs):
        results = list(results)
        batches.append([unit_id for unit_id, _ in results])
        return real(results, **kwargs)

    monkeypatch.setattr(library.units, "store_translations", spy)
    return batches


def segments_of(library, doc_id) -> list[list[int]]:
    return [[u["id"] for u in s["units"]] for s in library.documents.tree(doc_id)["segments"]]


@pytest.mark.slow
def test_first_screen_is_stored_before_anything_else(library, add_article, zh_model, monkeypatch):
    doc_id = add_article(*long_tail(40))
    batches = stored_order(library, monkeypatch)
    translating.translate_document(library, doc_id, batch_tokens=200)
    first_screen = {u for seg in segments_of(library, doc_id)[:4] for u in seg}
    assert set(batches[0]) == first_screen
    assert sum(len(b) for b in batches) == 41 and len(batches) > 3


@pytest.mark.slow
def test_segments_on_screen_come_next(library, add_article, zh_model, monkeypatch):
    doc_id = add_article(*long_tail(60))
    segments = segments_of(library, doc_id)
    end, middle = segments[-1][0], segments[len(segments) // 2][0]
    batches = stored_order(library, monkeypatch)
    asked = []

    def focus() -> list[int]:
        asked.append(1)
        return [library.units.get(end)["segment_id"]] if len(asked) > 1 else []

    translating.translate_document(library, doc_id, batch_tokens=120, focus=focus)
    order = [u for batch in batches for u in batch]
    assert order.index(end) < order.index(middle)
    assert any(end in batch for batch in batches[:3])  # within a batch or two of being asked
    assert len(asked) >= len(batches)  # asked before each batch


def test_planner_hands_out_every_item_once_wanted_first():
    lengths = [5, 9, 1, 7, 7, 3, 2, 8]
    owners = [0, 1, 2, 3, 3, 4, 5, 6]
    planner = Planner(lengths, owners, batch_tokens=16)
    first = planner.next_batch([2, 3])
    assert first == [2, 3]  # sentence 2 (1 token), then sentence 3's first item: 7 * 2 <= 16
    seen = list(first)
    while planner:
        batch = planner.next_batch()
        assert max(lengths[k] for k in batch) * len(batch) <= 16 or len(batch) == 1
        seen += batch
    assert sorted(seen) == list(range(len(lengths)))
    assert seen[2:5] == [1, 7, 4]  # then longest first, one width per batch


def test_a_sentence_wanted_twice_is_handed_out_once():
    planner = Planner([3, 3, 3, 3], [0, 1, 2, 3], batch_tokens=100)
    seen = planner.next_batch([1, 2, 1, 2])  # the first screen is also on screen
    assert seen == [1, 2]
    while planner:
        seen += planner.next_batch([1, 2])
    assert sorted(seen) == [0, 1, 2, 3]


def test_focus_route_records_what_is_on_screen(client, csrf, library, add_article, zh_model):
    doc_id = add_article(*long_tail(5))
    url = f"/documents/{doc_id}/focus"
    assert client.post(url, data={"segments": "3,4", "csrf_token": csrf}).status_code == 204
    job_id = translating.queue_translation(library, doc_id)
    assert library.jobs.priority(job_id) == []  # nothing ran: nothing was kept for later
    assert client.post(url, data={"segments": "3,4"}).status_code == 403  # no CSRF token
    assert library.jobs.priority(job_id) == []
    response = client.post(url, data={"segments": "4, 5"}, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 204
    assert library.jobs.priority(job_id) == [4, 5]
    assert client.post(url, data={"segments": "x", "csrf_token": csrf}).status_code == 400
    assert client.post("/documents/999/focus", data={"csrf_token": csrf}).status_code == 404
    assert library.jobs.priority(job_id) == [4, 5]


@pytest.mark.parametrize("count", [1, 200])
def test_too_many_segments_are_cut(library, add_article, zh_model, count):
    doc_id = add_article(*long_tail(3))
    job_id = translating.queue_translation(library, doc_id)
    assert translating.set_focus(library, doc_id, list(range(count)))
    assert library.jobs.priority(job_id) == list(range(min(count, translating.MAX_FOCUS)))


def test_the_last_batches_are_shared_among_the_workers():
    lengths, owners = [10] * 20, list(range(20))

    def sizes(workers: int) -> list[int]:
        planner, out, seen = Planner(lengths, owners, batch_tokens=100, workers=workers), [], []
        while planner:
            batch = planner.next_batch()
            out.append(len(batch))
            seen += batch
        assert sorted(seen) == owners
        return out

    assert sizes(1) == [10, 10]
    # Two workers: the second half is cut so both finish together, never below a quarter batch.
    assert sizes(2) == [10, 5, 2, 2, 1]


def test_cancel_answers_with_what_was_stored_and_polls_once_more(
        library, add_article, zh_model, post):
    doc_id = add_article("第一段。", "第二段。")
    job_id = translating.queue_translation(library, doc_id)
    since = library.units.last_change(doc_id)
    unit = library.documents.tree(doc_id)["segments"][1]["units"][0]["id"]
    library.units.store_translations([(unit, "Stored as the reader pressed Cancel.")], model_id="m")
    answer = post(f"/jobs/{job_id}/cancel", since=since)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and library.jobs.get(job_id)["status"] == "cancelled"
    assert "The last translation was cancelled" in text
    assert "Stored as the reader pressed Cancel." in text  # out of band, into the page
    assert f'hx-get="/documents/{doc_id}/progress?since=' in text  # one more look, then done
    again = post(f"/jobs/{job_id}/cancel", since=since)  # a second click: same answer, no error
    assert again.status_code == 200
