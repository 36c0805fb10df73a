"""Books and documents in: an EPUB becomes one document with its chapters in reading order (a
title block each, notes after their chapter, images dropped), a DOCX keeps its headings, lists
and tables; hostile files get a clear error; the bilingual EPUB comes back with its chapters."""

from __future__ import annotations

import io
import zipfile

import pytest
from book_files import chapter, docx, epub, replaced, zipped

from webapp.actions.imports import import_bytes
from webapp.errors import ImportFailed
from webapp.exports import export_document
from webapp.importing import load_bytes
from webapp.importing.readers import archive as archives
from webapp.importing.readers.epub import MAX_CHAPTERS

NOTE = ('<p>正文里有一个注<a epub:type="noteref" href="#n1">1</a>。</p>'
        '<aside epub:type="footnote" id="n1"><p>1 这是注释的内容。</p></aside>'
        '<p><img src="pic.png" alt="插图"/>图后的一段。</p>')


def _book() -> bytes:
    return epub([
        ("第一章 出发", chapter("第一章 出发", ["他们早上出发。", "天气很好。"], NOTE)),
        (None, chapter(None, ["第一章的后半，在另一个文件里。"])),  # a chapter split in two files
        ("第二章 到达", chapter("第二章 到达", ["晚上到了。"]) +
         "<ul><li>第一件事</li><li>第二件事</li></ul><table><tr><th>地点</th><th>时间</th></tr>"
         "<tr><td>北京</td><td>晚上</td></tr></table><blockquote><p>引文一句。</p></blockquote>"),
    ])


def _kinds(article) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in article.blocks]


def test_an_epub_is_one_document_with_its_chapters_in_reading_order():
    article = load_bytes(_book(), "book.epub")
    assert article.title == "测试之书" and article.meta["author"] == "作者甲"
    assert article.meta["format"] == "epub" and article.meta["chapters"] == 2
    assert _kinds(article) == [
        ("title", "测试之书"),
        ("title", "第一章 出发"), ("paragraph", "他们早上出发。"), ("paragraph", "天气很好。"),
        ("paragraph", "正文里有一个注1。"), ("paragraph", "图后的一段。"),
        ("caption", "1 这是注释的内容。"),  # the chapter's note, after the chapter's text
        ("paragraph", "第一章的后半，在另一个文件里。"),
        ("title", "第二章 到达"), ("paragraph", "晚上到了。"),
        ("list_item", "第一件事"), ("list_item", "第二件事"),
        ("paragraph", "地点 | 时间"), ("paragraph", "北京 | 晚上"), ("quote", "引文一句。"),
    ]
    assert article.left_out == []  # a book is read by its markup: no page clean-up


def test_an_epub_2_book_takes_its_chapter_titles_from_the_ncx():
    data = epub([("序", chapter(None, ["序言。"])), ("第一回", chapter("第一回", ["正文。"]))],
                nav=False)
    assert [b.text for b in load_bytes(data, "old.epub").blocks if b.kind == "title"] == [
        "测试之书", "序", "第一回"]


def test_a_chapter_without_a_contents_entry_is_titled_by_its_first_heading():
    data = epub([(None, chapter("第三章", ["正文。"]))], toc=False)
    assert _kinds(load_bytes(data, "b.epub"))[1:] == [("title", "第三章"), ("paragraph", "正文。")]


@pytest.mark.parametrize(("files", "reason"), [
    ({"META-INF/rights.xml": "<rights/>"}, "DRM (Adobe ADEPT)"),
    ({"META-INF/encryption.xml": (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod '
        'Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData>'
        '<enc:CipherReference URI="OEBPS/ch00001.xhtml"/></enc:CipherData></enc:EncryptedData>'
        '</encryption>')}, "encrypted (DRM)"),
    ({"OEBPS/ch00001.xhtml": '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM '
                             '"file:///etc/passwd">]><html><body><p>&x;</p></body></html>'},
     "declares XML entities"),
])
def test_a_hostile_or_protected_epub_is_refused_with_the_reason(files, reason):
    data = epub([("一", chapter("一", ["正文。"]))], extra_files=files)
    with pytest.raises(ImportFailed, match=reason.replace("(", r"\(").replace(")", r"\)")):
        load_bytes(data, "book.epub")


def test_fonts_obfuscated_against_copying_are_not_drm():
    encryption = (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod '
        'Algorithm="http://www.idpf.org/2008/embedding"/><enc:CipherData><enc:CipherReference '
        'URI="OEBPS/font.otf"/></enc:CipherData></enc:EncryptedData></encryption>')
    data = epub([("一", chapter("一", ["正文。"]))],
                extra_files={"META-INF/encryption.xml": encryption, "OEBPS/font.otf": b"\x00" * 64})
    assert load_bytes(data, "book.epub").blocks[-1].text == "正文。"


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = epub([("一", chapter("一", ["正文。"]))],
                extra_files={"OEBPS/blank.xhtml": b" " * (30 * 1024 * 1024)})  # packs ~1000:1
    with pytest.raises(ImportFailed, match="zip bomb"):
        load_bytes(bomb, "book.epub")


def test_too_much_unpacked_data_is_refused(monkeypatch):
    monkeypatch.setattr(archives, "MAX_UNPACKED", 1)  # everything unpacked ≤ 1 × the limit
    data = epub([("一", chapter("一", ["正文。" * 2000]))])
    with pytest.raises(ImportFailed, match="unpacks to .* over the limit"):
        load_bytes(data, "book.epub", max_bytes=len(data))


@pytest.mark.slow
def test_ten_thousand_chapters_are_refused_with_a_clear_error():
    chapters = [(None, "<p>字。</p>")] * (MAX_CHAPTERS + 1)
    with pytest.raises(ImportFailed, match=f"{MAX_CHAPTERS + 1:,} chapter files"):
        load_bytes(epub(chapters, nav=False, toc=False), "many.epub")
    files = {f"f{i}.txt": b"" for i in range(archives.MAX_ENTRIES + 1)}
    with pytest.raises(ImportFailed, match="holds 10,00[0-9] files"):
        load_bytes(zipped({"mimetype": "application/epub+zip", **files}), "many.epub")


@pytest.mark.parametrize(("data", "reason"), [
    (_book()[:2000], "broken"),
    (b"PK\x03\x04" + b"\x00" * 200, "broken"),
    ("这不是一本书。".encode(), "not an EPUB e-book"),
    (zipped({"mimetype": "application/epub+zip"}), "not a readable EPUB"),
])
def test_a_broken_epub_is_a_clear_error(data, reason):
    with pytest.raises(ImportFailed, match=reason):
        load_bytes(data, "book.epub")


def test_a_password_protected_entry_is_refused():
    data = bytearray(_book())
    at = data.find(b"PK\x01\x02")  # the first central directory entry: set "encrypted"
    data[at + 8] |= 0x1
    with pytest.raises(ImportFailed, match="password"):
        load_bytes(bytes(data), "book.epub")


# --- DOCX --------------------------------------------------------------------------------------


def _document(document) -> None:
    document.add_paragraph("年度报告", style="Title")
    document.add_heading("第一节 概况", level=1)
    document.add_paragraph("今年的情况很好。\n第二行。")
    document.add_paragraph("第一点", style="List Bullet")
    document.add_paragraph("第二点", style="List Number")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["地区", "人口", "面积"], strict=True):
        cell.text = text
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "北京（合并）"
    table.cell(1, 2).text = "一万"
    document.add_paragraph("他说的一句话。", style="Quote")
    document.add_heading("第二节 展望", level=2)
    document.add_paragraph("明年会更好。")


def test_a_docx_keeps_its_headings_lists_and_tables():
    article = load_bytes(docx(_document), "report.docx")
    assert article.title == "年度报告" and article.meta["format"] == "docx"
    assert _kinds(article)[1:] == [
        ("heading", "第一节 概况"), ("paragraph", "今年的情况很好。\n第二行。"),
        ("list_item", "第一点"), ("list_item", "第二点"),
        ("paragraph", "地区 | 人口 | 面积"), ("paragraph", "北京（合并） | 一万"),
        ("quote", "他说的一句话。"), ("heading", "第二节 展望"), ("paragraph", "明年会更好。"),
    ]


def test_a_docx_with_external_entities_is_refused():
    data = docx(lambda d: d.add_paragraph("正文。"))
    part = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    hostile = part.replace("?>", '?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
    with pytest.raises(ImportFailed, match="declares XML entities"):
        load_bytes(replaced(data, "word/document.xml", hostile), "x.docx")


@pytest.mark.parametrize(("data", "reason"), [
    (b"PK\x03\x04" + b"\x00" * 100, "broken"),
    ("不是文档。".encode(), "not a Word document"),
])
def test_a_broken_docx_is_a_clear_error(data, reason):
    with pytest.raises(ImportFailed, match=reason):
        load_bytes(data, "x.docx")


# --- back out -----------------------------------------------------------------------------------


def _stored(library, data: bytes, name: str) -> dict:
    [result] = import_bytes(library, data, name, max_bytes=10**7)
    assert result.ok, result.error
    return library.documents.tree(result.doc_id)


@pytest.mark.slow
def test_an_imported_book_comes_back_as_a_valid_bilingual_epub_with_its_chapters(library,
                                                                                   tmp_path):
    from ebooklib import ITEM_DOCUMENT
    from ebooklib import epub as ebooklib_epub
    from test_exports import _epubcheck

    doc = _stored(library, _book(), "book.epub")
    path = tmp_path / "back.epub"
    path.write_bytes(export_document(doc, "epub"))
    assert "0 errors" in _epubcheck(path)
    book = ebooklib_epub.read_epub(str(path), options={"ignore_ncx": False})
    assert [link.title for link in book.toc] == ["测试之书", "第一章 出发", "第二章 到达"]
    files = [i for i in book.get_items_of_type(ITEM_DOCUMENT) if "article" in i.file_name]
    assert len(files) == 3
    assert "他们早上出发。" in files[1].get_content().decode()
    assert "晚上到了。" in files[2].get_content().decode()
    # and it reads back in as the same book
    again = load_bytes(path.read_bytes(), "back.epub")
    assert [b.text for b in again.blocks if b.kind == "title"][-2:] == ["第一章 出发", "第二章 到达"]


def test_an_imported_book_comes_back_as_docx_a_table_per_chapter(library):
    import docx as python_docx

    doc = _stored(library, _book(), "book.epub")
    document = python_docx.Document(io.BytesIO(export_document(doc, "docx")))
    assert len(document.tables) == 3  # the title page's table, then one per chapter
    titles = [cell.text for table in document.tables for row in table.rows for cell in row.cells
              if cell.paragraphs[0].style.name == "Heading 1"]
    assert "第一章 出发" in titles and "第二章 到达" in titles


def test_the_upload_form_offers_and_takes_books_and_documents(client, post, library):
    page = client.get("/").get_data(as_text=True)
    assert ".epub" in page and ".docx" in page and ".rss" in page
    response = post("/import", files={"files": [("book.epub", _book()),
                                                ("report.docx", docx(_document))]}, lang="")
    assert response.status_code == 200
    assert sorted(d["title"] for d in library.documents.page()) == sorted(["测试之书", "年度报告"])
