"""EPUB and DOCX files made for the tests and benchmarks, well-formed or hostile on purpose.

``epub(chapters)`` writes an EPUB by hand (container, package, NCX, optional nav, XHTML), so a
test can say exactly what is in it and break exactly one thing; ``docx(...)`` uses python-docx.
"""

from __future__ import annotations

import html
import io
import zipfile

CONTAINER = ('<?xml version="1.0"?><container version="1.0" '
             'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
             '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
             '</rootfiles></container>')
XHTML = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/'
         '1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>{title}</title>'
         '</head><body>{body}</body></html>')


def chapter(title: str | None, paragraphs: list[str], extra: str = "") -> str:
    """A chapter's XHTML body: an <h1> (when titled), its paragraphs, then ``extra`` markup."""
    head = f"<h1>{html.escape(title)}</h1>" if title else ""
    return head + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + extra


def epub(
    chapters: list[tuple[str | None, str]],
    *,
    title: str = "测试之书",
    author: str = "作者甲",
    nav: bool = True,
    toc: bool = True,
    extra_files: dict[str, bytes | str] | None = None,
    package: str | None = None,
) -> bytes:
    """An EPUB of ``chapters`` ((title for the contents or None, XHTML body) each), in order."""
    manifest, spine, points, links = [], [], [], []
    files: dict[str, bytes | str] = {}
    for number, (name, body) in enumerate(chapters, start=1):
        href = f"ch{number:05d}.xhtml"
        files[f"OEBPS/{href}"] = XHTML.format(title=html.escape(name or title), body=body)
        manifest.append(f'<item id="c{number}" href="{href}" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="c{number}"/>')
        if name and toc:
            points.append(f'<navPoint id="p{number}" playOrder="{number}"><navLabel><text>'
                          f'{html.escape(name)}</text></navLabel><content src="{href}"/></navPoint>')
            links.append(f'<li><a href="{href}">{html.escape(name)}</a></li>')
    files["OEBPS/toc.ncx"] = (
        '<?xml version="1.0" encoding="utf-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" '
        'version="2005-1"><head><meta name="dtb:uid" content="urn:test"/></head><docTitle><text>'
        f'{html.escape(title)}</text></docTitle><navMap>{"".join(points)}</navMap></ncx>')
    manifest.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
    if nav:
        files["OEBPS/nav.xhtml"] = XHTML.format(
            title="目录", body=f'<nav epub:type="toc"><h1>目录</h1><ol>{"".join(links)}</ol></nav>')
        manifest.append('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
                        'properties="nav"/>')
        spine.insert(0, '<itemref idref="nav"/>')
    files["OEBPS/content.opf"] = package or (
        '<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
        'version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="id">urn:test</dc:identifier><dc:title>{html.escape(title)}</dc:title>'
        f'<dc:creator>{html.escape(author)}</dc:creator><dc:language>zh</dc:language></metadata>'
        f'<manifest>{"".join(manifest)}</manifest><spine toc="ncx">{"".join(spine)}</spine>'
        '</package>')
    files.update(extra_files or {})
    return zipped({"mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER,
                   **files})


def zipped(files: dict[str, bytes | str]) -> bytes:
    """A ZIP archive of ``files`` (the first one stored, as EPUB wants its mimetype)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(files.items()):
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(name, data, zipfile.ZIP_STORED if index == 0 else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def docx(build) -> bytes:  # noqa: ANN001 - a function of a python-docx Document
    """A DOCX file made by ``build(document)`` with python-docx."""
    import docx as python_docx

    document = python_docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replaced(data: bytes, name: str, content: bytes | str) -> bytes:
    """The ZIP archive ``data`` with its entry ``name`` replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    files: dict[str, bytes | str] = {n: source.read(n) for n in source.namelist()}
    files[name] = content
    return zipped(files)
