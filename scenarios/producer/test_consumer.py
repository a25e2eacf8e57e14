"""The original consumer (Inera 7.1-7.3): x-rivta-original-serviceconsumer-hsaid is
accepted, and a producer that filters per consumer removes whole care units only. Record ids are
compared as sets, never bytes (logId differs per call)."""

from __future__ import annotations

import pytest

from harness.contracts import ContractVersion
from harness.producer_suite import checks_contracts as checks
from harness.producer_suite.areas import CONTRACTS, every_version, producer_scenario
from harness.producer_suite.cases import base_params
from harness.producer_suite.driver import ProducerDriver
from harness.producer_suite.steps import baseline
from harness.producer_suite.target import ConsumerFiltering

# A consumer HSA-id in Inera's test form that no producer policy names (7.3 Consumer_Independent).
NEUTRAL_CONSUMER = "TSTNMT2321000156-C100"


def _filtering(producer: ProducerDriver, needs: str) -> ConsumerFiltering:
    filtering = producer.env.producer.test_data.consumer_filtering
    if filtering is None or not getattr(filtering, needs):
        pytest.skip(
            f"needs [producer.test_data.consumer_filtering] {needs}: Inera's 7.x cases apply only to "
            "producers that filter per original consumer"
        )
    return filtering


@producer_scenario(
    id="PR-CONS-19A",
    title="A consumer the producer applies no policy to gets the same records (7.3)",
    area=CONTRACTS,
    requirements=("PR-R-CONS-19",),
    versions=every_version,
    explanation="The platform passes the original consumer's HSA-id on; a producer must accept the header "
    "and not change its answer for consumers it has no policy for.",
)
def test_consumer_independent(producer: ProducerDriver, contract: ContractVersion) -> None:
    first = baseline(producer, contract)
    other = producer.call(contract, base_params(producer.env.producer), original_consumer=NEUTRAL_CONSUMER)
    producer.judge(checks.same_answer_for_consumer(first, other, NEUTRAL_CONSUMER))


@producer_scenario(
    id="PR-CONS-19F",
    title="Filtering for a consumer removes exactly the excluded care unit's records (7.1)",
    area=CONTRACTS,
    requirements=("PR-R-CONS-19F",),
    versions=every_version,
    explanation="The TKB allows filtering per consumer only as if the unapproved care units had been left "
    "out of the request: hiding single records breaks what the patient and staff see.",
)
def test_consumer_excluded_care_unit(producer: ProducerDriver, contract: ContractVersion) -> None:
    filtering = _filtering(producer, "consumer")
    unfiltered = baseline(producer, contract)
    if not any(r.care_unit == filtering.excluded_care_unit for r in unfiltered.records.records):
        pytest.skip(f"the declared patient has no {contract.key} record at {filtering.excluded_care_unit}")
    answer = producer.call(contract, base_params(producer.env.producer), original_consumer=filtering.consumer)
    producer.judge(
        checks.only_excluded_units_removed(
            unfiltered, answer, filtering.excluded_care_unit, filtering.filter_string
        )
    )


@producer_scenario(
    id="PR-CONS-19B",
    title="A consumer no care unit has approved gets an empty answer (7.2)",
    area=CONTRACTS,
    requirements=("PR-R-CONS-19B",),
    versions=every_version,
    explanation="When no information owner approves a consumer, it gets nothing.",
)
def test_consumer_blocked(producer: ProducerDriver, contract: ContractVersion) -> None:
    filtering = _filtering(producer, "blocked_consumer")
    baseline(producer, contract)
    answer = producer.call(
        contract, base_params(producer.env.producer), original_consumer=filtering.blocked_consumer
    )
    producer.judge(checks.nothing_for_blocked_consumer(answer, filtering.blocked_consumer))
