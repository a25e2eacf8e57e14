"""The VP's HTTP edges: reading the request safely, who the caller is, and the headers it sends on.

Header rules (skltp/vp ``constants/HttpHeaders.java``, ``httpheader/OutHeaderProcessorImpl.java``,
``OriginalConsumerIdProcessorImpl.java``, ``HttpSenderIdExtractorProcessorImpl.java``):

- ``x-rivta-original-serviceconsumer-hsaid`` is passed on, or set to the authenticated consumer;
- ``x-vp-sender-id`` and ``x-vp-instance-id`` go only to http:// producers (removed for https);
- ``x-skltp-correlation-id`` goes to http:// producers, to https:// ones only if configured;
- ``x-rivta-routing-history`` lists the platforms a call passed ("#"-separated); meeting our own
  instance again is a loop (VP014);
- ``Content-Type: text/xml;charset=UTF-8`` out; SOAPAction passed through.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from harness.core.soap import SOAP_CONTENT_TYPE
from harness.mock_ntp.faults import VpCode, VpFault
from harness.mock_ntp.http_in import XML_CONTENT_TYPES
from harness.mock_ntp.rivta import sender_id_from_serial, sender_id_from_subject
from harness.mock_ntp.tak import Route
from harness.server import peer_certificate_of

if TYPE_CHECKING:
    from harness.mock_ntp.vp import VpSettings

__all__ = [
    "ACTING_ON_BEHALF_OF",
    "CORRELATION_ID",
    "ORIGINAL_CONSUMER",
    "ROUTING_HISTORY",
    "VP_INSTANCE_ID",
    "VP_SENDER_ID",
    "Caller",
    "check_http",
    "identify_caller",
    "original_consumer_fault",
    "producer_headers",
    "read_body",
]

ORIGINAL_CONSUMER = "x-rivta-original-serviceconsumer-hsaid"  # RIVTA BP 2.1 rule #23
VP_SENDER_ID = "x-vp-sender-id"
VP_INSTANCE_ID = "x-vp-instance-id"
CORRELATION_ID = "x-skltp-correlation-id"
ROUTING_HISTORY = "x-rivta-routing-history"
ACTING_ON_BEHALF_OF = "x-rivta-acting-on-behalf-of-hsaid"  # RIVTA BP 2.1 rule #24


@dataclass(frozen=True, slots=True)
class Caller:
    certificate_id: str  # the serialNumber of the client certificate
    sender: str  # whom TAK authorises: the certificate's, or x-vp-sender-id on a platform-internal call
    internal: bool
    routing_history: str  # the x-rivta-routing-history value to send on


async def read_body(request: web.Request) -> bytes | None:
    """The request body as it arrived (the server layer has read and cached it within its own
    limits already); None if it could not be read."""
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        return None


def check_http(request: web.Request, body: bytes | None, max_bytes: int) -> bytes:
    """VP015 for the wrong method, a non-XML content type, or a body over the limit."""
    if request.method != "POST":
        raise VpFault(VpCode.VP015, f"HTTP method {request.method} is not allowed; a SOAP call is a POST.")
    if request.content_type not in XML_CONTENT_TYPES and request.headers.get("Content-Type"):
        raise VpFault(VpCode.VP015, f"Content-Type {request.content_type[:80]!r} is not text/xml.")
    if body is None or len(body) > max_bytes:
        raise VpFault(VpCode.VP015, f"The request is larger than {max_bytes} bytes.")
    return body


def identify_caller(request: web.Request, instance: str, internal_senders: frozenset[str]) -> Caller:
    """The consumer from its certificate (VP002), a platform-internal sender (VP011), loops (VP014)."""
    certificate = peer_certificate_of(request)
    if certificate is None:
        raise VpFault(VpCode.VP002, "No client certificate was presented.")
    certificate_id = sender_id_from_serial(certificate.serial_number) or sender_id_from_subject(
        certificate.subject
    )
    if certificate_id is None:
        raise VpFault(VpCode.VP002, "The certificate's subject has no serialNumber (2.5.4.5).")
    claimed = request.headers.get(VP_SENDER_ID)
    if claimed and request.headers.get(VP_INSTANCE_ID) == instance:
        if certificate_id not in internal_senders:
            raise VpFault(
                VpCode.VP011,
                f" Sender {certificate_id} is not a platform component. "
                f"HTTP header that caused checking: {VP_SENDER_ID}",
            )
        return Caller(certificate_id, claimed, True, f"{claimed}#{instance}")
    history = request.headers.get(ROUTING_HISTORY, "").strip()
    if history and instance in (part.strip() for part in history.split("#")):
        raise VpFault(VpCode.VP014)
    return Caller(certificate_id, certificate_id, False, f"{history or certificate_id}#{instance}")


def original_consumer_fault(request: web.Request, caller: Caller, settings: VpSettings) -> None:
    """VP013 when a consumer not on the allowed list sets the original-consumer header (if configured)."""
    allowed = settings.original_consumer_allowed
    if ORIGINAL_CONSUMER not in request.headers or caller.internal or not allowed:
        return
    if caller.sender not in allowed and settings.reject_original_consumer:
        raise VpFault(VpCode.VP013)


def producer_headers(
    request: web.Request,
    caller: Caller,
    route: Route,
    *,
    instance: str,
    propagate_correlation_for_https: bool,
) -> dict[str, str]:
    """The headers of the forward to the producer (OutHeaderProcessorImpl.java); the correlation id
    is the caller's, or a new UUID (``camel/VPNettyHttpBinding.java``)."""
    headers = {"Content-Type": SOAP_CONTENT_TYPE, "User-Agent": f"SKLTP VP mock ({instance})"}
    soap_action = request.headers.get("SOAPAction")
    if soap_action is not None:
        headers["SOAPAction"] = soap_action
    headers[ORIGINAL_CONSUMER] = request.headers.get(ORIGINAL_CONSUMER, "").strip() or caller.sender
    plain_http = route.address.lower().startswith("http://")
    if plain_http:
        headers[VP_SENDER_ID] = caller.sender
        headers[VP_INSTANCE_ID] = instance
    if plain_http or propagate_correlation_for_https:
        headers[CORRELATION_ID] = request.headers.get(CORRELATION_ID, "").strip() or str(uuid.uuid4())
    headers[ROUTING_HISTORY] = caller.routing_history
    acting = request.headers.get(ACTING_ON_BEHALF_OF)
    if acting:
        headers[ACTING_ON_BEHALF_OF] = acting
    return headers
