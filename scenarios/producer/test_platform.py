"""The mock platform's own self-tests, shown as context for the producer's
run and never as its verdict: each passes, skips, or ends in ``error`` (the platform did not behave as
SKLTP does), never ``fail``. They show the producer is reached the way 1177 journal reaches it."""

from __future__ import annotations

import pytest

from harness.contracts import ContractVersion, RequestParams, build_request, read_response
from harness.core.findings import Level, observed
from harness.core.soap import build_envelope, parse_envelope
from harness.mock_ntp.tak import Tak
from harness.producer_suite.areas import PLATFORM, every_version, producer_scenario
from harness.producer_suite.cases import base_params
from harness.producer_suite.driver import Aggregated, ProducerDriver
from harness.producer_suite.steps import PlatformSelfTestFailed, baseline, posts_for

UNKNOWN_ADDRESS = "TSTNMT2321000156-NONE"  # a logical address no TAK routes


def _self_test(problems: list[str]) -> None:
    if problems:
        raise PlatformSelfTestFailed(f"platform self-test failed: {'; '.join(problems)}")


def _require_post(producer: ProducerDriver, contract: ContractVersion) -> str:
    source = producer.env.producer.source_system
    if not posts_for(producer, contract, source):
        pytest.skip(
            f"the mock EI holds no {contract.key} post for the declared patient at {source} "
            "(PR-EI-20P judges the producer for that)"
        )
    return source


def _without_consumer(tak: Tak, consumer: str, contract: ContractVersion) -> Tak:
    kept = tuple(
        a for a in tak.authorisations if not (a.consumer == consumer and a.contract == contract.tak_contract)
    )
    return Tak(tak.routes, kept, tak.contract_timeouts, tak.default_timeouts)


def _aggregated_ids(contract: ContractVersion, answer: Aggregated) -> set[str]:
    body = answer.envelope.body if answer.envelope is not None else None
    if body is None or body.tag != contract.response_tag:
        return set()
    return {r.id or "" for r in read_response(contract, body).records}


@producer_scenario(
    id="PR-E2E-22A",
    title="Platform self-test: an aggregated call returns the producer's records (DataFromSource)",
    area=PLATFORM,
    requirements=("PR-R-E2E-22",),
    versions=every_version,
    level=Level.SHOULD,
    explanation="Context, not a verdict on your producer: 1177 journal's way in (engagement index, TAK, "
    "aggregating services, VP) reached your producer and brought its records back.",
)
def test_aggregated_call(producer: ProducerDriver, contract: ContractVersion) -> None:
    source = _require_post(producer, contract)
    direct = baseline(producer, contract)
    answer = producer.aggregated(contract, base_params(producer.env.producer))
    statuses = dict(answer.processing_status)
    problems = []
    if statuses.get(source) != "DataFromSource":
        problems.append(f"ProcessingStatus for {source} is {statuses.get(source)!r}, not DataFromSource")
    missing = set(direct.record_ids) - _aggregated_ids(contract, answer)
    if missing:
        problems.append(f"{len(missing)} of the producer's records are missing from the aggregated answer")
    _self_test(problems)
    producer.judge(
        [observed("aggregated", f"ProcessingStatus: {statuses}", exchange_ids=(answer.exchange.id,))]
    )


@producer_scenario(
    id="PR-E2E-22B",
    title="Platform self-test: without a TAK authorisation the producer is not called",
    area=PLATFORM,
    requirements=("PR-R-E2E-22",),
    versions=every_version,
    level=Level.SHOULD,
    explanation="Context, not a verdict on your producer: the aggregating services call only source systems "
    "the consumer is authorised for in TAK.",
)
def test_no_call_without_authorisation(producer: ProducerDriver, contract: ContractVersion) -> None:
    _require_post(producer, contract)
    platform, tak = producer.env.platform, producer.env.tak
    platform.set_tak(_without_consumer(tak, producer.env.identities.consumer, contract))
    try:
        answer = producer.aggregated(contract, base_params(producer.env.producer))
    finally:
        platform.set_tak(tak)
    _self_test(
        [f"the producer was called {len(answer.producer_calls)} time(s)"] if answer.producer_calls else []
    )


@producer_scenario(
    id="PR-E2E-22C",
    title="Platform self-test: without an engagement-index post the producer is not called",
    area=PLATFORM,
    requirements=("PR-R-E2E-22",),
    versions=every_version,
    level=Level.SHOULD,
    explanation="Context, not a verdict on your producer: the aggregating services call only source systems "
    "the engagement index names for the patient.",
)
def test_no_call_without_a_post(producer: ProducerDriver, contract: ContractVersion) -> None:
    data = producer.env.producer.test_data
    patient = data.unknown_patient or data.patient_without_records
    if not patient:
        pytest.skip("needs [producer.test_data] unknown_patient or patient_without_records")
    answer = producer.aggregated(contract, RequestParams(patient, data.patient_id_type))
    _self_test(
        [f"the producer was called {len(answer.producer_calls)} time(s)"] if answer.producer_calls else []
    )


@producer_scenario(
    id="PR-VP-23",
    title="Platform self-test: the mock VP answers routing errors as SKLTP VP does, not calling the producer",
    area=PLATFORM,
    requirements=("PR-R-VP-23",),
    level=Level.SHOULD,
    explanation="Context, not a verdict on your producer: what your producer's consumers see when routing "
    "fails (VP004, VP007, VP002, VP003/VP001).",
)
def test_routing_errors(producer: ProducerDriver) -> None:
    env = producer.env
    contract = env.producer.contracts[0]
    request = build_request(contract, base_params(env.producer))
    source = env.producer.source_system
    cases = [
        (("VP004",), build_envelope(request, logical_address=UNKNOWN_ADDRESS), True),
        (("VP002",), build_envelope(request, logical_address=source), False),
        (("VP003", "VP001"), build_envelope(request), True),
    ]
    problems = [
        p for codes, body, identity in cases for p in _expect_fault(producer, contract, body, codes, identity)
    ]
    env.platform.set_tak(_without_consumer(env.tak, env.identities.consumer, contract))
    try:
        problems += _expect_fault(
            producer, contract, build_envelope(request, logical_address=source), ("VP007",), True
        )
    finally:
        env.platform.set_tak(env.tak)
    _self_test(problems)


def _expect_fault(
    producer: ProducerDriver, contract: ContractVersion, body: bytes, codes: tuple[str, ...], identity: bool
) -> list[str]:
    exchange, forwarded = producer.raw_vp_call(contract, body, identity=identity)
    fault = parse_envelope(exchange.response_body).fault if exchange.response_body else None
    got = fault.string.split(" ", 1)[0] if fault else f"HTTP {exchange.status}"
    problems = [] if got in codes else [f"expected {' or '.join(codes)}, got {got}"]
    return problems + ([f"{codes[0]}: the producer was called"] if forwarded else [])
