"""Calling the producer in-process as the VP would: a SOAP envelope addressed with LogicalAddress,
the soapAction, the VP's certificate (as the server layer reports it) and the original consumer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree
from werkzeug.test import Client, TestResponse

from harness.contracts import find_contract
from harness.contracts.requests import RequestParams, build_request
from harness.contracts.responses import ContractResponse, read_response
from harness.core.soap import SoapFault, build_envelope, parse_envelope
from harness.reference_producer.app import ORIGINAL_CONSUMER_HEADER, PEER_CERTIFICATE_ENVIRON_KEY
from harness.reference_producer.contracts import find_served
from harness.reference_producer.organisation import DEFAULT_SOURCE_SYSTEMS
from harness.reference_producer.testdata import PATIENT

RP01, RP02 = DEFAULT_SOURCE_SYSTEMS
VP = "TSTNMT2321000156-VP01"
LABELS = (
    "GetCareDocumentation 2.1",
    "GetCareDocumentation 3.0",
    "GetDiagnosis 2.0",
    "GetCareContacts 2.0",
    "GetCareContacts 3.0",
    "GetLaboratoryOrderOutcome 3.1",
    "GetLaboratoryOrderOutcome 4.2",
)


@dataclass(frozen=True)
class Peer:
    """What the server layer puts in the WSGI environ for a verified client certificate."""

    serial_number: str | None


def split(label: str) -> tuple[str, str]:
    name, version = label.split(" ")
    return name, version


def envelope(label: str, params: RequestParams, logical_address: str | None = RP01) -> bytes:
    contract = find_contract(*split(label))
    return build_envelope(build_request(contract, params), logical_address=logical_address)


def post(
    app: object,
    label: str,
    body: bytes,
    *,
    peer: str | None = VP,
    consumer: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> TestResponse:
    served = find_served(*split(label))
    sent = {"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": f'"{served.soap_action}"'}
    if consumer:
        sent[ORIGINAL_CONSUMER_HEADER] = consumer
    sent.update(headers or {})
    environ = {PEER_CERTIFICATE_ENVIRON_KEY: Peer(peer)} if peer is not None else {}
    return Client(app).post(served.path, data=body, headers=sent, environ_overrides=environ)


def call(app: object, label: str, params: RequestParams | None = None, *, logical_address: str = RP01,
         consumer: str | None = None) -> TestResponse:  # fmt: skip
    return post(
        app, label, envelope(label, params or RequestParams(PATIENT), logical_address), consumer=consumer
    )


def answer(app: object, label: str, params: RequestParams | None = None, **kw: str) -> ContractResponse:
    """The parsed response of a successful call (asserts HTTP 200 and no fault)."""
    response = call(app, label, params, **kw)
    assert response.status_code == 200, response.get_data(as_text=True)
    parsed = parse_envelope(response.get_data())
    assert parsed.body is not None and parsed.fault is None
    return read_response(find_contract(*split(label)), parsed.body)


def fault_of(response: TestResponse) -> SoapFault:
    parsed = parse_envelope(response.get_data())
    assert parsed.fault is not None, response.get_data(as_text=True)
    return parsed.fault


@dataclass
class RecordingSender:
    """An EI sender that keeps every Update it is given and answers OK."""

    bodies: list[bytes] = field(default_factory=list)

    def post(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        self.bodies.append(body)
        response = etree.Element("{urn:riv:itintegration:engagementindex:UpdateResponder:1}UpdateResponse")
        etree.SubElement(
            response, "{urn:riv:itintegration:engagementindex:UpdateResponder:1}ResultCode"
        ).text = "OK"
        return 200, build_envelope(response)
