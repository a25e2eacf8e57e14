"""Contract-specific rules (Inera 5.x content): GetCareContacts 3.0
organisation units, GetLaboratoryOrderOutcome 4.2 header and body rules, GetCareDocumentation 3.0
DocBook and note codes, partial answers, and the content records the vendor declares."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.contracts import ContractVersion
from harness.core.findings import observed
from harness.producer_suite import checks_contracts as checks
from harness.producer_suite.areas import CONTRACTS, every_version, producer_scenario
from harness.producer_suite.cases import base_params
from harness.producer_suite.driver import ProducerDriver
from harness.producer_suite.steps import baseline


@producer_scenario(
    id="PR-GCC-24",
    title="GetCareContacts 3.0: both organisation units with HSA-id and name, a start or an end",
    area=CONTRACTS,
    requirements=("PR-R-GCC-24",),
    versions=lambda c: c.key == "GetCareContacts:3.0",
    not_applicable="the target does not declare GetCareContacts 3.0",
    explanation="NPÖ shows where a contact took place from these units; without them the contact cannot "
    "be shown.",
)
def test_care_contact_org_units(producer: ProducerDriver, contract: ContractVersion) -> None:
    producer.judge(checks.care_contact_org_units(baseline(producer, contract)))


@producer_scenario(
    id="PR-LOO-25",
    title="GetLaboratoryOrderOutcome 4.2: patientId, blockComparisonTime, result type and units",
    area=CONTRACTS,
    requirements=("PR-R-LOO-25",),
    versions=lambda c: c.name == "GetLaboratoryOrderOutcome" and c.major == "4",
    not_applicable="the target does not declare GetLaboratoryOrderOutcome 4.x",
    explanation="Blocking compares the latest specimen's time; the result type tells the patient whether "
    "the answer is final.",
)
def test_lab_outcome_rules(producer: ProducerDriver, contract: ContractVersion) -> None:
    producer.judge(checks.lab_outcome_rules(baseline(producer, contract)))


@producer_scenario(
    id="PR-GCD-26D",
    title="GetCareDocumentation 3.0: DocBook note text uses only the TKB's DocBook elements",
    area=CONTRACTS,
    requirements=("PR-R-GCD-26D",),
    versions=lambda c: c.key == "GetCareDocumentation:3.0",
    not_applicable="the target does not declare GetCareDocumentation 3.0",
    explanation="Consumers render only the DocBook elements the TKB lists (article, title, info, para, "
    "section, bibliography) unless agreed otherwise; the rest of the note may not be shown.",
)
def test_docbook_elements(producer: ProducerDriver, contract: ContractVersion) -> None:
    allowed = producer.env.producer.docbook_allowed
    producer.judge(checks.docbook_elements_allowed(baseline(producer, contract), allowed))


@producer_scenario(
    id="PR-GCD-26C",
    title="GetCareDocumentation 3.0: note codes come from KV Anteckningstyp",
    area=CONTRACTS,
    requirements=("PR-R-GCD-26C",),
    versions=lambda c: c.key == "GetCareDocumentation:3.0",
    not_applicable="the target does not declare GetCareDocumentation 3.0",
    explanation="1177 groups notes by their type code; a code from another system is shown as unknown.",
)
def test_note_codes(producer: ProducerDriver, contract: ContractVersion) -> None:
    producer.judge(checks.note_codes(baseline(producer, contract)))


@producer_scenario(
    id="PR-MORE-18",
    title="Partial answers: one hasMore at the producer's address, and the follow-up returns the next part",
    area=CONTRACTS,
    requirements=("PR-R-MORE-18",),
    versions=lambda c: c.has_more,
    not_applicable="no contract version the target declares has partial answers (hasMore)",
    explanation="A consumer follows hasMore to get the rest of the journal; a wrong address or a reference "
    "that does not work loses that part.",
)
def test_partial_answers(producer: ProducerDriver, contract: ContractVersion) -> None:
    answer = baseline(producer, contract)
    parts = answer.records.has_more
    follow_up = None
    if parts:
        params = replace(base_params(producer.env.producer), has_more_reference=parts[0].reference)
        follow_up = producer.call(contract, params)
    else:
        producer.judge([observed("has_more_rules", "the producer answered in one part (no hasMore)")])
    producer.judge(checks.has_more_rules(answer, follow_up))


@producer_scenario(
    id="PR-CNT-05",
    title="The records declared for the content cases come back (5.x)",
    area=CONTRACTS,
    requirements=("PR-R-CNT-05",),
    versions=every_version,
    explanation="Inera's content cases (signed and unsigned, each note code, result types, ...) need "
    "these records; one that does not come back cannot be shown either.",
)
def test_content_records(producer: ProducerDriver, contract: ContractVersion) -> None:
    declared = producer.env.producer.data(contract).content_records
    if not declared:
        pytest.skip(
            f'needs content_records in [producer.test_data.per_contract."{contract.key}"]: the '
            "records of the content cases (signed, unsigned, each code, ...)"
        )
    producer.judge(checks.content_records_returned(baseline(producer, contract), declared))
