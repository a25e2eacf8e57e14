"""Whether a record falls within a request's date period, by its contract's own date-filter rule.

The TKBs compare dates, not times ("Vid jämförelse konverteras datapostens tidpunkter till datum"),
and the end date is inclusive (TKB clinicalprocess:healthcond:actoutcome §7: "hela det dygn som anges
i slutdatum betraktas som en del av sökintervallet").
"""

from __future__ import annotations

from harness.contracts.model import ContractVersion, FilterMode
from harness.contracts.requests import DatePeriod
from harness.contracts.responses import ContractRecord, select

__all__ = ["in_date_period"]


def in_date_period(contract: ContractVersion, record: ContractRecord, period: DatePeriod) -> bool:
    """True when ``record`` matches ``period`` under ``contract``'s date filter (no filter: always)."""
    rule = contract.date_filter
    if rule is None:
        return True
    dates = sorted(t[:8] for t in record.timestamps if len(t) >= 8)
    if not dates:
        return False
    if rule.mode is FilterMode.OVERLAP:  # the interval the timestamps form overlaps the period
        first, last = dates[0], dates[-1]
        if rule.interval is not None:
            start, end = (_present(contract, record, path) for path in rule.interval)
            first = first if start or not end else "00000000"  # no start: open towards earlier dates
            last = last if end or not start else "99999999"  # no end: open towards later dates
        return first <= period.end and last >= period.start
    return any(period.start <= d <= period.end for d in dates)


def _present(contract: ContractVersion, record: ContractRecord, path: str) -> bool:
    return any((e.text or "").strip() for e in select(contract, record.element, path))
