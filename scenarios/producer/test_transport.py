"""Transport and response time: SOAP 1.1 over HTTP, mutual TLS, the
domain's response-time limit and ten concurrent calls."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from harness.contracts import AGP_WAIT_S, ContractVersion
from harness.producer_suite import checks_transport as checks
from harness.producer_suite.areas import TRANSPORT, every_version, producer_scenario
from harness.producer_suite.cases import base_params, filter_cases
from harness.producer_suite.driver import ProducerDriver
from harness.producer_suite.tls import tls_findings

CONCURRENT = 10  # TKB §4 SLA krav, Samtidighet: "minst 10 samtidiga frågor"


@producer_scenario(
    id="PR-TRN-01",
    title="A call is answered with HTTP 200 and a SOAP 1.1 <Contract>Response",
    area=TRANSPORT,
    requirements=("PR-R-TRN-01",),
    versions=every_version,
    explanation="Consumers speak SOAP 1.1 document/literal as the contract's WSDL defines it; any other "
    "answer (an HTML error page, another element, a fault for a valid request) shows no data in 1177.",
)
def test_answers_with_a_soap_response(producer: ProducerDriver, contract: ContractVersion) -> None:
    answer = producer.call(contract, base_params(producer.env.producer))
    producer.judge(checks.soap_answer(answer))


@producer_scenario(
    id="PR-TLS-02",
    title="The producer is reached over mutual TLS: the platform's certificate is accepted, others refused",
    area=TRANSPORT,
    requirements=("PR-R-TLS-02",),
    explanation="The journal answers over plain HTTP, or accepts a caller without the platform's client "
    "certificate. Patient data must only travel encrypted, to the platform. (A warning: in a test "
    "environment TLS may end at a proxy before the journal system.)",
)
def test_mutual_tls(producer: ProducerDriver) -> None:
    producer.judge(tls_findings(producer))


@producer_scenario(
    id="PR-SLA-16A",
    title="Every answer comes within the domain's response-time limit (30 s description, 27 s others)",
    area=TRANSPORT,
    requirements=("PR-R-SLA-16",),
    versions=every_version,
    explanation="An answer slower than the TKB's limit is cut off by the platform: the patient sees "
    "nothing from your journal, and 1177 reports the source as failed.",
)
def test_answers_within_the_limit(producer: ProducerDriver, contract: ContractVersion) -> None:
    answers = [producer.call(contract, case.params) for case in filter_cases(producer.env.producer, contract)]
    producer.judge(checks.within_limit(answers, producer.env.producer.response_limit_s(contract)))


@producer_scenario(
    id="PR-SLA-16B",
    title="A description-domain answer comes within 27 s, the aggregating services' wait",
    area=TRANSPORT,
    requirements=("PR-R-SLA-16A",),
    versions=lambda c: c.domain == "clinicalprocess:healthcond:description",
    not_applicable="only the description contracts (30 s in their TKB) can exceed the AGP's 27 s",
    explanation="The TKB allows 30 s, but the aggregating services stop waiting after 27 s: an answer "
    "between the two never reaches the patient.",
)
def test_answers_within_the_agp_wait(producer: ProducerDriver, contract: ContractVersion) -> None:
    answers = [producer.call(contract, base_params(producer.env.producer))]  # what the AGP asks: unfiltered
    limit = min(AGP_WAIT_S, producer.env.producer.response_limit_s(contract))
    producer.judge(checks.within_agp_limit(answers, limit))


@producer_scenario(
    id="PR-SLA-16C",
    title="Ten concurrent calls are all answered without error",
    area=TRANSPORT,
    requirements=("PR-R-SLA-16C",),
    versions=every_version,
    explanation="1177 journal and NPÖ ask on behalf of many patients at once; the TKB requires at least "
    "ten concurrent calls to be served.",
)
def test_ten_concurrent_calls(producer: ProducerDriver, contract: ContractVersion) -> None:
    params = base_params(producer.env.producer)
    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        answers = list(pool.map(lambda _: producer.call(contract, params), range(CONCURRENT)))
    producer.judge(checks.concurrent_calls_answered(answers, CONCURRENT))
