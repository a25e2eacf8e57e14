"""Small helpers for writing contract XML with lxml, in the element order the schemas require.

Every text value is set through lxml, which escapes ``<``, ``>`` and ``&`` (special characters
round-trip: Inera's test suites, case 2.2 Encoding_SpecialCharacters). Empty values are never written
(schematron "Verify non-empty elements").
"""

from __future__ import annotations

from lxml import etree

from harness.reference_producer.model import HSA_OID, Identity

__all__ = ["Ns", "bool_text"]


def bool_text(value: bool) -> str:
    return "true" if value else "false"


class Ns:
    """Writes elements of one namespace."""

    def __init__(self, uri: str) -> None:
        self.uri = uri

    def root(self, name: str, nsmap: dict[str, str]) -> etree._Element:
        return etree.Element(f"{{{self.uri}}}{name}", nsmap=nsmap)

    def el(self, parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        child = etree.SubElement(parent, f"{{{self.uri}}}{name}")
        if text is not None:
            child.text = text
        return child

    def opt(self, parent: etree._Element, name: str, text: str | None) -> None:
        """Write ``name`` only if ``text`` is a non-empty value."""
        if text:
            self.el(parent, name, text)

    def ii(self, parent: etree._Element, name: str, root: str, extension: str | None) -> etree._Element:
        element = self.el(parent, name)
        self.el(element, "root", root)
        self.opt(element, "extension", extension)
        return element

    def hsa(self, parent: etree._Element, name: str, hsa_id: str) -> etree._Element:
        return self.ii(parent, name, HSA_OID, hsa_id)

    def person_id(self, parent: etree._Element, name: str, identity: Identity) -> None:
        """PersonIdType{id, type} of the 2.x contracts."""
        element = self.el(parent, name)
        self.el(element, "id", identity.value)
        self.el(element, "type", identity.type_oid)

    def cv(self, parent: etree._Element, name: str, code: str, system: str, display: str) -> etree._Element:
        """A coded value with code, codeSystem and displayName (CVType rules of the schematron)."""
        element = self.el(parent, name)
        self.el(element, "code", code)
        self.el(element, "codeSystem", system)
        self.el(element, "displayName", display)
        return element

    def text_cv(self, parent: etree._Element, name: str, text: str) -> None:
        """A value without a code: originalText only."""
        self.el(self.el(parent, name), "originalText", text)
