"""XLIFF 1.2 export, built with lxml: one ``<trans-unit>`` per sentence, a ``<group>`` per block.

Why 1.2 and not 2.0: 1.2 is what CAT tools read best. OmegaT, Trados Studio, memoQ, Okapi,
Poedit, Weblate and translate-toolkit all open 1.2; 2.0 support is still partial (several read
only 2.0 core, some not at all). 1.2 also has the states a reviewer needs: ``new`` (no target),
``needs-review-translation`` with ``state-qualifier="mt-suggestion"`` (machine) or
``"leveraged-tm"`` (memory), ``translated`` (edited) and ``signed-off`` + ``approved="yes"``.

Enface's revision of each unit travels in a ``<context-group purpose="information">`` (valid
1.2, kept by CAT tools), so an XLIFF sent back can be checked for edits made here meanwhile.
Who last changed a sentence (when accounts are on) is a ``<note from="NAME">`` on its target;
TMX carries the same as ``creationid`` / ``changeid``. What the checks found and the risk are a
``<note from="enface-checks">`` (its ``priority`` 1 for the riskiest, 10 for none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from webapp.exports.common import exported_translation, units, xml_text
from webapp.vocabulary import APPROVED, EDITED, MACHINE, MEMORY, bcp47

if TYPE_CHECKING:
    from webapp.exports import ExportOptions

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: Block kinds as XLIFF 1.2 restype values (its own list where it has one, else ``x-``).
RESTYPES = {"heading": "heading", "caption": "caption", "list_item": "listitem"}
#: Unit status → (state, state-qualifier) of the target.
STATES = {
    MACHINE: ("needs-review-translation", "mt-suggestion"),
    MEMORY: ("needs-review-translation", "leveraged-tm"),
    EDITED: ("translated", None),
    APPROVED: ("signed-off", None),
}


def _x(parent: etree._Element, tag: str, attrib: dict | None = None) -> etree._Element:
    """A child element in the XLIFF 1.2 namespace."""
    return etree.SubElement(parent, f"{{{NS}}}{tag}", attrib or {})


def _context(unit_element: etree._Element, unit: dict) -> None:
    """Enface's status and revision of the unit, as an information context group."""
    group = _x(unit_element, "context-group", {"name": "enface", "purpose": "information"})
    for kind, value in (
        ("x-enface-status", unit.get("status")),
        ("x-enface-revision", unit.get("revision", 0)),
    ):
        _x(group, "context", {"context-type": kind}).text = str(value)


def _priority(risk: float | None) -> int:
    """XLIFF 1.2 note priority (1 most important … 10) from a risk in 0–1."""
    return max(1, min(10, 10 - round((risk or 0.0) * 9)))


def write_xliff(doc: dict, options: ExportOptions) -> bytes:
    """The document as an XLIFF 1.2 file for CAT tools."""
    root = etree.Element(f"{{{NS}}}xliff", {"version": "1.2"}, nsmap={None: NS})
    file = _x(
        root,
        "file",
        {
            "original": f"enface:document:{doc.get('id')}",
            "source-language": bcp47(doc.get("source_lang")),
            "target-language": bcp47(doc.get("target_lang") or "en"),
            "datatype": "plaintext",
            "tool-id": "enface",
        },
    )
    header = _x(file, "header")
    _x(header, "tool", {"tool-id": "enface", "tool-name": "Enface"})
    body = _x(file, "body")
    groups: dict[object, etree._Element] = {}
    for segment, unit in units(doc):
        if segment.get("id") not in groups:
            kind = segment.get("kind") or "paragraph"
            groups[segment.get("id")] = _x(
                body,
                "group",
                {
                    "id": f"segment-{segment.get('id')}",
                    "restype": RESTYPES.get(kind, f"x-{kind}"),
                },
            )
        trans_unit = _x(groups[segment.get("id")], "trans-unit", {"id": str(unit["id"])})
        trans_unit.set(XML_SPACE, "preserve")  # a sentence's tabs and line breaks are text
        _x(trans_unit, "source").text = xml_text(unit.get("source")).strip()
        translation = exported_translation(unit, options.include_unreviewed)
        if translation:
            state, qualifier = STATES.get(unit.get("status"), ("translated", None))
            target = _x(trans_unit, "target", {"state": state})
            if qualifier:
                target.set("state-qualifier", qualifier)
            target.text = xml_text(translation).strip()
            if state == "signed-off":
                trans_unit.set("approved", "yes")
            if unit.get("changed_by"):
                note = _x(trans_unit, "note", {"from": unit["changed_by"], "annotates": "target"})
                note.text = f"Last changed in Enface by {unit['changed_by']}."
            if unit.get("review"):
                note = _x(trans_unit, "note", {"from": "enface-checks", "annotates": "target",
                                               "priority": str(_priority(unit.get("risk")))})
                note.text = xml_text(unit["review"])
        _context(trans_unit, unit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
