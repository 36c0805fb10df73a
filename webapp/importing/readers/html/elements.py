"""Element-level rules of a page: what is never article text (scripts, ads, share bars, hidden
text), and what the markup says a block is (a caption, a subhead), and where a link points."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from bs4 import Tag

from webapp.importing.readers.html.text import SPACE

# ---- elements ---------------------------------------------------------------------------------

# Elements that hold no text a reader sees (code, media, form controls, the document head).
SILENT_TAGS = frozenset(
    "script style noscript iframe frame frameset video audio object embed applet param source "
    "track form input button select option optgroup textarea label svg canvas math-field map "
    "template head title meta link base rt rp".split()
)
#: Elements whose text is page furniture, by the rule that leaves them out.
_LEFT_OUT_TAGS = {"nav": "navigation", "menu": "navigation", "aside": "aside", "dialog": "control"}
#: What ``dropped`` answers for an element that holds no text at all (not a left-out block).
SILENT = ""
# A page's or an article's header/footer: only the bylines in them are article text.
FURNITURE_TAGS = frozenset({"header", "footer"})
# ARIA roles of page furniture (a spoiler's toggle, a toolbar): never article text.
_JUNK_ROLES = {"navigation": "navigation", "menu": "navigation", "menubar": "navigation",
               **dict.fromkeys("button toolbar search tablist dialog".split(), "control")}

_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
#: Words of a class or id that mark page furniture, by the rule that leaves it out.
_JUNK_WORDS = {
    **dict.fromkeys("ad ads adv advert adverts advertisement advertising advertorial adslot adunit "
                    "adsense adsbygoogle googletag dfp gpt mpu sponsor sponsored sponsors "
                    "outbrain taboola".split(), "advert"),
    **dict.fromkeys("promo promos promotion promoted newsletter subscribe subscription".split(),
                    "promo"),
    **dict.fromkeys("share shares sharing sharebar sharethis addthis social socials".split(),
                    "share"),
    "copyright": "copyright",
    **dict.fromkeys("vote poll".split(), "control"),
}
_AD_WORDS = frozenset({"ad", "ads", "advert", "advertisement", "adsense"})
_HIDDEN = ({"visually", "hidden"}, {"sr", "only"}, {"screen", "reader"})
_CAPTION_WORDS = frozenset({"caption", "captions", "figcaption", "figure", "captioned"})
# "image_desc", "pic-note", "photo_txt": an image word with a text word also marks a caption.
_IMAGE_WORDS = frozenset({"img", "image", "pic", "photo", "picture"})
_NOTE_WORDS = frozenset({"desc", "description", "note", "txt", "text", "intro", "info"})
# A link back to the site's front page or to the top, left at the end of the last paragraph.
_SOCIAL_HOSTS = re.compile(
    r"(^|\.)(facebook\.com|twitter\.com|x\.com|weibo\.com|weibo\.cn|line\.me|linkedin\.com|"
    r"t\.me|telegram\.me|whatsapp\.com|wa\.me|pinterest\.com|reddit\.com|plurk\.com|vk\.com|"
    r"tumblr\.com|douban\.com|qzone\.qq\.com|connect\.qq\.com|getpocket\.com|threads\.net)$"
)
_SHARE_PATH = re.compile(r"share|sharer|intent|sharing|/send|sharearticle", re.I)


def _words(value: object) -> set[str]:
    """Lower-case words of a class/id value: 'AdContainer-sc' -> {'ad', 'container', 'sc'}."""
    text = " ".join(value) if isinstance(value, list) else str(value)
    return {w.lower() for w in _WORD.findall(text[:2000])}


def is_share_link(href: str) -> bool:
    """A link that shares the page on a social network (or by mail), not one to read."""
    href = href.strip()
    lowered = href.lower()
    if lowered.startswith(("mailto:", "whatsapp:", "sms:")):
        return "%3a%2f%2f" in lowered or "http" in lowered.split("?", 1)[-1]
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    if not _SOCIAL_HOSTS.search((parts.hostname or "").lower()):
        return False
    return bool(_SHARE_PATH.search(parts.path)) or "%2f" in lowered or "%3a" in lowered


def _junk_attributes(tag: Tag) -> str | None:
    """The rule when attributes mark an ad, a share bar, hidden or screen-reader-only content."""
    if tag.has_attr("hidden"):
        return "hidden"
    role = _JUNK_ROLES.get(str(tag.get("role") or "").lower())
    if role:
        return role
    style = str(tag.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return "hidden"
    words = _words(tag.get("class") or "") | _words(tag.get("id") or "")
    if any(pair <= words for pair in _HIDDEN):
        return "hidden"
    junk = sorted(_JUNK_WORDS[w] for w in words if w in _JUNK_WORDS)
    if junk:
        return junk[0]
    for name, value in tag.attrs.items():
        if not name.startswith("data-"):
            continue
        value = " ".join(value) if isinstance(value, list) else str(value)
        if _words(name) & _AD_WORDS or (len(value) < 40 and _words(value) & _AD_WORDS):
            return "advert"
        if value.lstrip()[:1] in ("{", "[") and len(tag.get_text().strip()) < 100:
            return "control"  # a widget configured by JSON (a player, a vote)
    return None


def _holds_article(tag: Tag) -> bool:
    """Several paragraphs of text: an article container, whatever its attributes say."""
    return len(tag.find_all("p", limit=3)) >= 3 and len(tag.get_text()) > 600


def _holds_text(tag: Tag, least: int = 600) -> bool:
    """More than ``least`` characters of text outside form controls, scripts and styles."""
    total = 0
    for text in tag.find_all(string=True):
        parent = text.parent
        while parent is not tag and parent is not None and parent.name not in SILENT_TAGS:
            parent = parent.parent
        if parent is tag:
            total += len(text.strip())
            if total > least:
                return True
    return False


def dropped(tag: Tag) -> str | None:
    """Why an element's whole content is not article text: a rule of
    ``webapp.vocabulary.LEFT_OUT_RULES`` (its text is kept as left-out blocks), ``SILENT``
    for an element without readable text (a script, a form control), None to keep it."""
    name = tag.name.lower()
    if name == "form" and _holds_text(tag):
        return None  # a page wrapped whole in a form (ASP.NET WebForms): its text is the page
    if name in SILENT_TAGS:
        return SILENT
    if name in _LEFT_OUT_TAGS:
        return _LEFT_OUT_TAGS[name]
    if name == "a" and isinstance(tag.get("href"), str) and is_share_link(tag["href"]):
        return "share"
    if name in _WRAPPERS and _wraps_embed(tag):
        return "embed"
    if name in ("html", "body", "main", "article"):
        return None
    rule = _junk_attributes(tag)
    return None if rule is None or _holds_article(tag) else rule


_WRAPPERS = frozenset({"div", "section", "figure", "blockquote", "span", "article"})


def _wraps_embed(tag: Tag) -> bool:
    """A wrapper around an embedded post that starts with a 'skip this post' link."""
    first = tag.find(True, recursive=False)
    href = first.get("href") if first is not None and first.name == "a" else None
    return isinstance(href, str) and href.lower().startswith("#skip")


def is_captionish(tag: Tag) -> bool:
    """An element whose class marks it as a figure or caption (.image-caption, .Figure-x,
    .image_desc)."""
    return is_captionish_class(tag.get("class") or "")


def is_captionish_class(value: object) -> bool:
    """A class value that marks a caption ('image-caption', 'picinfo', 'pic-note')."""
    words = _words(value)
    if words & _CAPTION_WORDS or words & _IMAGE_WORDS and words & _NOTE_WORDS:
        return True
    return any(w.startswith(i) and w[len(i):] in _NOTE_WORDS for w in words for i in _IMAGE_WORDS)


_HEADING_CLASS = re.compile(
    r"(?:^|[\s_-])(?:h[2-6]|sub-?title|sub-?head(?:ing)?|heading)(?:$|[\s_-])", re.I)


def is_headingish(tag: Tag) -> bool:
    """An element whose class marks it as a subhead ('bjh-h3', 'subtitle', 'section-heading')."""
    value = tag.get("class") or ""
    return bool(_HEADING_CLASS.search(" ".join(value) if isinstance(value, list) else value))


def absolute_href(href: object, base_url: str | None) -> str | None:
    """The http(s) URL a link points to, resolved against base_url; None for other schemes."""
    if not isinstance(href, str) or not href.strip():
        return None
    href = SPACE.sub("", href)
    try:
        if base_url:
            href = urljoin(base_url, href)
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return None
    return href if scheme in ("http", "https") and urlsplit(href).netloc else None


