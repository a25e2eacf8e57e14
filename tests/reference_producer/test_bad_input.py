"""Bad input gets a SOAP 1.1 Fault without personal data, and the producer keeps serving."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from harness.contracts.requests import RequestParams
from harness.reference_producer.app import ReferenceProducer
from harness.reference_producer.testdata import PATIENT
from tests.reference_producer.helpers import RP01, answer, envelope, fault_of, post

LABEL = "GetDiagnosis 2.0"
GOOD = envelope(LABEL, RequestParams(PATIENT))
_SOAP = (
    b'<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">'
)
BAD_BODIES = {
    "not XML": b"this is not xml",
    "malformed XML": _SOAP + b"<s:Body><unclosed></s:Body>",
    "a DTD with an entity": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>'
    + GOOD[GOOD.index(b"<soapenv") :],
    "not an envelope": b'<?xml version="1.0"?><GetDiagnosis/>',
    "no LogicalAddress": envelope(LABEL, RequestParams(PATIENT), logical_address=None),
    "another contract's request": envelope("GetCareContacts 3.0", RequestParams(PATIENT)),
    "an empty body": _SOAP + b"<s:Header/><s:Body/></s:Envelope>",
    "no patientId": GOOD.replace(PATIENT.encode(), b"").split(b"<core:patientId>")[0]
    + b"</GetDiagnosis></soapenv:Body></soapenv:Envelope>",
}


def _keeps_serving(producer: ReferenceProducer) -> None:
    assert answer(producer, LABEL).records


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_requests_get_a_client_fault(producer: ReferenceProducer, case: str) -> None:
    response = post(producer, LABEL, BAD_BODIES[case])
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "text/xml;charset=UTF-8"
    fault = fault_of(response)
    assert fault.code_local == "Client"
    assert PATIENT not in response.get_data(as_text=True)
    _keeps_serving(producer)


def test_wsa_to_addressing_is_refused(producer: ReferenceProducer) -> None:
    """RIVTA BP 2.0 addressing (wsa:To): this producer serves BP 2.1 only."""
    body = envelope(LABEL, RequestParams(PATIENT), logical_address=None)
    body = body.replace(b"<soapenv:Header/>", b'<soapenv:Header><wsa:To xmlns:wsa="http://www.w3.org/2005/08/addressing">'
                        + RP01.encode() + b"</wsa:To></soapenv:Header>")  # fmt: skip
    assert "LogicalAddress" in fault_of(post(producer, LABEL, body)).string


def test_wrong_soap_action_is_refused(producer: ReferenceProducer) -> None:
    response = post(producer, LABEL, GOOD, headers={"SOAPAction": '"urn:riv:something:else"'})
    assert "SOAPAction" in fault_of(response).string


def test_wrong_content_type_is_refused(producer: ReferenceProducer) -> None:
    response = post(producer, LABEL, GOOD, headers={"Content-Type": "application/json"})
    assert response.status_code == 415 and fault_of(response).code_local == "Client"


def test_a_huge_body_is_refused(producer: ReferenceProducer) -> None:
    response = post(producer, LABEL, GOOD + b" " * 1_100_000)
    assert response.status_code == 413 and fault_of(response).code_local == "Client"
    _keeps_serving(producer)


@pytest.mark.parametrize("peer", [None, "TSTNMT2321000156-1177"], ids=["no client certificate", "not the VP"])
def test_only_the_vp_may_call(producer: ReferenceProducer, peer: str | None) -> None:
    response = post(producer, LABEL, GOOD, peer=peer)
    assert response.status_code == 403 and fault_of(response).code_local == "Client"
    assert PATIENT not in response.get_data(as_text=True)


def test_an_unknown_address_and_get_are_answered(producer: ReferenceProducer) -> None:
    client = Client(producer)
    unknown = client.post("/clinicalprocess/healthcond/description/GetNothing/1/rivtabp21", data=GOOD)
    assert unknown.status_code == 404 and fault_of(unknown).code_local == "Client"
    assert client.get("/clinicalprocess/healthcond/description/GetDiagnosis/2/rivtabp21").status_code == 405
    assert "GetDiagnosis 2.0" in client.get("/").get_data(as_text=True)


def test_a_technical_error_is_a_fault_with_a_log_id_and_no_personal_data(producer: ReferenceProducer) -> None:
    """TKB description §4 "Tekniska fel": a SOAP Fault, no personal data, a UUID log id."""
    client = Client(producer)
    assert client.post("/test-hooks/technical-error", json={"calls": 2}).status_code == 200
    for _ in range(2):
        response = post(producer, LABEL, GOOD)
        fault = fault_of(response)
        assert response.status_code == 500 and fault.code_local == "Server"
        text = response.get_data(as_text=True)
        assert PATIENT not in text and "Testlän" not in text
        log_id = fault.string.rsplit(" ", 1)[-1]
        assert (log_id, "StoreUnavailable") in producer.errors
    _keeps_serving(producer)
