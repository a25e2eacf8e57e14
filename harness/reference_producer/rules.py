"""The producer's rules, each a small named function: which requests are logical errors, which records
an answer holds. :class:`ProducerRules` gathers them; the responder applies them in order.

They are dependency-injection seams: a different tuple gives a different producer (the harness's own
tests build deliberately flawed producers that way). The reference producer uses the defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from harness.reference_producer.contracts import RecordKind, ServedContract
from harness.reference_producer.model import (
    CareContactDetails,
    DiagnosisDetails,
    LabDetails,
    NoteDetails,
    Record,
)
from harness.reference_producer.query import DatePeriod, Query

__all__ = [
    "DEFAULT_RECORD_FILTERS",
    "DEFAULT_REQUEST_CHECKS",
    "ERROR_CODE_CONTRACTS",
    "CallContext",
    "LogicalError",
    "RecordFilter",
    "RequestCheck",
    "at_requested_care_units",
    "care_contact_needs_source_system",
    "contact_span",
    "from_logical_address",
    "from_requested_care_contacts",
    "from_requested_source_system",
    "has_more_reference_is_known",
    "in_requested_period",
    "of_requested_care_givers",
    "period_contains",
    "record_dates",
    "released_to_consumer",
    "select",
    "reserve_number_needs_source_system",
    "source_system_is_logical_address",
    "with_requested_referrals",
    "with_requested_specimens",
]

# Contracts whose result carries errorCode INVALID_REQUEST: GetDiagnosis 2.0 (TKB description §7
# GetDiagnosis, sourceSystemHSAId) and GetCareContacts 3.0 (TKB logistics §7 ResultType, errorCode).
ERROR_CODE_CONTRACTS = frozenset({"GetDiagnosis 2.0", "GetCareContacts 3.0"})


@dataclass(frozen=True, slots=True)
class CallContext:
    """Who asks, through which address: the SOAP header's LogicalAddress and the original consumer
    (``x-rivta-original-serviceconsumer-hsaid``, RIVTA BP 2.1 rule #23)."""

    contract: ServedContract
    logical_address: str
    consumer: str | None = None
    excluded_care_units: frozenset[str] = (
        frozenset()
    )  # the consumer's blacklist (TKB description §4 "Generellt")
    consumer_blocked: bool = False  # every care unit excluded for this consumer


@dataclass(frozen=True, slots=True)
class LogicalError:
    """A logical error (TKB §7 "Logiska fel"): the answer carries only ``result``."""

    message: str
    error_code: str | None = "INVALID_REQUEST"


RequestCheck = Callable[[Query, CallContext], LogicalError | None]
RecordFilter = Callable[[Record, Query, CallContext], bool]


# -- request checks ---------------------------------------------------------------------------------


def _needs_error_code(check: RequestCheck) -> RequestCheck:
    """A check that only applies where the contract's result can carry errorCode INVALID_REQUEST."""

    def checked(query: Query, context: CallContext) -> LogicalError | None:
        return check(query, context) if context.contract.label in ERROR_CODE_CONTRACTS else None

    checked.__name__ = check.__name__
    checked.__doc__ = check.__doc__
    return checked


@_needs_error_code
def source_system_is_logical_address(query: Query, context: CallContext) -> LogicalError | None:
    """TKB description §7 GetDiagnosis: "Om sourceSystemHSAId och logicalAddress är olika ska ett svar
    endast innehålla en resultType med ... ERROR ... INVALID_REQUEST"."""
    if query.source_system is not None and query.source_system != context.logical_address:
        return LogicalError("sourceSystemHSAId must equal the LogicalAddress of the call")
    return None


@_needs_error_code
def care_contact_needs_source_system(query: Query, context: CallContext) -> LogicalError | None:
    """TKB description §7 GetDiagnosis: careContactId without sourceSystemHSAId gives INVALID_REQUEST."""
    if query.care_contact_ids and query.source_system is None:
        return LogicalError("careContactId requires sourceSystemHSAId")
    return None


@_needs_error_code
def reserve_number_needs_source_system(query: Query, context: CallContext) -> LogicalError | None:
    """TKB description §7 and logistics §7, sourceSystemHSAId: "Ska anges vid begäran på reservnummer"."""
    if not query.patient.is_national and query.source_system is None:
        return LogicalError("a request by reserve number requires sourceSystemHSAId")
    return None


def has_more_reference_is_known(query: Query, context: CallContext) -> LogicalError | None:
    """GetCareDocumentation 3.0: this producer never hands out a hasMore reference, so any
    hasMoreReference is invalid (TKB description §7 GetCareDocumentation "Logiska fel", its example)."""
    if query.has_more_reference is None:
        return None
    return LogicalError("Referensen som skickats i hasMoreReference är ogiltig", error_code=None)


DEFAULT_REQUEST_CHECKS: tuple[RequestCheck, ...] = (
    source_system_is_logical_address,
    care_contact_needs_source_system,
    reserve_number_needs_source_system,
    has_more_reference_is_known,
)


# -- record filters ---------------------------------------------------------------------------------


def from_logical_address(record: Record, query: Query, context: CallContext) -> bool:
    """TKB description §4 R3: "Svarsmeddelandet får endast innehålla information som skapats i det
    källsystem som anges av frågemeddelandets LogicalAddress"."""
    return record.source_system == context.logical_address


def from_requested_source_system(record: Record, query: Query, context: CallContext) -> bool:
    return query.source_system is None or record.source_system == query.source_system


def at_requested_care_units(record: Record, query: Query, context: CallContext) -> bool:
    return not query.care_units or record.care_unit.hsa_id in query.care_units


def of_requested_care_givers(record: Record, query: Query, context: CallContext) -> bool:
    return not query.care_givers or record.care_giver.hsa_id in query.care_givers


def from_requested_care_contacts(record: Record, query: Query, context: CallContext) -> bool:
    """GetCareContacts matches the contact's own id (documentId, TKB logistics §7); the others the
    careContactId their record was documented at."""
    if not query.care_contact_ids:
        return True
    own = record.id if record.kind is RecordKind.CARE_CONTACT else record.care_contact_id
    return own in query.care_contact_ids


def with_requested_specimens(record: Record, query: Query, context: CallContext) -> bool:
    if not query.specimen_ids or not isinstance(record.details, LabDetails):
        return True
    return any(a.specimen_id in query.specimen_ids for a in record.details.analyses)


def with_requested_referrals(record: Record, query: Query, context: CallContext) -> bool:
    if not query.referral_ids or not isinstance(record.details, LabDetails):
        return True
    return record.details.referral_id in query.referral_ids


def released_to_consumer(record: Record, query: Query, context: CallContext) -> bool:
    """Per-consumer filtering may only remove whole care units, as if they had been left out of the
    request (TKB description §4 "Generellt": "som om de vårdenheter ... varit exkluderade i frågan")."""
    return not context.consumer_blocked and record.care_unit.hsa_id not in context.excluded_care_units


def record_dates(record: Record, contract: ServedContract) -> tuple[str, ...]:
    """The timestamps a date filter compares (as ``YYYYMMDD``), per contract:
    notes: record.timestamp, author, signature and dissenting-opinion times (TKB description §7
    GetCareDocumentation datePeriod; 2.1, without a TKB text at hand, the same: authorTime,
    signatureTime, dissentingOpinion authorTime); diagnoses: authorTime, signatureTime, diagnosisTime
    (§7 GetDiagnosis timePeriod); lab results 4.2: the specimen times (TKB actoutcome §7); 3.1,
    without a TKB text at hand: authorTime and registrationTime (both the time the result was registered)."""
    details = record.details
    signed = (record.signature.time,) if record.signature else ()
    if isinstance(details, NoteDetails):
        times = (record.author_time, *signed, *(d.author_time for d in details.dissenting))
    elif isinstance(details, DiagnosisDetails):
        times = (record.author_time, *signed, details.diagnosis_time)
    elif isinstance(details, LabDetails) and contract.major == "4":
        times = tuple(a.specimen_time for a in details.analyses)
    else:
        times = (record.author_time,)
    return tuple(t[:8] for t in times)


def contact_span(record: Record) -> tuple[str | None, str | None]:
    """A care contact's date interval, formed by authorTime and careContactTimePeriod; an absent
    start or end leaves that side open (TKB logistics §7 GetCareContacts datePeriod)."""
    details = record.details
    if not isinstance(details, CareContactDetails):
        raise TypeError("not a care contact")
    author = record.author_time[:8]
    low = min(author, details.start[:8]) if details.start else None
    high = max(author, details.end[:8]) if details.end else None
    return low, high


def period_contains(period: DatePeriod, day: str) -> bool:
    """Both ends inclusive: a timestamp on the end date is in the period (dates compared as dates)."""
    return (period.start is None or period.start <= day) and (period.end is None or day <= period.end)


def in_requested_period(record: Record, query: Query, context: CallContext) -> bool:
    period = query.period
    if period is None:
        return True
    if record.kind is RecordKind.CARE_CONTACT:
        low, high = contact_span(record)
        return (low is None or period.end is None or low <= period.end) and (
            high is None or period.start is None or period.start <= high
        )
    return any(period_contains(period, day) for day in record_dates(record, context.contract))


DEFAULT_RECORD_FILTERS: tuple[RecordFilter, ...] = (
    from_logical_address,
    from_requested_source_system,
    at_requested_care_units,
    of_requested_care_givers,
    from_requested_care_contacts,
    with_requested_specimens,
    with_requested_referrals,
    in_requested_period,
    released_to_consumer,
)


def select(
    records: Sequence[Record], query: Query, context: CallContext, filters: Sequence[RecordFilter]
) -> tuple[Record, ...]:
    return tuple(r for r in records if all(keep(r, query, context) for keep in filters))
