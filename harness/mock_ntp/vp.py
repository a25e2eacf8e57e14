"""The mock virtualiseringsplattform (VP): mutual TLS in, TAK routing and authorisation, forwarding.

A call goes through the steps of the SKLTP VP's route (``VPRouter.java``), each of which may stop
it with a VP fault (:mod:`harness.mock_ntp.faults`):

1. the consumer: the client certificate's serialNumber (VP002); a platform-internal call (the
   AGP, with ``x-vp-sender-id`` and ``x-vp-instance-id``) from anyone else is VP011; a loop in
   ``x-rivta-routing-history`` is VP014 (``HttpSenderIdExtractorProcessorImpl.java``);
2. the request: SOAP 1.1, its logical address, RIV profile and contract (VP015, VP001);
3. ``x-rivta-original-serviceconsumer-hsaid`` set by a consumer not allowed to (VP013, if configured);
4. TAK: loaded (VP008), address present (VP003), vägval (VP004/VP006/VP010), anropsbehörighet
   (VP007), the producer's RIV profile (VP005), rewriting the address header if it differs;
5. forwarding with the platform's own client certificate, the producer's answer classified (VP009).

Every call is recorded twice in :attr:`VirtualisationPlatform.recorder`: the consumer's call
(tag ``vp-in``, direction incoming) and the forward to the producer (tag ``vp-out``, outgoing);
:attr:`VirtualisationPlatform.calls` summarises each call (who, where, which contract, outcome).
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiohttp import web

from harness.core.clock import Clock, SystemClock
from harness.core.soap import SOAP_CONTENT_TYPE  # SKLTP vp.header.content.type
from harness.mock_ntp.evidence import BoundedRecorder, record_incoming
from harness.mock_ntp.faults import FAULT_CONTENT_TYPE, VpCode, VpFault, fault_body
from harness.mock_ntp.forward import Forwarder, ProducerAnswer, classify
from harness.mock_ntp.identities import DEFAULT_IDENTITIES, PlatformIdentities
from harness.mock_ntp.rivta import RivRequest, read_request, rewrite_profile
from harness.mock_ntp.tak import Route, Tak, profile_fault
from harness.mock_ntp.vp_headers import (
    ORIGINAL_CONSUMER,
    Caller,
    check_http,
    identify_caller,
    original_consumer_fault,
    producer_headers,
    read_body,
)

__all__ = ["VirtualisationPlatform", "VpCall", "VpSettings"]

# aiohttp's own cap sits above every limit of ours, so our limits answer with a SOAP fault.
APP_MAX_BYTES = 64_000_000


@dataclass(frozen=True, slots=True)
class VpSettings:
    identities: PlatformIdentities = DEFAULT_IDENTITIES
    max_request_bytes: int = 15_728_640  # SKLTP vp.max.receive.length
    internal_senders: frozenset[str] = frozenset()  # certificate HSA-ids that may use x-vp-sender-id (AGP)
    original_consumer_allowed: frozenset[str] = frozenset()  # empty: everyone (sender.id.allowed.list)
    reject_original_consumer: bool = False  # throw.vp013.when.originalconsumer.not.allowed
    propagate_correlation_id_for_https: bool = False  # propagate.correlation.id.for.https
    call_limit: int = 2000  # calls kept in VirtualisationPlatform.calls


@dataclass(frozen=True, slots=True)
class VpCall:
    """One call through the VP, for scenarios: who called what, and how it ended."""

    consumer: str | None
    original_consumer: str | None
    logical_address: str | None
    contract: str | None  # from the Body element's namespace (as SKLTP's PayloadInfoParser reads it)
    soap_action: str | None  # as sent; passed through, not used for routing (SKLTP neither)
    route_address: str | None
    status: int
    fault_code: str | None  # "VP007", ... or None when the producer's answer passed through
    incoming_exchange: str  # exchange ids in the recorder
    outgoing_exchange: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class _Progress:
    """What the pipeline learnt so far, for the call summary and evidence."""

    caller: Caller | None = None
    request: RivRequest | None = None
    route: Route | None = None
    outgoing_exchange: str | None = None
    prt_ms: float | None = None
    fault: str | None = None  # the VP's own fault code, e.g. "VP007"


class VirtualisationPlatform:
    """The VP as an aiohttp application; serve :attr:`app` with mutual TLS (client_cert "optional")."""

    def __init__(
        self,
        forwarder: Forwarder,
        tak: Tak | None,
        settings: VpSettings = VpSettings(),
        *,
        clock: Clock | None = None,
        recorder: BoundedRecorder | None = None,
    ) -> None:
        self.settings = settings
        self.recorder = recorder or BoundedRecorder(prefix="vp")
        self._tak = tak
        self._forwarder = forwarder
        self._clock = clock or SystemClock()
        self._calls: deque[VpCall] = deque(maxlen=settings.call_limit)
        self._lock = threading.Lock()
        self.app = web.Application(client_max_size=APP_MAX_BYTES)
        self.app.router.add_route("*", "/{tail:.*}", self._handle)
        self.app.on_startup.append(self._start)
        self.app.on_cleanup.append(self._stop)

    @property
    def tak(self) -> Tak | None:
        return self._tak

    def set_tak(self, tak: Tak | None) -> None:
        """Replace TAK while running (None: "no contact with TAK", VP008)."""
        self._tak = tak

    @property
    def calls(self) -> tuple[VpCall, ...]:
        with self._lock:
            return tuple(self._calls)

    async def _start(self, _: web.Application) -> None:
        await self._forwarder.start()

    async def _stop(self, _: web.Application) -> None:
        await self._forwarder.close()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        started = datetime.now(UTC)
        progress = _Progress()
        body = await read_body(request)
        try:
            response = await self._pipeline(request, body, progress)
        except VpFault as fault:
            progress.fault = fault.code.name
            response = self._fault(fault)
        except Exception:  # a fault in the platform itself: answered, never a bare 500 (no details out)
            progress.fault = VpCode.VP012.name
            response = self._fault(VpFault(VpCode.VP012, "Unexpected internal error."))
        self._record(request, body or b"", response, started, progress)
        return response

    async def _pipeline(self, request: web.Request, body: bytes | None, progress: _Progress) -> web.Response:
        identities = self.settings.identities
        progress.caller = identify_caller(request, identities.vp_instance, self.settings.internal_senders)
        body = check_http(request, body, self.settings.max_request_bytes)
        progress.request = riv = read_request(body, max_bytes=self.settings.max_request_bytes)
        original_consumer_fault(request, progress.caller, self.settings)
        progress.route = route = self._route(riv, progress.caller.sender)
        forward_body = body
        if riv.rivta_profile != route.rivta_profile:
            forward_body = rewrite_profile(
                body, to_profile=route.rivta_profile, max_bytes=self.settings.max_request_bytes
            )
        answer = await self._forward(request, forward_body, route, progress)
        return self._answer(answer, progress)

    def _route(self, riv: RivRequest, sender: str) -> Route:
        tak = self._tak
        if tak is None:
            raise VpFault(VpCode.VP008)
        if riv.logical_address is None:
            raise VpFault(VpCode.VP003)
        now = self._clock.now()
        found = tak.route(riv.contract, riv.logical_address, now)
        if isinstance(found, VpFault):
            raise found
        for fault in (
            tak.authorise(sender, riv.contract, riv.logical_address, now),
            profile_fault(found, riv.rivta_profile or ""),
        ):
            if fault is not None:
                raise fault
        return found

    async def _forward(
        self, request: web.Request, body: bytes, route: Route, progress: _Progress
    ) -> ProducerAnswer:
        assert progress.caller is not None and progress.request is not None
        tak = self._tak or Tak()
        timeouts = tak.timeouts_for(route.contract)
        headers = producer_headers(
            request,
            progress.caller,
            route,
            instance=self.settings.identities.vp_instance,
            propagate_correlation_for_https=self.settings.propagate_correlation_id_for_https,
        )
        outcome, exchange = await self._forwarder.post_and_record(
            route.address,
            body,
            headers,
            connect_s=timeouts.connect_s,
            timeout_s=timeouts.producer_s,
            recorder=self.recorder,
            peer=route.logical_address,
            tags=("vp", "vp-out"),
        )
        progress.outgoing_exchange = exchange.id
        classified = classify(outcome, route.address)
        if isinstance(classified, VpFault):
            raise classified
        progress.prt_ms = classified.elapsed_ms
        return classified

    def _answer(self, answer: ProducerAnswer, progress: _Progress) -> web.Response:
        headers = {
            "Content-Type": answer.content_type or SOAP_CONTENT_TYPE,
            "x-skltp-prt": str(round(progress.prt_ms or 0.0)),
        }
        return web.Response(status=answer.status, body=answer.body, headers=headers)

    def _fault(self, fault: VpFault) -> web.Response:
        body = fault_body(fault, self.settings.identities.vp_instance)
        return web.Response(status=500, body=body, headers={"Content-Type": FAULT_CONTENT_TYPE})

    def _record(
        self,
        request: web.Request,
        body: bytes,
        response: web.Response,
        started: datetime,
        progress: _Progress,
    ) -> None:
        fault_code = progress.fault
        peer = progress.caller.sender if progress.caller else (request.remote or "")
        exchange = record_incoming(
            self.recorder,
            request,
            body,
            response,
            started,
            peer=peer,
            tags=("vp", "vp-in"),
            note=fault_code or "",
        )
        riv, caller, route = progress.request, progress.caller, progress.route
        call = VpCall(
            consumer=caller.sender if caller else None,
            original_consumer=request.headers.get(ORIGINAL_CONSUMER),
            logical_address=riv.logical_address if riv else None,
            contract=riv.contract if riv else None,
            soap_action=request.headers.get("SOAPAction"),
            route_address=route.address if route else None,
            status=response.status,
            fault_code=fault_code,
            incoming_exchange=exchange.id,
            outgoing_exchange=progress.outgoing_exchange,
        )
        with self._lock:
            self._calls.append(call)
