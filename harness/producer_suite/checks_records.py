"""Checks on what an answer holds: the records' source, patient, filters, PDL fields, approvedForPatient,
forbidden fields, ids and the result element (TKB §4 and §7 of each domain).

Each takes parsed answers (and what the declared test data says) and returns findings; an answer
that is no contract response at all makes :attr:`Answer.records` raise (the scenario is ``error``).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from harness.contracts import ContractRecord, forbidden_fields_present
from harness.core.findings import Finding, mismatch
from harness.producer_suite.answer import Answer
from harness.producer_suite.checking import check

__all__ = [
    "approved_flag_on_every_record",
    "empty_answer",
    "has_record_with_approval",
    "log_id_is_uuid",
    "no_forbidden_fields",
    "not_empty",
    "only_invalid_request",
    "pdl_fields",
    "records_from_logical_address",
    "records_of_patient",
    "result_well_formed",
    "same_ids",
    "unique_ids",
]


def _finding(element: str, expected: object, actual: object, *answers: Answer) -> Finding:
    ids = tuple(i for a in answers for i in a.evidence)
    return mismatch("", element, expected, actual, exchange_ids=ids)


def _shown(ids: Collection[str], limit: int = 5) -> str:
    listed = sorted(ids)
    more = f" and {len(listed) - limit} more" if len(listed) > limit else ""
    return ", ".join(listed[:limit]) + more


@check("PR-R-LA-03")
def records_from_logical_address(answer: Answer) -> list[Finding]:
    """TKB §4 R3: every record was created in the source system the LogicalAddress names."""
    return [
        _finding(f"record {r.id} sourceSystem", answer.logical_address, r.source_system, answer)
        for r in answer.records.records
        if r.source_system != answer.logical_address
    ]


def only_invalid_request(answer: Answer, what: str) -> list[Finding]:
    """Only result{ERROR, INVALID_REQUEST}: no records (TKB GetDiagnosis §7, "endast ... resultType")."""
    response = answer.records
    found = []
    if response.records:
        found.append(_finding(f"{what}: records", "none (only the result)", len(response.records), answer))
    result = response.result
    code = (result.result_code, result.error_code) if result else (None, None)
    if code != ("ERROR", "INVALID_REQUEST"):
        found.append(_finding(f"{what}: result", "resultCode ERROR, errorCode INVALID_REQUEST", code, answer))
    return found


@check("PR-R-INV-04")
def invalid_request_answered(answer: Answer, what: str) -> list[Finding]:
    return only_invalid_request(answer, what)


@check("PR-R-PAT-07")
def records_of_patient(answer: Answer, allowed: Collection[str]) -> list[Finding]:
    """Every record names the asked patient (or an identity the test data links to it)."""
    return [
        _finding(f"record {r.id} patientId", " or ".join(sorted(allowed)), r.patient_id, answer)
        for r in answer.records.records
        if r.patient_id not in allowed
    ]


def not_empty(answer: Answer, what: str) -> list[Finding]:
    """The declared test data says this request has records."""
    if answer.records.records:
        return []
    return [_finding(what, "at least one record (the declared test data has some)", "none", answer)]


@check("PR-R-PAT-07")
def patient_has_records(answer: Answer, what: str) -> list[Finding]:
    return not_empty(answer, what)


@check("PR-R-PAT-07R")
def reserve_number_answered(answer: Answer, what: str) -> list[Finding]:
    if answer.response is None:
        return [_finding(what, "an answer with records", answer.problem, answer)]
    result = answer.response.result
    if result is not None and result.result_code == "ERROR":
        return [_finding(f"{what}: result", "no error", f"ERROR {result.error_code or ''}".strip(), answer)]
    return not_empty(answer, what)


@check("PR-R-PAT-07L")
def linked_record_returned(answer: Answer, record_id: str) -> list[Finding]:
    if answer.has_record(record_id):
        return []
    return [
        _finding(f"record {record_id}", "returned (held under a linked identity)", "not returned", answer)
    ]


def no_error(answer: Answer) -> list[Finding]:
    """A positive control: the request is answered with the contract's response and no ERROR result."""
    if answer.response is None:
        return [_finding("answer", "the contract's response", answer.problem, answer)]
    result = answer.response.result
    if result is not None and result.result_code == "ERROR":
        return [
            _finding("result/resultCode", "not ERROR", f"ERROR {result.error_code or ''}".strip(), answer)
        ]
    return []


def empty_answer(answer: Answer, what: str) -> list[Finding]:
    """Inera 1.8/1.9: HTTP 200, no Fault, no records, resultCode OK or INFO where there is one."""
    if answer.fault is not None or answer.response is None:
        return [_finding(what, "an empty answer (not a SOAP Fault)", answer.problem, answer)]
    found = []
    if answer.response.records:
        found.append(_finding(f"{what}: records", "none", len(answer.response.records), answer))
    result = answer.response.result
    if result is not None and result.result_code not in ("OK", "INFO"):
        found.append(_finding(f"{what}: resultCode", "OK or INFO", result.result_code, answer))
    return found


@check("PR-R-UNK-08")
def unknown_patient_is_empty(answer: Answer) -> list[Finding]:
    return empty_answer(answer, "unknown patient")


@check("PR-R-UNK-08C")
def unknown_care_contact_is_empty(answer: Answer) -> list[Finding]:
    return empty_answer(answer, "unknown care contact")


@check("PR-R-PDL-10")
def pdl_fields(answer: Answer) -> list[Finding]:
    """Care giver, care unit and authorTime/blockComparisonTime on every record (Inera 3.1, 3.2)."""
    found = []
    paths = answer.contract.record
    for record in answer.records.records:
        for name, value in (
            ("care giver", record.care_giver),
            ("care unit", record.care_unit),
            ("access-control time", record.block_time),
        ):
            if not value:
                where = {
                    "care giver": paths.care_giver if paths else "",
                    "care unit": paths.care_unit if paths else "",
                    "access-control time": paths.block_time if paths else "",
                }[name]
                found.append(_finding(f"record {record.id} {where}", f"the {name}", "missing", answer))
    return found


@check("PR-R-APF-11")
def approved_flag_on_every_record(answer: Answer) -> list[Finding]:
    return [
        _finding(f"record {r.id} approvedForPatient", "true or false", "missing or not a boolean", answer)
        for r in answer.records.records
        if r.approved_for_patient is None
    ]


def _record(answer: Answer, record_id: str) -> ContractRecord | None:
    """The record ``record_id`` (an IIType id may carry it as its extension)."""
    ids = (record_id, f"/{record_id}")
    return next(
        (r for r in answer.records.records if r.id and (r.id == record_id or r.id.endswith(ids[1]))), None
    )


@check("PR-R-APF-11F")
def has_record_with_approval(answer: Answer, record_id: str, value: bool) -> list[Finding]:
    """The declared record comes back with approvedForPatient ``value``; and some record with the other."""
    record = _record(answer, record_id)
    text = str(value).lower()
    if record is None:
        return [
            _finding(
                f"record {record_id}", f"returned with approvedForPatient {text}", "not returned", answer
            )
        ]
    found = []
    if record.approved_for_patient is not value:
        found.append(
            _finding(f"record {record_id} approvedForPatient", text, record.approved_for_patient, answer)
        )
    if not any(r.approved_for_patient is (not value) for r in answer.records.records):
        found.append(
            _finding("approvedForPatient", f"some record with {str(not value).lower()}", "none", answer)
        )
    return found


@check("PR-R-APF-11E")
def approval_visible(answer: Answer, record_id: str, value: bool) -> list[Finding]:
    record = _record(answer, record_id)
    actual = "not returned" if record is None else record.approved_for_patient
    if record is not None and record.approved_for_patient is value:
        return []
    return [
        _finding(
            f"record {record_id} approvedForPatient after the change", str(value).lower(), actual, answer
        )
    ]


@check("PR-R-FRB-12")
def no_forbidden_fields(answer: Answer) -> list[Finding]:
    contract = answer.contract
    return [
        _finding(f"record {r.id} {field.path}", "absent", "present", answer)
        for r in answer.records.records
        for field in forbidden_fields_present(contract, r)
    ]


@check("PR-R-ID-13")
def unique_ids(answer: Answer) -> list[Finding]:
    ids = answer.record_ids
    repeated = {i for i in ids if ids.count(i) > 1 or not i}
    return (
        [_finding("record ids", "unique and present", f"repeated or empty: {_shown(repeated)}", answer)]
        if repeated
        else []
    )


@check("PR-R-ID-13")
def same_ids(first: Answer, second: Answer) -> list[Finding]:
    """The same call twice gives the same record ids."""
    a, b = set(first.record_ids), set(second.record_ids)
    if a == b:
        return []
    return [_finding("record ids of the same call, twice", _shown(a), _shown(b), first, second)]


@check("PR-R-ID-13X")
def same_ids_across_versions(first: Answer, second: Answer) -> list[Finding]:
    """Ids compared as the record's own identifier: an IIType's extension under the system's root."""
    a, b = ({i.rsplit("/", 1)[-1] for i in x.record_ids} for x in (first, second))
    if a == b:
        return []
    what = f"record ids in {first.contract.key} and {second.contract.key}"
    return [
        _finding(
            what,
            "the same",
            f"only in {first.contract.key}: {_shown(a - b)}; only in {second.contract.key}: {_shown(b - a)}",
            first,
            second,
        )
    ]


@check("PR-R-RES-14")
def result_well_formed(answer: Answer) -> list[Finding]:
    """resultCode OK/INFO/ERROR, logId where the schema has it, errorCode only with ERROR, result 1..1."""
    shape, result = answer.contract.result, answer.records.result
    if shape is None:
        return []
    if result is None:
        if shape.required or shape.required_by_tkb:
            return [_finding("result", "present (1..1)", "missing", answer)]
        return []
    found = []
    if result.result_code not in ("OK", "INFO", "ERROR"):
        found.append(_finding("result/resultCode", "OK, INFO or ERROR", result.result_code, answer))
    if shape.has_log_id and not result.log_id:
        found.append(_finding("result/logId", "present", "missing", answer))
    if shape.error_code_only_with_error and result.error_code and result.result_code != "ERROR":
        found.append(
            _finding("result/errorCode", "only with resultCode ERROR", f"with {result.result_code}", answer)
        )
    return found


@check("PR-R-RES-14U")
def log_id_is_uuid(answer: Answer) -> list[Finding]:
    result = answer.records.result
    if result is None or not result.log_id:
        return []
    try:
        uuid.UUID(result.log_id)
    except ValueError:
        return [_finding("result/logId", "a UUID", result.log_id, answer)]
    return []
