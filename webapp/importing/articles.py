"""Import articles: sniff a file's format (seed envelope, Markdown, text, HTML fragment or whole
page), decode its charset, and build an :class:`Article` from its blocks."""

from __future__ import annotations

import dataclasses
import html
import os
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import yaml

from webapp.errors import ImportFailed, TooLarge
from webapp.importing.charset import charset_from_content_type, declared_charset, decode
from webapp.importing.crosscheck import cross_check
from webapp.importing.dates import zone_for
from webapp.importing.download import download
from webapp.importing.language import detect_lang
from webapp.importing.page import extract_page, to_utc
from webapp.links import safe_url
from webapp.segmenting.article import Article, Block
from webapp.segmenting.blocks import check_shape, segment_html, segment_markdown, segment_text

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ARTICLE_SUFFIXES = frozenset(
    {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".shtml"}
)
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_MD_SUFFIXES = frozenset({".md", ".markdown"})

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document (save the article as HTML or text instead)"),
    (b"PK\x03\x04", "a ZIP archive (or a DOCX/EPUB file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x7fELF", "a program"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_ENVELOPE = re.compile(r"\A\s*<!--\s*(\d{9,14})\s*-->[ \t]*\r?\n")
_MD_ESCAPE = re.compile(r"\\([\\\[\]()*_`#])")
_RULE = re.compile(r"\A\s*-{3,}\s*\Z")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_MD_H1_START = re.compile(r"^#[ \t]", re.M)
_HTML_TAG = re.compile(
    r"<(?:!doctype|html|head|body|p|div|article|main|section|h[1-6]|br|span|ul|ol|li|table|"
    r"figure|img|a|b|i|em|strong|blockquote)\b",
    re.I,
)
_WHOLE_PAGE = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.I)
_SNIFF_CHARS = 65536
MAX_FRONT_MATTER = 64 * 1024
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's is 10× faster
# A title line: short, and not ending like a sentence (。！？.!?…;；:：, ，).
_TITLE_LINE = re.compile(r".{1,80}(?<![。！？.!?…；;：:，,])")


def load_bytes(
    data: bytes,
    name: str,
    *,
    source_url: str | None = None,
    content_type: str | None = None,
    lang: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """Parse one file's bytes (format sniffed from content and name) into an Article; raise
    ImportFailed/TooLarge naming `name` and the reason."""
    origin = source_url or name
    if len(data) > max_bytes:
        raise TooLarge(origin, f"{_size(len(data))} is over the {_size(max_bytes)} import limit")
    _reject_binary(data, origin)
    declared = [charset_from_content_type(content_type), declared_charset(data)]
    text, codec = decode(data, origin, declared=declared)
    if not text.strip():
        raise ImportFailed(origin, "the file contains only whitespace")
    suffix = _suffix(source_url or name)
    mime = (content_type or "").split(";")[0].strip().lower()
    try:
        article = _parse(text, origin, suffix, mime, source_url)
    except RecursionError as exc:
        raise ImportFailed(origin, "the HTML is nested too deeply to read") from exc
    except (yaml.YAMLError, ValueError) as exc:
        raise ImportFailed(origin, f"could not read the file: {exc}") from exc
    article.meta.setdefault("charset", codec)
    article.source_lang = lang or article.source_lang
    return article


def load_path(
    path: Path, *, lang: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Article:
    """Import one file from disk (size checked before reading)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ImportFailed(str(path), "not a file")
        if size > max_bytes:
            raise TooLarge(path.name, f"{_size(size)} is over the {_size(max_bytes)} import limit")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed(str(path), "no such file") from exc
    except OSError as exc:
        raise ImportFailed(str(path), f"could not read the file ({exc.strerror})") from exc
    return load_bytes(data, path.name, lang=lang, max_bytes=max_bytes)


def iter_folder(
    path: Path, *, lang: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[tuple[Path, Article | ImportFailed]]:
    """Every importable file under a folder (recursive, sorted, skipping hidden files and
    non-article extensions), each parsed or its error."""
    root = Path(path)
    if not root.is_dir():
        raise ImportFailed(str(root), "not a folder")
    for file in _article_files(root):
        try:
            yield file, load_path(file, lang=lang, max_bytes=max_bytes)
        except ImportFailed as exc:
            yield file, exc


def fetch_url(
    url: str,
    *,
    timeout: float = 15,
    max_bytes: int = DEFAULT_MAX_BYTES,
    lang: str | None = None,
    public_only: bool = False,
) -> Article:
    """Download a page (http/https only; timeouts; size limit enforced while streaming; charset
    from headers/meta/bytes; with ``public_only`` no private or local address) and import it."""
    data, final_url, content_type = download(url, timeout=timeout, max_bytes=max_bytes,
                                             public_only=public_only)
    article = load_bytes(data, final_url, source_url=final_url, content_type=content_type,
                         lang=lang, max_bytes=max_bytes)
    article.origin = url
    return article


def _article_files(root: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root):  # does not follow symlinked folders: no loops
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES:
                found.append(Path(folder, name))
    return sorted(found)


def _parse(text: str, origin: str, suffix: str, mime: str, source_url: str | None) -> Article:
    if _ENVELOPE.match(text):
        return _envelope(text, origin)
    if _FRONT_MATTER.match(text.lstrip("\ufeff")):
        return _front_matter(text, origin, source_url)
    head = text[:4096]
    looks_html = bool(_HTML_TAG.search(head)) and head.lstrip().startswith("<")
    if mime in ("text/html", "application/xhtml+xml") or suffix in _HTML_SUFFIXES or looks_html:
        if _WHOLE_PAGE.search(text, 0, _SNIFF_CHARS):
            return _page(text, origin, source_url)
        return _fragment(text, origin, source_url)
    if mime == "text/markdown" or suffix in _MD_SUFFIXES:
        return _markdown(text, origin, source_url, title=None, meta={})
    return _plain(text, origin, source_url)


def _envelope(text: str, origin: str) -> Article:
    """The seed format: ``<!--ms-->``, ``[title](url)``, a rule, then the body HTML."""
    stamp = _ENVELOPE.match(text)
    assert stamp is not None
    lines = text[stamp.end() :].split("\n", 2)
    line = lines[0].strip() if lines else ""
    if not line:
        raise ImportFailed(origin, "broken seed envelope: no [title](url) line after the date")
    link = link_title(line)
    title, url = (link[0], link[1] or None) if link else (line, None)
    title = html.unescape(_MD_ESCAPE.sub(r"\1", title))
    rest = lines[1:]
    if rest and _RULE.match(rest[0]):
        rest = rest[1:]
    body = "\n".join(rest)
    if not body.strip():
        raise ImportFailed(origin, "broken seed envelope: no article body after the title")
    blocks = segment_html(body, base_url=safe_url(url))
    published = _from_epoch(int(stamp[1]))
    return build_article(title, blocks, raw=text, origin=origin, url=url, published=published,
                    meta={"format": "envelope"})


def link_title(line: str) -> tuple[str, str] | None:
    """``[title](url)`` as (title, url), else None. The url has no spaces and holds ``(…)``
    only in pairs; the title is everything before the last ``](`` that opens such a url. One
    scan from the end, linear in the line (a pattern here took cubic time on ``[a](`` runs)."""
    if len(line) < 4 or line[0] != "[" or line[-1] != ")":
        return None
    depth = 0
    for i in range(len(line) - 2, 0, -1):
        char = line[i]
        if char.isspace():
            return None
        if char == ")":
            depth += 1
            if depth > 1:
                return None
        elif char == "(" and depth:
            depth -= 1
        elif char == "(" and line[i - 1] == "]" and i >= 2:
            return line[1 : i - 1], line[i + 1 : -1]
    return None


def _front_matter(text: str, origin: str, source_url: str | None) -> Article:
    """Markdown with a YAML header (title, date, author, url)."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    assert match is not None
    if len(match[1]) > MAX_FRONT_MATTER:
        raise ImportFailed(origin, f"the YAML front matter is over {MAX_FRONT_MATTER // 1024} kB "
                                   "(a header of title, date and author needs far less)")
    try:
        header = yaml.load(match[1], Loader=_YAML_LOADER) or {}  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise ImportFailed(origin, f"broken YAML front matter: {_first_line(exc)}") from exc
    if not isinstance(header, dict):
        raise ImportFailed(origin, "broken YAML front matter: expected key: value lines")
    fields = {key: _scalar(value) for key, value in header.items() if _scalar(value)}
    meta: dict = {"format": "markdown"}
    for key in ("author", "category", "original_url"):
        if key in fields:
            meta[key] = fields[key]
    tags = header.get("tags")
    if isinstance(tags, list):
        meta["tags"] = [tag for tag in map(_scalar, tags[:100]) if tag]
    url = fields.get("url") or fields.get("original_url") or source_url
    body = text.lstrip("\ufeff")[match.end() :]
    article = _markdown(body, origin, url, title=fields.get("title"), meta=meta)
    article.raw = text
    article.published_at = to_utc(header.get("date"))
    return article


def _scalar(value: object) -> str | None:
    """A front-matter value as text, if it is one plain value (not a list or mapping, which a
    hostile header could nest into an exponential tree of aliases)."""
    if isinstance(value, str | int | float | date) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def _markdown(
    text: str, origin: str, url: str | None, *, title: str | None, meta: dict
) -> Article:
    """Markdown: the first ``# heading`` is the title (dropped from the body when it repeats it)."""
    body = text
    heading = _md_h1(text)
    if heading and (title is None or _same(heading[0], title)):
        title = title or heading[0]
        body = text[: heading[1]] + text[heading[2] :]
    if title is None:
        title, body = _first_line_title(text)
    meta.setdefault("format", "markdown")
    return build_article(title, segment_markdown(body), raw=text, origin=origin, url=url, meta=meta)


def _md_h1(text: str) -> tuple[str, int, int] | None:
    """The first ATX ``# heading``: its text (closing ``#``s dropped), start and end; a scan
    linear in the text (a pattern here was quadratic on a heading followed by many spaces)."""
    for match in _MD_H1_START.finditer(text):
        start = match.start()
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        content = text[start + 1 : end].strip(" \t\r")
        closed = content.rstrip("#")
        if closed != content and (not closed or closed[-1] in " \t"):
            content = closed.rstrip(" \t")
        if content:
            return content, start, end
    return None


def _plain(text: str, origin: str, url: str | None) -> Article:
    """Plain text: the first line is the title when it looks like one (short, no sentence
    punctuation, a blank line after it); otherwise the file name is, and no text is lost."""
    first, _, rest = text.lstrip().replace("\r\n", "\n").partition("\n")
    if _TITLE_LINE.fullmatch(first.strip()) and rest.lstrip(" \t\u3000").startswith("\n"):
        title, body = first.strip(), rest
    else:
        title, body = _name_title(origin), text
    blocks = segment_text(body) if body.strip() else segment_text(text)
    return build_article(title, blocks, raw=text, origin=origin, url=url, meta={"format": "text"})


def _fragment(text: str, origin: str, url: str | None) -> Article:
    """An HTML fragment (``<p>``s, no page around it): its first heading or name is the title."""
    blocks = segment_html(text, base_url=url)
    if blocks and blocks[0].kind in ("title", "heading"):
        title = blocks[0].text
    else:
        title = _name_title(origin)
    return build_article(title, blocks, raw=text, origin=origin, url=url, meta={"format": "html"})


def _page(text: str, origin: str, source_url: str | None) -> Article:
    """A whole saved page: the main content found by the extractor (cross-checked against the
    page's own article structure), else <article>/<main>/<body>, else everything."""
    check_shape(text)  # before the extractor, whose work grows faster than the page
    page = extract_page(text, source_url=source_url)
    best = page.candidates[0] if page.candidates else None
    for candidate in [*page.candidates, text]:
        blocks = segment_html(candidate, base_url=page.url)
        meta = dict(page.meta)
        if candidate is best:
            if page.container:
                blocks = _restored(blocks, segment_html(page.container, base_url=page.url))
            checked = cross_check(blocks, page.tree, page.url)
            blocks = checked.blocks
            if checked.warning:
                meta["warning"] = checked.warning
        if any(b.text.strip() for b in blocks if b.kind != "title"):
            title, blocks = _heading_title(page.title or _name_title(origin), blocks)
            article = build_article(title, blocks, raw=text, origin=origin, url=page.url, meta=meta)
            if page.stamp:
                local = page.stamp.aware(zone_for(page.url, article.source_lang))
                article.published_at = local.astimezone(UTC)
                article.meta["published_local"] = local.isoformat()
            return article
    raise ImportFailed(origin, "no article text found")


def _restored(found: list[Block], laid_out: list[Block]) -> list[Block]:
    """The page's own article element when it holds what the extractor found, in order, and
    adds only what the extractor drops although a reader sees it: a paragraph repeated further
    on (a second "点评：") and credit lines (责编). Otherwise what the extractor found."""
    texts = [b.text for b in found]
    if not texts or len(laid_out) > 3 * len(texts):
        return found
    seen, at = set(), 0
    for block in laid_out:
        if at < len(texts) and block.text == texts[at]:
            at += 1
        elif block.kind != "byline" and block.text not in seen:
            return found
        seen.add(block.text)
    return laid_out if at == len(texts) else found


def _heading_title(title: str, blocks: list[Block]) -> tuple[str, list[Block]]:
    """A page's own headline among its first blocks corrects a <title> that still carries a
    channel name before or after it ("标题 东区办事处", "频道--标题"); that headline block (with
    a short source/date tail such as "来源于：…", or a label before it) is dropped from the
    body."""
    for i, block in enumerate(blocks[:3]):
        text = block.text
        rest = blocks[:i] + blocks[i + 1:]
        channel = title[:-len(text)].rstrip()
        if len(text) >= 8 and title.endswith(text) and channel and channel[-1] in "-_|—":
            return text, rest  # "明日股市预测--标题": a channel name before the headline
        if text.endswith(title) and text[:-len(title)].isalnum() and len(text) - len(title) <= 4:
            return title, rest  # "原创标题": a label before the headline
        common = len(os.path.commonprefix([title, text]))
        if common < max(8, len(title) // 2) or len(text) - common > 30:
            continue
        if common == len(title) or len(title) - common <= 16 and not title[common].isalnum():
            return title[:common].strip(), rest
    return title, blocks


def build_article(
    title: str,
    blocks: list[Block],
    *,
    raw: str,
    origin: str,
    url: str | None,
    published: datetime | None = None,
    meta: dict | None = None,
) -> Article:
    """Assemble an Article: the title block first, a repeated title heading dropped."""
    title = " ".join(title.split())
    body = [b for b in blocks if b.kind != "title" and b.text.strip()]
    if body and body[0].kind == "heading" and _same(body[0].text, title):
        body = body[1:]
    if not body:
        raise ImportFailed(origin, "no article text found")
    if not title:
        title = _name_title(origin)
    meta = dict(meta or {})
    if url and not safe_url(url):
        dropped = (f"the source address {url[:200]!r} is not a web (http or https) address "
                   "and was not kept")
        meta["warning"] = "; ".join(filter(None, (meta.get("warning"), dropped)))
    body = [dataclasses.replace(b, href=safe_url(b.href)) if b.href else b for b in body]
    sample = "\n".join([title] + [b.text for b in body[:40]])
    return Article(
        title=title,
        blocks=[Block("title", title), *body],
        source_lang=detect_lang(sample),
        origin=origin,
        raw=raw,
        source_url=safe_url(url),
        published_at=published,
        meta=meta,
    )


def _reject_binary(data: bytes, origin: str) -> None:
    if not data:
        raise ImportFailed(origin, "the file is empty")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ImportFailed(origin, f"this is {what}, not a text article")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return  # UTF-16/32 text legitimately contains NUL bytes
    if b"\x00" in data[:65536]:
        raise ImportFailed(origin, "this is a binary file (it contains NUL bytes), not text")


def _first_line_title(text: str) -> tuple[str, str]:
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    title = first.strip().lstrip("#").strip()
    return (title[:200] if len(title) <= 200 else title[:199] + "…"), rest


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _name_title(origin: str) -> str:
    stem = PurePosixPath(unquote(urlsplit(origin).path) or origin).stem
    return stem.replace("_", " ").replace("-", " ").strip() or origin


def _suffix(name: str) -> str:
    return PurePosixPath(urlsplit(name).path if "://" in name else name).suffix.lower()


def _from_epoch(value: int) -> datetime | None:
    seconds = value / 1000 if value >= 10**11 else value  # ms in the seed format; s tolerated
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"
