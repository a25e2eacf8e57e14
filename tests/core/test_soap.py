"""SOAP 1.1 envelopes: RIVTA BP 2.1 and 2.0 addressing, faults, hostile input."""

from __future__ import annotations

import pytest
from lxml import etree

from harness.core.soap import (
    LOGICAL_ADDRESS_NS,
    RIVTABP20,
    RIVTABP21,
    WSA_NS,
    SoapError,
    build_envelope,
    build_fault,
    parse_envelope,
    soap_request_headers,
)


def _body() -> etree._Element:
    body = etree.Element("{urn:example}GetThing")
    etree.SubElement(body, "{urn:example}patientId").text = "191212121212"
    return body


def test_bp21_envelope_carries_the_logical_address_header_and_round_trips() -> None:
    data = build_envelope(_body(), logical_address="SE123-A")
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(data)
    assert root.find(f".//{{{LOGICAL_ADDRESS_NS}}}LogicalAddress") is not None
    envelope = parse_envelope(data)
    assert (envelope.rivta_profile, envelope.logical_address) == (RIVTABP21, "SE123-A")
    assert envelope.body is not None and envelope.body.tag == "{urn:example}GetThing"
    assert envelope.fault is None


def test_bp20_envelope_addresses_with_wsa_to() -> None:
    data = build_envelope(_body(), logical_address="SE123-A", rivta_profile=RIVTABP20)
    assert etree.fromstring(data).find(f".//{{{WSA_NS}}}To") is not None
    envelope = parse_envelope(data)
    assert (envelope.rivta_profile, envelope.logical_address) == (RIVTABP20, "SE123-A")


def test_envelope_without_address_has_no_profile() -> None:
    envelope = parse_envelope(build_envelope(_body()))
    assert (envelope.rivta_profile, envelope.logical_address) == (None, None)


def test_fault_is_read_back_with_code_string_and_detail() -> None:
    envelope = parse_envelope(
        build_fault("Server", "VP009 [test] Error", "VP_PRODUCER_EXCEPTION_HTTP_STATUS=500")
    )
    assert envelope.fault is not None
    assert envelope.fault.code == "soapenv:Server" and envelope.fault.code_local == "Server"
    assert envelope.fault.string == "VP009 [test] Error"
    assert envelope.fault.detail == "VP_PRODUCER_EXCEPTION_HTTP_STATUS=500"


@pytest.mark.parametrize(
    "data",
    [
        b"not xml",
        b"<a/>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><x>&e;</x>',
        b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"/>',
    ],
)
def test_hostile_or_malformed_input_is_a_soap_error(data: bytes) -> None:
    with pytest.raises(SoapError):
        parse_envelope(data)


def test_size_limit_applies() -> None:
    with pytest.raises(SoapError, match="more than"):
        parse_envelope(build_envelope(_body()), max_bytes=100)


def test_request_headers_are_text_xml_with_the_quoted_soap_action() -> None:
    assert soap_request_headers("urn:example:GetThing") == {
        "Content-Type": "text/xml;charset=UTF-8",
        "SOAPAction": '"urn:example:GetThing"',
    }
