"""The documents API pages a library of 50,000 documents: every one once, in order, whatever the
filter (a generated library, written straight into the tables in one transaction so the test
stays quick; the triggers keep the counts and the search index as they would for any import).
SQLite only: the paging and the filters are one code path on both databases (see
test_library_api.py, which runs on both)."""

from __future__ import annotations

import pytest

SIZE = 50_000
SITES = ("a.example.org", "b.example.org", "c.example.org")


def generate(library, size: int) -> None:
    """``size`` documents of one title sentence each; every seventh translated (SQLite's own
    executemany: several times quicker than building each row's statement)."""
    now = "2024-01-01T00:00:00Z"
    rows = range(1, size + 1)
    with library.transaction() as conn:
        conn.exec_driver_sql(
            "INSERT INTO document (id, title, source_url, site, published_at, source_lang,"
            " target_lang, origin, content_hash, raw, meta, created_at)"
            " VALUES (?, ?, ?, ?, ?, 'zh', 'en', 'generated', ?, '', '{}', ?)",
            [(i, f"第{i}篇", f"https://{SITES[i % 3]}/{i}", SITES[i % 3],
              f"2023-{1 + i % 12:02d}-01T00:00:00Z", f"generated-{i}", now) for i in rows])
        conn.exec_driver_sql("INSERT INTO segment (id, document_id, position, kind)"
                             " VALUES (?, ?, 0, 'title')", [(i, i) for i in rows])
        conn.exec_driver_sql(
            "INSERT INTO unit (id, segment_id, position, source, translation, status, revision)"
            " VALUES (?, ?, 0, ?, ?, ?, ?)",
            [(i, i, f"第{i}篇", f"Article {i}" if i % 7 == 0 else None,
              "machine" if i % 7 == 0 else "untranslated", int(i % 7 == 0)) for i in rows])


@pytest.mark.slow
def test_the_api_pages_fifty_thousand_documents(client, library):
    generate(library, SIZE)
    seen: list[int] = []
    page = 1
    while True:
        found = client.get(f"/api/documents?per_page=500&page={page}").get_json()
        assert found["total"] == SIZE
        if not found["documents"]:
            break
        seen += [d["id"] for d in found["documents"]]
        page += 1
    assert seen == list(range(SIZE, 0, -1)) and page == SIZE // 500 + 1
    translated = client.get("/api/documents?state=done&site=a.example.org&per_page=500"
                            "&sort=oldest").get_json()
    expected = sorted((i for i in range(1, SIZE + 1) if i % 21 == 0),  # translated, site a
                      key=lambda i: (i % 12, i))  # by date (the month is 1 + i % 12), then id
    assert translated["total"] == len(expected)
    assert [d["id"] for d in translated["documents"]] == expected[:500]
    assert translated["documents"][0]["title_translation"] == f"Article {expected[0]}"
    last = client.get(f"/api/documents?state=done&site=a.example.org&per_page=500&sort=oldest"
                      f"&page={-(-len(expected) // 500)}").get_json()
    assert [d["id"] for d in last["documents"]] == expected[-(len(expected) % 500 or 500):]
