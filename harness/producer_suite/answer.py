"""One call's outcome as the checks read it: the producer's own HTTP answer, parsed once.

The producer's exchange is what the producer itself sent (the VP's forward to it when the call went
through the VP; the harness's own exchange when it called directly), so headers such as
Content-Type are the producer's, not the VP's.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.contracts import ContractResponse, ContractVersion, RequestParams, ResponseError, read_response
from harness.core.exchange import Exchange
from harness.core.soap import Envelope, SoapError, SoapFault, parse_envelope

__all__ = ["Answer", "NoContractResponse", "ProducerUnreachable", "read_answer"]


class ProducerUnreachable(ConnectionError):
    """No answer from the producer (refused, timed out, empty, TLS failure): the verdict is ``error``."""


class NoContractResponse(RuntimeError):
    """The scenario needs the contract's records, but the answer holds none (see PR-TRN-01): ``error``."""


@dataclass(frozen=True)
class Answer:
    contract: ContractVersion
    params: RequestParams | None  # None for a hand-made body
    logical_address: str
    exchange: Exchange  # the producer's own answer
    evidence: tuple[str, ...]  # every exchange id of this call
    envelope: Envelope | None
    response: ContractResponse | None
    problem: str  # why there is no response ("" when there is one)
    via: str  # "vp" or "direct"

    @property
    def fault(self) -> SoapFault | None:
        return self.envelope.fault if self.envelope is not None else None

    @property
    def records(self) -> ContractResponse:
        """The parsed response; raises :class:`NoContractResponse` when the answer is not one."""
        if self.response is None:
            raise NoContractResponse(
                f"{self.contract.key}: the producer's answer is not a {self.contract.name}Response "
                f"({self.problem}), so this rule cannot be judged"
            )
        return self.response

    @property
    def record_ids(self) -> list[str]:
        return [r.id or "" for r in self.records.records]

    def has_record(self, record_id: str) -> bool:
        """Whether the answer holds ``record_id`` (an IIType id may carry it as its extension)."""
        return any(i == record_id or i.endswith(f"/{record_id}") for i in self.record_ids)

    @property
    def elapsed_s(self) -> float:
        return self.exchange.elapsed_ms / 1000


def read_answer(
    contract: ContractVersion,
    params: RequestParams | None,
    logical_address: str,
    exchange: Exchange,
    evidence: tuple[str, ...],
    via: str,
) -> Answer:
    envelope: Envelope | None = None
    response: ContractResponse | None = None
    problem = ""
    try:
        envelope = parse_envelope(exchange.response_body)
    except SoapError as exc:
        problem = f"not a SOAP 1.1 envelope: {exc}"
    if envelope is not None:
        if envelope.fault is not None:
            problem = f"a SOAP Fault ({envelope.fault.code}: {envelope.fault.string[:200]})"
        elif envelope.body is None:
            problem = "an empty SOAP Body"
        else:
            try:
                response = read_response(contract, envelope.body)
            except ResponseError as exc:
                problem = str(exc)
    return Answer(contract, params, logical_address, exchange, evidence, envelope, response, problem, via)
