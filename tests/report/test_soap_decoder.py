"""The SOAP evidence decoder: envelopes pretty-printed, faults apart, RIVTA personal data found."""

from __future__ import annotations

import time

from report_samples import (
    LEAKY_FAULT,
    PERSONNUMMER,
    SOAP_FAULT,
    SOAP_NS,
    care_documentation_request,
    exchange,
    soap_envelope,
)

from harness.core.exchange import Exchange
from harness.report.decoders import SoapDecoder
from harness.report.decoding import PartKind
from harness.report.evidence import MAX_BODY_CHARS, render_exchange

XML = (("Content-Type", "text/xml; charset=UTF-8"),)
JOL_NS = "urn:riv:clinicalprocess:healthcond:description:GetCareDocumentationResponder:3"


def soap_call(request: bytes, response: bytes, status: int = 200) -> Exchange:
    return exchange(
        "x1",
        "POST",
        "https://p.example.test/",
        request=(XML, request),
        status=status,
        response=(XML, response),
    )


def test_rivta_20_addressing_is_named_in_the_title() -> None:
    body = (
        f'<soapenv:Envelope {SOAP_NS} xmlns:wsa="http://www.w3.org/2005/08/addressing"><soapenv:Header>'
        "<wsa:To>TSTNMT2321000156-RP02</wsa:To></soapenv:Header><soapenv:Body>"
        '<GetDiagnosis xmlns="urn:riv:x:GetDiagnosisResponder:2"/></soapenv:Body></soapenv:Envelope>'
    ).encode()
    (part,) = SoapDecoder().decode(exchange("x1", "POST", "https://p/", request=(XML, body)))
    assert part.title == (
        "SOAP request: GetDiagnosis (urn:riv:x:GetDiagnosisResponder:2), "
        "logical address TSTNMT2321000156-RP02 (rivtabp20)"
    )
    assert part.kind is PartKind.XML and part.where == "request body"
    assert part.text.startswith(f"<soapenv:Envelope {SOAP_NS}")


def test_a_fault_is_shown_apart_and_hostile_text_in_it_stays_text() -> None:
    parts = SoapDecoder().decode(soap_call(care_documentation_request(PERSONNUMMER), SOAP_FAULT, 500))
    assert [(p.title, p.fault) for p in parts] == [
        (parts[0].title, False),
        ("SOAP response: Fault", False),
        ("SOAP Fault soap:Server", True),
    ]
    assert parts[2].text == "faultcode: soap:Server\nfaultstring: <script>alert(1)</script>"
    assert parts[2].kind is PartKind.TEXT  # never highlighted, never markup


def test_a_response_with_a_dtd_is_not_parsed_and_says_why() -> None:
    hostile = (
        b'<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><soapenv:Envelope>&x;</soapenv:Envelope>'
    )
    request, problem = SoapDecoder().decode(soap_call(care_documentation_request(PERSONNUMMER), hostile))
    assert request.title.startswith("SOAP request: GetCareDocumentation")
    assert (problem.title, problem.text) == ("SOAP response expected", "")
    assert (
        problem.problem
        == "not a SOAP 1.1 envelope: document carries a DTD (<!DOCTYPE>), which is not allowed"
    )
    assert SoapDecoder().personal_data(soap_call(hostile, hostile)).names == frozenset()


def test_exchanges_without_soap_give_nothing() -> None:
    page = exchange(
        "x1", "GET", "https://sp/", response=((("Content-Type", "text/html"),), b"<html>Envelope</html>")
    )
    assert SoapDecoder().decode(page) == ()
    assert SoapDecoder().personal_data(page).names == frozenset()


def test_a_response_alone_is_decoded_too() -> None:
    """A mock's recording may hold only the answer (the request came in another exchange)."""
    parts = SoapDecoder().decode(exchange("x1", "POST", "https://p/", response=(XML, LEAKY_FAULT)))
    assert [p.title for p in parts] == [
        "SOAP response: Fault, logical address TSTNMT2321000156-RP01 (rivtabp21)",
        "SOAP Fault soapenv:Server",
    ]


def test_person_names_and_patient_ids_are_learned_from_rivta_elements_only() -> None:
    body = soap_envelope(
        f'<GetCareDocumentationResponse xmlns="{JOL_NS}"><careDocumentation><header>'
        "<accessControlHeader><accountableHealthcareProvider><root>1.2.752.129.2.1.4.1</root>"
        "<extension>SE2321000016-A1</extension></accountableHealthcareProvider>"
        "<patientId><root>1.2.752.97.3.1.3</root><extension>RES-123456</extension></patientId>"
        "</accessControlHeader><author><id><extension>SE-HSA-9</extension></id><name>Ingrid Ek</name>"
        "<orgUnit><name>Vårdcentralen Kusten</name></orgUnit></author>"
        "<signature><name>Ove<!-- x -->Lind</name></signature></header><body>"
        "<legalAuthenticator><legalAuthenticatorName>Sara Berg</legalAuthenticatorName></legalAuthenticator>"
        "<careGiver><name>Region Norr</name></careGiver>"
        "<performer><Name>Tor Nilsson</Name></performer><careGiverContact><name>Lena Holm</name>"
        "</careGiverContact><healthcareProfessionalOrgUnit><name>Akuten</name></healthcareProfessionalOrgUnit>"
        "</body></careDocumentation>"
        "</GetCareDocumentationResponse>"
    )
    found = SoapDecoder().personal_data(exchange("x1", "POST", "https://p/", response=(XML, body)))
    split_by_a_comment = {"Ove Lind", "OveLind", "Ove", "Lind"}
    assert found.names == {"Ingrid Ek", *split_by_a_comment, "Sara Berg", "Tor Nilsson", "Lena Holm"}
    assert found.identifiers == {"RES-123456"}


def test_base64_content_is_concealed_but_signatures_and_short_values_are_not() -> None:
    blob = "QUJD" * 40
    text = (
        f"<value>{blob}</value>\n<ns2:value attr='1'>\n  {blob}\n</ns2:value>\n"
        f"<ds:SignatureValue>{blob}</ds:SignatureValue>\n<value>QUJD</value>"
    )
    concealed = SoapDecoder().conceal(text)
    assert concealed.count("[removed: 160 characters of base64 content") == 2
    assert f"<ds:SignatureValue>{blob}</ds:SignatureValue>" in concealed
    assert "<value>QUJD</value>" in concealed


def test_concealing_a_hostile_body_takes_one_pass() -> None:
    hostile = ("<value>" + "QUJD \n" * 40_000 + "!") * 5  # long base64-like runs that never close
    started = time.monotonic()
    assert SoapDecoder().conceal(hostile) == hostile
    assert time.monotonic() - started < 1.0


def test_a_large_envelope_is_pretty_printed_and_shortened_like_any_body() -> None:
    note = "<note>" + "x" * 60 + "</note>"
    big = soap_envelope(note * 20_000)  # 1.3 MB: more than an ordinary XML body may be parsed
    view = render_exchange(exchange("x1", "POST", "https://p/", response=(XML, big)), (SoapDecoder(),))
    (part,) = view.decoded
    assert part.kind is PartKind.XML and "\n    <note>xxx" in part.text
    assert len(part.text) < MAX_BODY_CHARS + 100 and part.text.endswith("more characters not shown]")
