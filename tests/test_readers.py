"""The format readers and the one sniffing rule: every door (upload form, CLI, folder, URL)
treats a file the same way, and a folder import says what it skipped and why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from webapp.actions.imports import import_bytes, import_source
from webapp.cli import main
from webapp.errors import ImportFailed
from webapp.importing import NotReadable, open_bytes
from webapp.importing.readers import READERS
from webapp.storage import Library

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
RSS = (FEEDS / "news.rss").read_bytes()
ATOM = (FEEDS / "news.atom").read_bytes()
TMX = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh-Hans" '
       'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" '
       'creationtoolversion="1"/><body><tu><tuv xml:lang="zh-Hans"><seg>没有这一句。</seg></tuv>'
       '<tuv xml:lang="en"><seg>No such sentence.</seg></tuv></tu></body></tmx>').encode()
XLIFF = ('<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
         '<file source-language="zh" target-language="en" datatype="plaintext" original="x">'
         '<body><trans-unit id="1"><source>没有这一句。</source><target>No.</target></trans-unit>'
         '</body></file></xliff>').encode()


@pytest.mark.parametrize(("data", "name", "content_type", "reader"), [
    (RSS, "news.rss", None, "feed"),
    (RSS, "news.xml", None, "feed"),
    (RSS, "news.txt", None, "feed"),  # the content says what it is, whatever the name
    (ATOM, "news.atom", None, "feed"),
    (RSS, "https://e.org/feed", "application/xml", "feed"),
    (TMX, "back.tmx", None, "exchange"),
    (TMX, "back.xml", None, "exchange"),
    (XLIFF, "back.xlf", None, "exchange"),
    ("<!--1622054989000-->\n[标题](https://e.org)\n---\n<p>正文。</p>".encode(), "a.txt", None,
     "envelope"),
    ("---\ntitle: 标题\n---\n正文。".encode(), "a.txt", None, "markdown"),
    ("# 标题\n\n正文。".encode(), "a.md", None, "markdown"),
    ("# 标题\n\n正文。".encode(), "a.txt", None, "text"),
    ("<p>正文。</p>".encode(), "a.txt", None, "html"),
    ("正文。".encode(), "a.html", None, "html"),
    ("正文。".encode(), "https://e.org/a", "text/html; charset=utf-8", "html"),
    ("标题\n\n正文。".encode(), "notes", None, "text"),
    ("标题\n\n正文。".encode(), "https://e.org/a.php", "text/plain", "text"),
    (b"PK\x03\x04 not really a zip", "book.epub", None, "epub"),  # its reader says what is wrong
])
def test_one_rule_picks_the_reader(data, name, content_type, reader):
    url = name if name.startswith("https://") else None
    assert open_bytes(data, name, source_url=url, content_type=content_type)[0].name == reader


@pytest.mark.parametrize(("data", "name", "reason"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "a.png", "PNG image"),
    (b"PK\x03\x04 not really a zip", "a.zip", "ZIP archive that is neither"),
    ("标题\n\n正文。".encode(), "a.json", "does not read .json files"),
    (b"<?xml version='1.0'?><catalog><book/></catalog>", "a.xml", "XML document"),
    (b"abc\x00def", "a.txt", "NUL bytes"),
])
def test_files_in_no_format_enface_reads_are_refused_with_the_reason(data, name, reason):
    with pytest.raises(NotReadable, match=re.escape(reason)):
        open_bytes(data, name)


def test_every_reader_declares_what_it_sniffs():
    for reader in READERS:
        assert callable(reader.module.sniff) and callable(reader.module.read), reader.name
        assert reader.label and reader.kind in ("article", "feed", "exchange")
    claimed = [ext for reader in READERS for ext in reader.extensions]
    assert len(claimed) == len(set(claimed))  # one reader per extension


def _titles(library: Library) -> list[str]:
    return sorted(d["title"] for d in library.documents.page())


@pytest.mark.parametrize("name", ["news.rss", "news.xml", "news.atom"])
def test_a_feed_file_is_a_feed_through_every_door(name, tmp_path, no_network, post, library):
    data = ATOM if name.endswith(".atom") else RSS
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(data)
    # the library's upload form (what issue 22 found importing a feed as one article of markup)
    response = post("/import", files={"files": (name, data)}, lang="")
    form = _titles(library)
    # every item a document (offline, a summary-only item is its summary, with a warning)
    items = len(re.findall(rb"<item[ >]|<entry[ >]", data))
    assert response.status_code == 200 and len(form) == items
    assert all("<" not in title for title in form)
    # the CLI, a folder import and the import action on the bytes: the same documents
    for door in ("cli", "folder", "bytes"):
        lib = Library(tmp_path / f"{door}.sqlite3")
        if door == "cli":
            CliRunner().invoke(main, ["--data-dir", str(tmp_path / "cli"), "import", str(path)])
            lib = Library(tmp_path / "cli" / "library.sqlite3")
        elif door == "folder":
            import_source(lib, str(path.parent), max_bytes=10**6)
        else:
            import_bytes(lib, data, name, max_bytes=10**6)
        assert _titles(lib) == form, door
        lib.close()


@pytest.mark.parametrize(("name", "data"), [("back.tmx", TMX), ("back.xlf", XLIFF)])
def test_a_translation_file_is_applied_not_imported_through_every_door(name, data, tmp_path,
                                                                       library):
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(data)
    outcomes = [import_bytes(library, data, name, max_bytes=10**6),
                import_source(library, str(path), max_bytes=10**6),
                import_source(library, str(path.parent), max_bytes=10**6)]
    for results in outcomes:
        [result] = results
        assert not result.ok and not result.skipped
        assert "no document in the library has these source sentences" in result.error
    assert library.documents.count() == 0


def test_a_folder_import_says_what_it_skipped_and_why(tmp_path, library):
    folder = tmp_path / "in"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "a.txt").write_text("隐藏。", encoding="utf-8")
    (folder / "a.txt").write_text("标题\n\n正文第一段。", encoding="utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "data.json").write_text("{}", encoding="utf-8")
    (folder / "news.rss").write_bytes(RSS.replace(b"http://127.0.0.1:9/never-fetched.html", b""))
    results = import_source(library, str(folder), max_bytes=10**6)
    skipped = {Path(r.origin).name: r.error for r in results if r.skipped}
    assert set(skipped) == {".git", "photo.png", "data.json"}
    assert "PNG image" in skipped["photo.png"] and ".json" in skipped["data.json"]
    assert "hidden" in skipped[".git"]
    imported = sorted(r.title for r in results if r.ok)
    assert imported == sorted(["城市公园今年新增绿地三百公顷", "地铁五号线周末起延长运营时间", "标题"])


def test_the_cli_reports_skipped_files_and_still_succeeds(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("标题\n\n正文第一段。", encoding="utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "lib"), "import",
                                       str(folder)])
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("\t标题")
    # (a folder is imported like an archive: the report counts by reason, with an example)
    assert "1 imported" in result.stderr and "1 skipped" in result.stderr
    assert re.search(r"Skipped: 1 × .*\(e\.g\. photo\.png\)", result.stderr)


def test_a_single_unreadable_file_is_still_an_error(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "lib"), "import", str(path)])
    assert result.exit_code == 1 and "PNG image" in result.stderr


def test_a_feed_is_not_an_article():
    reader, source = open_bytes(RSS, "news.rss")
    from webapp.importing import read_article

    with pytest.raises(ImportFailed, match="this is an RSS or Atom feed, not an article"):
        read_article(reader, source)


def test_left_out_blocks_keep_their_place_and_the_import_counts_them(library):
    html = ("<p>第一段正文，很长的一句话。</p><div class='share-bar'>分享到微信</div>"
            "<p>第二段正文，也是一句话。</p><p>欢迎在Instagram上关注我们：@bbcchinese</p>"
            "<p>欢迎扫描二维码关注我们的微信公众号</p>").encode()
    from webapp.importing import load_bytes

    article = load_bytes(html, "a.html")
    assert [b.text for b in article.blocks[1:]] == ["第一段正文，很长的一句话。", "第二段正文，也是一句话。"]
    # position: the index in article.blocks (the title is 0) of the block each stood before
    assert [(lo.position, lo.rule, lo.text) for lo in article.left_out] == [
        (2, "share", "分享到微信"),
        (3, "promo", "欢迎在Instagram上关注我们：@bbcchinese"),
        (3, "promo", "欢迎扫描二维码关注我们的微信公众号"),
    ]
    [result] = import_bytes(library, html, "a.html", max_bytes=10**6)
    assert result.left_out == {"share": 1, "promo": 2}
    assert result.describe().endswith("3 blocks left out (promo line ×2, share bar)")
