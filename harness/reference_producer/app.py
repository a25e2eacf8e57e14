"""The reference producer as a WSGI app: one SOAP 1.1 endpoint per contract version, and test hooks.

A call must come from an allowed client certificate (the VP's; RIVTA BP 2.1 rule #6, the VP presents
its own client certificate to producers), be a SOAP 1.1 envelope addressed with ``LogicalAddress``
(BP 2.1 rule #8), and carry the request element of the endpoint's contract (and its soapAction, if
one is given: BP 2.1 rule #15). Anything else gets a SOAP Fault; a technical error gets a Fault with a
UUID log id and no personal data. The server keeps serving.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from harness.core.soap import RIVTABP21, SoapError, parse_envelope
from harness.reference_producer.config import ProducerConfig
from harness.reference_producer.contracts import SERVED_CONTRACTS, ServedContract, contract_by_path
from harness.reference_producer.hooks import HOOKS_PREFIX, TestHooks
from harness.reference_producer.publisher import EiPublisher
from harness.reference_producer.query import RequestError, read_query
from harness.reference_producer.responder import XML_CONTENT_TYPE, FaultContext, respond
from harness.reference_producer.rules import CallContext
from harness.reference_producer.store import JournalStore, StoreUnavailable

__all__ = ["ORIGINAL_CONSUMER_HEADER", "PEER_CERTIFICATE_ENVIRON_KEY", "ReferenceProducer"]

ORIGINAL_CONSUMER_HEADER = "x-rivta-original-serviceconsumer-hsaid"  # RIVTA BP 2.1 rule #23
PEER_CERTIFICATE_ENVIRON_KEY = "harness.peer_certificate"  # set by the server layer: .serial_number
_log = logging.getLogger(__name__)


class _Refused(Exception):
    """The call is refused before the contract is applied (a Client fault with a fixed message)."""

    def __init__(self, message: str, status: int = 500) -> None:
        super().__init__(message)
        self.status = status


class ReferenceProducer:
    """``ReferenceProducer(config, store, publisher)`` is the WSGI application."""

    def __init__(
        self, config: ProducerConfig, store: JournalStore, publisher: EiPublisher | None = None
    ) -> None:
        self.config, self.store, self.publisher = config, store, publisher
        self.hooks = TestHooks(store, config.source_systems, config.now, publisher)
        self.errors: deque[tuple[str, str]] = deque(maxlen=200)  # (log id, exception type): no personal data

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        if request.path.startswith(HOOKS_PREFIX) and self.config.test_hooks:
            return self.hooks(request)
        contract = contract_by_path(request.path)
        if contract is None:
            if request.method == "GET" and request.path in ("", "/"):
                return Response(self.index(), mimetype="text/plain")
            return self._fault(
                FaultContext(str(uuid.uuid4()), True, "no service contract at this address"), 404
            )
        if request.method != "POST":
            return Response("POST a SOAP 1.1 request here\n", status=405, headers={"Allow": "POST"})
        return self._soap_call(request, contract)

    def index(self) -> str:
        lines = [f"{c.label}: {c.path}" for c in SERVED_CONTRACTS]
        return "Reference journal producer\n" + "\n".join(lines) + "\n"

    def _soap_call(self, request: Request, contract: ServedContract) -> Response:
        body: bytes = b""
        try:
            self._check_caller(request)
            body = self._body(request)
            element, context = self._request_element(request, body, contract)
            if self.hooks.outage.take():
                raise StoreUnavailable("the database connection is down (test hook)")
            answer = respond(self.store, self.config.rules, element, context)
        except _Refused as exc:
            return self._fault(FaultContext(str(uuid.uuid4()), True, str(exc)), exc.status)
        except RequestError as exc:
            return self._fault(FaultContext(str(uuid.uuid4()), True, f"invalid request: {exc}"), 500)
        except Exception as exc:  # a technical error: logged by type and log id only
            log_id = str(uuid.uuid4())
            self.errors.append((log_id, type(exc).__name__))
            _log.error("technical error %s (%s)", log_id, type(exc).__name__)
            return self._fault(
                FaultContext(log_id, False, "technical error", self._query(body, contract)), 500
            )
        data, content_type = self.config.rules.serializer(answer)
        return Response(data, status=200, content_type=content_type)

    def _check_caller(self, request: Request) -> None:
        allowed = self.config.allowed_callers
        if allowed is None:
            return
        peer = request.environ.get(PEER_CERTIFICATE_ENVIRON_KEY)
        serial = getattr(peer, "serial_number", None)
        if serial is None:
            raise _Refused("a client certificate with an HSA-id (subject serialNumber) is required", 403)
        if serial not in allowed:
            raise _Refused("this client certificate is not allowed to call the producer", 403)

    def _body(self, request: Request) -> bytes:
        if not (request.mimetype or "").startswith("text/xml"):
            raise _Refused("SOAP 1.1 requires Content-Type text/xml", 415)
        limit = self.config.max_request_bytes
        if (request.content_length or 0) > limit:
            raise _Refused(f"the request is larger than {limit} bytes", 413)
        data = request.get_data(cache=False)[: limit + 1]
        if len(data) > limit:
            raise _Refused(f"the request is larger than {limit} bytes", 413)
        return data

    def _request_element(
        self, request: Request, body: bytes, contract: ServedContract
    ) -> tuple[Any, CallContext]:
        try:
            envelope = parse_envelope(body, max_bytes=self.config.max_request_bytes)
        except SoapError as exc:
            raise _Refused(f"not a SOAP 1.1 envelope: {exc}") from None
        if envelope.rivta_profile != RIVTABP21 or not envelope.logical_address:
            raise _Refused(
                "LogicalAddress (urn:riv:itintegration:registry:1) is missing: RIVTA BP 2.1 rule #8"
            )
        element = envelope.body
        if element is None or element.tag != f"{{{contract.namespace}}}{contract.name}":
            raise _Refused(f"this address serves {contract.label}: the body must be {contract.name}")
        action = (request.headers.get("SOAPAction") or "").strip().strip('"')
        if action and action != contract.soap_action:
            raise _Refused(f"SOAPAction must be {contract.soap_action}")
        consumer = request.headers.get(ORIGINAL_CONSUMER_HEADER)
        policy = self.config.policy_for(consumer)
        context = CallContext(
            contract,
            envelope.logical_address,
            consumer,
            policy.excluded_care_units if policy else frozenset(),
            policy.blocked if policy else False,
        )
        return element, context

    def _query(self, body: bytes, contract: ServedContract) -> Any:
        """What was asked, for the fault writer (the reference one never writes it out)."""
        try:
            element = parse_envelope(body).body
            return read_query(contract, element) if element is not None else None
        except (SoapError, RequestError):
            return None

    def _fault(self, context: FaultContext, status: int) -> Response:
        return Response(self.config.rules.fault_writer(context), status=status, content_type=XML_CONTENT_TYPE)
