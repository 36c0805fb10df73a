"""Reading TMX and XLIFF files back, and planning how their translations apply to a document.

Parsing is defensive: the size is capped before parsing, a DOCTYPE that declares entities
(billion laughs, external entities such as ``file:///etc/passwd``) is refused, and lxml never
loads a DTD, resolves an entity or touches the network. ``plan_import`` is pure: it says which
units change, which conflict with edits made here since the export, and which are unknown;
storage applies the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from webapp.errors import ImportFailed, TooLarge, WrongDocument
from webapp.importing.readers.base import Source
from webapp.vocabulary import APPROVED, EDITED, MACHINE, MAX_ROW_ID, MEMORY, REVIEWED
from webapp.vocabulary import from_bcp47 as argos_code

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XLIFF1 = ("urn:oasis:names:tc:xliff:document:1.2", "urn:oasis:names:tc:xliff:document:1.1")
XLIFF2 = ("urn:oasis:names:tc:xliff:document:2.0", "urn:oasis:names:tc:xliff:document:2.1")
#: Inline codes whose content is markup of the original format, not text.
_CODES = frozenset({"bpt", "ept", "ph", "it", "ut", "x", "bx", "ex", "sc", "ec", "sub"})
_ENTITY_DECLARATIONS = tuple(
    "<!ENTITY".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


@dataclass(frozen=True)
class ExchangeUnit:
    """One sentence read from a TMX or XLIFF file."""

    unit_id: int | None
    source: str
    target: str | None
    status: str | None = None  # the Enface status the file states, when it states one
    revision: int | None = None  # the unit's revision when it was exported, when known


@dataclass(frozen=True)
class Exchange:
    """The content of a TMX or XLIFF file: which document, which languages, which sentences."""

    kind: str
    document_id: int | None
    source_lang: str | None
    target_lang: str | None
    units: list[ExchangeUnit]



def _parse(data: bytes, name: str, max_bytes: int) -> etree._Element:
    """The root element of ``data``, parsed without DTDs, entities or network."""
    if len(data) > max_bytes:
        raise TooLarge(name, f"the file is {len(data):,} bytes; the limit is {max_bytes:,}")
    if any(marker in data for marker in _ENTITY_DECLARATIONS):
        raise ImportFailed(name, "the file declares XML entities, which are refused for safety")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError, LookupError) as exc:
        raise ImportFailed(name, f"not a well-formed XML file ({exc})") from None
    if root is None:
        raise ImportFailed(name, "the file is empty")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        raise ImportFailed(name, "the file declares XML entities, which are refused for safety")
    return root


def _local(element: etree._Element) -> str:
    """An element's tag without its namespace."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _text(element: etree._Element | None) -> str:
    """The text of a segment, leaving out the content of inline codes."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        if _local(child) not in _CODES:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _int(value: str | None, name: str) -> int | None:
    """``value`` as an int when it is all digits, else None; ImportFailed past SQLite's range."""
    value = (value or "").strip()
    if not value.isdecimal():
        return None
    if len(value) > 19 or int(value) > MAX_ROW_ID:
        raise ImportFailed(name, f"the id {value[:30]} is out of range "
                                 f"(the largest is {MAX_ROW_ID})")
    return int(value)


def _single(values: list[int | None]) -> int | None:
    """The one document id every unit agrees on, or None."""
    found = {value for value in values if value is not None}
    return found.pop() if len(found) == 1 else None


def _read_tmx(root: etree._Element, name: str) -> Exchange:
    """Translation units of a TMX file (1.1 to 1.4b)."""
    header, body = root.find("header"), root.find("body")
    if body is None:
        raise ImportFailed(name, "a TMX file without a <body>")
    srclang = (header.get("srclang") if header is not None else None) or ""
    source_tag = None if srclang.lower() in ("", "*all*") else srclang
    target_tag, documents, result = None, [], []
    for tu in body.iter("tu"):
        props = {prop.get("type"): (prop.text or "").strip() for prop in tu.findall("prop")}
        tuvs = [(tuv.get(XML_LANG) or tuv.get("lang") or "", tuv) for tuv in tu.findall("tuv")]
        source = next((t for lang, t in tuvs if lang.lower() == srclang.lower()), None)
        if source is None and tuvs:
            source_tag, source = source_tag or tuvs[0][0], tuvs[0][1]
        targets = [(lang, t) for lang, t in tuvs if t is not source]
        if source is None or not targets:
            continue
        target_tag = target_tag or targets[0][0]
        target = next((t for lang, t in targets if lang.lower() == target_tag.lower()), None)
        if target is None:
            continue
        documents.append(_int(props.get("x-enface-document"), name))
        result.append(
            ExchangeUnit(
                unit_id=_int(tu.get("tuid"), name),
                source=_text(source.find("seg")),
                target=_text(target.find("seg")) or None,
                status=props.get("x-enface-status") or None,
                revision=_int(props.get("x-enface-revision"), name),
            )
        )
    return Exchange(
        "tmx", _single(documents), argos_code(source_tag), argos_code(target_tag), result
    )


def _xliff1_status(unit: etree._Element, target: etree._Element | None) -> str | None:
    """The Enface status an XLIFF 1.2 trans-unit's state stands for."""
    if target is None:
        return None
    state, qualifier = target.get("state"), target.get("state-qualifier") or ""
    if state in ("signed-off", "final"):
        return APPROVED
    # translate-toolkit (Weblate, Pootle) writes approved="yes" on any finished translation.
    if state == "translated" or (state is None and unit.get("approved") == "yes"):
        return EDITED
    if state and state.startswith("needs-review"):
        return MEMORY if qualifier in ("leveraged-tm", "exact-match", "fuzzy-match") else MACHINE
    return None


def _read_xliff1(root: etree._Element, name: str, ns: str) -> Exchange:
    """Trans-units of an XLIFF 1.x file."""
    files = root.findall(f"{{{ns}}}file")
    if not files:
        raise ImportFailed(name, "an XLIFF file without a <file>")
    documents, result = [], []
    for file in files:
        match = re.fullmatch(r"enface:document:(\d+)", file.get("original") or "")
        document = _int(match.group(1), name) if match else None
        for unit in file.iter(f"{{{ns}}}trans-unit"):
            target = unit.find(f"{{{ns}}}target")
            revision = None
            for context in unit.iter(f"{{{ns}}}context"):
                if context.get("context-type") == "x-enface-revision":
                    revision = _int(context.text, name)
            documents.append(document)
            result.append(
                ExchangeUnit(
                    unit_id=_int(unit.get("id"), name),
                    source=_text(unit.find(f"{{{ns}}}source")),
                    target=_text(target) or None,
                    status=_xliff1_status(unit, target),
                    revision=revision,
                )
            )
    first = files[0]
    return Exchange(
        "xliff",
        _single(documents),
        argos_code(first.get("source-language")),
        argos_code(first.get("target-language")),
        result,
    )


def _read_xliff2(root: etree._Element, name: str, ns: str) -> Exchange:
    """Segments of an XLIFF 2.x file (a unit with several segments gives several units)."""
    result = []
    for unit in root.iter(f"{{{ns}}}unit"):
        segments = unit.findall(f"{{{ns}}}segment")
        for segment in segments:
            target = segment.find(f"{{{ns}}}target")
            state = segment.get("state")
            result.append(
                ExchangeUnit(
                    unit_id=_int(unit.get("id"), name) if len(segments) == 1 else None,
                    source=_text(segment.find(f"{{{ns}}}source")),
                    target=_text(target) or None,
                    status={"translated": EDITED, "reviewed": EDITED, "final": APPROVED}.get(
                        state or ""
                    ),
                )
            )
    files = root.findall(f"{{{ns}}}file")
    match = re.fullmatch(
        r"enface:document:(\d+)", (files[0].get("original") or "") if files else ""
    )
    return Exchange(
        "xliff",
        _int(match.group(1), name) if match else None,
        argos_code(root.get("srcLang")),
        argos_code(root.get("trgLang")),
        result,
    )


_ROOT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                   rb"(?:<!DOCTYPE[^>]*>\s*)?<(?:\w+:)?(tmx|xliff)\b", re.S | re.I)


def sniff(source: Source) -> bool:
    """A document whose root element is ``<tmx>`` or ``<xliff>`` (UTF-8 or ASCII)."""
    return bool(_ROOT.match(source.data[:4096]))


def read(source: Source) -> Exchange:
    """The file's units, languages and document id."""
    return read_exchange(source.data, source.name, max_bytes=source.max_bytes)


def read_exchange(data: bytes, name: str, *, max_bytes: int = 50 * 1024 * 1024) -> Exchange:
    """Read a TMX or XLIFF file; ImportFailed (or TooLarge) says why one cannot be read."""
    root = _parse(data, name, max_bytes)
    namespace = etree.QName(root).namespace
    if _local(root) == "tmx" and namespace is None:
        return _read_tmx(root, name)
    if _local(root) == "xliff" and (namespace in XLIFF1 or namespace is None):
        return _read_xliff1(root, name, namespace or "")
    if _local(root) == "xliff" and namespace in XLIFF2:
        return _read_xliff2(root, name, namespace)
    raise ImportFailed(name, f"not a TMX or XLIFF file (its root element is <{_local(root)}>)")


@dataclass(frozen=True)
class PlannedChange:
    """A unit whose translation the import sets (``base_revision`` guards the write)."""

    unit_id: int
    translation: str
    status: str
    base_revision: int


@dataclass(frozen=True)
class ImportConflict:
    """A unit edited here since the export whose file translation differs: the reader decides."""

    unit_id: int
    current: str | None
    incoming: str
    current_revision: int


@dataclass(frozen=True)
class ImportPlan:
    """What applying an exchange file to a document would do."""

    document_id: int | None
    changes: list[PlannedChange]
    conflicts: list[ImportConflict]
    unchanged: list[int]
    unknown: list[ExchangeUnit]
    empty: int = 0

    def summary(self) -> dict[str, int]:
        """Counts for a report: matched, changed, conflicted, unchanged, unknown, empty."""
        return {
            "matched": len(self.changes) + len(self.conflicts) + len(self.unchanged),
            "changed": len(self.changes),
            "conflicted": len(self.conflicts),
            "unchanged": len(self.unchanged),
            "unknown": len(self.unknown),
            "empty": self.empty,
        }


def _normal(text: str | None) -> str:
    """Text compared for matching: whitespace runs collapsed, ends stripped."""
    return " ".join((text or "").split())


def _family(code: str | None) -> str | None:
    """Simplified and Traditional Chinese count as one language when matching files."""
    return "zh" if code in ("zh", "zt") else code


def _check_target(doc: dict, exchange: Exchange) -> None:
    """Refuse a file made for another document or another language pair."""
    if exchange.document_id is not None and exchange.document_id != doc.get("id"):
        raise WrongDocument(
            f"This {exchange.kind.upper()} file belongs to document {exchange.document_id}, "
            f"not to document {doc.get('id')}."
        )
    pairs = (
        ("source", exchange.source_lang, doc.get("source_lang")),
        ("target", exchange.target_lang, doc.get("target_lang") or "en"),
    )
    for side, theirs, ours in pairs:
        if theirs and ours and _family(theirs) != _family(ours):
            raise WrongDocument(
                f"The file's {side} language is {theirs!r} but the document's is {ours!r}."
            )


def plan_import(doc: dict, exchange: Exchange) -> ImportPlan:
    """Match the file's sentences to ``doc``'s units (by unit id, else by source text).

    A unit edited here since the export (its revision is newer than the one the file carries;
    for files without revisions: its status is edited or approved) whose translation differs
    from the file's is a conflict; other differing units change.
    """
    _check_target(doc, exchange)
    by_id: dict[int, dict] = {}
    by_source: dict[str, list[dict]] = {}
    for segment in doc.get("segments", []):
        for unit in segment.get("units", []):
            by_id[unit["id"]] = unit
            by_source.setdefault(_normal(unit.get("source")), []).append(unit)
    changes, conflicts, unchanged, unknown, empty = [], [], [], [], 0
    seen: set[int] = set()
    for incoming in exchange.units:
        if not _normal(incoming.target):
            empty += 1
            continue
        own = by_id.get(incoming.unit_id) if incoming.unit_id is not None else None
        if own is not None and _normal(own.get("source")) == _normal(incoming.source):
            matches, revision = [own], incoming.revision
        else:
            matches, revision = by_source.get(_normal(incoming.source), []), None
        matches = [unit for unit in matches if unit["id"] not in seen]
        if not matches:
            unknown.append(incoming)
        for unit in matches:
            seen.add(unit["id"])
            text, current = incoming.target.strip(), unit.get("translation")
            status = APPROVED if incoming.status == APPROVED else EDITED
            if _normal(current) == _normal(text) and (
                status != APPROVED or unit.get("status") == APPROVED
            ):
                unchanged.append(unit["id"])
                continue
            edited_here = (
                unit.get("revision", 0) > revision
                if revision is not None
                else unit.get("status") in REVIEWED
            )
            if edited_here and _normal(current) != _normal(text):
                conflicts.append(ImportConflict(unit["id"], current, text, unit.get("revision", 0)))
            else:
                changes.append(PlannedChange(unit["id"], text, status, unit.get("revision", 0)))
    return ImportPlan(doc.get("id"), changes, conflicts, unchanged, unknown, empty)
