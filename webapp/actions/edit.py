"""Correcting translations: one function per thing a person does to a sentence or a paragraph.

The JSON API and the reader's htmx forms both call these, so an edit refused by one is refused
by the other for the same reason. Every change is checked against the revision it was based on
(``Conflict`` when stale) and, when a person made it, spreads to identical untouched sentences
elsewhere (``propagate``), which the caller gets back to show.

A paragraph is edited as one text, one line per sentence. With as many lines as sentences each
line goes to its sentence (alignment kept); with a different number the person must ask for a
merge, and the paragraph's sentences become one unit (see ``storage.review``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from webapp import engine
from webapp.actions import Submit, quality
from webapp.actions.diff import word_diff
from webapp.actions.translate import model_for
from webapp.errors import Conflict, EnfaceError
from webapp.storage import Library
from webapp.vocabulary import (
    APPROVED,
    EDITED,
    MACHINE,
    ORIGIN_MACHINE,
    REVIEWED,
    UNTRANSLATED,
)

DEFAULT_MAX_CHARS = 5000


class EditRefused(EnfaceError):
    """An edit that breaks a rule (too long, empty without asking to clear, not text)."""

    title = "Not saved"


@dataclass
class Saved:
    """A saved sentence, the sentences elsewhere that took the same correction, and the names
    whose rendering the person changed, offered for the glossary (``{"source", "target",
    "was"}``)."""

    unit: dict[str, Any]
    changed: list[dict[str, Any]] = field(default_factory=list)
    offers: list[dict[str, str]] = field(default_factory=list)


def _judge_later(library: Library, units: list[dict[str, Any]], submit: Submit | None) -> None:
    """Have the worker judge people's new English (score and word alignment) in each of the
    documents these units belong to."""
    for doc_id in dict.fromkeys(u["document_id"] for u in units if u.get("document_id")):
        quality.after_edit(library, doc_id, submit)


def _offers(library: Library, before: dict[str, Any], after: str,
            links: list | None) -> list[dict[str, str]]:
    """Names whose rendering an edit changed and that the glossary does not say so already."""
    from webapp.quality.checks import Link
    from webapp.quality.names import offers

    lang = library.documents.langs(before["document_id"])[0]
    aligned = [Link((t0, t1), (s0, s1), w) for t0, t1, s0, s1, w in links] if links else None
    found = offers(before["source"], before["translation"], after, aligned, lang)
    if not found:
        return []
    known = {(t["source"], t["target"]) for t in library.glossary.for_document(
        before["document_id"])}
    return [{"source": name, "target": target, "was": was} for name, target, was in found
            if (name, target) not in known]


def check_text(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """A person's translation with line endings normalised; EditRefused if it breaks a rule."""
    if not isinstance(text, str):
        raise EditRefused("A translation must be text.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > max_chars:
        raise EditRefused(f"A translation may be at most {max_chars} characters long "
                          f"(this one has {len(text)}).")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise EditRefused("The translation contains characters that are not valid text "
                          "(a lone surrogate).") from None
    return text


def save_translation(
    library: Library,
    unit_id: int,
    text: str | None,
    *,
    base_revision: int,
    approve: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
    submit: Submit | None = None,
) -> Saved:
    """Save a person's English for a sentence; ``None`` clears it (an empty text is refused).

    Names whose rendering the edit changed come back as glossary offers; the worker is asked
    to judge the new English (``submit``)."""
    if isinstance(base_revision, bool) or not isinstance(base_revision, int):
        raise EditRefused("The revision the edit is based on (a whole number) is required.")
    if text is None:
        unit = library.units.update(unit_id, None, base_revision=base_revision,
                                   status=UNTRANSLATED)
        return Saved(unit)
    text = check_text(text, max_chars)
    if not text.strip():
        raise EditRefused("The translation is empty. To remove it, clear it explicitly "
                          "(tick “Clear the translation”; in the API send \"translation\": null).")
    with library.reading():
        before = library.units.get(unit_id)
        judged = library.quality.alignment(unit_id)
    unit = library.units.update(unit_id, text, base_revision=base_revision,
                               status=APPROVED if approve else EDITED)
    saved = Saved(unit, library.review.propagate(unit_id),
                  _offers(library, before, text, judged["links"] if judged else None))
    _judge_later(library, [unit, *saved.changed], submit)
    return saved


class NothingToApprove(EditRefused):
    """Approving a sentence that has no English."""

    title = "Nothing to approve yet"


def approve(library: Library, unit_id: int, *, base_revision: int,
            submit: Submit | None = None) -> Saved:
    """Approve a sentence's English as it stands."""
    if not library.units.get(unit_id)["translation"]:
        raise NothingToApprove("This sentence has no English yet. Write it (click the "
                               "sentence) or translate the document, then approve it.")
    unit = library.review.approve(unit_id, base_revision=base_revision)
    saved = Saved(unit, library.review.propagate(unit_id))
    _judge_later(library, saved.changed, submit)
    return saved


def restore(library: Library, unit_id: int, revision: int, *, base_revision: int,
            submit: Submit | None = None) -> Saved:
    """Bring back an old revision's text as a new revision."""
    unit = library.review.restore(unit_id, revision, base_revision=base_revision)
    saved = Saved(unit, library.review.propagate(unit_id))
    _judge_later(library, [unit, *saved.changed], submit)
    return saved


def revisions(library: Library, unit_id: int) -> list[dict[str, Any]]:
    """A sentence's revisions, oldest first (the API's history)."""
    return library.units.history(unit_id)


def history(library: Library, unit_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A sentence and its revisions, newest first, each with a word diff against the one before."""
    unit = library.units.get(unit_id)
    changes = library.units.history(unit_id, newest_first=True)
    for i, rev in enumerate(changes):
        older = changes[i + 1]["text"] if i + 1 < len(changes) else ""
        rev["diff"] = word_diff(older, rev["text"])
    return unit, changes


def alternatives(library: Library, unit_id: int, n: int = 3) -> tuple[dict[str, Any], list[str]]:
    """A sentence and the model's ``n`` best translations of it, best first."""
    unit = library.units.get(unit_id)
    model = model_for(library, unit["document_id"])
    return unit, engine.alternatives(unit["source"], model, n=n)


@dataclass
class Retranslated:
    """The result of a retranslation: the stored unit, or the text waiting for a confirm."""

    unit: dict[str, Any]
    needs_confirm: bool = False
    text: str | None = None


def retranslate(
    library: Library,
    unit_id: int,
    *,
    base_revision: int,
    text: str | None = None,
    confirm: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
    submit: Submit | None = None,
) -> Retranslated:
    """Translate a sentence again (or store a picked alternative ``text``).

    A sentence a person edited or approved is only replaced when ``confirm`` is given;
    without it the new text comes back for the person to confirm.
    """
    unit = library.units.get(unit_id)
    model = model_for(library, unit["document_id"])
    if text is not None:
        text = check_text(text, max_chars)
    if not text or not text.strip():
        text = engine.translate_sentences([unit["source"]], model)[0]
    if unit["status"] in REVIEWED and not confirm:
        return Retranslated(unit, needs_confirm=True, text=text)
    unit = library.units.update(unit_id, text or None, base_revision=base_revision,
                               status=MACHINE if text else UNTRANSLATED,
                               origin=ORIGIN_MACHINE, model_id=model.model_id)
    _judge_later(library, [unit], submit)
    return Retranslated(unit, text=text)


def retranslate_paragraph(library: Library, segment_id: int, *, confirm: bool = False,
                          submit: Submit | None = None) -> int:
    """Translate a paragraph again; return how many edited/approved sentences were kept.

    Sentences a person edited or approved are replaced only with ``confirm``; a sentence changed
    by someone meanwhile keeps their version.
    """
    seg = library.units.segment(segment_id)
    model = model_for(library, seg["document_id"])
    todo = [u for u in seg["units"] if confirm or u["status"] not in REVIEWED]
    texts = engine.translate_sentences([u["source"] for u in todo], model)
    for unit, text in zip(todo, texts, strict=True):
        try:
            library.units.update(unit["id"], text or None, base_revision=unit["revision"],
                                status=MACHINE if text else UNTRANSLATED, origin=ORIGIN_MACHINE,
                                model_id=model.model_id)
        except Conflict:
            continue  # changed by someone meanwhile: theirs stays
    _judge_later(library, [seg], submit)
    return len(seg["units"]) - len(todo)


def one_line(text: str | None) -> str:
    """A translation on one line (as the paragraph editor shows it)."""
    return (text or "").replace("\n", " ").strip()


def save_paragraph(
    library: Library,
    segment_id: int,
    text: str,
    bases: dict[int, int],
    *,
    clear: bool = False,
    merge: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
    submit: Submit | None = None,
) -> list[dict[str, Any]]:
    """Save a paragraph's English, a line per sentence, or merged into one sentence when asked.

    ``bases`` maps each unit id to the revision the edit was based on. Lines left as they were
    keep their sentence's text; emptied lines clear only with ``clear``.
    """
    seg = library.units.segment(segment_id)
    units = seg["units"]
    missing = [u["id"] for u in units if u["id"] not in bases]
    if missing:
        raise EditRefused(f"The base revision of sentence {missing[0]} is missing.")
    lines = [line.strip() for line in check_text(text, max_chars).split("\n")]
    while len(lines) > len(units) and not lines[-1]:
        lines.pop()
    if len(lines) == len(units):
        texts = [u["translation"] if line == one_line(u["translation"]) else (line or None)
                 for u, line in zip(units, lines, strict=True)]
        cleared = any(u["translation"] and not t for u, t in zip(units, texts, strict=True))
        if cleared and not clear:
            raise EditRefused("Some lines are empty. To remove those translations, tick "
                              "“Clear empty lines” and save again.")
        saved = library.review.save_segment(segment_id, texts, bases)
    elif merge and any(lines):
        saved = [library.review.merge_segment(segment_id, " ".join(x for x in lines if x), bases)]
    else:
        raise EditRefused(f"The paragraph has {len(units)} sentences but your text has "
                          f"{len(lines)} lines. Keep one line per sentence, or tick “Merge into "
                          "one sentence”.")
    spread = [other for unit in saved if unit["status"] == EDITED
              for other in library.review.propagate(unit["id"])]
    _judge_later(library, [seg, *spread], submit)
    return saved


def unit(library: Library, unit_id: int) -> dict[str, Any]:
    """One sentence as the reader shows it (NotFound if there is none)."""
    return library.units.get(unit_id)


def paragraph(library: Library, segment_id: int) -> dict[str, Any]:
    """One paragraph (segment) with its sentences and its document's languages."""
    return library.units.segment(segment_id)
