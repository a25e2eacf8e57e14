"""The patient and the source system (Inera 1.1.x, 1.8, 1.9): records come
only from the LogicalAddress's source system, for the asked patient under any of their identities, and
an unknown patient or care contact gets an empty answer, never a fault."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.contracts import SAMORDNINGSNUMMER_OID, ContractVersion, RequestParams, RequestRole
from harness.core.findings import Level
from harness.producer_suite import checks_records as checks
from harness.producer_suite.areas import FILTERS, every_version, filters_on, producer_scenario
from harness.producer_suite.cases import UNKNOWN_CARE_CONTACT, base_params
from harness.producer_suite.driver import ProducerDriver
from harness.producer_suite.steps import baseline


@producer_scenario(
    id="PR-LA-03",
    title="An answer holds only records of the source system the LogicalAddress names",
    area=FILTERS,
    requirements=("PR-R-LA-03",),
    versions=every_version,
    explanation="The platform calls each source system by its own logical address and merges the answers; "
    "a record of another source system shows up twice, or under the wrong source, for the patient.",
)
def test_records_come_from_the_logical_address(producer: ProducerDriver, contract: ContractVersion) -> None:
    baseline(producer, contract)
    for address in producer.env.producer.logical_addresses:
        answer = producer.call(contract, base_params(producer.env.producer), logical_address=address)
        producer.judge(checks.records_from_logical_address(answer))


@producer_scenario(
    id="PR-PAT-07A",
    title="A request by personnummer returns the patient's records and no other patient's (1.1.1)",
    area=FILTERS,
    requirements=("PR-R-PAT-07",),
    versions=every_version,
    explanation="1177 shows the patient what you answer for their personnummer: a record of someone else "
    "is a data leak, and no records for a patient with data hides their journal.",
)
def test_personnummer(producer: ProducerDriver, contract: ContractVersion) -> None:
    data = producer.env.producer.test_data
    answer = producer.call(contract, base_params(producer.env.producer))
    producer.judge(checks.patient_has_records(answer, f"patient {data.patient_id}"))
    producer.judge(checks.records_of_patient(answer, {data.patient_id, data.reserve_id} - {""}))


@producer_scenario(
    id="PR-PAT-07B",
    title="A request by samordningsnummer returns that patient's records (1.1.2)",
    area=FILTERS,
    requirements=("PR-R-PAT-07",),
    versions=every_version,
    explanation="Patients without a personnummer are identified by a samordningsnummer (12 digits, its own "
    "OID); they must see their journal too.",
)
def test_samordningsnummer(producer: ProducerDriver, contract: ContractVersion) -> None:
    number = producer.env.producer.test_data.samordningsnummer
    if not number:
        pytest.skip("needs [producer.test_data] samordningsnummer: a test samordningsnummer with records")
    answer = producer.call(contract, RequestParams(number, SAMORDNINGSNUMMER_OID))
    producer.judge(checks.patient_has_records(answer, f"samordningsnummer {number}"))
    producer.judge(checks.records_of_patient(answer, {number}))


@producer_scenario(
    id="PR-PAT-07R",
    title="A request by the local reserve number, addressed to the source system, is answered (1.1.4)",
    area=FILTERS,
    requirements=("PR-R-PAT-07R",),
    versions=every_version,
    explanation="Staff reach patients without a national identity by the journal's reserve number; the TKB "
    "requires producers to support searching by it.",
)
def test_reserve_number(producer: ProducerDriver, contract: ContractVersion) -> None:
    data = producer.env.producer.test_data
    if not data.reserve_id:
        pytest.skip(
            "needs [producer.test_data] reserve_id and reserve_id_type: a reserve number with records"
        )
    params = RequestParams(
        data.reserve_id, data.reserve_id_type, source_system=producer.env.producer.source_system
    )
    producer.judge(
        checks.reserve_number_answered(producer.call(contract, params), f"reserve number {data.reserve_id}")
    )


def _linked_level(contract: ContractVersion) -> Level:
    """MUST for GetCareDocumentation 3 and the actoutcome contracts (TKB actoutcome §4 R2), else SHOULD."""
    must = contract.key == "GetCareDocumentation:3.0" or contract.domain.endswith(":actoutcome")
    return Level.MUST if must else Level.SHOULD


@producer_scenario(
    id="PR-PAT-07L",
    title="A request by personnummer also returns records held under a linked reserve number",
    area=FILTERS,
    requirements=("PR-R-PAT-07L",),
    versions=every_version,
    level_for=_linked_level,
    explanation="A patient first registered under a reserve number keeps those records after being "
    "identified; leaving them out hides part of the journal.",
)
def test_linked_identities(producer: ProducerDriver, contract: ContractVersion) -> None:
    linked = producer.env.producer.data(contract).linked_record
    if not linked:
        pytest.skip(
            f'needs linked_record in [producer.test_data.per_contract."{contract.key}"]: a record '
            "held under the reserve number linked to patient_id"
        )
    answer = producer.call(contract, base_params(producer.env.producer))
    producer.judge(checks.linked_record_returned(answer, linked))


@producer_scenario(
    id="PR-UNK-08A",
    title="An unknown patient gets an empty answer, not a SOAP Fault (1.8)",
    area=FILTERS,
    requirements=("PR-R-UNK-08",),
    versions=every_version,
    explanation="The aggregating services ask every source with a post; a fault for a patient you do not "
    "know is reported to 1177 as a failed source instead of 'no data'.",
)
def test_unknown_patient(producer: ProducerDriver, contract: ContractVersion) -> None:
    data = producer.env.producer.test_data
    if not data.unknown_patient:
        pytest.skip(
            "needs [producer.test_data] unknown_patient: a test personnummer the producer has never seen"
        )
    baseline(producer, contract)
    answer = producer.call(contract, RequestParams(data.unknown_patient, data.patient_id_type))
    producer.judge(checks.unknown_patient_is_empty(answer))


@producer_scenario(
    id="PR-UNK-08B",
    title="An unknown care contact gets an empty answer, not a SOAP Fault (1.9)",
    area=FILTERS,
    requirements=("PR-R-UNK-08C",),
    versions=filters_on(RequestRole.CARE_CONTACT),
    not_applicable="no contract version the target declares filters on careContactId",
    explanation="A care contact id the journal does not hold is an empty result, not an error.",
)
def test_unknown_care_contact(producer: ProducerDriver, contract: ContractVersion) -> None:
    baseline(producer, contract)
    params = replace(
        base_params(producer.env.producer),
        source_system=producer.env.producer.source_system,
        care_contact_ids=(UNKNOWN_CARE_CONTACT,),
    )
    producer.judge(checks.unknown_care_contact_is_empty(producer.call(contract, params)))
