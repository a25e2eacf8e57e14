"""Schema and schematron on every answer of Inera's filter cases: each
scenario makes its own calls, so its verdict never depends on which other scenarios ran."""

from __future__ import annotations

import pytest

from harness.contracts import ContractVersion
from harness.producer_suite.areas import SCHEMAS, every_version, producer_scenario
from harness.producer_suite.cases import filter_cases
from harness.producer_suite.checks_schema import schema_valid, schematron_valid, validate
from harness.producer_suite.driver import ProducerDriver
from harness.validation import NO_SCHEMA_BUNDLE, Validator


def _validator(producer: ProducerDriver) -> Validator:
    if producer.env.validator is None:
        pytest.skip(
            f"{NO_SCHEMA_BUNDLE}: give the official RIVTA schemas with --schemas DIR (or RIVTA_SCHEMAS)"
        )
    return producer.env.validator


@producer_scenario(
    id="PR-XSD-05",
    title="Every answer of the filter cases is valid against the contract version's official XSD",
    area=SCHEMAS,
    requirements=("PR-R-XSD-05",),
    versions=every_version,
    explanation="Consumers read your answers with the official schema; an element out of order, missing "
    "or unknown makes the whole answer unreadable for them.",
)
def test_answers_are_schema_valid(producer: ProducerDriver, contract: ContractVersion) -> None:
    validator = _validator(producer)
    for case in filter_cases(producer.env.producer, contract):
        answer = producer.call(contract, case.params)
        producer.judge(schema_valid(answer, validate(answer, validator)))


@producer_scenario(
    id="PR-SCH-06",
    title="Every answer of the filter cases keeps the contract version's official schematron",
    area=SCHEMAS,
    requirements=("PR-R-SCH-06",),
    versions=lambda c: bool(c.schemas.schematron),
    not_applicable="no contract version the target declares has an official schematron (Inera publishes "
    "constraints.xml for GetCareDocumentation 3.0, GetDiagnosis 2.0 and GetLaboratoryOrderOutcome 4.x)",
    explanation="Inera's test suite checks these rules (no empty elements, unique ids, code rules, fields "
    "the contract forbids) before approving a producer.",
)
def test_answers_keep_the_schematron(producer: ProducerDriver, contract: ContractVersion) -> None:
    validator = _validator(producer)
    for case in filter_cases(producer.env.producer, contract):
        answer = producer.call(contract, case.params)
        producer.judge(schematron_valid(answer, validate(answer, validator)))
