"""The reference producer's declared test data, in the manner of Inera's ``test-suite/*/data.xml``
(global data: logical address, patientId and type, care unit, care giver, care contact; per case:
samordningsnummer, reserve number, date periods, special characters, the 7.x consumer filtering).

A harness reads this to know what to ask; the values are the seeded journal's (``testdata.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.reference_producer.config import BLOCKED_CONSUMER, FILTERING_CONSUMER
from harness.reference_producer.contracts import SERVED_CONTRACTS, RecordKind, ServedContract
from harness.reference_producer.model import PERSONNUMMER_OID, SAMORDNINGSNUMMER_OID
from harness.reference_producer.organisation import DEFAULT_SOURCE_SYSTEMS, RESERVE_NUMBER_OID, care_unit
from harness.reference_producer.testdata import (
    PATIENT,
    PATIENT_WITHOUT_RECORDS,
    RESERVE_NUMBER,
    SAMORDNINGSNUMMER_PATIENT,
    SPECIAL_CHARACTERS,
    UNKNOWN_PATIENT,
    record_id,
)

__all__ = [
    "ConsumerFiltering",
    "ContractTestData",
    "DeclaredPeriod",
    "DeclaredTestData",
    "declared_test_data",
]


@dataclass(frozen=True, slots=True)
class DeclaredPeriod:
    start: str  # YYYYMMDD
    end: str  # YYYYMMDD, inclusive


@dataclass(frozen=True, slots=True)
class ConsumerFiltering:
    """Inera 7.1 CareUnit_Blacklisted and 7.2 Consumer_Blacklisted."""

    consumer_with_excluded_unit: str
    excluded_care_unit: str
    excluded_unit_marker: str  # text that only the excluded unit's records carry (Inera's filterString)
    blocked_consumer: str


@dataclass(frozen=True, slots=True)
class ContractTestData:
    contract: str
    version: str
    logical_address: str
    patient_id: str
    patient_id_type: str
    samordningsnummer: str
    samordningsnummer_type: str
    reserve_id: str
    reserve_id_type: str
    care_unit: str
    care_giver: str
    care_contact_id: str | None  # None where the contract has no careContactId filter
    period_with_data: DeclaredPeriod  # a single day: its end date is the only date of a record
    empty_period: DeclaredPeriod
    approved_false_record_id: str
    linked_record_id: str  # a record held under the reserve number linked to patient_id
    special_characters: str


@dataclass(frozen=True, slots=True)
class DeclaredTestData:
    logical_addresses: tuple[str, ...]
    unknown_patient: str
    patient_without_records: str
    reserve_id_type: str
    consumer_filtering: ConsumerFiltering
    contracts: tuple[ContractTestData, ...]


# Per kind: (the record with approvedForPatient false, its single-day period, a care contact, unit,
# the record held under the linked reserve number).
_PER_KIND = {
    RecordKind.NOTE: ("a-note3", DeclaredPeriod("20240106", "20240106"), "a-cc1", "VE11", "r-note1"),
    RecordKind.DIAGNOSIS: ("a-dia2", DeclaredPeriod("20240105", "20240105"), "a-cc1", "VE11", "r-dia1"),
    RecordKind.CARE_CONTACT: ("a-cc2", DeclaredPeriod("20240107", "20240107"), "a-cc1", "VE11", "r-cc1"),
    RecordKind.LAB: ("a-lab2", DeclaredPeriod("20240105", "20240105"), "a-cc1", "VE11", "r-lab1"),
}
# The special characters each kind's answers carry (Inera 2.2): the seeded string in notes and
# diagnoses; the excluded care unit's name (å, <, >, &) in care contacts and lab outcomes.
_SPECIAL_CHARACTERS = {
    RecordKind.NOTE: SPECIAL_CHARACTERS,
    RecordKind.DIAGNOSIS: SPECIAL_CHARACTERS,
    RecordKind.CARE_CONTACT: care_unit("VE31").name,
    RecordKind.LAB: care_unit("VE31").name,
}
_CARE_CONTACT_FILTER = frozenset(
    {"GetCareDocumentation 2.1", "GetDiagnosis 2.0", "GetCareContacts 2.0", "GetCareContacts 3.0",
     "GetLaboratoryOrderOutcome 3.1"}
)  # fmt: skip


def _contract_data(contract: ServedContract, address: str, reserve_oid: str) -> ContractTestData:
    false_record, period, contact, unit, linked = _PER_KIND[contract.kind]
    return ContractTestData(
        contract=contract.name,
        version=contract.version,
        logical_address=address,
        patient_id=PATIENT,
        patient_id_type=PERSONNUMMER_OID,
        samordningsnummer=SAMORDNINGSNUMMER_PATIENT,
        samordningsnummer_type=SAMORDNINGSNUMMER_OID,
        reserve_id=RESERVE_NUMBER,
        reserve_id_type=reserve_oid,
        care_unit=care_unit(unit).hsa_id,
        care_giver=care_unit(unit).care_giver.hsa_id,
        care_contact_id=record_id(contact) if contract.label in _CARE_CONTACT_FILTER else None,
        period_with_data=period,
        empty_period=DeclaredPeriod("20100101", "20100201"),
        approved_false_record_id=record_id(false_record),
        linked_record_id=record_id(linked),
        special_characters=_SPECIAL_CHARACTERS[contract.kind],
    )


def declared_test_data(
    source_systems: tuple[str, str] = DEFAULT_SOURCE_SYSTEMS, reserve_oid: str = RESERVE_NUMBER_OID
) -> DeclaredTestData:
    """The declaration for a journal seeded with these source systems (the first holds the cases)."""
    excluded = care_unit("VE31")
    return DeclaredTestData(
        logical_addresses=source_systems,
        unknown_patient=UNKNOWN_PATIENT,
        patient_without_records=PATIENT_WITHOUT_RECORDS,
        reserve_id_type=reserve_oid,
        consumer_filtering=ConsumerFiltering(
            FILTERING_CONSUMER, excluded.hsa_id, excluded.name, BLOCKED_CONSUMER
        ),
        contracts=tuple(_contract_data(c, source_systems[0], reserve_oid) for c in SERVED_CONTRACTS),
    )
