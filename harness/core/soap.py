"""SOAP 1.1 envelopes as RIVTA uses them: the logical-address header, faults, hardened parsing.

RIVTA BP 2.1 addresses a message with ``<LogicalAddress xmlns="urn:riv:itintegration:registry:1">``
in the SOAP header; BP 2.0 used WS-Addressing ``wsa:To`` (``itintegration_registry_1.0.xsd``:
"Superseeds wsa:To as type for logical address header in RIVTA 2.1"). The SKLTP VP sets the RIV
profile from which of the two it finds (VP ``PayloadInfoParser.java``). A fault is a SOAP 1.1
``Fault`` with ``faultcode``, ``faultstring`` and an optional ``detail`` (SOAP 1.1 §4.4).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from harness.core.xml import UnsafeXmlError, parse_xml

__all__ = [
    "LOGICAL_ADDRESS_NS",
    "RIVTABP20",
    "RIVTABP21",
    "SOAP11_NS",
    "SOAP_CONTENT_TYPE",
    "WSA_NS",
    "Envelope",
    "SoapError",
    "SoapFault",
    "build_envelope",
    "build_fault",
    "parse_envelope",
    "soap_request_headers",
]

SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/"
LOGICAL_ADDRESS_NS = "urn:riv:itintegration:registry:1"
WSA_NS = "http://www.w3.org/2005/08/addressing"
RIVTABP21, RIVTABP20 = "rivtabp21", "rivtabp20"
SOAP_CONTENT_TYPE = "text/xml;charset=UTF-8"  # SOAP 1.1 over HTTP: text/xml (SOAP 1.1 §6.1)
MAX_SOAP_BYTES = 16_000_000  # SKLTP VP's vp.maxreceive.length is about 15 MB

_ENVELOPE, _HEADER, _BODY, _FAULT = (f"{{{SOAP11_NS}}}{n}" for n in ("Envelope", "Header", "Body", "Fault"))


def soap_request_headers(soap_action: str) -> dict[str, str]:
    """The HTTP headers of a SOAP 1.1 call: ``text/xml`` and the quoted SOAPAction (SOAP 1.1 §6.1.1)."""
    return {"Content-Type": SOAP_CONTENT_TYPE, "SOAPAction": f'"{soap_action}"'}


class SoapError(ValueError):
    """Not a SOAP 1.1 envelope: unsafe or malformed XML, another root, no Body."""


@dataclass(frozen=True, slots=True)
class SoapFault:
    code: str  # faultcode as written, e.g. "soap:Server"
    string: str
    detail: str = ""  # the detail element's text content, whitespace-normalised

    @property
    def code_local(self) -> str:
        """The faultcode without its prefix: "Client" or "Server" (SOAP 1.1 §4.4.1)."""
        return self.code.rsplit(":", 1)[-1]


@dataclass(frozen=True, slots=True)
class Envelope:
    headers: tuple[etree._Element, ...]
    body: etree._Element | None  # the first Body child; None for an empty Body
    fault: SoapFault | None
    logical_address: str | None
    rivta_profile: str | None  # RIVTABP21 for LogicalAddress, RIVTABP20 for wsa:To, None for neither


def build_envelope(
    body: etree._Element,
    *,
    logical_address: str | None = None,
    rivta_profile: str = RIVTABP21,
    extra_headers: Sequence[etree._Element] = (),
) -> bytes:
    """A UTF-8 SOAP 1.1 envelope around ``body``, addressed the way ``rivta_profile`` says."""
    envelope = etree.Element(_ENVELOPE, nsmap={"soapenv": SOAP11_NS})
    header = etree.SubElement(envelope, _HEADER)
    if logical_address is not None:
        if rivta_profile == RIVTABP21:
            address = etree.SubElement(
                header, f"{{{LOGICAL_ADDRESS_NS}}}LogicalAddress", nsmap={"itr": LOGICAL_ADDRESS_NS}
            )
        else:
            address = etree.SubElement(header, f"{{{WSA_NS}}}To", nsmap={"wsa": WSA_NS})
        address.text = logical_address
    for extra in extra_headers:
        header.append(extra)
    etree.SubElement(envelope, _BODY).append(body)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def build_fault(code: str, string: str, detail: str = "") -> bytes:
    """A SOAP 1.1 Fault envelope; ``code`` is "Client" or "Server" (or already prefixed)."""
    envelope = etree.Element(_ENVELOPE, nsmap={"soapenv": SOAP11_NS})
    etree.SubElement(envelope, _HEADER)
    fault = etree.SubElement(etree.SubElement(envelope, _BODY), _FAULT)
    etree.SubElement(fault, "faultcode").text = code if ":" in code else f"soapenv:{code}"
    etree.SubElement(fault, "faultstring").text = string
    if detail:
        etree.SubElement(etree.SubElement(fault, "detail"), "detailString").text = detail
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def parse_envelope(data: bytes, *, max_bytes: int = MAX_SOAP_BYTES) -> Envelope:
    """Parse an untrusted SOAP 1.1 message with the hardened parser (no DTD, no entities)."""
    try:
        root = parse_xml(data, max_bytes=max_bytes)
    except UnsafeXmlError as exc:
        raise SoapError(str(exc)) from None
    if root.tag != _ENVELOPE:
        raise SoapError(f"the root element is {_local(root.tag)!r}, not a SOAP 1.1 Envelope")
    header = root.find(_HEADER)
    body_wrapper = root.find(_BODY)
    if body_wrapper is None:
        raise SoapError("the SOAP Envelope has no Body")
    headers = tuple(h for h in header if isinstance(h.tag, str)) if header is not None else ()
    body = next((child for child in body_wrapper if isinstance(child.tag, str)), None)
    profile, address = _address(headers)
    return Envelope(
        headers=headers,
        body=body,
        fault=_fault(body) if body is not None and body.tag == _FAULT else None,
        logical_address=address,
        rivta_profile=profile,
    )


def _address(headers: Sequence[etree._Element]) -> tuple[str | None, str | None]:
    for element in headers:
        if element.tag == f"{{{LOGICAL_ADDRESS_NS}}}LogicalAddress":
            return RIVTABP21, (element.text or "")
    for element in headers:
        if element.tag == f"{{{WSA_NS}}}To":
            return RIVTABP20, (element.text or "")
    return None, None


def _fault(element: etree._Element) -> SoapFault:
    def text(name: str) -> str:
        found = element.find(name)
        return "" if found is None else " ".join("".join(str(t) for t in found.itertext()).split())

    return SoapFault(code=text("faultcode"), string=text("faultstring"), detail=text("detail"))


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]
