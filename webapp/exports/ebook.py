"""EPUB 3 export with ebooklib: a bilingual e-book, each source paragraph followed by its English.

An article makes a book of one chapter. A book (a document whose later ``title`` blocks start its
chapters, as an imported EPUB is) comes back with its chapters: one file per chapter, in order,
each in the table of contents. ``write_book`` makes one book from several documents, their
chapters one after another, with a table of contents (EPUB 3 nav and an NCX for older readers)
that names each document by its English title with the original beside it.
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from webapp.exports.common import chapters, meta, render, toc_title

if TYPE_CHECKING:
    from webapp.exports import ExportOptions

_CSS = """
body { font-family: serif; line-height: 1.5; }
:lang(zh-Hans) { font-family: "Noto Serif CJK SC", "Source Han Serif SC", serif; }
:lang(zh-Hant) { font-family: "Noto Serif CJK TC", "Source Han Serif TC", serif; }
.pair { margin: 0 0 1em 0; }
.pair p, .pair h1, .pair h2 { margin: 0 0 .2em 0; }
.target { color: #333; }
.untranslated { color: #7a5c00; }
.quote { border-left: 3px solid #aaa; padding-left: .6em; }
.caption, .byline, .meta { font-size: .9em; color: #555; }
.list_item .source::before { content: "• "; }
"""

_CHAPTER = """{% if head %}<h1 lang="{{ m.source_tag }}">{{ m.title }}</h1>
{% if m.date %}<p class="meta">Published {{ m.date }}</p>{% endif %}
{% if m.source_url %}<p class="meta">Source: <a href="{{ m.source_url }}">{{ m.source_url }}</a>
</p>{% endif %}{% endif %}
{% for row in rows %}
{% set tag = {"title": "h1" if not head else "h2", "heading": "h3"}.get(row.kind, "p") %}
<div class="pair {{ row.kind }}">
{% if bilingual %}<{{ tag }} class="source" lang="{{ m.source_tag }}">
{{- row.source | lines }}</{{ tag }}>
{% endif %}
<{{ tag }} class="target" lang="{{ m.target_tag }}">
{%- for piece in row.pieces %}{% if not loop.first %} {% endif %}
{%- if piece.translated %}{{ piece.text | lines }}
{%- else %}<span class="untranslated">{{ piece.text | lines }}</span>
{%- endif %}{% endfor %}</{{ tag }}>
</div>
{% endfor %}
"""


def write_book(docs: list[dict], options: ExportOptions, title: str | None = None) -> bytes:
    """One EPUB 3 book (called ``title`` when given): each document's chapters in order (an
    article is one chapter)."""
    from ebooklib import epub

    metas = [meta(doc) for doc in docs]
    book = epub.EpubBook()
    if len(docs) == 1 and title is None:
        book.set_identifier(f"urn:enface:document:{metas[0].id}")
        book.set_title(metas[0].title)
        if metas[0].published_at:
            book.add_metadata("DC", "date", metas[0].published_at)
        if metas[0].source_url:
            book.add_metadata("DC", "source", metas[0].source_url)
    else:
        ids = "-".join(str(m.id) for m in metas)
        if len(metas) > 20:  # a short, stable identifier for a long list
            ids = hashlib.sha256(ids.encode()).hexdigest()[:32]
        book.set_identifier(f"urn:enface:library:{ids}")
        book.set_title(title or f"Enface library: {len(docs)} articles")
        book.add_metadata("DC", "date", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    book.set_language(metas[0].target_tag)
    for tag in dict.fromkeys(m.source_tag for m in metas):
        if options.bilingual and tag != metas[0].target_tag:
            book.add_metadata("DC", "language", tag)
    book.add_metadata("DC", "publisher", "Enface")
    style = epub.EpubItem(
        uid="style", file_name="style/enface.css", media_type="text/css", content=_CSS
    )
    book.add_item(style)
    files = []
    for doc, m in zip(docs, metas, strict=True):
        for number, (name, part) in enumerate(chapters(doc, options.include_unreviewed)):
            chapter = epub.EpubHtml(
                title=toc_title(doc, options.include_unreviewed) if number == 0 else name,
                file_name=f"article-{len(files) + 1:03d}.xhtml", lang=m.target_tag)
            chapter.content = render(_CHAPTER, m=m, rows=part, bilingual=options.bilingual,
                                     head=number == 0)
            chapter.add_item(style)
            book.add_item(chapter)
            files.append(chapter)
    book.toc = files
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *files]
    buffer = io.BytesIO()
    epub.write_epub(buffer, book)
    return buffer.getvalue()


def write_epub(doc: dict, options: ExportOptions) -> bytes:
    """The document as an EPUB 3 book of one chapter."""
    return write_book([doc], options)
