"""The load cases' request, built from a producer target: the declared patient (Inera's case 1.1.1
request, as the test suites' load tests send it), one declared contract version, the target's route.

Through the VP (``route = "vp"``) the 1177-journal-like consumer calls the mock VP with its own client
certificate, and the VP routes by TAK; straight to the producer (``route = "direct"``) the harness
presents the VP's client certificate, as the platform would, and names the original consumer in
``x-rivta-original-serviceconsumer-hsaid``. The host name is not checked, as SKLTP's VP does not
(``producer.https.hostnameVerification=false``); the certificate chain is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.contracts import AGP_WAIT_S, ContractVersion, parse_contract_key
from harness.core.measurements import ReferenceLine
from harness.core.targets import TargetError
from harness.mock_ntp.vp_headers import ORIGINAL_CONSUMER
from harness.pki import IssuedCertificate
from harness.producer_suite.cases import base_params
from harness.producer_suite.load.profile import LoadProfile
from harness.producer_suite.load.request import LoadRequest, contract_load_request, vp_contract_url
from harness.producer_suite.load.settings import LoadSettings
from harness.producer_suite.target import ProducerTarget

__all__ = [
    "ChosenLoad",
    "LoadRoute",
    "load_contract",
    "load_limits",
    "target_load_request",
]


@dataclass(frozen=True, slots=True)
class LoadRoute:
    """Where the load goes and as whom: the mock VP's URL and certificates, or the producer's."""

    vp_url: str  # the mock VP's base URL, e.g. "https://127.0.0.1:19443"
    ca: Path  # the platform's test CA (the VP's server certificate)
    consumer: IssuedCertificate  # the 1177-journal-like consumer (towards the VP)
    vp: IssuedCertificate  # the VP's client certificate (straight to the producer)
    consumer_hsa_id: str


def load_contract(producer: ProducerTarget, settings: LoadSettings) -> ContractVersion:
    """``[load] contract``, which must be declared; else the first contract version the target declares."""
    if not settings.contract:
        return producer.contracts[0]
    wanted = parse_contract_key(settings.contract)
    if wanted not in producer.contracts:
        declared = ", ".join(c.key for c in producer.contracts)
        raise TargetError(
            f"[load] contract {settings.contract} is not declared in [producer] contracts: {declared}"
        )
    return wanted


def load_limits(limit_s: float, contract: ContractVersion) -> tuple[ReferenceLine, ...]:
    """The response-time limit to judge, and for a description contract the AGP's 27 s wait below it."""
    lines = [ReferenceLine("limit", limit_s * 1000)]
    if contract.domain == "clinicalprocess:healthcond:description" and limit_s > AGP_WAIT_S:
        lines.insert(0, ReferenceLine("AGP wait", AGP_WAIT_S * 1000))
    return tuple(lines)


def target_load_request(
    producer: ProducerTarget, contract: ContractVersion, route: LoadRoute, settings: LoadSettings
) -> LoadRequest:
    """The request every simulated caller sends for ``contract``, the way the target routes calls."""
    params = base_params(producer)
    address = producer.source_system
    if producer.route == "direct":
        ca = Path(producer.ca_bundle) if producer.ca_bundle else None
        return contract_load_request(
            contract,
            params,
            url=producer.endpoint(contract),
            logical_address=address,
            label=f"{contract.name} {contract.version} straight to the producer",
            client_cert=route.vp.cert,
            client_key=route.vp.key,
            ca_file=ca,
            check_hostname=False,
            extra_headers=((ORIGINAL_CONSUMER, route.consumer_hsa_id),),
            timeout_s=settings.timeout_s,
        )
    return contract_load_request(
        contract,
        params,
        url=vp_contract_url(route.vp_url, contract),
        logical_address=address,
        label=f"{contract.name} {contract.version} through the VP",
        client_cert=route.consumer.cert,
        client_key=route.consumer.key,
        ca_file=route.ca,
        check_hostname=False,
        timeout_s=settings.timeout_s,
    )


@dataclass(frozen=True, slots=True)
class ChosenLoad:
    request: LoadRequest
    profile: LoadProfile
    limits: tuple[ReferenceLine, ...]
