"""TMX 1.4b export, built with lxml: one translation unit per translated sentence.

Each ``<tu>`` has the unit id as ``tuid`` and carries Enface's bookkeeping as ``<prop>``s
(document, segment, status, revision) so that a TMX sent back can be matched to the units
and checked for conflicting edits (see ``webapp.importing.readers.exchange``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lxml import etree

from webapp.exports.common import compact_time, exported_translation, units, xml_text
from webapp.vocabulary import bcp47

if TYPE_CHECKING:
    from webapp.exports import ExportOptions

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _prop(parent: etree._Element, kind: str, value: object) -> None:
    """Append ``<prop type=kind>value</prop>``."""
    etree.SubElement(parent, "prop", type=kind).text = str(value)


def write_tmx(doc: dict, options: ExportOptions) -> bytes:
    """The document's translated sentences as a TMX 1.4b translation memory."""
    source_tag = bcp47(doc.get("source_lang"))
    target_tag = bcp47(doc.get("target_lang") or "en")
    now = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    root = etree.Element("tmx", version="1.4")
    header = {
        "creationtool": "Enface",
        "creationtoolversion": "0.1",
        "segtype": "sentence",
        "o-tmf": "Enface",
        "adminlang": "en",
        "srclang": source_tag,
        "datatype": "plaintext",
        "creationdate": now,
    }
    etree.SubElement(root, "header", header)
    body = etree.SubElement(root, "body")
    for segment, unit in units(doc):
        translation = exported_translation(unit, options.include_unreviewed)
        source = xml_text(unit.get("source")).strip()
        if not translation or not source:
            continue
        tu = etree.SubElement(body, "tu", tuid=str(unit["id"]))
        created = compact_time(unit.get("created_at") or doc.get("created_at"))
        changed = compact_time(unit.get("updated_at"))
        if created:
            tu.set("creationdate", created)
        if changed:
            tu.set("changedate", changed)
        if unit.get("created_by"):
            tu.set("creationid", unit["created_by"])
        if unit.get("changed_by"):
            tu.set("changeid", unit["changed_by"])
        _prop(tu, "x-enface-document", doc.get("id"))
        _prop(tu, "x-enface-segment", segment.get("id"))
        _prop(tu, "x-enface-kind", segment.get("kind") or "paragraph")
        _prop(tu, "x-enface-status", unit.get("status"))
        _prop(tu, "x-enface-revision", unit.get("revision", 0))
        for tag, text in ((source_tag, source), (target_tag, xml_text(translation).strip())):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: tag})
            etree.SubElement(tuv, "seg").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
