"""The domain's words, in one place: languages and their tags, block kinds, unit statuses,
revision origins, job kinds and job states, a learner's word statuses. Templates get them
through a context processor."""

from __future__ import annotations

# --- Languages: Argos codes (zh, zt, en, …), their names and BCP 47 tags --------------------

NAMES = {
    "zh": "Chinese (Simplified)",
    "zt": "Chinese (Traditional)",
    "en": "English",
    "ja": "Japanese",
    "ko": "Korean",
    "ru": "Russian",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "und": "Unknown",
}
BCP47 = {"zh": "zh-Hans", "zt": "zh-Hant", "und": "und"}
_TRADITIONAL_SUBTAGS = frozenset({"hant", "tw", "hk", "mo"})


def name(code: str) -> str:
    """A language's English name, or its code."""
    return NAMES.get(code, code)


def bcp47(code: str | None) -> str:
    """The BCP 47 tag for an Argos code (zh → zh-Hans, zt → zh-Hant, nothing → und)."""
    if not code:
        return "und"
    return BCP47.get(code, code)


def tag_name(tag: str) -> str:
    """A language's English name from its BCP 47 tag ("zh-Hant" → "Chinese (Traditional)")."""
    code = from_bcp47(tag)
    return NAMES.get(code, tag) if code else tag


def from_bcp47(tag: str | None) -> str | None:
    """The Argos code for a BCP 47 tag: zh-Hans/zh-CN → zh, zh-Hant/zh-TW/zh-HK → zt, en-US → en.

    None for no tag, ``und`` or ``*all*``.
    """
    if not tag or tag.strip().lower() in ("*all*", "und"):
        return None
    parts = tag.strip().replace("_", "-").lower().split("-")
    if parts[0] in ("zh", "zt"):
        traditional = parts[0] == "zt" or any(p in _TRADITIONAL_SUBTAGS for p in parts)
        return "zt" if traditional else "zh"
    return parts[0]


# --- Blocks --------------------------------------------------------------------------------

BLOCK_KINDS = ("title", "heading", "paragraph", "list_item", "caption", "quote", "byline")

#: Why the importer left a block out (``LeftOut.rule``), as the reader names it. Left-out
#: blocks are kept with the document, shown in place and can be restored; exports skip them.
LEFT_OUT_RULES = {
    "promo": "promo line",  # a call to follow, subscribe, download or scan
    "share": "share bar",
    "advert": "advert",
    "hidden": "hidden on the page",
    "copyright": "copyright notice",
    "control": "page control",  # "分享", "打印", "加载更多", a poll
    "breadcrumb": "breadcrumb",
    "navigation": "navigation",  # menus, "back to the front page", "click here for …"
    "aside": "sidebar",
    "embed": "embedded post",
    "related": "related links",
    "recommended": "recommendations",
    "link-cards": "links to other stories",
    "link": "link to another page",  # a line the page shows only as a link (a text advert)
    "outside": "beside the story",  # on the page around the story; the extractor left it out
    "date": "date line",
    "title": "repeats the title",
    "duplicate-caption": "duplicate caption",
    "credit": "photo credit",
    "furniture": "page header or footer",
    "metadata": "metadata box",
    "number": "stray number",
    "dropped": "dropped by a person",  # a kept block a person left out (see actions.left_out)
}
#: The rule of a block a person left out.
DROPPED = "dropped"


def left_out_label(rule: str) -> str:
    """A left-out rule as a reader is told it ("promo line")."""
    return LEFT_OUT_RULES.get(rule, rule)


# --- Units: statuses and who made a revision -----------------------------------------------

UNTRANSLATED, MACHINE, MEMORY, EDITED, APPROVED = (
    "untranslated", "machine", "memory", "edited", "approved")
STATUSES = (UNTRANSLATED, MACHINE, MEMORY, EDITED, APPROVED)
REVIEWED = frozenset({EDITED, APPROVED})  # a person has looked at it
UNTOUCHED = (UNTRANSLATED, MACHINE, MEMORY)  # nobody has: corrections may replace it
STATUS_LABELS = {
    UNTRANSLATED: "not translated",
    MACHINE: "machine translation",
    MEMORY: "from memory",
    EDITED: "edited",
    APPROVED: "approved",
}
#: Where a revision's text came from (``revision.origin``; the translation memory keeps the
#: same words but "memory").
ORIGIN_MACHINE, ORIGIN_MEMORY, ORIGIN_HUMAN, ORIGIN_IMPORT = "machine", "memory", "human", "import"
ORIGINS = (ORIGIN_MACHINE, ORIGIN_MEMORY, ORIGIN_HUMAN, ORIGIN_IMPORT)


def status_label(status: str) -> str:
    """A unit status as a reader says it."""
    return STATUS_LABELS.get(status, status)


# --- A learner's words: how well each word is known --------------------------------------

#: ``new``: met but not studied (also every word without a status); ``learning1``…``learning4``:
#: studied, from just seen to nearly known (Lute's levels 1–4); ``known``: needs no help;
#: ``ignored``: not a word to learn (a name the splitter missed, a typo, a foreign word).
WORD_NEW, WORD_KNOWN, WORD_IGNORED = "new", "known", "ignored"
WORD_LEARNING = ("learning1", "learning2", "learning3", "learning4")
WORD_STATUSES = (WORD_NEW, *WORD_LEARNING, WORD_KNOWN, WORD_IGNORED)
WORD_STATUS_LABELS = {
    WORD_NEW: "new",
    "learning1": "learning (1 of 4)",
    "learning2": "learning (2 of 4)",
    "learning3": "learning (3 of 4)",
    "learning4": "learning (4 of 4)",
    WORD_KNOWN: "known",
    WORD_IGNORED: "ignored",
}


def word_status_label(status: str) -> str:
    """A word status as a reader says it."""
    return WORD_STATUS_LABELS.get(status, status)


# --- Jobs ----------------------------------------------------------------------------------

TRANSLATE_JOB = "translate"  # target: a document id
INSTALL_MODEL_JOB = "install-model"  # target: "FROM-TO"
FEEDS_JOB = "update-feeds"  # target: "all" (every subscription) or a feed id (a new one)
CHECK_JOB = "check"  # target: a document id (judge its English with the model, check again)
LEARNING_JOB = "measure-articles"  # target: "library": articles' words and HSK profiles
HEADLINE_JOB = "headline"  # target: a document id (its title and first paragraph)
GLOSSARY_CHECK_JOB = "check-glossary"  # target: "all" (documents with unknown glossary problems)
ARCHIVE_JOB = "import-archive"  # target: an import_archive id (a folder or .zip/.tar.gz)
QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
ACTIVE = (QUEUED, RUNNING)
JOB_STATES = (QUEUED, RUNNING, DONE, FAILED, CANCELLED)
#: What became of one file of an archive import.
PENDING, IMPORTED, KNOWN, SKIPPED = "pending", "imported", "known", "skipped"
ITEM_STATES = (PENDING, IMPORTED, KNOWN, SKIPPED, FAILED)

# --- Accounts ------------------------------------------------------------------------------

READER, EDITOR, ADMIN = "reader", "editor", "admin"
ROLES = (READER, EDITOR, ADMIN)  # each may do what the ones before it may


def template_globals() -> dict:
    """What templates may use of the vocabulary."""
    return {"STATUSES": STATUSES, "REVIEWED": REVIEWED, "STATUS_LABELS": STATUS_LABELS,
            "ACTIVE_JOB_STATES": ACTIVE, "JOB_FAILED": FAILED, "JOB_CANCELLED": CANCELLED,
            "LANGUAGE_NAMES": NAMES, "WORD_STATUSES": WORD_STATUSES,
            "WORD_STATUS_LABELS": WORD_STATUS_LABELS}

#: SQLite's largest integer: ids and revisions beyond it are refused where they are read.
MAX_ROW_ID = 2**63 - 1
