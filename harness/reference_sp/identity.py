"""Reading the person from the Assertion: comment-safe values from the configured attributes.

Values are read through the SP's ``text_reader`` (``ReferenceSpConfig``). The default, :func:`full_text`,
is the XPath string-value of the element (all descendant text nodes joined), never lxml's ``.text``:
``1950062625<!---->46`` must read as ``195006262546``, and ``195006262546<!---->9`` must not read as
``195006262546`` (CVE-2017-11427 class, crewjam/saml#140).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from harness.core.xml import NS
from harness.reference_sp.seams import TextReader
from harness.saml_profile import PERSONNUMMER_OID, SUBJECT_SERIAL_NUMBER

__all__ = [
    "GIVEN_NAME_ATTRIBUTES",
    "SURNAME_ATTRIBUTES",
    "Identity",
    "attribute_values",
    "full_text",
    "personnummer_attribute_names",
    "read_identity",
]

GIVEN_NAME_ATTRIBUTES = ("urn:oid:2.5.4.42", "Subject_GivenName")  # givenName (SC Attr. Spec §3.1)
SURNAME_ATTRIBUTES = ("urn:oid:2.5.4.4", "Subject_Surname")  # sn


@dataclass(frozen=True, slots=True)
class Identity:
    """The logged-in person as the Assertion names them (names are shown, never matched on)."""

    personnummer: str
    given_name: str = ""
    surname: str = ""


def full_text(element: etree._Element) -> str:
    """The default ``text_reader``: the element's full text content, comments skipped but never
    truncating (see module doc)."""
    return str(element.xpath("string()"))


def personnummer_attribute_names(setting: str) -> tuple[str, ...]:
    """``ReferenceSpConfig.personnummer_attribute`` as the attribute Names to read."""
    if setting == "both":
        return (PERSONNUMMER_OID, SUBJECT_SERIAL_NUMBER)
    return (setting,)


def attribute_values(assertion: etree._Element, name: str, read: TextReader = full_text) -> list[list[str]]:
    """For every ``saml:Attribute`` named ``name``: its AttributeValues' text (usually one list)."""
    return [
        [read(value) for value in attribute.findall("saml:AttributeValue", NS)]
        for attribute in assertion.findall("saml:AttributeStatement/saml:Attribute", NS)
        if attribute.get("Name") == name
    ]


def _first(assertion: etree._Element, names: tuple[str, ...], read: TextReader) -> str:
    for name in names:
        for values in attribute_values(assertion, name, read):
            if values:
                return values[0]
    return ""


def read_identity(
    assertion: etree._Element, personnummer_attribute: str, read: TextReader = full_text
) -> Identity:
    """Read the values as sent; ``check_personnummer`` is the validator that judges them."""
    return Identity(
        personnummer=_first(assertion, personnummer_attribute_names(personnummer_attribute), read),
        given_name=_first(assertion, GIVEN_NAME_ATTRIBUTES, read),
        surname=_first(assertion, SURNAME_ATTRIBUTES, read),
    )
