"""Mutual TLS towards the producer (RIVTA BP 2.1 rule #6; SKLTP VP presents its own client certificate):
the harness calls the producer's endpoint directly three times, with the platform VP's certificate
(the positive control: it must be answered), with no client certificate, and with a certificate of the
same subject serialNumber from another CA (both must be refused: no TLS session, or no contract answer).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from harness.contracts import build_request
from harness.core.findings import Finding, mismatch
from harness.core.soap import SoapError, build_envelope, parse_envelope
from harness.pki import TestCa
from harness.producer_suite.cases import base_params
from harness.producer_suite.checking import check
from harness.producer_suite.driver import ProducerDriver, soap_headers
from harness.transport import ClientIdentity, HttpTransport, TargetUnreachable

__all__ = ["tls_findings"]


def _answered(driver: ProducerDriver, identity: ClientIdentity | None, tag: str) -> tuple[bool, str]:
    """Whether the producer answered the contract call with its response element (and the exchange id)."""
    producer = driver.env.producer
    contract = producer.contracts[0]
    body = build_envelope(
        build_request(contract, base_params(producer)), logical_address=producer.source_system
    )
    bundle = producer.ca_bundle
    with HttpTransport(
        driver.record.recorder,
        verify=Path(bundle) if bundle else True,
        identity=identity,
        timeout=20.0,
        verify_hostname=False,
    ) as transport:
        try:
            exchange = transport.send(
                "POST",
                producer.endpoint(contract),
                body=body,
                headers=soap_headers(contract),
                tags=("tls-probe", tag, "direct"),
            )
        except TargetUnreachable as exc:
            return False, exc.exchange.id
    try:
        element = parse_envelope(exchange.response_body).body
    except SoapError:
        return False, exchange.id
    return (
        exchange.status == 200 and element is not None and element.tag == contract.response_tag,
        exchange.id,
    )


def _stranger(folder: Path, hsa_id: str) -> ClientIdentity:
    other = TestCa.load_or_create(folder, name="other-ca", common_name="Another CA (not the platform's)")
    issued = other.issue(
        "stranger", common_name="a system the platform never certified", hsa_id=hsa_id, client=True
    )
    return ClientIdentity(issued.cert, issued.key)


@check("PR-R-TLS-02")
def tls_findings(driver: ProducerDriver) -> list[Finding]:
    producer = driver.env.producer
    if producer.plain_http:
        plain = sorted({u for u in producer.endpoints.values() if u.startswith("http://")})
        return [mismatch("", "endpoint", "https with mutual TLS", f"plain HTTP ({', '.join(plain)})")]
    vp = driver.env.platform.certificates.vp
    accepted, shown = _answered(driver, ClientIdentity(vp.cert, vp.key), "platform-certificate")
    control = (
        []
        if accepted
        else [
            mismatch(
                "",
                "call with the platform's client certificate",
                "answered",
                "refused",
                exchange_ids=(shown,),
            )
        ]
    )
    driver.positive_control("the platform's client certificate is accepted", control)
    folder = Path(tempfile.mkdtemp(prefix="tls-probe-"))
    try:
        probes = {
            "no client certificate": None,
            "a client certificate from another CA": _stranger(folder, driver.env.identities.vp),
        }
        found = []
        for label, identity in probes.items():
            accepted, shown = _answered(driver, identity, label.replace(" ", "-"))
            if accepted:
                found.append(mismatch("", f"call with {label}", "refused", "answered", exchange_ids=(shown,)))
        return found
    finally:
        shutil.rmtree(folder, ignore_errors=True)
