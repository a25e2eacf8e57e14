"""Hardened XML parsing: no DTDs, no entities, no network, bounded size.

SAML (Swedish eID Deployment Profile §6.2) and SOAP messages must not carry a DTD; refusing it at
the parser is the defence against entity expansion and XXE.
"""

from __future__ import annotations

from lxml import etree

__all__ = ["MAX_XML_BYTES", "NS", "UnsafeXmlError", "parse_xml", "pretty_xml"]

MAX_XML_BYTES = 1_000_000

NS = {
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
    "mdattr": "urn:oasis:names:tc:SAML:metadata:attribute",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "xenc": "http://www.w3.org/2001/04/xmlenc#",
    "xenc11": "http://www.w3.org/2009/xmlenc11#",
    "xs": "http://www.w3.org/2001/XMLSchema",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "soap": "http://schemas.xmlsoap.org/soap/envelope/",
}


class UnsafeXmlError(ValueError):
    """The document is not well-formed, too large, or carries a DTD or entity declarations."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_comments=False,  # comments are kept: signatures cover them (exc-c14n without comments)
        remove_pis=False,
    )


def parse_xml(data: bytes, *, max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """Parse untrusted XML; raise :class:`UnsafeXmlError` for anything but a plain document."""
    if len(data) > max_bytes:
        raise UnsafeXmlError(f"document is {len(data)} bytes, more than the {max_bytes} allowed")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise UnsafeXmlError("document carries a DTD (<!DOCTYPE>), which is not allowed")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise UnsafeXmlError(f"document is not well-formed XML: {exc.msg}") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise UnsafeXmlError("document carries a DTD (<!DOCTYPE>), which is not allowed")
    return root


def pretty_xml(data: bytes) -> str | None:
    """Pretty-printed text of an XML document for evidence, or None if it is not safe XML."""
    try:
        root = parse_xml(data)
    except UnsafeXmlError:
        return None
    return etree.tostring(root, pretty_print=True, encoding="unicode")
