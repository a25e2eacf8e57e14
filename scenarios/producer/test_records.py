"""Record content, ids and the result element, per contract version
from the catalogue: which fields are forbidden, where INVALID_REQUEST applies, what the result holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from harness.contracts import ContractVersion, InvalidRequestTrigger
from harness.core.findings import Level
from harness.producer_suite import checks_records as checks
from harness.producer_suite.areas import CONTENT, every_version, producer_scenario
from harness.producer_suite.cases import base_params
from harness.producer_suite.driver import ProducerDriver
from harness.producer_suite.steps import baseline


def _invalid_request(trigger: InvalidRequestTrigger) -> Callable[[ContractVersion], bool]:
    def applies(contract: ContractVersion) -> bool:
        return contract.invalid_request is not None and trigger in contract.invalid_request.triggers

    return applies


def _invalid_level(contract: ContractVersion) -> Level:
    return contract.invalid_request.level if contract.invalid_request else Level.SHOULD


_NO_INVALID = "INVALID_REQUEST applies to GetDiagnosis 2.0 (MUST) and GetCareContacts 3.0 (SHOULD) only"


@producer_scenario(
    id="PR-INV-04A",
    title="A source system other than the LogicalAddress gets only result ERROR/INVALID_REQUEST",
    area=CONTENT,
    requirements=("PR-R-INV-04",),
    versions=_invalid_request(InvalidRequestTrigger.SOURCE_SYSTEM_MISMATCH),
    level_for=_invalid_level,
    not_applicable=_NO_INVALID,
    explanation="A request that names one source system but is addressed to another is a logical error; "
    "answering it with records hands out data the consumer did not address.",
)
def test_source_system_mismatch(producer: ProducerDriver, contract: ContractVersion) -> None:
    target = producer.env.producer
    matching = replace(base_params(target), source_system=target.source_system)
    control = producer.call(contract, matching)
    producer.positive_control(
        "the matching source system is answered", checks.not_empty(control, "matching request")
    )
    other = f"{target.source_system}-OTHER"
    answer = producer.call(contract, replace(matching, source_system=other))
    producer.judge(checks.invalid_request_answered(answer, f"sourceSystemHSAId {other}"))


@producer_scenario(
    id="PR-INV-04B",
    title="A care contact without a source system gets only result ERROR/INVALID_REQUEST",
    area=CONTENT,
    requirements=("PR-R-INV-04",),
    versions=_invalid_request(InvalidRequestTrigger.CARE_CONTACT_WITHOUT_SOURCE_SYSTEM),
    level_for=_invalid_level,
    not_applicable=_NO_INVALID,
    explanation="careContactId is only unique within one source system; without sourceSystemHSAId the "
    "request is a logical error.",
)
def test_care_contact_without_source_system(producer: ProducerDriver, contract: ContractVersion) -> None:
    target = producer.env.producer
    contact = target.data(contract).care_contact_id or "harness-care-contact"
    with_source = replace(
        base_params(target), source_system=target.source_system, care_contact_ids=(contact,)
    )
    control = producer.call(contract, with_source)
    producer.positive_control("careContactId with sourceSystemHSAId is answered", checks.no_error(control))
    answer = producer.call(contract, replace(with_source, source_system=None))
    producer.judge(checks.invalid_request_answered(answer, "careContactId without sourceSystemHSAId"))


@producer_scenario(
    id="PR-FRB-12",
    title="No record carries a field the contract version forbids",
    area=CONTENT,
    requirements=("PR-R-FRB-12",),
    versions=lambda c: bool(c.forbidden),
    not_applicable="no contract version the target declares forbids a field",
    explanation="The TKB marks these fields 'ska ej anges' or 0..0: consumers may act on them wrongly "
    "(e.g. lockTime) or reject the answer.",
)
def test_no_forbidden_fields(producer: ProducerDriver, contract: ContractVersion) -> None:
    producer.judge(checks.no_forbidden_fields(baseline(producer, contract)))


@producer_scenario(
    id="PR-ID-13A",
    title="Record ids are unique in an answer and the same in every answer",
    area=CONTENT,
    requirements=("PR-R-ID-13",),
    versions=every_version,
    explanation="Consumers remove duplicates and link to records by id; an id that changes between calls "
    "makes every record look new each time.",
)
def test_stable_record_ids(producer: ProducerDriver, contract: ContractVersion) -> None:
    first = baseline(producer, contract)
    second = producer.call(contract, base_params(producer.env.producer))
    producer.judge(checks.unique_ids(first))
    producer.judge(checks.same_ids(first, second))


def _cross_level(contract: ContractVersion) -> Level:
    """GetLaboratoryOrderOutcome 3.1 and 4.x define no id mapping (SHOULD); the others MUST."""
    return Level.SHOULD if contract.name == "GetLaboratoryOrderOutcome" else Level.MUST


@producer_scenario(
    id="PR-ID-13X",
    title="A record has the same id in both major versions of a contract",
    area=CONTENT,
    requirements=("PR-R-ID-13X",),
    pairs=True,
    level_for=_cross_level,
    not_applicable="the target declares no contract in two major versions",
    explanation="Consumers connected to both majors remove duplicates by id; different ids show every "
    "record twice.",
)
def test_ids_across_major_versions(
    producer: ProducerDriver, pair: tuple[ContractVersion, ContractVersion]
) -> None:
    older, newer = (baseline(producer, contract) for contract in pair)
    producer.judge(checks.same_ids_across_versions(older, newer))


@producer_scenario(
    id="PR-RES-14A",
    title="The result: resultCode OK/INFO/ERROR, logId where the schema has it, errorCode only with ERROR",
    area=CONTENT,
    requirements=("PR-R-RES-14",),
    versions=lambda c: c.result is not None,
    not_applicable="no contract version the target declares has a result element",
    explanation="Consumers read the result to tell 'no data' from an error; a missing logId leaves "
    "support without a trace.",
)
def test_result_element(producer: ProducerDriver, contract: ContractVersion) -> None:
    producer.judge(checks.result_well_formed(baseline(producer, contract)))


@producer_scenario(
    id="PR-RES-14U",
    title="The result's logId is a UUID",
    area=CONTENT,
    requirements=("PR-R-RES-14U",),
    versions=lambda c: c.result is not None and c.result.has_log_id and c.result.log_id_uuid is not None,
    not_applicable="no contract version the target declares has a logId",
    explanation="A UUID log id cannot be traced to the patient and is unique across systems.",
)
def test_log_id_is_a_uuid(producer: ProducerDriver, contract: ContractVersion) -> None:
    producer.judge(checks.log_id_is_uuid(baseline(producer, contract)))
