"""Technical errors (Inera 1.7 SoapFault): forced through the target's test hook,
the producer answers a SOAP 1.1 Fault without personal data, with a log id, and keeps serving."""

from __future__ import annotations

from harness.contracts import ContractVersion
from harness.producer_suite import checks_fault as checks
from harness.producer_suite.answer import Answer
from harness.producer_suite.areas import ERRORS, every_version, producer_scenario
from harness.producer_suite.cases import base_params
from harness.producer_suite.checks_records import no_error
from harness.producer_suite.driver import ProducerDriver
from harness.producer_suite.steps import baseline


def _forced_fault(producer: ProducerDriver, contract: ContractVersion) -> Answer:
    """A normal answer first (positive control), then one call failing on purpose, then normal again."""
    producer.require_hook("technical_error")
    baseline(producer, contract)
    producer.hook("technical_error", {"calls": 1})
    fault = producer.call(contract, base_params(producer.env.producer))
    after = producer.call(contract, base_params(producer.env.producer))
    producer.positive_control("the producer answers normally again after the forced error", no_error(after))
    return fault


@producer_scenario(
    id="PR-ERR-15A",
    title="A technical error is a SOAP 1.1 Fault (HTTP 500) without personal data",
    area=ERRORS,
    requirements=("PR-R-ERR-15",),
    versions=every_version,
    explanation="A fault passes through the platform to the consumer's logs; a personnummer in it leaks "
    "the patient's identity to everyone who reads those logs.",
)
def test_technical_error_is_a_clean_fault(producer: ProducerDriver, contract: ContractVersion) -> None:
    data = producer.env.producer.test_data
    fault = _forced_fault(producer, contract)
    producer.judge(checks.technical_fault(fault, (data.patient_id, data.samordningsnummer, data.reserve_id)))


@producer_scenario(
    id="PR-ERR-15L",
    title="A technical error's Fault carries a log id, preferably a UUID",
    area=ERRORS,
    requirements=("PR-R-ERR-15L",),
    versions=every_version,
    explanation="With a log id in the fault, the consumer's support can ask yours about one failed call "
    "without naming the patient.",
)
def test_technical_error_has_a_log_id(producer: ProducerDriver, contract: ContractVersion) -> None:
    producer.judge(checks.fault_has_log_id(_forced_fault(producer, contract)))
