"""A small fake producer for the load engine's tests (test code only): an aiohttp app on loopback.

It answers a GetCareDocumentation 3.0 call with a SOAP envelope holding the contract's response
element, after ``delay_s``, and counts what it got. ``mode`` picks its behaviour under load:

- ``good``: always a good answer;
- ``fault``: always HTTP 500 with a SOAP Fault (a broken producer);
- ``overload``: a SOAP Fault for a call that arrives while more than ``capacity`` are in flight
  (a producer that is overwhelmed at the peak and recovers when the load drops);
- ``latch``: like ``overload``, but once overwhelmed it stays broken (it never recovers).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web

from harness.core.soap import build_fault

GOOD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
    b'<ns2:GetCareDocumentationResponse xmlns:ns2="urn:riv:clinicalprocess:healthcond:description:'
    b'GetCareDocumentationResponder:3"><ns2:result><ns2:resultCode>OK</ns2:resultCode></ns2:result>'
    b"</ns2:GetCareDocumentationResponse></soapenv:Body></soapenv:Envelope>"
)
FAULT = build_fault("soapenv:Server", "internal error, log-id 7d0f3a52-8f5e-4c1e-9d43-1d5a0e2b3c11")


@dataclass
class LoadFake:
    mode: str = "good"
    delay_s: float = 0.005
    capacity: int = 1_000
    received: int = 0
    in_flight: int = 0
    most_in_flight: int = 0
    broken: bool = False

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        return app

    async def _handle(self, request: web.Request) -> web.Response:
        await request.read()
        self.received += 1
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            overloaded = self.in_flight > self.capacity
            self.broken = (self.broken and self.mode == "latch") or overloaded
            failing = self.mode == "fault" or (self.mode in ("overload", "latch") and self.broken)
            await asyncio.sleep(self.delay_s)
        finally:
            self.in_flight -= 1
        body, status = (FAULT, 500) if failing else (GOOD, 200)
        return web.Response(body=body, status=status, content_type="text/xml", charset="utf-8")
