"""Filter checks (Inera 1.2-1.5): a filtered answer holds exactly the records of the unfiltered answer
that match the filter, judged by the contract's own rule (dates compared as dates, end date inclusive,
care contacts by overlap: :func:`harness.contracts.in_date_period`).

When the unfiltered answer is partial (``hasMore``), only "no record outside the filter" is judged.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from harness.contracts import ContractRecord, DatePeriod, in_date_period
from harness.core.findings import Finding, mismatch
from harness.producer_suite.answer import Answer
from harness.producer_suite.checking import check
from harness.producer_suite.checks_records import empty_answer

__all__ = [
    "care_contact_filter",
    "care_giver_filter",
    "care_unit_filter",
    "expected_ids",
    "period_filter",
    "source_system_filter",
]

Match = Callable[[ContractRecord], bool]


def expected_ids(baseline: Answer, matches: Match) -> set[str]:
    """The ids of the unfiltered answer's records that the filter keeps."""
    return {r.id or "" for r in baseline.records.records if matches(r)}


def _shown(ids: Collection[str], limit: int = 5) -> str:
    listed = sorted(ids)
    more = f" and {len(listed) - limit} more" if len(listed) > limit else ""
    return ", ".join(listed[:limit]) + more


def _exactly(baseline: Answer, answer: Answer, matches: Match, what: str) -> list[Finding]:
    expected = expected_ids(baseline, matches)
    actual = set(answer.record_ids)
    evidence = (*baseline.evidence, *answer.evidence)
    found = []
    extra, missing = actual - expected, expected - actual
    if extra:
        found.append(
            mismatch(
                "",
                f"{what}: records",
                "only matching records",
                f"also {_shown(extra)}",
                exchange_ids=evidence,
            )
        )
    if missing and not baseline.records.has_more:
        found.append(
            mismatch(
                "",
                f"{what}: records",
                "every matching record of the unfiltered answer",
                f"missing {_shown(missing)}",
                exchange_ids=evidence,
            )
        )
    return found


@check("PR-R-FLT-09P")
def period_filter(baseline: Answer, answer: Answer, period: DatePeriod) -> list[Finding]:
    def matches(record: ContractRecord) -> bool:
        return in_date_period(answer.contract, record, period)

    return _exactly(baseline, answer, matches, f"period {period.start}-{period.end}")


@check("PR-R-FLT-09U")
def care_unit_filter(baseline: Answer, answer: Answer, units: Collection[str]) -> list[Finding]:
    return _exactly(baseline, answer, lambda r: r.care_unit in units, f"care unit {', '.join(units)}")


@check("PR-R-FLT-09S")
def source_system_filter(baseline: Answer, answer: Answer, source: str) -> list[Finding]:
    return _exactly(baseline, answer, lambda r: r.source_system == source, f"source system {source}")


@check("PR-R-FLT-09C")
def care_contact_filter(baseline: Answer, answer: Answer, contacts: Collection[str]) -> list[Finding]:
    return _exactly(
        baseline, answer, lambda r: r.care_contact_id in contacts, f"care contact {', '.join(contacts)}"
    )


@check("PR-R-FLT-09G")
def care_giver_filter(baseline: Answer, answer: Answer, givers: Collection[str]) -> list[Finding]:
    return _exactly(baseline, answer, lambda r: r.care_giver in givers, f"care giver {', '.join(givers)}")


@check("PR-R-FLT-09P")
def declared_period_has_records(answer: Answer, period: DatePeriod) -> list[Finding]:
    """Inera 1.2.1: the period the vendor declares as holding records returns some."""
    if answer.records.records:
        return []
    return [
        mismatch(
            "",
            f"period {period.start}-{period.end}",
            "the declared records",
            "none",
            exchange_ids=answer.evidence,
        )
    ]


@check("PR-R-FLT-09P")
def period_is_empty(answer: Answer, period: DatePeriod) -> list[Finding]:
    """Inera 1.2.3: a period before every record is an empty answer, not a fault."""
    return empty_answer(answer, f"period {period.start}-{period.end}")
