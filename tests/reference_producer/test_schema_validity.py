"""Every answer, for every contract version and every filter case, is valid against the official XSD
and has no error from the official schematron (where one exists) or the harness's TKB rules."""

from __future__ import annotations

import pytest

from harness.contracts import find_contract
from harness.contracts.requests import DatePeriod, RequestParams
from harness.core.soap import parse_envelope
from harness.reference_producer.app import ReferenceProducer
from harness.reference_producer.config import BLOCKED_CONSUMER, FILTERING_CONSUMER
from harness.reference_producer.declaration import declared_test_data
from harness.reference_producer.organisation import RESERVE_NUMBER_OID
from harness.reference_producer.testdata import (
    PATIENT,
    RESERVE_NUMBER,
    SAMORDNINGSNUMMER_PATIENT,
    UNKNOWN_PATIENT,
)
from harness.validation import Validator
from tests.reference_producer.helpers import LABELS, RP01, RP02, call, split

SNR = "1.2.752.129.2.1.3.3"
DATA = {f"{c.contract} {c.version}": c for c in declared_test_data().contracts}


def _cases(label: str) -> list[tuple[str, RequestParams, str, str | None]]:
    data = DATA[label]
    period = DatePeriod(data.period_with_data.start, data.period_with_data.end)
    cases = [
        ("all", RequestParams(PATIENT), RP01, None),
        ("second source system", RequestParams(PATIENT), RP02, None),
        ("samordningsnummer", RequestParams(SAMORDNINGSNUMMER_PATIENT, SNR), RP01, None),
        ("reserve number", RequestParams(RESERVE_NUMBER, RESERVE_NUMBER_OID, source_system=RP01), RP01, None),
        ("unknown patient", RequestParams(UNKNOWN_PATIENT), RP01, None),
        ("period", RequestParams(PATIENT, period=period), RP01, None),
        ("empty period", RequestParams(PATIENT, period=DatePeriod("20100101", "20100201")), RP01, None),
        ("care unit", RequestParams(PATIENT, care_units=(data.care_unit,)), RP01, None),
        ("source system", RequestParams(PATIENT, source_system=RP01), RP01, None),
        ("other source system", RequestParams(PATIENT, source_system=RP02), RP01, None),
        ("filtering consumer", RequestParams(PATIENT), RP01, FILTERING_CONSUMER),
        ("blocked consumer", RequestParams(PATIENT), RP01, BLOCKED_CONSUMER),
    ]
    if label in ("GetCareContacts 3.0", "GetCareDocumentation 3.0", "GetLaboratoryOrderOutcome 4.2"):
        cases.append(("care giver", RequestParams(PATIENT, care_givers=(data.care_giver,)), RP01, None))
    if data.care_contact_id:
        contact = (data.care_contact_id,)
        cases.append(
            ("care contact", RequestParams(PATIENT, care_contact_ids=contact, source_system=RP01), RP01, None)
        )
        cases.append(
            ("care contact without source", RequestParams(PATIENT, care_contact_ids=contact), RP01, None)
        )
    return cases


CASES = [(label, *case) for label in LABELS for case in _cases(label)]


@pytest.mark.parametrize(
    ("label", "case", "params", "address", "consumer"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_every_answer_is_schema_and_schematron_valid(
    shared_producer: ReferenceProducer,
    validator: Validator,
    label: str,
    case: str,
    params: RequestParams,
    address: str,
    consumer: str | None,
) -> None:
    response = call(shared_producer, label, params, logical_address=address, consumer=consumer)
    assert response.status_code == 200
    result = validator.validate(find_contract(*split(label)), response.get_data())
    assert not result.issues, [f"{i.rule}: {i.message} at {i.location}" for i in result.issues]
    assert result.checked  # the XSD at least was applied, not skipped


def test_the_full_answers_carry_records(shared_producer: ReferenceProducer) -> None:
    """The validity cases are not vacuous: the unfiltered answer of every contract has records."""
    for label in LABELS:
        body = parse_envelope(call(shared_producer, label).get_data()).body
        assert body is not None and len(body) >= 2, label
