"""The mock engagement index: ``Update`` (from source systems) and ``FindContent`` (for the AGP).

A producer reaches it as in production, through the VP with LogicalAddress = the EI's HSA-id
(TAK routes that to this app over plain HTTP, so the VP adds ``x-vp-sender-id`` and
``x-vp-instance-id``), or, in a test environment, straight at its loopback URL. Each Update is
kept as evidence (:class:`EiUpdate`, bounded in memory; the SQLite log keeps more) with the way
it came: ``"vp"`` or ``"direct"``. Errors are SOAP faults ``soap:Server`` with faultstring
``"EIxxx: ..."`` (SKLTP EI ``EiException``), HTTP 500.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web
from lxml import etree

from harness.core.clock import Clock, SystemClock
from harness.core.soap import SOAP_CONTENT_TYPE, SoapError, build_envelope, build_fault, parse_envelope
from harness.mock_ntp.ei_model import (
    FIND_CONTENT_NS,
    UPDATE_NS,
    EngagementTransaction,
    find_content_response,
    parse_find_content,
    parse_update,
    update_response,
)
from harness.mock_ntp.ei_store import EngagementStore, StoredUpdate
from harness.mock_ntp.ei_validation import EiError, EiRules, validate_update
from harness.mock_ntp.evidence import BoundedRecorder, record_incoming
from harness.mock_ntp.http_in import RequestRefused, read_soap_post
from harness.mock_ntp.vp_headers import VP_INSTANCE_ID, VP_SENDER_ID

__all__ = ["EiUpdate", "EngagementIndex", "UpdateSchemaCheck"]

# Checks an Update body element against the official XSD/schematron; returns problems, [] if valid.
UpdateSchemaCheck = Callable[[etree._Element], Sequence[str]]
MAX_REQUEST_BYTES = 8_000_000  # 1000 posts of well under 1 kB each, with room to spare


@dataclass(frozen=True, slots=True)
class EiUpdate:
    """One Update the EI received, accepted or not: the evidence a producer's EI scenarios judge."""

    at: datetime
    way: str  # "vp" (through the VP) or "direct" (the loopback URL)
    sender: str  # x-vp-sender-id through the VP; the peer's address when direct
    logical_address: str | None  # the SOAP header's LogicalAddress
    accepted: bool
    fault: str  # "" when accepted, else the faultstring, e.g. "EI002: ..."
    transactions: tuple[EngagementTransaction, ...]
    exchange_id: str


class EngagementIndex:
    """The EI as an aiohttp application (:attr:`app`), over :class:`EngagementStore`."""

    def __init__(
        self,
        store: EngagementStore,
        rules: EiRules,
        *,
        vp_instance: str,
        clock: Clock | None = None,
        recorder: BoundedRecorder | None = None,
        schema_check: UpdateSchemaCheck | None = None,
        evidence_limit: int = 200,
    ) -> None:
        self.store = store
        self.rules = rules
        self.recorder = recorder or BoundedRecorder(prefix="ei")
        self._vp_instance = vp_instance
        self._clock = clock or SystemClock()
        self._schema_check = schema_check
        self._updates: deque[EiUpdate] = deque(maxlen=evidence_limit)
        self._lock = threading.Lock()
        self.app = web.Application(client_max_size=64_000_000)
        self.app.router.add_route("*", "/{tail:.*}", self._handle)

    @property
    def updates(self) -> tuple[EiUpdate, ...]:
        with self._lock:
            return tuple(self._updates)

    async def _handle(self, request: web.Request) -> web.Response:
        started = datetime.now(UTC)
        way, sender = self._way(request)
        body = b""
        try:
            body = await read_soap_post(request, MAX_REQUEST_BYTES)
            outcome = self._dispatch(body)
        except RequestRefused as refused:
            outcome = _Outcome.failed(EiError("EI000", str(refused)))
        except EiError as error:
            outcome = _Outcome.failed(error)
        except Exception:  # a fault in the index itself: a SOAP fault, no details out
            outcome = _Outcome.failed(EiError("EI000", "unexpected internal error"))
        response = web.Response(
            status=outcome.status, body=outcome.body, headers={"Content-Type": SOAP_CONTENT_TYPE}
        )
        tags = ("ei", "ei-update" if outcome.update else "ei-call", f"via-{way}")
        exchange = record_incoming(
            self.recorder, request, body, response, started, peer=sender, tags=tags, note=outcome.fault
        )
        if outcome.update is not None:
            self._keep(outcome, way, sender, body, exchange.id)
        return response

    def _way(self, request: web.Request) -> tuple[str, str]:
        sender = request.headers.get(VP_SENDER_ID)
        if sender and request.headers.get(VP_INSTANCE_ID) == self._vp_instance:
            return "vp", sender
        return "direct", request.remote or ""

    def _dispatch(self, body: bytes) -> _Outcome:
        try:
            envelope = parse_envelope(body, max_bytes=MAX_REQUEST_BYTES)
        except SoapError as exc:
            raise EiError("EI000", f"the request is not a SOAP 1.1 message ({exc})") from None
        element = envelope.body
        if element is not None and element.tag == f"{{{UPDATE_NS}}}Update":
            parsed = _Parsed(envelope.logical_address, parse_update(element))
            try:
                self._update(parsed, element)
            except EiError as error:
                return _Outcome.failed(error, parsed)
            return _Outcome(200, build_envelope(update_response("OK")), parsed)
        if element is not None and element.tag == f"{{{FIND_CONTENT_NS}}}FindContent":
            return _Outcome(200, build_envelope(self._find(element)))
        name = "nothing" if element is None else etree.QName(element).localname[:64]
        raise EiError("EI000", f"the engagement index does not serve {name!r}")

    def _update(self, parsed: _Parsed, element: etree._Element) -> None:
        validate_update(parsed.logical_address, parsed.transactions, self.rules)
        if self._schema_check is not None:
            problems = self._schema_check(element)
            if problems:
                raise EiError("EI004", "; ".join(problems[:3]))
        self.store.apply(parsed.transactions, self._clock.now())

    def _find(self, element: etree._Element) -> etree._Element:
        query = parse_find_content(element)
        if not query.registered_resident_identification:
            raise EiError("EI000", "registeredResidentIdentification is mandatory but missing")
        if not query.service_domain:
            raise EiError("EI000", "serviceDomain is mandatory but missing")
        return find_content_response(self.store.find(query))

    def _keep(self, outcome: _Outcome, way: str, sender: str, body: bytes, exchange_id: str) -> None:
        parsed = outcome.update
        assert parsed is not None
        now = self._clock.now()
        accepted = outcome.status == 200
        evidence = EiUpdate(
            now,
            way,
            sender,
            parsed.logical_address,
            accepted,
            outcome.fault,
            parsed.transactions,
            exchange_id,
        )
        with self._lock:
            self._updates.append(evidence)
        logged = StoredUpdate(
            0,
            now.isoformat(),
            way,
            sender,
            parsed.logical_address,
            accepted,
            outcome.fault,
            len(parsed.transactions),
            body,
        )
        self.store.log_update(logged)


@dataclass(frozen=True, slots=True)
class _Parsed:
    logical_address: str | None
    transactions: tuple[EngagementTransaction, ...]


@dataclass(frozen=True, slots=True)
class _Outcome:
    status: int
    body: bytes
    update: _Parsed | None = None
    fault: str = ""

    @classmethod
    def failed(cls, error: EiError, update: _Parsed | None = None) -> _Outcome:
        return cls(500, build_fault("Server", error.fault_string), update, error.fault_string)
