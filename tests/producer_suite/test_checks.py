"""The checks on recorded answers, one rule each, against hand-made answers: each must be able to fail."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime

from harness.contracts import CATALOGUE, RequestParams
from harness.core.exchange import Direction, Exchange
from harness.core.scenario import discover_package
from harness.core.soap import build_fault
from harness.producer_suite import checks_fault, checks_transport
from harness.producer_suite.answer import Answer, read_answer
from harness.producer_suite.cases import random_periods
from harness.producer_suite.registry import PRODUCER_CHECKS
from harness.requirements import suite_catalogue

GD = next(c for c in CATALOGUE if c.key == "GetDiagnosis:2.0")
EMPTY_GD = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
    "<r:GetDiagnosisResponse "
    'xmlns:r="urn:riv:clinicalprocess:healthcond:description:GetDiagnosisResponder:2" '
    'xmlns:c="urn:riv:clinicalprocess:healthcond:description:2"><r:result><c:resultCode>OK</c:resultCode>'
    "<c:logId>1f0c6b2e-4f1a-4a59-9d3e-6f7f1b2a3c4d</c:logId><c:message>{text}</c:message></r:result>"
    "</r:GetDiagnosisResponse></soapenv:Body></soapenv:Envelope>"
)


def answer(body: bytes, content_type: str = "text/xml;charset=UTF-8", status: int = 200) -> Answer:
    exchange = Exchange(
        id="x1",
        direction=Direction.OUTGOING,
        method="POST",
        url="https://producer.test/gd",
        request_headers=(),
        request_body=b"",
        status=status,
        response_headers=(("Content-Type", content_type),),
        response_body=body,
        started=datetime.now(UTC),
        elapsed_ms=12.0,
    )
    return read_answer(GD, RequestParams("195709263080"), "TSTNMT2321000156-RP01", exchange, ("x1",), "vp")


def utf8(text: str = "ok") -> bytes:
    return b"<?xml version='1.0' encoding='UTF-8'?>\n" + EMPTY_GD.format(text=text).encode("utf-8")


def test_a_utf8_answer_announced_as_utf8_keeps_the_encoding_rule() -> None:
    assert checks_transport.charset_consistent(answer(utf8("åäö"))) == []


def test_a_utf16_answer_with_bom_prolog_and_header_keeps_the_encoding_rule() -> None:
    body = codecs.BOM_UTF16_LE + (
        "<?xml version='1.0' encoding='UTF-16'?>" + EMPTY_GD.format(text="å")
    ).encode("utf-16-le")
    assert checks_transport.charset_consistent(answer(body, "text/xml; charset=utf-16")) == []


def test_a_latin1_header_on_utf8_bytes_breaks_the_encoding_rule_twice() -> None:
    found = checks_transport.charset_consistent(answer(utf8("åäö"), "text/xml;charset=ISO-8859-1"))
    assert [f.element for f in found] == ["Content-Type charset", "Content-Type charset and XML prolog"]
    assert all(f.check == "charset_consistent" and f.ref.endswith("(PR-R-ENC-17)") for f in found)


def test_bytes_that_are_not_the_announced_encoding_break_the_rule() -> None:
    body = utf8("x").replace(b"ok", "åäö".encode("latin-1"))
    found = checks_transport.charset_consistent(
        answer(body.replace(b"<c:message>x", "<c:message>ö".encode("latin-1")))
    )
    assert [f.element for f in found] == ["response bytes"]


def test_special_characters_must_come_back_as_text_not_double_escaped() -> None:
    seeded = "åäö<>><&"
    escaped = "åäö&lt;&gt;&gt;&lt;&amp;"
    assert checks_transport.special_characters_round_trip(answer(utf8(escaped)), seeded) == []
    double = "åäö&amp;lt;&amp;gt;&amp;gt;&amp;lt;&amp;amp;"
    assert len(checks_transport.special_characters_round_trip(answer(utf8(double)), seeded)) == 1
    broken = answer(utf8("åäö<>><&"))
    assert (
        broken.envelope is None and len(checks_transport.special_characters_round_trip(broken, seeded)) == 1
    )


def test_a_soap_answer_needs_status_200_text_xml_and_the_response_element() -> None:
    assert checks_transport.soap_answer(answer(utf8())) == []
    found = checks_transport.soap_answer(answer(b"<html>oops</html>", "text/html", 503))
    assert [f.element for f in found] == ["HTTP status", "Content-Type", "SOAP Body"]


def test_a_technical_fault_may_not_name_the_patient_in_any_form() -> None:
    clean = answer(
        build_fault("Server", "Technical error, log id 1f0c6b2e-4f1a-4a59-9d3e-6f7f1b2a3c4d"), status=500
    )
    assert checks_fault.technical_fault(clean, ["195709263080"]) == []
    assert checks_fault.fault_has_log_id(clean) == []
    leaky = answer(build_fault("Server", "no journal for 570926-3080"), status=500)
    assert [f.element for f in checks_fault.technical_fault(leaky, ["195709263080"])] == ["the Fault"]
    assert len(checks_fault.fault_has_log_id(leaky)) == 1


def test_random_periods_are_repeatable_and_test_every_record_date_as_a_single_day() -> None:
    dates = ["20230314094500", "20240105230000", "20240108090000"]
    first, again = random_periods(dates, 5, "GetDiagnosis:2.0"), random_periods(dates, 5, "GetDiagnosis:2.0")
    assert first == again and len(first) == 8
    assert {(p.start, p.end) for p in first[:3]} == {
        ("20230314", "20230314"),
        ("20240105", "20240105"),
        ("20240108", "20240108"),
    }
    assert all(p.start <= p.end for p in first)
    assert random_periods(dates, 5, "GetCareContacts:3.0") != first


def test_every_registered_check_names_a_requirement_of_the_catalogue() -> None:
    discover_package("scenarios.producer")  # imports every scenario module, and so every check module
    catalogue = suite_catalogue("producer")
    checks = list(PRODUCER_CHECKS)
    assert len(checks) > 40
    assert {c.requirement for c in checks} <= {r.id for r in catalogue.requirements}
    assert catalogue.get("PR-R-LA-03").sources[0].startswith("TKB clinicalprocess:healthcond:description §4")
