"""What the VP reads from a call: the consumer's HSA-id, the logical address, the RIV profile and
the service contract; and the RIVTA BP 2.0 <-> 2.1 address rewrite.

- Consumer: the client certificate's subject serialNumber, matched as SKLTP does with
  ``certificate.senderid.subject.pattern=(?:2.5.4.5|SERIALNUMBER)=([^,]+)``; a hex-encoded value
  (``#13<len><hex>``) is decoded (``certificate/SenderIdExtractor.java``).
- Logical address and profile: ``LogicalAddress`` (``urn:riv:itintegration:registry:1``) is BP 2.1,
  WS-Addressing ``To`` is BP 2.0 (``requestreader/PayloadInfoParser.java``).
- Contract: the namespace of the Body's first element, e.g.
  ``urn:riv:clinicalprocess:healthcond:description:GetCareDocumentationResponder:3`` (PayloadInfoParser).
- Rewrite: when the producer's TAK profile differs, the address header moves between the two
  namespaces and element names; the rest of the message is kept (``vagval/RivTaProfilProcessor.java``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from harness.core.soap import (
    LOGICAL_ADDRESS_NS,
    RIVTABP20,
    RIVTABP21,
    SOAP11_NS,
    WSA_NS,
    Envelope,
    SoapError,
    parse_envelope,
)
from harness.core.xml import parse_xml
from harness.mock_ntp.faults import VpCode, VpFault

__all__ = ["RivRequest", "read_request", "rewrite_profile", "sender_id_from_serial", "sender_id_from_subject"]

_SENDER_PATTERN = re.compile(r"(?:2\.5\.4\.5|SERIALNUMBER)=([^,]+)", re.IGNORECASE)
_ADDRESS_TAGS = {RIVTABP21: f"{{{LOGICAL_ADDRESS_NS}}}LogicalAddress", RIVTABP20: f"{{{WSA_NS}}}To"}
_ADDRESS_NSMAP = {RIVTABP21: {"itr": LOGICAL_ADDRESS_NS}, RIVTABP20: {"wsa": WSA_NS}}


def sender_id_from_serial(serial: str | None) -> str | None:
    """The HSA-id from a certificate's serialNumber attribute value (hex form decoded), or None."""
    if serial is None or not serial.strip():
        return None
    if not serial.startswith("#"):
        return serial
    try:  # "#" + DER tag (2 hex) + length (2 hex) + value, as SenderIdExtractor.convertFromHexToString
        return bytes.fromhex(serial[5:]).decode("utf-8") or None
    except (ValueError, UnicodeDecodeError):
        return None


def sender_id_from_subject(subject: str) -> str | None:
    """The HSA-id from an RFC 4514 / Java principal subject string, or None."""
    match = _SENDER_PATTERN.search(subject)
    return sender_id_from_serial(match.group(1).strip()) if match else None


@dataclass(frozen=True, slots=True)
class RivRequest:
    envelope: Envelope
    logical_address: str | None  # None: no address, or an empty one (VP003)
    rivta_profile: str | None
    contract: str  # the Body element's namespace
    operation: str  # the Body element's local name, e.g. "GetCareDocumentation"


def read_request(body: bytes, *, max_bytes: int) -> RivRequest:
    """Parse a call to the VP; raises VP015 (not a SOAP request) or VP001 (address of no known profile)."""
    try:
        envelope = parse_envelope(body, max_bytes=max_bytes)
    except SoapError as exc:
        raise VpFault(VpCode.VP015, str(exc)) from None
    if envelope.body is None:
        raise VpFault(VpCode.VP015, "The SOAP Body is empty.")
    qname = etree.QName(envelope.body)
    if not qname.namespace:
        raise VpFault(VpCode.VP015, "The SOAP Body element has no namespace, so no service contract.")
    if envelope.rivta_profile is None and _foreign_address(envelope):
        raise VpFault(VpCode.VP001)
    address = envelope.logical_address
    return RivRequest(
        envelope=envelope,
        logical_address=address if address and address.strip() else None,
        rivta_profile=envelope.rivta_profile,
        contract=qname.namespace,
        operation=qname.localname,
    )


def _foreign_address(envelope: Envelope) -> bool:
    """A LogicalAddress or To header in a namespace of neither RIV profile."""
    return any(etree.QName(h).localname in ("LogicalAddress", "To") for h in envelope.headers)


def rewrite_profile(body: bytes, *, to_profile: str, max_bytes: int) -> bytes:
    """The message with its address header moved to ``to_profile`` (rivtabp20 <-> rivtabp21)."""
    root = parse_xml(body, max_bytes=max_bytes)
    header = root.find(f"{{{SOAP11_NS}}}Header")
    if header is None:
        raise VpFault(VpCode.VP012, "Kan inte transformera mellan riv-versionerna.")
    source_tags = set(_ADDRESS_TAGS.values()) - {_ADDRESS_TAGS[to_profile]}
    for element in list(header):
        if element.tag in source_tags:
            replacement = etree.Element(_ADDRESS_TAGS[to_profile], nsmap=_ADDRESS_NSMAP[to_profile])
            replacement.text = element.text
            replacement.tail = element.tail
            header.replace(element, replacement)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
