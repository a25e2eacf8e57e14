"""Filters (Inera 1.2-1.5): each filtered answer holds exactly the records of the
unfiltered answer that the filter keeps, by the contract's own rule (dates as dates, end date inclusive,
care contacts by overlap)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.contracts import ContractVersion, DatePeriod, RequestRole
from harness.producer_suite import checks_filters as checks
from harness.producer_suite.areas import FILTERS, every_version, filters_on, producer_scenario
from harness.producer_suite.cases import base_params, random_periods
from harness.producer_suite.driver import ProducerDriver
from harness.producer_suite.steps import baseline


@producer_scenario(
    id="PR-FLT-09A",
    title="The declared period returns exactly its records, the end date included (1.2.1)",
    area=FILTERS,
    requirements=("PR-R-FLT-09P",),
    versions=every_version,
    explanation="1177 journal asks for a period; a record on the last day of it must be in the answer "
    "(the end date is inclusive), and nothing outside it.",
)
def test_declared_period(producer: ProducerDriver, contract: ContractVersion) -> None:
    declared = producer.env.producer.data(contract).period
    if declared is None:
        pytest.skip(
            f'needs period in [producer.test_data.per_contract."{contract.key}"]: a period with records'
        )
    unfiltered = baseline(producer, contract)
    period = DatePeriod(declared.start, declared.end)
    answer = producer.call(contract, replace(base_params(producer.env.producer), period=period))
    producer.judge(checks.declared_period_has_records(answer, period))
    producer.judge(checks.period_filter(unfiltered, answer, period))


@producer_scenario(
    id="PR-FLT-09B",
    title="Random intervals and one-day periods return exactly the matching records (1.2.2)",
    area=FILTERS,
    requirements=("PR-R-FLT-09P",),
    versions=every_version,
    explanation="Inera's suite asks for random intervals between the first and last date of the patient's "
    "records; every answer must match the contract's date rule exactly.",
)
def test_random_intervals(producer: ProducerDriver, contract: ContractVersion) -> None:
    unfiltered = baseline(producer, contract)
    dates = [t for r in unfiltered.records.records for t in r.timestamps]
    count = producer.env.producer.test_data.random_intervals
    for period in random_periods(dates, count, contract.key):
        answer = producer.call(contract, replace(base_params(producer.env.producer), period=period))
        producer.judge(checks.period_filter(unfiltered, answer, period))


@producer_scenario(
    id="PR-FLT-09E",
    title="A period before every record gives an empty answer (1.2.3)",
    area=FILTERS,
    requirements=("PR-R-FLT-09P",),
    versions=every_version,
    explanation="A period without data is an empty answer, not an error and not the whole journal.",
)
def test_empty_period(producer: ProducerDriver, contract: ContractVersion) -> None:
    unfiltered = baseline(producer, contract)
    empty = producer.env.producer.test_data.empty_period
    period = DatePeriod(empty.start, empty.end)
    answer = producer.call(contract, replace(base_params(producer.env.producer), period=period))
    producer.judge(checks.period_filter(unfiltered, answer, period))
    producer.judge(checks.period_is_empty(answer, period))


@producer_scenario(
    id="PR-FLT-09U",
    title="The care-unit filter returns exactly the records of that care unit (1.3)",
    area=FILTERS,
    requirements=("PR-R-FLT-09U",),
    versions=filters_on(RequestRole.CARE_UNIT),
    not_applicable="no declared contract version filters on care unit",
    explanation="Consumers ask per care unit (inre spärr); records of other units must not be in the answer.",
)
def test_care_unit(producer: ProducerDriver, contract: ContractVersion) -> None:
    unit = producer.env.producer.data(contract).care_unit
    if not unit:
        pytest.skip("needs [producer.test_data] care_unit: a care unit with records of the patient")
    unfiltered = baseline(producer, contract)
    answer = producer.call(contract, replace(base_params(producer.env.producer), care_units=(unit,)))
    producer.judge(checks.care_unit_filter(unfiltered, answer, (unit,)))


@producer_scenario(
    id="PR-FLT-09S",
    title="The source-system filter returns exactly the records of that source system (1.4)",
    area=FILTERS,
    requirements=("PR-R-FLT-09S",),
    versions=filters_on(RequestRole.SOURCE_SYSTEM),
    explanation="The aggregating services pass the consumer's sourceSystemHSAId on unchanged.",
)
def test_source_system(producer: ProducerDriver, contract: ContractVersion) -> None:
    source = producer.env.producer.source_system
    unfiltered = baseline(producer, contract)
    answer = producer.call(contract, replace(base_params(producer.env.producer), source_system=source))
    producer.judge(checks.source_system_filter(unfiltered, answer, source))


@producer_scenario(
    id="PR-FLT-09K",
    title="The care-contact filter returns exactly the records of that care contact (1.5)",
    area=FILTERS,
    requirements=("PR-R-FLT-09C",),
    versions=filters_on(RequestRole.CARE_CONTACT),
    not_applicable="no declared contract version filters on careContactId",
    explanation="1177 shows what was documented at one visit by asking for its care contact.",
)
def test_care_contact(producer: ProducerDriver, contract: ContractVersion) -> None:
    contact = producer.env.producer.data(contract).care_contact_id
    if not contact:
        pytest.skip("needs [producer.test_data] care_contact_id: a care contact with records of the patient")
    unfiltered = baseline(producer, contract)
    params = replace(
        base_params(producer.env.producer),
        source_system=producer.env.producer.source_system,
        care_contact_ids=(contact,),
    )
    producer.judge(checks.care_contact_filter(unfiltered, producer.call(contract, params), (contact,)))


@producer_scenario(
    id="PR-FLT-09G",
    title="The care-giver filter returns exactly the records of that care giver",
    area=FILTERS,
    requirements=("PR-R-FLT-09G",),
    versions=filters_on(RequestRole.CARE_GIVER),
    not_applicable="no declared contract version filters on care giver",
    explanation="Consumers ask per care giver (yttre spärr); other care givers' records must not be in "
    "the answer.",
)
def test_care_giver(producer: ProducerDriver, contract: ContractVersion) -> None:
    giver = producer.env.producer.data(contract).care_giver
    if not giver:
        pytest.skip("needs [producer.test_data] care_giver: a care giver with records of the patient")
    unfiltered = baseline(producer, contract)
    answer = producer.call(contract, replace(base_params(producer.env.producer), care_givers=(giver,)))
    producer.judge(checks.care_giver_filter(unfiltered, answer, (giver,)))
