"""The mock aggregating services (AGP): one aggregated answer from every source system that has data.

For a catalogued journal contract the AGP does what SKLTP AGP does (``AgServiceFactoryBase.java``,
``processors/FilterFindContentResponseProcessor.java``, ``utility/RequestListUtil.java``,
``aggregate/AgpAggregationStrategy.java``, ``processors/CreateResponseProcessor.java``):

1. ``FindContent`` on the engagement index for the patient, the contract's EI serviceDomain and
   categorization;
2. drop posts at its own logical address, and posts neither the consumer (``x-vp-sender-id``) nor
   the original consumer (``x-rivta-original-serviceconsumer-hsaid``) is authorised for in TAK;
3. if the request names a source system, keep only posts at that logical address;
4. call each unique sourceSystem through the VP, LogicalAddress = that system, body unchanged,
   all at once, each within the producer timeout (27 s), all within the aggregate timeout (28 s);
5. merge the record lists and add a ``ProcessingStatus`` header with a status per source.

It listens on plain HTTP on loopback, reached through the VP (TAK routes the AGP's logical address
and each aggregated contract to it), as SKLTP's VP reaches its AGP. It calls the VP back as a
platform component: with its own client certificate and ``x-vp-sender-id``/``x-vp-instance-id``,
so the VP authorises the original consumer for each source system.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiohttp import web
from lxml import etree

from harness.contracts import AGP_WAIT_S, CATALOGUE, ContractVersion, RequestError, read_request
from harness.contracts.ei import Engagement
from harness.core.clock import Clock, SystemClock
from harness.core.soap import SOAP_CONTENT_TYPE, SoapError, build_envelope, build_fault, parse_envelope
from harness.mock_ntp.agp_calls import AgpError, SourceCaller, find_content
from harness.mock_ntp.agp_merge import SourceOutcome, merge_responses, processing_status
from harness.mock_ntp.evidence import BoundedRecorder, record_incoming
from harness.mock_ntp.forward import Forwarder
from harness.mock_ntp.http_in import RequestRefused, read_soap_post
from harness.mock_ntp.identities import DEFAULT_IDENTITIES, PlatformIdentities
from harness.mock_ntp.tak import Tak
from harness.mock_ntp.vp_headers import CORRELATION_ID, ORIGINAL_CONSUMER, VP_SENDER_ID

__all__ = ["AggregatingServices", "AgpCall", "AgpSettings"]

MAX_REQUEST_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class AgpSettings:
    vp_url: str  # where the AGP calls the VP (https, mutual TLS)
    ei_url: str  # the engagement index (FindContent)
    identities: PlatformIdentities = DEFAULT_IDENTITIES
    producer_timeout_s: float = AGP_WAIT_S  # SKLTP AGP vp.defaultReceiveTimeout
    aggregate_timeout_s: float = 28.0  # SKLTP AGP aggregate.timeout
    ei_timeout_s: float = 20.0  # SKLTP AGP ei.receiveTimeout
    connect_timeout_s: float = 2.0  # SKLTP AGP vp.defaultConnectTimeout
    contracts: tuple[ContractVersion, ...] = CATALOGUE


@dataclass(frozen=True, slots=True)
class AgpCall:
    """One aggregated call: who asked, what the EI said, whom TAK kept out, what each source gave."""

    consumer: str
    original_consumer: str
    contract: str  # the TAK contract name
    engagements: int  # posts FindContent returned
    unauthorised: tuple[str, ...]  # logical addresses dropped: neither consumer is authorised
    statuses: tuple[tuple[str, str], ...]  # (source system, ProcessingStatus statusCode), call order
    incoming_exchange: str
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True, slots=True)
class _Plan:
    contract: ContractVersion
    sources: tuple[str, ...]
    engagements: int
    unauthorised: tuple[str, ...]


class AggregatingServices:
    """The AGP as an aiohttp application (:attr:`app`); serve it on plain HTTP on loopback."""

    def __init__(
        self,
        settings: AgpSettings,
        *,
        tak: Callable[[], Tak | None],
        vp_client: Forwarder,
        ei_client: Forwarder,
        clock: Clock | None = None,
        recorder: BoundedRecorder | None = None,
        call_limit: int = 1000,
    ) -> None:
        self.settings = settings
        self.recorder = recorder or BoundedRecorder(prefix="agp")
        self._tak = tak
        self._vp = vp_client
        self._ei = ei_client
        self._clock = clock or SystemClock()
        self._contracts = {c.tak_contract: c for c in settings.contracts if c.ei_service_domain}
        self._calls: deque[AgpCall] = deque(maxlen=call_limit)
        self._lock = threading.Lock()
        self.app = web.Application(client_max_size=64_000_000)
        self.app.router.add_route("*", "/{tail:.*}", self._handle)
        self.app.on_startup.append(self._start)
        self.app.on_cleanup.append(self._stop)

    @property
    def calls(self) -> tuple[AgpCall, ...]:
        with self._lock:
            return tuple(self._calls)

    async def _start(self, _: web.Application) -> None:
        await self._vp.start()
        await self._ei.start()

    async def _stop(self, _: web.Application) -> None:
        await self._vp.close()
        await self._ei.close()

    async def _handle(self, request: web.Request) -> web.Response:
        started = datetime.now(UTC)
        body = b""
        plan: _Plan | None = None
        outcomes: Sequence[SourceOutcome] = ()
        try:
            body = await read_soap_post(request, MAX_REQUEST_BYTES, check_content_type=False)
            plan = await self._plan(request, body)
            outcomes = await self._call_sources(request, body, plan)
            status, answer = 200, self._answer(plan.contract, outcomes)
        except (RequestRefused, AgpError) as error:
            status, answer = 500, build_fault("Server", str(error))
        except Exception:  # a fault in the AGP itself: a SOAP fault, no details out
            status, answer = 500, build_fault("Server", "the aggregating service failed unexpectedly")
        response = web.Response(status=status, body=answer, headers={"Content-Type": SOAP_CONTENT_TYPE})
        peer = request.headers.get(VP_SENDER_ID, request.remote or "")
        exchange = record_incoming(
            self.recorder, request, body, response, started, peer=peer, tags=("agp", "agp-in")
        )
        if plan is not None:
            self._keep(request, plan, outcomes, exchange.id)
        return response

    async def _plan(self, request: web.Request, body: bytes) -> _Plan:
        sender, original = _consumers(request)
        try:
            envelope = parse_envelope(body, max_bytes=MAX_REQUEST_BYTES)
        except SoapError as exc:
            raise AgpError(f"the request is not a SOAP 1.1 message ({exc})") from None
        element = envelope.body
        namespace = etree.QName(element).namespace if element is not None else None
        contract = self._contracts.get(namespace or "")
        if element is None or contract is None:
            raise AgpError(f"no aggregating service for {str(namespace)[:200]!r}")
        try:
            params = read_request(contract, element)
        except RequestError as exc:
            raise AgpError(f"the {contract.name} request cannot be read: {exc}") from None
        engagements = await find_content(
            self._ei, self.settings, contract, params.patient_id, self.recorder, request.headers
        )
        return self._filter(contract, engagements, sender, original, params.source_system)

    def _filter(
        self,
        contract: ContractVersion,
        engagements: Sequence[Engagement],
        sender: str,
        original: str,
        source_system: str | None,
    ) -> _Plan:
        tak, now = self._tak() or Tak(), self._clock.now()
        own = self.settings.identities.agp
        posts = [e for e in engagements if e.logical_address != own]
        authorised = [
            e
            for e in posts
            if tak.is_authorised(sender, contract.tak_contract, e.logical_address, now)
            or tak.is_authorised(original, contract.tak_contract, e.logical_address, now)
        ]
        dropped = tuple(dict.fromkeys(e.logical_address for e in posts if e not in authorised))
        if source_system:
            authorised = [e for e in authorised if e.logical_address == source_system]
        sources = tuple(dict.fromkeys(e.source_system for e in authorised))
        return _Plan(contract, sources, len(engagements), dropped)

    async def _call_sources(self, request: web.Request, body: bytes, plan: _Plan) -> list[SourceOutcome]:
        caller = SourceCaller(self._vp, self.settings, self.recorder, request.headers, body)
        tasks = [asyncio.create_task(caller.call(source)) for source in plan.sources]
        if not tasks:
            return []
        done, pending = await asyncio.wait(tasks, timeout=self.settings.aggregate_timeout_s)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)
        limit = f"No answer within the aggregation time limit ({self.settings.aggregate_timeout_s} s)"
        return [
            task.result() if task in done else SourceOutcome(source, None, "504", limit, self._clock.now())
            for source, task in zip(plan.sources, tasks, strict=True)
        ]

    def _answer(self, contract: ContractVersion, outcomes: Sequence[SourceOutcome]) -> bytes:
        status = processing_status(outcomes, self._clock.now())
        return build_envelope(merge_responses(contract, outcomes), extra_headers=[status])

    def _keep(
        self, request: web.Request, plan: _Plan, outcomes: Sequence[SourceOutcome], exchange: str
    ) -> None:
        sender, original = request.headers.get(VP_SENDER_ID, ""), request.headers.get(ORIGINAL_CONSUMER, "")
        call = AgpCall(
            consumer=sender,
            original_consumer=original,
            contract=plan.contract.tak_contract,
            engagements=plan.engagements,
            unauthorised=plan.unauthorised,
            statuses=tuple((o.logical_address, o.status) for o in outcomes),
            incoming_exchange=exchange,
        )
        with self._lock:
            self._calls.append(call)


def _consumers(request: web.Request) -> tuple[str, str]:
    """The sender and original consumer (SKLTP AGP ``CheckInboundHeadersProcessor.java``)."""
    missing = [h for h in (VP_SENDER_ID, ORIGINAL_CONSUMER, CORRELATION_ID) if not request.headers.get(h)]
    if missing:
        raise AgpError(" ".join(f"Mandatory HTTP header {h} is missing." for h in missing))
    return request.headers[VP_SENDER_ID], request.headers[ORIGINAL_CONSUMER]
