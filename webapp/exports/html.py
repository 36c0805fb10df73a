"""One self-contained HTML page: source and English side by side, a row per block.

No scripts and no external resources: the CSS is inline and links are plain anchors, so the
page opens offline and prints as is. Printing: ``@page { size: auto }`` lets the printer's
paper decide (A4 or US Letter) and the margins (18 mm × 15 mm) fit both sizes; the columns are
percentages of the printable width and a block never splits across pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from webapp.exports.common import meta, render, rows

if TYPE_CHECKING:
    from webapp.exports import ExportOptions

_CSS = """
:root { color-scheme: light; }
body { font: 16px/1.6 "Noto Serif", Georgia, serif; color: #1d1d1f; background: #fff;
  margin: 0 auto; max-width: 72rem; padding: 2rem 1.5rem; }
:lang(zh-Hans) { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC",
  SimSun, serif; }
:lang(zh-Hant) { font-family: "Noto Serif CJK TC", "Source Han Serif TC", PMingLiU, serif; }
header { border-bottom: 1px solid #ccc; margin-bottom: 1rem; padding-bottom: .5rem; }
header .meta { color: #555; font-size: .9rem; margin: .25rem 0; }
.row { display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; padding: .35rem 0;
  break-inside: avoid; page-break-inside: avoid; }
.row.single { grid-template-columns: 1fr; }
.row > div { min-width: 0; overflow-wrap: anywhere; }
.row h1, .row h2 { margin: .5rem 0; line-height: 1.3; }
.row h1 { font-size: 1.6rem; }
.row h2 { font-size: 1.2rem; }
.row p { margin: 0; }
.quote p { border-left: 3px solid #bbb; padding-left: .75rem; font-style: italic; }
.caption p, .byline p { color: #555; font-size: .9rem; }
.list_item p::before { content: "• "; }
.untranslated { color: #8a6d00; background: #fff8dc; }
a { color: #0645ad; }
@page { size: auto; margin: 18mm 15mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  header a::after { content: " (" attr(href) ")"; font-size: .85em; }
  .untranslated { background: none; }
}
"""

_PAGE = """<!DOCTYPE html>
<html lang="{{ m.target_tag }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Enface">
<title>{{ m.title }}</title>
<style>{{ css | safe }}</style>
</head>
<body>
{% macro meta_lines() %}
<header>
{% if m.date %}<p class="meta">Published <time datetime="{{ m.published_at }}">{{ m.date }}</time>
</p>{% endif %}
{% if m.source_url %}<p class="meta">Source: <a href="{{ m.source_url }}" rel="noopener noreferrer">
{{- m.source_url }}</a></p>{% endif %}
</header>
{% endmacro %}
{% if not has_title %}<h1 lang="{{ m.source_tag }}">{{ m.title }}</h1>{{ meta_lines() }}{% endif %}
<main>
{% for row in rows %}
{% set tag = {"title": "h1", "heading": "h2"}.get(row.kind, "p") %}
<section class="row {{ row.kind }}{% if not bilingual %} single{% endif %}">
{% if bilingual %}
<div class="source" lang="{{ m.source_tag }}"><{{ tag }}>
{%- if row.href %}<a href="{{ row.href }}" rel="noopener noreferrer">{{ row.source | lines }}</a>
{%- else %}{{ row.source | lines }}{% endif %}</{{ tag }}></div>
{% endif %}
<div class="target" lang="{{ m.target_tag }}"><{{ tag }}>
{%- for piece in row.pieces %}{% if not loop.first %} {% endif %}
{%- if piece.translated %}{{ piece.text | lines }}
{%- else %}<span class="untranslated">{{ piece.text | lines }}</span>
{%- endif %}{% endfor %}</{{ tag }}></div>
</section>
{% if loop.first and has_title %}{{ meta_lines() }}{% endif %}
{% endfor %}
</main>
</body>
</html>
"""


def write_html(doc: dict, options: ExportOptions) -> bytes:
    """The document as one self-contained HTML page (UTF-8)."""
    document_rows = rows(doc, options.include_unreviewed)
    page = render(
        _PAGE,
        m=meta(doc),
        css=_CSS.strip(),
        rows=document_rows,
        bilingual=options.bilingual,
        has_title=bool(document_rows) and document_rows[0].kind == "title",
    )
    return page.encode("utf-8")
