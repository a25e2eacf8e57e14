"""The producer suite's evidence decoder: SOAP 1.1 envelopes as RIVTA uses them, faults shown apart.

Each SOAP request and response is pretty-printed (hardened parser, harness.core.soap) and titled
with what a reader looks for first: the operation (the Body's first element and its namespace),
the logical address and RIVTA profile (BP 2.1 ``LogicalAddress``, BP 2.0 ``wsa:To``), and for a
fault its ``faultcode`` and ``faultstring`` (SOAP 1.1 §4.4), which get a part of their own. A
response to a SOAP request that is not a SOAP envelope says why.

Personal data in a RIVTA body: the patient's identity (``patientId``, PersonIdType ``id`` or II
``extension``; a personnummer is masked by its shape, a local reserve number only by being learned
here) and the names of people: the patient and the healthcare professionals who wrote, signed or
performed something. RIVTA names them in ``personName`` (PersonType, clinicalprocess_healthcond_
description_2.1.xsd), ``healthcareProfessionalName``, ``legalAuthenticatorName``, ``authorName``,
``attesterName``, ``leadName`` (actoutcome 3.1), and in a ``name`` element of an author, signature,
actor, person or patient (AuthorType/SignatureType in description 3.0, ActorType in actoutcome).
Base64 content (``multimediaEntry/value``, ``dicomValue``: a scanned note, an image) may carry any
personal data and is concealed in a masked report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from harness.core.exchange import Exchange
from harness.core.soap import MAX_SOAP_BYTES, Envelope, SoapError, SoapFault, parse_envelope
from harness.core.xml import UnsafeXmlError, parse_xml
from harness.report.decoding import DecodedPart, PartKind, PersonalData

__all__ = ["PERSON_NAME_ELEMENTS", "SoapDecoder", "personal_data_in_envelope"]

PERSON_NAME_ELEMENTS = frozenset(
    n.lower()
    for n in (
        "personName",
        "patientName",
        "healthcareProfessionalName",
        "legalAuthenticatorName",
        "authorName",
        "attesterName",
        "leadName",
        "givenName",
        "middleName",
        "familyName",
        "surname",
        "fullName",
    )
)
# A plain ``name``/``Name`` is a person's when its parent is named for a person's role: author,
# signature (AuthorType, SignatureType), legalAuthenticator, performer, careGiverContact (ActorType),
# person, patient, accountableHealthcareProfessional, ... An orgUnit, careGiver or careUnit name is not.
_PERSON_ROLES = (
    "author",
    "signature",
    "authenticator",
    "attested",
    "actor",
    "contact",
    "performer",
    "person",
    "requester",
    "patient",
    "professional",
    "authorizer",
    "prescriber",
)
_PATIENT_IDS = frozenset({"patientid", "originalpatientid", "personid"})
_ID_PARTS = frozenset({"id", "extension"})  # PersonIdType{id, type}, IIType{root, extension}
_SNIFF_BYTES = 2048
# Greedy and anchored at the start tag: one linear scan per tag, also for a hostile body.
_BASE64_CONTENT = re.compile(r"(<(?:[\w.-]+:)?(?:value|dicomValue)\b[^<>]*>)([A-Za-z0-9+/=\s]{64,})(?=</)")
_CONCEALED = "[removed: {} characters of base64 content, which may carry personal data]"


class SoapDecoder:
    """Pretty-prints SOAP requests and responses, and shows a SOAP Fault apart (EvidenceDecoder)."""

    name = "soap"

    def decode(self, exchange: Exchange) -> tuple[DecodedPart, ...]:
        parts: list[DecodedPart] = []
        request = _envelope_part(self.name, "request", exchange.request_body)
        if request is not None:
            parts.append(request[0])
        response = _envelope_part(self.name, "response", exchange.response_body)
        if response is not None:
            parts.append(response[0])
            if response[1] is not None:
                parts.append(_fault_part(self.name, response[1]))
        elif request is not None and exchange.response_body:
            parts.append(_not_soap(self.name, exchange.response_body))
        return tuple(parts)

    def personal_data(self, exchange: Exchange) -> PersonalData:
        names: set[str] = set()
        identifiers: set[str] = set()
        for body in (exchange.request_body, exchange.response_body):
            envelope = _parse(body)
            if envelope is not None:
                found = personal_data_in_envelope(envelope)
                names |= found.names
                identifiers |= found.identifiers
        return PersonalData(frozenset(names), frozenset(identifiers))

    def conceal(self, text: str) -> str:
        if "alue" not in text:
            return text
        return _BASE64_CONTENT.sub(_concealed, text)


def personal_data_in_envelope(envelope: Envelope) -> PersonalData:
    """Person names and patient identifiers anywhere in the envelope's body."""
    names: set[str] = set()
    identifiers: set[str] = set()
    if envelope.body is None:
        return PersonalData()
    for element in _elements(envelope.body):
        local = _local(element)
        if local in PERSON_NAME_ELEMENTS or (local == "name" and _is_person(element.getparent())):
            names |= _texts(element)
        elif local in _PATIENT_IDS:
            for part in _elements(element):
                if _local(part) in _ID_PARTS:
                    identifiers |= _texts(part)
    return PersonalData(frozenset(names), frozenset(identifiers))


def _envelope_part(decoder: str, side: str, body: bytes) -> tuple[DecodedPart, SoapFault | None] | None:
    envelope = _parse(body)
    if envelope is None:
        return None
    try:
        pretty = etree.tostring(
            parse_xml(body, max_bytes=MAX_SOAP_BYTES), pretty_print=True, encoding="unicode"
        )
    except UnsafeXmlError:  # cannot happen: parse_envelope parsed the same bytes with the same parser
        return None
    part = DecodedPart(decoder, _title(side, envelope), f"{side} body", PartKind.XML, pretty)
    return part, envelope.fault


def _fault_part(decoder: str, fault: SoapFault) -> DecodedPart:
    lines = [f"faultcode: {fault.code}", f"faultstring: {fault.string}"]
    if fault.detail:
        lines.append(f"detail: {fault.detail}")
    title = f"SOAP Fault {fault.code}".rstrip()
    return DecodedPart(decoder, title, "response body", PartKind.TEXT, "\n".join(lines), fault=True)


def _not_soap(decoder: str, body: bytes) -> DecodedPart:
    try:
        parse_envelope(body)
        problem = "not a SOAP 1.1 envelope"
    except SoapError as exc:
        problem = f"not a SOAP 1.1 envelope: {exc}"
    return DecodedPart(decoder, "SOAP response expected", "response body", PartKind.TEXT, "", problem=problem)


def _parse(body: bytes) -> Envelope | None:
    if b"Envelope" not in body[:_SNIFF_BYTES]:
        return None
    try:
        return parse_envelope(body)
    except SoapError:
        return None


def _title(side: str, envelope: Envelope) -> str:
    if envelope.fault is not None:
        operation = "Fault"
    elif envelope.body is None:
        operation = "empty Body"
    else:
        name = etree.QName(envelope.body)
        operation = f"{name.localname} ({name.namespace})" if name.namespace else name.localname
    address = ""
    if envelope.logical_address is not None:
        address = f", logical address {envelope.logical_address} ({envelope.rivta_profile})"
    return f"SOAP {side}: {operation}{address}"


def _is_person(parent: etree._Element | None) -> bool:
    return parent is not None and _local(parent).endswith(_PERSON_ROLES)


def _concealed(match: re.Match[str]) -> str:
    characters = len("".join(match.group(2).split()))
    return match.group(1) + _CONCEALED.format(characters)


def _elements(root: etree._Element) -> Iterator[etree._Element]:
    return (e for e in root.iter() if isinstance(e.tag, str))


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname.lower()


def _texts(element: etree._Element) -> set[str]:
    """The element's text, whitespace-normalised, and its pieces if a comment splits it."""
    pieces = [" ".join(str(t).split()) for t in element.itertext()]
    return {p for p in (" ".join(pieces).strip(), "".join(pieces).strip(), *pieces) if p}
