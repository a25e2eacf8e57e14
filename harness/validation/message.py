"""The message a validator judges: a SOAP envelope's Body element, or a bare element put in an envelope.

The official schematron rules match inside ``soapenv:Body`` (e.g. "Verify non-empty elements":
``soapenv:Body/urn:GetDiagnosisResponse//*``), so a bare response is checked inside an envelope too;
line numbers stay those of the document given.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from harness.core.soap import MAX_SOAP_BYTES, SOAP11_NS
from harness.core.xml import UnsafeXmlError, parse_xml

__all__ = ["MessageError", "ParsedMessage", "load_message"]

_ENVELOPE, _BODY = f"{{{SOAP11_NS}}}Envelope", f"{{{SOAP11_NS}}}Body"


class MessageError(ValueError):
    """Not a message at all: unsafe or malformed XML, or an envelope without a Body element."""


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    envelope: etree._Element  # a SOAP 1.1 Envelope holding ``element``
    element: etree._Element  # the message: the Body's first element, or the bare root given
    wrapped: bool  # True when ``envelope`` was made here around a copy of ``element``


def load_message(message: bytes | etree._Element) -> ParsedMessage:
    """Parse (hardened: no DTD, no entities) and find the message element."""
    if isinstance(message, bytes):
        try:
            root = parse_xml(message, max_bytes=MAX_SOAP_BYTES)
        except UnsafeXmlError as exc:
            raise MessageError(str(exc)) from None
    else:
        root = message
    if root.tag != _ENVELOPE:
        envelope = etree.Element(_ENVELOPE, nsmap={"soapenv": SOAP11_NS})
        etree.SubElement(envelope, _BODY).append(copy.deepcopy(root))
        return ParsedMessage(envelope=envelope, element=root, wrapped=True)
    body = root.find(_BODY)
    element = None if body is None else next((c for c in body if isinstance(c.tag, str)), None)
    if element is None:
        raise MessageError("the SOAP envelope has no Body element, or an empty Body")
    return ParsedMessage(envelope=root, element=element, wrapped=False)
