"""Flawed reference producers for the producer suite's detection tests: each a set of configuration
overrides for the reference producer's seams (tests/reference_producer/flaws.py, plus a few here).

A flaw is named by its key in :data:`FLAWS`; the suite's child process looks it up and launches the
reference producer with those overrides (``harness.producer_suite.launcher``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from harness.core.soap import build_fault
from harness.reference_producer import ProducerRules
from harness.reference_producer.publisher import Change, EiRules
from harness.reference_producer.query import Query
from harness.reference_producer.responder import FaultContext, technical_fault
from harness.reference_producer.rules import (
    DEFAULT_RECORD_FILTERS,
    DEFAULT_REQUEST_CHECKS,
    CallContext,
    LogicalError,
    at_requested_care_units,
)
from tests.reference_producer import flaws

SLOW_SECONDS = 2.0  # above the test targets' max_response_time_s (1.5 s)


def slow_care_unit_query(query: Query, context: CallContext) -> LogicalError | None:
    """FLAW: a GetCareContacts 3.0 query by care unit takes longer than the SLA (a missing index)."""
    if context.contract.label == "GetCareContacts 3.0" and query.care_units:
        time.sleep(SLOW_SECONDS)
    return None


def fault_without_log_id(context: FaultContext) -> bytes:
    """FLAW: a technical fault with no log id (nothing support could trace)."""
    if context.client:
        return technical_fault(context)
    return build_fault("Server", "Technical error in the source system")


def _rules(**changes: Any) -> Callable[[], Mapping[str, Any]]:
    return lambda: {"rules": replace(ProducerRules(), **changes)}


def _given(**overrides: Any) -> Callable[[], Mapping[str, Any]]:
    return lambda: overrides


FLAWS: Mapping[str, Callable[[], Mapping[str, Any]]] = {
    "intact": _given(),
    "ignores the LogicalAddress": _given(rules=flaws.IGNORES_LOGICAL_ADDRESS),
    "a fault for an unknown patient": _given(rules=flaws.FAULT_FOR_UNKNOWN_PATIENT),
    "personal data in a fault": _given(rules=flaws.PERSONAL_DATA_IN_FAULT),
    "an exclusive end date": _given(rules=flaws.EXCLUSIVE_END),
    "unstable record ids": _given(rules=flaws.UNSTABLE_IDS),
    "lockTime sent": _given(rules=flaws.LOCK_TIME),
    "no INVALID_REQUEST": _given(rules=flaws.NO_INVALID_REQUEST),
    "missing PDL fields": _given(rules=flaws.MISSING_PDL),
    "a wrong charset": _given(rules=flaws.WRONG_CHARSET),
    "improper escaping": _given(rules=flaws.IMPROPER_ESCAPING),
    "schema-invalid element order": _given(rules=flaws.WRONG_ORDER),
    "an answer slower than the SLA": _rules(request_checks=(*DEFAULT_REQUEST_CHECKS, slow_care_unit_query)),
    "EI posts with owner": _given(ei_rules=flaws.EI_OWNER),
    "a wrong EI categorization": _given(ei_rules=flaws.EI_WRONG_CATEGORIZATION),
    "no EI update on an approvedForPatient change": _given(ei_rules=flaws.NO_EI_ON_APPROVAL_CHANGE),
    "no EI update on create or delete": _given(
        ei_rules=EiRules(notify_on=frozenset({Change.APPROVAL_CHANGED}))
    ),
    "a fault without a log id": _rules(fault_writer=fault_without_log_id),
    "ignores the care-unit filter": _rules(
        record_filters=tuple(f for f in DEFAULT_RECORD_FILTERS if f is not at_requested_care_units)
    ),
    "no per-consumer filtering": _given(consumer_policies=()),
}
