"""Language codes: Argos codes (zh, zt, en, …) to names and BCP 47 tags."""

from __future__ import annotations

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
FROM_BCP47 = {"zh-hans": "zh", "zh-cn": "zh", "zh-sg": "zh", "zh-hant": "zt", "zh-tw": "zt",
              "zh-hk": "zt", "zh-mo": "zt"}


def name(code: str) -> str:
    """A language's English name, or its code."""
    return NAMES.get(code, code)


def bcp47(code: str) -> str:
    """The BCP 47 tag for an Argos code (zh → zh-Hans, zt → zh-Hant)."""
    return BCP47.get(code, code)


def from_bcp47(tag: str) -> str:
    """The Argos code for a BCP 47 tag (zh-Hant → zt, en-US → en)."""
    tag = tag.strip().lower().replace("_", "-")
    return FROM_BCP47.get(tag) or FROM_BCP47.get("-".join(tag.split("-")[:2])) or tag.split("-")[0]
