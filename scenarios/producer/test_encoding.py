"""Character encoding: Inera's test-suite cases 2.1 Encoding_HeaderProlog and 2.2
Encoding_SpecialCharacters."""

from __future__ import annotations

import pytest

from harness.contracts import ContractVersion
from harness.producer_suite import checks_transport as checks
from harness.producer_suite.areas import ENCODING, every_version, producer_scenario
from harness.producer_suite.cases import base_params, filter_cases
from harness.producer_suite.driver import ProducerDriver


@producer_scenario(
    id="PR-ENC-17A",
    title="Content-Type charset and XML prolog say UTF-8 or UTF-16, agree, and fit the bytes (2.1)",
    area=ENCODING,
    requirements=("PR-R-ENC-17",),
    versions=every_version,
    explanation="A consumer decodes your answer by what its headers say: a wrong charset turns å, ä and ö "
    "(in names, units, texts) into garbage for the patient.",
)
def test_charset(producer: ProducerDriver, contract: ContractVersion) -> None:
    for case in filter_cases(producer.env.producer, contract)[:2]:
        producer.judge(checks.charset_consistent(producer.call(contract, case.params)))


@producer_scenario(
    id="PR-ENC-17S",
    title="The seeded special characters (å, ä, ö, <, >, &) come back unchanged (2.2)",
    area=ENCODING,
    requirements=("PR-R-ENC-17S",),
    versions=every_version,
    explanation="Text written by string concatenation breaks on < and &: the answer is no longer XML, or "
    "the patient reads &amp;lt; instead of <.",
)
def test_special_characters(producer: ProducerDriver, contract: ContractVersion) -> None:
    text = producer.env.producer.data(contract).special_characters
    if not text:
        pytest.skip(
            f'needs special_characters in [producer.test_data] (or per_contract."{contract.key}"): '
            "a text with å, ä, ö, <, >, & seeded in the patient's records of this contract"
        )
    answer = producer.call(contract, base_params(producer.env.producer))
    producer.judge(checks.special_characters_round_trip(answer, text))
