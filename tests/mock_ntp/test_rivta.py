"""What the VP reads from a call: consumer HSA-id, address, profile, contract; and the 2.0/2.1 rewrite."""

from __future__ import annotations

import pytest
from lxml import etree

from harness.core.soap import LOGICAL_ADDRESS_NS, WSA_NS, build_envelope, parse_envelope
from harness.mock_ntp.faults import VpCode, VpFault, fault_body
from harness.mock_ntp.rivta import (
    read_request,
    rewrite_profile,
    sender_id_from_serial,
    sender_id_from_subject,
)

GCD3 = "urn:riv:clinicalprocess:healthcond:description:GetCareDocumentationResponder:3"


def _body() -> etree._Element:
    element = etree.Element(f"{{{GCD3}}}GetCareDocumentation", nsmap={"gcd": GCD3})
    etree.SubElement(element, f"{{{GCD3}}}patientId").text = "x"
    return element


def _c14n(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True)


def test_sender_id_as_skltp_reads_it() -> None:
    # CertificateReaderTest.java: plain and hex-encoded (DER PrintableString) serialNumber
    assert sender_id_from_subject("SERIALNUMBER=SE5565594230-BCQ,CN=kentor.ntjp.sjunet.org,O=Inera AB") == (
        "SE5565594230-BCQ"
    )
    hex_form = (
        "2.5.4.5=#13145453544e4d54323332313030303135362d423032,CN=kentor.ntjp.sjunet.org,O=Inera AB,C=SE"
    )
    assert sender_id_from_subject(hex_form) == "TSTNMT2321000156-B02"
    assert sender_id_from_subject("CN=no serial,O=Inera AB,C=SE") is None
    assert sender_id_from_serial("#13145453544e4d54323332313030303135362d423032") == "TSTNMT2321000156-B02"
    assert sender_id_from_serial("  ") is None


def test_request_profile_address_and_contract() -> None:
    riv = read_request(build_envelope(_body(), logical_address="RP01"), max_bytes=10_000)
    assert (riv.rivta_profile, riv.logical_address, riv.contract, riv.operation) == (
        "rivtabp21",
        "RP01",
        GCD3,
        "GetCareDocumentation",
    )
    riv20 = read_request(
        build_envelope(_body(), logical_address="RP01", rivta_profile="rivtabp20"), max_bytes=10_000
    )
    assert riv20.rivta_profile == "rivtabp20"
    empty = read_request(build_envelope(_body(), logical_address="  "), max_bytes=10_000)
    assert empty.logical_address is None


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (b"not xml", VpCode.VP015),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>', VpCode.VP015),
        (b"<Envelope/>", VpCode.VP015),
    ],
)
def test_unreadable_requests_are_vp015(message: bytes, code: VpCode) -> None:
    with pytest.raises(VpFault) as caught:
        read_request(message, max_bytes=10_000)
    assert caught.value.code is code


def test_an_address_header_in_a_foreign_namespace_is_vp001() -> None:
    foreign = etree.Element("{urn:not-rivta}LogicalAddress")
    foreign.text = "RP01"
    with pytest.raises(VpFault) as caught:
        read_request(build_envelope(_body(), extra_headers=[foreign]), max_bytes=10_000)
    assert caught.value.code is VpCode.VP001


def test_rewrite_moves_the_address_and_keeps_the_body() -> None:
    original = build_envelope(_body(), logical_address="RP01")
    as20 = rewrite_profile(original, to_profile="rivtabp20", max_bytes=10_000)
    envelope = parse_envelope(as20)
    assert (envelope.rivta_profile, envelope.logical_address) == ("rivtabp20", "RP01")
    assert [h.tag for h in envelope.headers] == [f"{{{WSA_NS}}}To"]
    assert envelope.body is not None and _c14n(envelope.body) == _c14n(_body())
    back = parse_envelope(rewrite_profile(as20, to_profile="rivtabp21", max_bytes=10_000))
    assert [h.tag for h in back.headers] == [f"{{{LOGICAL_ADDRESS_NS}}}LogicalAddress"]


def test_fault_format_is_skltps() -> None:
    fault = parse_envelope(
        fault_body(VpFault(VpCode.VP007, "serviceNamespace: x, receiverId: y, senderId: z"), "I")
    )
    assert fault.fault is not None
    assert fault.fault.code == "soapenv:Server"
    assert fault.fault.string == (
        "VP007 [I] Tjänstekonsumenten saknar behörighet att anropa den logiska adressaten via detta "
        "tjänstekontrakt. Kontrollera uppgifterna och vid behov, tillse att det beställs konfiguration i "
        "aktuell tjänsteplattform."
    )
    assert fault.fault.detail == "Authorization missing for serviceNamespace: x, receiverId: y, senderId: z"
    assert VpCode.VP014.detail("ignored") == ""
