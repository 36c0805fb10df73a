"""Hostile inputs for the fuzz tests and ``tests/bench/fuzz.py``: one generator per mutation kind.

Every generator takes a seeded ``random.Random`` and the real samples in ``tests/fixtures`` and
returns ``(file name, bytes)``, so a run is reproducible from its seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SUFFIXES = (".txt", ".md", ".html", ".htm", ".tmx", ".xlf", ".xliff", "", ".bin", ".markdown")
BAD_URLS = (
    "http://[::1", "http://[bad", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>",
    "http://", "http://a:99999/", "//evil.example", "file:///etc/passwd", "http://例子.中国/%zz",
    "https://x.example/" + "a" * 5000, "http://user:pw@[::1]:80/", "\x00http://x", "http:///x",
)
ID_EDGES = ("0", "-1", str(2**63 - 1), str(2**63), str(10**23), "9" * 5000, "abc", "٣", "1e9",
            " 7 ", "0x10", "")
TAGS = ("div", "span", "p", "b", "blockquote", "ul", "li", "table", "td", "section", "a", "font")


def samples() -> list[tuple[str, bytes]]:
    """The real articles and pages under tests/fixtures (name, bytes)."""
    return [(p.name, p.read_bytes()) for p in sorted(FIXTURES.rglob("*"))
            if p.is_file() and p.suffix in (".txt", ".md", ".html", ".htm")]


def _body(rng: random.Random) -> str:
    return "".join(rng.choice("这是新闻正文的一句话。我们看到了很多事情，") for _ in range(60))


def random_bytes(rng: random.Random, corpus: list) -> tuple[str, bytes]:
    """Noise, sometimes behind a plausible start."""
    noise = rng.randbytes(rng.choice((1, 7, 100, 4096, 65536)))
    start = rng.choice((b"", b"<html>", b"<!--1622055000000-->\n", b"---\n", b"\xef\xbb\xbf",
                        b"\xff\xfe", b"<?xml version='1.0'?><tmx>", b"# "))
    return f"noise{rng.choice(SUFFIXES)}", start + noise


def mutated_sample(rng: random.Random, corpus: list) -> tuple[str, bytes]:
    """A real sample with bytes flipped, slices cut, repeated or swapped, or truncated."""
    name, data = rng.choice(corpus)
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        if not data:
            break
        at = rng.randrange(len(data))
        span = rng.randint(1, max(1, len(data) // rng.choice((2, 10, 100, 1000))))
        op = rng.randrange(6)
        if op == 0:
            data[at] = rng.randrange(256)
        elif op == 1:
            del data[at:at + span]
        elif op == 2:
            data[at:at] = data[at:at + span] * rng.randint(2, 20)
        elif op == 3:
            del data[at:]
        elif op == 4:
            junk = rng.choice((b"<", b">", b"</div>", b"<script>", b"<!--", b"]]>", b"&#0;",
                               b"\x00", b"\xe4\xb8", b"<p>", b"</article>", b"<br>" * 50))
            data[at:at] = junk
        else:
            other = rng.randrange(len(data))
            data[at:at + span], data[other:other + span] = (data[other:other + span],
                                                            data[at:at + span])
    return name, bytes(data)


def deep_nesting(rng: random.Random, corpus: list) -> tuple[str, bytes]:
    """Elements, quotes or lists nested hundreds to 100,000 deep."""
    depth = rng.choice((300, 3000, 30_000, 100_000))
    kind = rng.randrange(4)
    if kind == 0:
        tag = rng.choice(TAGS)
        text = f"<{tag}>" * depth + f"<p>{_body(rng)}</p>" + f"</{tag}>" * rng.choice((0, depth))
        return "deep.html", text.encode()
    if kind == 1:
        page = "<html><body>" + "<div>" * depth + f"<p>{_body(rng)}</p>"
        return "deep-page.html", page.encode()
    if kind == 2:
        return "deep.md", ("> " * depth + _body(rng)).encode()
    return "deep-list.md", "\n".join("  " * i + "- " + _body(rng)[:5]
                                     for i in range(min(depth, 3000))).encode()


def long_run(rng: random.Random, corpus: list) -> tuple[str, bytes]:
    """Long runs of one thing: spaces after a heading, decorated subheads, brackets, marks."""
    n = rng.choice((1000, 30_000, 100_000))
    runs = (
        ("run.md", "# 标题" + " " * n + "x\n" + _body(rng)),
        ("run.html", "<h2>标题" + " -" * n + " x</h2><p>" + _body(rng) + "</p>"),
        ("run.md", _body(rng) + "[" * n),
        ("run.md", _body(rng) + "[](" * n),
        ("run.md", _body(rng) + "*" * n + "_" * n),
        ("run.md", _body(rng) + "`" * n),
        ("run.txt", "标题\n" + "。" * n),
        ("run.txt", "标题\n" + "这" * n),
        ("run.html", "<p>" + "&amp;" * n + "</p>"),
        ("run.html", "<p " + "a=b " * n + ">" + _body(rng) + "</p>"),
        ("run.txt", "\n" * n + "标题\n" + _body(rng)),
        ("run.md", "---\n" + "a: b\n" * min(n, 20_000) + "---\n" + _body(rng)),
    )
    name, text = rng.choice(runs)
    return name, text.encode()


def odd_encoding(rng: random.Random, corpus: list) -> tuple[str, bytes]:
    """A real sample in another or a wrongly declared encoding, or broken UTF-8."""
    name, data = rng.choice(corpus)
    text = data.decode("utf-8", "replace")
    kind = rng.randrange(6)
    if kind == 0:
        codec = rng.choice(("utf-16-le", "utf-16-be", "utf-32", "gb18030", "big5", "shift_jis",
                            "euc-kr", "koi8-r"))
        return name, text.encode(codec, "replace")
    if kind == 1:
        charset = rng.choice(("utf-7", "x-user-defined", "bogus", "utf-16", "gbk", "latin1", ""))
        return "page.html", f'<meta charset="{charset}">'.encode() + data
    if kind == 2:
        return name, b"\xef\xbb\xbf\xff\xfe" + data
    if kind == 3:
        return name, data.replace(b"\xe4", b"\xc0\x80", 50)  # overlong sequences
    if kind == 4:
        return name, text.encode("utf-8", "surrogatepass") + "\ud800".encode(
            "utf-8", "surrogatepass")
    return name, data[: rng.randrange(1, max(2, len(data)))] + b"\xe4\xb8"


def xml_tricks(rng: random.Random, corpus: list) -> tuple[str, bytes]:
    """TMX/XLIFF and HTML with entity bombs, external entities, XInclude and odd references."""
    seg = "<seg>一句话。</seg>"
    tricks = (
        '<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE tmx SYSTEM "http://evil.example/x.dtd">',
        "",
    )
    body = rng.choice((f"<tu><tuv xml:lang='zh'>{seg}</tuv><tuv xml:lang='en'><seg>&x;</seg>"
                       "</tuv></tu>",
                       '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                       'href="file:///etc/passwd" parse="text"/>',
                       f"<tu tuid='1'><tuv xml:lang='zh'>{seg}</tuv></tu>" * 3,
                       "<![CDATA[" + "]]>" * 10))
    if rng.random() < 0.3:
        html = "<p>&#0;&#xD800;&#x110000;&#99999999999;&nbsp" + _body(rng) + "&bogus;</p>"
        return "entities.html", html.encode()
    tmx = f"<?xml version='1.0'?>{rng.choice(tricks)}<tmx version='1.4'><header srclang='zh'/>" \
          f"<body>{body}</body></tmx>"
    return rng.choice(("x.tmx", "x.xlf")), tmx.encode()


def id_edges(rng: random.Random, corpus: list) -> tuple[str, bytes]:
    """TMX/XLIFF files whose document, unit and revision ids are out of range or not numbers."""
    doc, unit, rev = (rng.choice(ID_EDGES) for _ in range(3))
    if rng.random() < 0.5:
        text = (f"<tmx version='1.4'><header srclang='zh'/><body><tu tuid='{unit}'>"
                f"<prop type='x-enface-document'>{doc}</prop>"
                f"<prop type='x-enface-revision'>{rev}</prop>"
                "<tuv xml:lang='zh'><seg>一句话。</seg></tuv>"
                "<tuv xml:lang='en'><seg>One sentence.</seg></tuv></tu></body></tmx>")
        return "ids.tmx", text.encode()
    text = ("<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'>"
            f"<file original='enface:document:{doc}' source-language='zh' "
            f"target-language='en'><body><trans-unit id='{unit}'><source>一句话。</source>"
            "<target state='translated'>One.</target>"
            f"<context-group><context context-type='x-enface-revision'>{rev}</context>"
            "</context-group></trans-unit></body></file></xliff>")
    return "ids.xlf", text.encode()


def broken_url(rng: random.Random, corpus: list) -> tuple[str, bytes]:
    """Envelopes, front matter and pages whose addresses are not web links."""
    url = rng.choice(BAD_URLS)
    forms = (
        ("a.txt", f"<!--1622055000000-->\n[标题]({url})\n---\n<p>{_body(rng)}</p>"),
        ("a.md", f"---\ntitle: 标题\nurl: {url!r}\ndate: 2021-13-45\n---\n{_body(rng)}"),
        ("a.html", f"<html><head><link rel='canonical' href='{url}'><title>标题</title></head>"
                   f"<body><article><p>{_body(rng)}</p><p>{_body(rng)}</p>"
                   f"<ul><li><a href='{url}'>链接</a></li></ul></article></body></html>"),
        ("a.html", f"<!-- saved from url=(0042){url} -->\n<html><body><p>{_body(rng)}</p>"),
        ("a.txt", f"<!--99999999999999-->\n[标题]({url})\n---\n<p>{_body(rng)}</p>"),
    )
    name, text = rng.choice(forms)
    return name, text.encode("utf-8", "surrogatepass")


KINDS: dict[str, Callable[[random.Random, list], tuple[str, bytes]]] = {
    "random-bytes": random_bytes,
    "mutated-sample": mutated_sample,
    "deep-nesting": deep_nesting,
    "long-run": long_run,
    "odd-encoding": odd_encoding,
    "xml-tricks": xml_tricks,
    "id-edges": id_edges,
    "broken-url": broken_url,
}


def generate(count: int, seed: int, kinds: tuple[str, ...] = tuple(KINDS)):
    """``count`` inputs as (kind, name, bytes), the kinds taken in turn."""
    rng, corpus = random.Random(seed), samples()
    for i in range(count):
        kind = kinds[i % len(kinds)]
        name, data = KINDS[kind](rng, corpus)
        yield kind, name, data


# --- checks shared by the fuzz tests and the bench -----------------------------------------

ODD_IDS = ("0", "-1", str(2**63), str(10**23), "abc")


def id_routes(app) -> list[tuple[str, str]]:
    """(method, path) for every route with an integer id, once per odd id value."""
    from werkzeug.routing import IntegerConverter

    found = []
    for rule in app.url_map.iter_rules():
        if not any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for value in ODD_IDS:
                path = rule.rule
                for name in rule.arguments:
                    path = path.replace(f"<int:{name}>", value)
                found.append((method, path))
    return found


def page_failures(client, library) -> list[str]:
    """Every page, document page and export that does not answer 200, and a failed integrity
    check of the database."""
    from webapp.exports import FORMATS

    paths = ["/", "/documents", "/api/documents", "/models", "/?sort=difficulty", "/vocabulary",
             "/tags", "/collections", "/?sort=title&state=partly", "/api/tags", "/api/collections"]
    for doc in library.documents.page():
        paths += [f"/documents/{doc['id']}", f"/api/documents/{doc['id']}",
                  f"/api/documents/{doc['id']}/difficulty"]
        paths += [f"/documents/{doc['id']}/export?format={fmt}" for fmt in FORMATS]
    paths += [f"/export?format={fmt}" for fmt in FORMATS] if library.documents.page() else []
    failures = [f"{path}: {status}" for path in paths
                if (status := client.get(path).status_code) != 200]
    with library.db.connection() as conn:
        integrity = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
    return failures + ([] if integrity == "ok" else [f"integrity_check: {integrity}"])
