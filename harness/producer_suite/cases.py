"""The requests of Inera's producer test-suite cases, built from the target's declared test data.

One :class:`Case` per case the declared data allows (``test-suite/<Contract>/data.xml``: 1.1.1
personnummer, 1.1.2 samordningsnummer, 1.1.4 reserve number, 1.2.1 period, 1.2.3 empty period,
1.3 care unit, 1.4 source system, 1.5 care contact, care giver, 1.8 unknown patient, 1.9 unknown
care contact), and the random intervals of case 1.2.2.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from harness.contracts import SAMORDNINGSNUMMER_OID, ContractVersion, DatePeriod, RequestParams, RequestRole
from harness.producer_suite.target import ProducerTarget

__all__ = ["UNKNOWN_CARE_CONTACT", "Case", "base_params", "filter_cases", "random_periods"]

# A care-contact id no journal holds (Inera 1.9 NonExisting CareContact).
UNKNOWN_CARE_CONTACT = "harness-unknown-care-contact-1177"


@dataclass(frozen=True, slots=True)
class Case:
    name: str  # Inera's case number and name, e.g. "1.3 CareUnit"
    params: RequestParams


def base_params(producer: ProducerTarget) -> RequestParams:
    """1.1.1: the declared patient, no filter."""
    data = producer.test_data
    return RequestParams(patient_id=data.patient_id, patient_id_type=data.patient_id_type)


def filter_cases(producer: ProducerTarget, contract: ContractVersion) -> list[Case]:
    """Every case the declared data and the contract version's request allow, in Inera's order."""
    data, own = producer.test_data, producer.data(contract)
    base, source = base_params(producer), producer.source_system
    has = contract.field
    cases = [Case("1.1.1 Personnummer", base)]
    if data.samordningsnummer:
        cases.append(
            Case("1.1.2 Samordningsnummer", RequestParams(data.samordningsnummer, SAMORDNINGSNUMMER_OID))
        )
    if data.reserve_id:
        reserve = RequestParams(data.reserve_id, data.reserve_id_type, source_system=source)
        cases.append(Case("1.1.4 Lokalt reservnummer", reserve))
    if own.period is not None:
        cases.append(
            Case("1.2.1 timePeriod", replace(base, period=DatePeriod(own.period.start, own.period.end)))
        )
    empty = DatePeriod(data.empty_period.start, data.empty_period.end)
    cases.append(Case("1.2.3 timePeriod tom respons", replace(base, period=empty)))
    if own.care_unit and has(RequestRole.CARE_UNIT):
        cases.append(Case("1.3 CareUnit", replace(base, care_units=(own.care_unit,))))
    cases.append(Case("1.4 SourceSystem", replace(base, source_system=source)))
    if own.care_contact_id and has(RequestRole.CARE_CONTACT):
        contact = replace(base, source_system=source, care_contact_ids=(own.care_contact_id,))
        cases.append(Case("1.5 CareContact", contact))
    if own.care_giver and has(RequestRole.CARE_GIVER):
        cases.append(Case("CareGiver", replace(base, care_givers=(own.care_giver,))))
    if data.unknown_patient:
        cases.append(
            Case("1.8 NonExisting Patient", RequestParams(data.unknown_patient, data.patient_id_type))
        )
    if has(RequestRole.CARE_CONTACT):
        unknown = replace(base, source_system=source, care_contact_ids=(UNKNOWN_CARE_CONTACT,))
        cases.append(Case("1.9 NonExisting CareContact", unknown))
    return cases


def _day(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def random_periods(dates: Sequence[str], count: int, seed: str) -> list[DatePeriod]:
    """Inera 1.2.2: ``count`` intervals between the first and last date of the unfiltered answer, plus
    every record date as a one-day period (where an end date must count as inclusive). Seeded by
    ``seed`` (e.g. the contract), so a run can be repeated exactly."""
    days = sorted({d[:8] for d in dates if len(d) >= 8 and d[:8].isdigit()})
    if not days:
        return []
    rng = random.Random(zlib.crc32(seed.encode()))
    first, last = _day(days[0]) - timedelta(days=3), _day(days[-1]) + timedelta(days=3)
    span = (last - first).days
    periods = [DatePeriod(d, d) for d in days]
    for _ in range(count):
        a, b = sorted(rng.randint(0, span) for _ in range(2))
        start, end = first + timedelta(days=a), first + timedelta(days=b)
        periods.append(DatePeriod(start.strftime("%Y%m%d"), end.strftime("%Y%m%d")))
    return periods
