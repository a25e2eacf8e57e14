"""Calling the mock VP in tests: requests built with the contract catalogue, sent over mutual TLS."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import requests

from harness.contracts import RequestParams, build_request, find_contract
from harness.core.soap import SoapFault, build_envelope, parse_envelope
from harness.mock_ntp.platform import RunningPlatform
from harness.mock_ntp.tak import Authorisation, Route, Tak, Timeouts
from harness.pki import IssuedCertificate

GCD3 = find_contract("GetCareDocumentation", "3.0")
RP01, RP02, RP03 = "TSTNMT2321000156-RP01", "TSTNMT2321000156-RP02", "TSTNMT2321000156-RP03"
CONSUMER = "TSTNMT2321000156-1177"
INSTANCE = "NTJP-MOCK"
_DEFAULT = object()


def request_body(patient: str, logical_address: str | None = RP01, *, profile: str = "rivtabp21") -> bytes:
    element = build_request(GCD3, RequestParams(patient_id=patient))
    return build_envelope(element, logical_address=logical_address, rivta_profile=profile)


def call(
    platform: RunningPlatform,
    body: bytes,
    *,
    identity: IssuedCertificate | None | object = _DEFAULT,
    headers: Mapping[str, str] | None = None,
    method: str = "POST",
    timeout: float = 10.0,
) -> requests.Response:
    """POST ``body`` to the VP as the consumer (or as ``identity``, or with no certificate: None)."""
    chosen = platform.certificates.consumer if identity is _DEFAULT else identity
    cert = None if chosen is None else (str(chosen.cert), str(chosen.key))  # type: ignore[attr-defined]
    sent = {
        "Content-Type": "text/xml;charset=UTF-8",
        "SOAPAction": f'"{GCD3.soap_action}"',
        **(headers or {}),
    }
    return requests.request(
        method,
        platform.vp_address("clinicalprocess/healthcond/description/GetCareDocumentation/3/rivtabp21"),
        data=body,
        headers=sent,
        cert=cert,
        verify=str(platform.certificates.ca),
        timeout=timeout,
    )


def route_tak(
    address: str,
    *,
    logical_address: str = RP01,
    consumer: str = CONSUMER,
    profile: str = "rivtabp21",
    producer_timeout_s: float = 5.0,
) -> Tak:
    """TAK with one route for GetCareDocumentation 3 and the consumer authorised for it."""
    return Tak(
        routes=(Route(logical_address, GCD3.tak_contract, profile, address),),
        authorisations=(Authorisation(consumer, logical_address, GCD3.tak_contract),),
        contract_timeouts=((GCD3.tak_contract, Timeouts(connect_s=1.0, producer_s=producer_timeout_s)),),
    )


def fault_of(response: requests.Response) -> SoapFault:
    assert response.status_code == 500, response.text
    assert response.headers["Content-Type"].startswith("text/xml")
    fault = parse_envelope(response.content).fault
    assert fault is not None, response.text
    return fault


def vp_fault(response: requests.Response, code: str) -> SoapFault:
    """The VP's own fault, checked for its code, format and faultcode."""
    fault = fault_of(response)
    assert fault.string.startswith(f"{code} [{INSTANCE}] "), fault.string
    return fault


def ca_path(platform: RunningPlatform) -> Path:
    return platform.certificates.ca
