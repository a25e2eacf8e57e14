"""A 1177-journal-like consumer: calls a journal contract through the aggregating services (as 1177
journal reads, LogicalAddress = the AGP's) or straight to one source system through the VP, with
its own client certificate, and records every exchange.

The request is built by the contract catalogue (:func:`harness.contracts.build_request`) and sent
as SOAP 1.1 with the contract's soapAction from its WSDL and ``Content-Type: text/xml;charset=UTF-8``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harness.contracts import ContractVersion, RequestParams, build_request
from harness.core.exchange import Exchange
from harness.core.soap import Envelope, SoapError, build_envelope, parse_envelope, soap_request_headers
from harness.mock_ntp.agp_merge import read_processing_status
from harness.mock_ntp.identities import DEFAULT_IDENTITIES, PlatformIdentities
from harness.mock_ntp.vp_headers import ORIGINAL_CONSUMER
from harness.transport import HttpTransport

__all__ = ["ConsumerAnswer", "JournalConsumer"]


@dataclass(frozen=True, slots=True)
class ConsumerAnswer:
    exchange: Exchange
    envelope: Envelope | None  # None when the answer is not SOAP

    @property
    def status(self) -> int | None:
        return self.exchange.status

    @property
    def fault_string(self) -> str | None:
        fault = self.envelope.fault if self.envelope else None
        return fault.string if fault else None

    @property
    def processing_status(self) -> tuple[tuple[str, str], ...]:
        """(logicalAddress, statusCode) per source, from an aggregated answer's ProcessingStatus."""
        return read_processing_status(self.envelope.headers) if self.envelope else ()


class JournalConsumer:
    """Calls through the mock platform's VP; ``transport`` carries the consumer's client certificate."""

    def __init__(
        self, transport: HttpTransport, vp_url: str, *, identities: PlatformIdentities = DEFAULT_IDENTITIES
    ) -> None:
        self._transport = transport
        self._vp_url = vp_url.rstrip("/")
        self._identities = identities

    def aggregated(
        self, contract: ContractVersion, params: RequestParams, *, tags: Iterable[str] = ()
    ) -> ConsumerAnswer:
        """The contract through the AGP: every source system with data for the patient."""
        return self.call(contract, params, logical_address=self._identities.agp, tags=("aggregated", *tags))

    def call(
        self,
        contract: ContractVersion,
        params: RequestParams,
        *,
        logical_address: str,
        original_consumer: str | None = None,
        tags: Iterable[str] = (),
    ) -> ConsumerAnswer:
        """The contract straight to ``logical_address`` through the VP."""
        body = build_envelope(build_request(contract, params), logical_address=logical_address)
        return self.send(contract, body, original_consumer=original_consumer, tags=tags)

    def send(
        self,
        contract: ContractVersion,
        body: bytes,
        *,
        original_consumer: str | None = None,
        tags: Iterable[str] = (),
    ) -> ConsumerAnswer:
        """A prepared envelope (e.g. a hand-made or mutated one) to the VP."""
        headers = soap_request_headers(contract.soap_action)
        if original_consumer is not None:
            headers[ORIGINAL_CONSUMER] = original_consumer
        url = f"{self._vp_url}/vp/{contract.vp_path}"
        exchange = self._transport.send("POST", url, body=body, headers=headers, tags=("consumer", *tags))
        return ConsumerAnswer(exchange, _envelope(exchange.response_body))


def _envelope(body: bytes) -> Envelope | None:
    try:
        return parse_envelope(body)
    except SoapError:
        return None
