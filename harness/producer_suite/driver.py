"""Driving the producer for one scenario: contract calls through the mock VP (or directly), aggregated
calls through the AGP, test hooks, and waiting for engagement-index Updates; every exchange lands in
the scenario's record, tagged with the way it went (``via-vp`` / ``direct``).

Through the VP, the 1177-journal-like consumer calls with its own client certificate and the VP
routes by TAK; the VP's forward to the producer (what the producer itself answered, headers and
bytes) is attached as evidence and is what the checks judge. No answer from the producer, or an
empty one, is :class:`ProducerUnreachable` (``error``), never a verdict on a rule.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pytest

from harness.contracts import ContractVersion, RequestParams, build_request
from harness.core.exchange import Exchange
from harness.core.findings import Finding
from harness.core.scenario import ScenarioRecord
from harness.core.soap import Envelope, SoapError, build_envelope, parse_envelope, soap_request_headers
from harness.mock_ntp.agp_merge import read_processing_status
from harness.mock_ntp.vp import VpCall
from harness.mock_ntp.vp_headers import ORIGINAL_CONSUMER
from harness.producer_suite.answer import Answer, ProducerUnreachable, read_answer
from harness.producer_suite.environment import ProducerEnvironment
from harness.transport import HttpTransport, TargetUnreachable

__all__ = [
    "CALL_ID",
    "Aggregated",
    "HookFailed",
    "ProducerDriver",
    "soap_headers",
]

CALL_ID = "x-conformance-call-id"  # the harness's own: tells its concurrent calls apart in the VP's log
_POLL_S = 0.05


class HookFailed(RuntimeError):
    """A test hook did not do what it was asked (the harness cannot judge the rule): ``error``."""


@dataclass(frozen=True)
class Aggregated:
    """An aggregated call through the AGP: the consumer's answer and what reached the producer."""

    exchange: Exchange
    envelope: Envelope | None
    producer_calls: tuple[Exchange, ...]  # the VP's forwards to the producer during the call

    @property
    def processing_status(self) -> tuple[tuple[str, str], ...]:
        return read_processing_status(self.envelope.headers) if self.envelope else ()


def soap_headers(contract: ContractVersion, original_consumer: str | None = None) -> dict[str, str]:
    headers = soap_request_headers(contract.soap_action)
    if original_consumer:
        headers[ORIGINAL_CONSUMER] = original_consumer
    return headers


class ProducerDriver:
    """Acts for one scenario; close it at the end (its transports keep connections alive)."""

    def __init__(self, env: ProducerEnvironment, record: ScenarioRecord) -> None:
        self.env = env
        self.record = record
        self._transports: dict[str, HttpTransport] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        for transport in self._transports.values():
            transport.close()

    def transport(self, kind: str) -> HttpTransport:
        """``consumer`` (towards the VP), ``anonymous`` (towards the VP without a client certificate) or
        ``direct`` (towards the producer, as the VP)."""
        with self._lock:  # concurrent calls of one scenario share its transports
            if kind not in self._transports:
                self._transports[kind] = self._new_transport(kind)
            return self._transports[kind]

    def _new_transport(self, kind: str) -> HttpTransport:
        recorder = self.record.recorder
        if kind == "consumer":
            return self.env.consumer_transport(recorder)
        if kind == "anonymous":
            return HttpTransport(recorder, verify=self.env.platform.certificates.ca, verify_hostname=False)
        return self.env.direct_transport(recorder)

    # -- contract calls ------------------------------------------------------------------------------

    def call(
        self,
        contract: ContractVersion,
        params: RequestParams,
        *,
        logical_address: str | None = None,
        original_consumer: str | None = None,
    ) -> Answer:
        """``contract`` with ``params``, addressed to ``logical_address`` (default: the test data's)."""
        address = logical_address or self.env.producer.source_system
        body = build_envelope(build_request(contract, params), logical_address=address)
        return self.send(contract, body, address, params=params, original_consumer=original_consumer)

    def send(
        self,
        contract: ContractVersion,
        body: bytes,
        logical_address: str,
        *,
        params: RequestParams | None = None,
        original_consumer: str | None = None,
    ) -> Answer:
        headers = soap_headers(contract, original_consumer)
        if self.env.producer.route == "direct":
            headers.setdefault(ORIGINAL_CONSUMER, self.env.identities.consumer)  # as the VP sets it
            return self._direct(contract, body, logical_address, headers, params)
        return self._via_vp(contract, body, logical_address, headers, params)

    def _direct(
        self,
        contract: ContractVersion,
        body: bytes,
        address: str,
        headers: Mapping[str, str],
        params: RequestParams | None,
    ) -> Answer:
        url = self.env.producer.endpoint(contract)
        try:
            exchange = self.transport("direct").send(
                "POST", url, body=body, headers=headers, tags=("producer-call", "direct", contract.key)
            )
        except TargetUnreachable as exc:
            raise ProducerUnreachable(f"{contract.key} at {url}: {exc}") from None
        _require_body(exchange, contract)
        return read_answer(contract, params, address, exchange, (exchange.id,), "direct")

    def _via_vp(
        self,
        contract: ContractVersion,
        body: bytes,
        address: str,
        headers: Mapping[str, str],
        params: RequestParams | None,
    ) -> Answer:
        call_id = str(uuid.uuid4())
        marked = {**headers, CALL_ID: call_id}
        calls, exchange = self._through_vp(self.vp_url(contract), body, marked, ("via-vp", contract.key))
        forwards = self._forwards(self._own(calls, call_id))
        if not forwards:
            why = calls[-1].fault_code if calls else "no call recorded"
            raise RuntimeError(
                f"the mock VP did not forward the {contract.key} call to {address} ({why}): check the "
                f"target's logical_addresses and contracts, and [platform] tak"
            )
        produced = forwards[-1]
        if produced.status is None:
            raise ProducerUnreachable(f"{contract.key} at {produced.url}: {produced.note}")
        _require_body(produced, contract)
        evidence = (exchange.id, produced.id)
        return read_answer(contract, params, address, produced, evidence, "vp")

    def vp_url(self, contract: ContractVersion) -> str:
        return self.env.platform.vp_address(contract.vp_path)

    def _through_vp(
        self, url: str, body: bytes, headers: Mapping[str, str], tags: Iterable[str], kind: str = "consumer"
    ) -> tuple[tuple[VpCall, ...], Exchange]:
        vp = self.env.platform.vp
        before = {c.incoming_exchange for c in vp.calls}
        try:
            exchange = self.transport(kind).send("POST", url, body=body, headers=headers, tags=tuple(tags))
        except TargetUnreachable as exc:
            raise RuntimeError(f"the mock VP did not answer: {exc}") from None
        return tuple(c for c in vp.calls if c.incoming_exchange not in before), exchange

    def _own(self, calls: tuple[VpCall, ...], call_id: str) -> tuple[VpCall, ...]:
        """The VP call this driver's request made (other threads' calls may have come in meanwhile)."""
        incoming = {c.incoming_exchange for c in calls}
        mine = {
            x.id
            for x in self.env.platform.vp.recorder.exchanges
            if x.id in incoming and x.request_header(CALL_ID) == call_id
        }
        return tuple(c for c in calls if c.incoming_exchange in mine)

    def _forwards(self, calls: tuple[VpCall, ...]) -> list[Exchange]:
        """The VP's forwards to producers during ``calls``, attached to the record as evidence."""
        wanted = {c.outgoing_exchange for c in calls if c.outgoing_exchange}
        found = [x for x in self.env.platform.vp.recorder.exchanges if x.id in wanted]
        tagged = [replace(x, tags=(*x.tags, "producer-answer", "via-vp")) for x in found]
        self.record.attach(tagged)
        return tagged

    def aggregated(self, contract: ContractVersion, params: RequestParams) -> Aggregated:
        """``contract`` through the aggregating services, as 1177 journal reads (LogicalAddress = AGP)."""
        agp = self.env.identities.agp
        body = build_envelope(build_request(contract, params), logical_address=agp)
        calls, exchange = self._through_vp(
            self.vp_url(contract), body, soap_headers(contract), ("aggregated", "via-vp", contract.key)
        )
        endpoints = set(self.env.producer.endpoints.values())
        producer_calls = tuple(x for x in self._forwards(calls) if x.url in endpoints)
        return Aggregated(exchange, _envelope(exchange.response_body), producer_calls)

    def raw_vp_call(
        self, contract: ContractVersion, body: bytes, *, identity: bool = True
    ) -> tuple[Exchange, tuple[Exchange, ...]]:
        """A hand-made call to the VP (its self-tests): the VP's answer, and any forward to the producer."""
        kind = "consumer" if identity else "anonymous"
        calls, exchange = self._through_vp(
            self.vp_url(contract), body, soap_headers(contract), ("vp-self-test",), kind
        )
        return exchange, tuple(self._forwards(calls))

    # -- test hooks ---------------------------------------------------------------------------------

    def require_hook(self, name: str) -> str:
        url = str(getattr(self.env.producer.hooks, name))
        if not url:
            pytest.skip(
                f"needs the test hook [producer.test_hooks] {name}: a URL of the producer's test "
                "environment the harness calls to make this happen (see the README)"
            )
        return url

    def hook(self, name: str, payload: Mapping[str, Any] | None = None, *, record_id: str = "") -> Any:
        """Call a test hook (JSON in, JSON out); skip the scenario if the target declares none."""
        url = self.require_hook(name).replace("{record_id}", record_id)
        method = "DELETE" if name == "delete_record" else "POST"
        body = json.dumps(dict(payload or {})).encode() if method == "POST" else b""
        try:
            exchange = self.transport("direct").send(
                method, url, body=body, headers={"Content-Type": "application/json"}, tags=("test-hook", name)
            )
        except TargetUnreachable as exc:
            raise HookFailed(f"the test hook {name} did not answer: {exc}") from None
        if exchange.status is None or not 200 <= exchange.status < 300:
            raise HookFailed(f"the test hook {name} answered HTTP {exchange.status}")
        try:
            return json.loads(exchange.response_body or b"{}")
        except ValueError:
            raise HookFailed(f"the test hook {name} did not answer JSON") from None

    # -- engagement index ---------------------------------------------------------------------------

    def update_mark(self) -> set[str]:
        """The Update exchanges the mock EI holds now (to wait for newer ones)."""
        return {x.id for x in self.env.platform.ei.recorder.exchanges}

    def wait_for_updates(
        self, mark: set[str], wanted: Callable[[Exchange], bool], timeout_s: float
    ) -> tuple[Exchange, ...]:
        """The producer's Updates after ``mark`` that ``wanted`` accepts; waits up to ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while True:
            new = tuple(x for x in self.env.platform.ei.recorder.exchanges if x.id not in mark)
            found = tuple(x for x in self.env.producer_updates(new) if wanted(x))
            if found or time.monotonic() >= deadline:
                self.record.attach(found)
                return found
            time.sleep(_POLL_S)

    # -- findings -----------------------------------------------------------------------------------

    def judge(self, findings: Iterable[Finding]) -> None:
        self.record.add(findings)

    def positive_control(self, what: str, findings: Iterable[Finding]) -> None:
        self.record.positive_control(what, findings)


def _require_body(exchange: Exchange, contract: ContractVersion) -> None:
    if exchange.status == 200 and not exchange.response_body.strip():
        raise ProducerUnreachable(f"{contract.key}: the producer answered HTTP 200 with an empty body")


def _envelope(body: bytes) -> Envelope | None:
    try:
        return parse_envelope(body)
    except SoapError:
        return None
