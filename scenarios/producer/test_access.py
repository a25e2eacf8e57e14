"""PDL fields and approvedForPatient (Inera 3.x and 4.x): what 1177 journal
and NPÖ need for blocking, consent and logging, and the flag that decides what the patient may see."""

from __future__ import annotations

import pytest

from harness.contracts import ContractVersion
from harness.core.findings import Level
from harness.producer_suite import checks_records as checks
from harness.producer_suite.areas import ACCESS, every_version, producer_scenario
from harness.producer_suite.cases import base_params
from harness.producer_suite.checks_ei import approval_change_posted
from harness.producer_suite.driver import ProducerDriver
from harness.producer_suite.steps import baseline, change_and_wait


@producer_scenario(
    id="PR-PDL-10",
    title="Every record carries care giver, care unit and authorTime/blockComparisonTime (3.1, 3.2)",
    area=ACCESS,
    requirements=("PR-R-PDL-10",),
    versions=every_version,
    explanation="Without the care unit and care giver, consumers within sammanhållen journalföring cannot "
    "apply blocking (spärr) or log access, and must not show the record at all.",
)
def test_pdl_fields(producer: ProducerDriver, contract: ContractVersion) -> None:
    producer.judge(checks.pdl_fields(baseline(producer, contract)))


@producer_scenario(
    id="PR-APF-11A",
    title="Every record says whether it may be shown to the patient (approvedForPatient)",
    area=ACCESS,
    requirements=("PR-R-APF-11",),
    versions=every_version,
    explanation="1177 shows the patient only records approved for them; a record without the flag cannot "
    "be shown safely.",
)
def test_approved_flag_present(producer: ProducerDriver, contract: ContractVersion) -> None:
    producer.judge(checks.approved_flag_on_every_record(baseline(producer, contract)))


def _declared_false(producer: ProducerDriver, contract: ContractVersion) -> str:
    record = producer.env.producer.data(contract).approved_false
    if not record:
        pytest.skip(
            f'needs approved_false in [producer.test_data.per_contract."{contract.key}"]: a record '
            "the care giver has not approved for the patient"
        )
    return record


@producer_scenario(
    id="PR-APF-11F",
    title="A record not approved for the patient comes back with approvedForPatient false (4.1, 4.2)",
    area=ACCESS,
    requirements=("PR-R-APF-11F",),
    versions=every_version,
    explanation="A record under rådrum or menprövning must reach 1177 marked false, or the patient sees "
    "it before the care giver allows.",
)
def test_approved_false(producer: ProducerDriver, contract: ContractVersion) -> None:
    record = _declared_false(producer, contract)
    producer.judge(checks.has_record_with_approval(baseline(producer, contract), record, False))


def _change_level(contract: ContractVersion) -> Level:
    """MUST for GetCareDocumentation 3.0 and GetLaboratoryOrderOutcome 4.2 (their TKB §7), else SHOULD."""
    return (
        Level.MUST
        if contract.key in ("GetCareDocumentation:3.0", "GetLaboratoryOrderOutcome:4.2")
        else Level.SHOULD
    )


@producer_scenario(
    id="PR-APF-11E",
    title="A change of approvedForPatient is followed by an EI Update and shows in the next answer",
    area=ACCESS,
    requirements=("PR-R-APF-11E",),
    versions=every_version,
    level_for=_change_level,
    explanation="When the care giver approves a record for the patient (or withdraws it), the engagement "
    "index must be updated, or 1177 keeps showing the old state.",
)
def test_approval_change_updates_the_index(producer: ProducerDriver, contract: ContractVersion) -> None:
    record = _declared_false(producer, contract)
    producer.require_hook("approved_for_patient")
    baseline(producer, contract)
    try:
        for value in (True, False):  # approve, then withdraw again: the run leaves the journal as it was
            change = change_and_wait(
                producer,
                contract,
                lambda v=value: producer.hook("approved_for_patient", {"record_id": record, "value": v}),
            )
            after = producer.call(contract, base_params(producer.env.producer))
            what = f"approvedForPatient of {record} set to {str(value).lower()}"
            producer.judge(approval_change_posted(change.updates, what, change.waited_s, after.evidence))
            producer.judge(checks.approval_visible(after, record, value))
    finally:
        producer.hook("approved_for_patient", {"record_id": record, "value": False})
