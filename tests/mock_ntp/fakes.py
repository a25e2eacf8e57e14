"""Small fake producers for the platform's tests (test code only): aiohttp apps whose behaviour a test picks.

A fake answers GetCareDocumentation 3.0 / GetDiagnosis 2.0 with one record per call, its source
system = the call's LogicalAddress (or wsa:To), and remembers every request it got, with the
serialNumber of the client certificate that came with it (the VP's, on https).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiohttp import web
from lxml import etree

from harness.contracts import find_contract
from harness.core.soap import build_envelope, build_fault, parse_envelope
from harness.server import peer_certificate_of

GCD3 = find_contract("GetCareDocumentation", "3.0")
GD2 = find_contract("GetDiagnosis", "2.0")


@dataclass(frozen=True, slots=True)
class Received:
    headers: dict[str, str]
    body: bytes
    client_serial: str | None
    logical_address: str | None
    rivta_profile: str | None


@dataclass
class FakeProducer:
    """Behaviour: ``answer``, ``fault``, ``empty``, ``html500``, ``status404``, ``slow`` (sleeps first)."""

    behaviour: str = "answer"
    delay_s: float = 0.0
    records: int = 1
    received: list[Received] = field(default_factory=list)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        return app

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        envelope = parse_envelope(body)
        certificate = peer_certificate_of(request)
        self.received.append(
            Received(
                dict(request.headers),
                body,
                certificate.serial_number if certificate else None,
                envelope.logical_address,
                envelope.rivta_profile,
            )
        )
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        xml = {"Content-Type": "text/xml;charset=UTF-8"}
        if self.behaviour == "fault":
            fault = build_fault("Server", "Internal error in the source system, log-id 4f3c", "log-id 4f3c")
            return web.Response(status=500, body=fault, headers=xml)
        if self.behaviour == "empty":
            return web.Response(status=200, body=b"", headers=xml)
        if self.behaviour == "html500":
            return web.Response(status=500, text="<html>boom</html>", content_type="text/html")
        if self.behaviour == "status404":
            return web.Response(status=404, text="not here", content_type="text/plain")
        assert envelope.body is not None
        return web.Response(
            status=200, body=answer(envelope.body, envelope.logical_address or "", self.records), headers=xml
        )


LOG_ID = "8a0d6a36-3d21-4f5f-9d1c-0f7b2f0c1c55"


def answer(request: etree._Element, source: str, records: int = 1) -> bytes:
    """GetCareDocumentation 3.0: ``records`` records marked ``<source>-<n>`` (not schema-valid, the VP
    does not care); GetDiagnosis 2.0: a schema-valid answer with no records and result OK, logId LOG_ID."""
    contract = GCD3 if request.tag == GCD3.request_tag else GD2
    response = etree.Element(
        contract.response_tag, nsmap={"r": contract.namespace, "c": contract.core_namespace}
    )
    assert contract.record is not None and contract.result is not None
    for number in range(records if contract is GCD3 else 0):
        record = etree.SubElement(response, f"{{{contract.namespace}}}{contract.record.element}")
        etree.SubElement(record, f"{{{contract.core_namespace}}}marker").text = f"{source}-{number}"
    result = etree.SubElement(response, f"{{{contract.result.element_ns}}}result")
    etree.SubElement(result, f"{{{contract.result.child_ns}}}resultCode").text = "OK"
    if contract.result.has_log_id:
        etree.SubElement(result, f"{{{contract.result.child_ns}}}logId").text = LOG_ID
    return build_envelope(response)


def markers(body: bytes) -> list[str]:
    """The ``marker`` texts of an answer's records, in order."""
    envelope = parse_envelope(body)
    assert envelope.body is not None
    return [str(e.text) for e in envelope.body.iter() if isinstance(e.tag, str) and e.tag.endswith("}marker")]
