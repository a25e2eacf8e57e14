"""Waivers: agreed deviations a vendor may carry (Inera's "godkänd avvikelse").

A waiver names one scenario, says in writing why the deviation is accepted, and expires. A waived
``fail`` is reported as ``waived`` with its justification and no longer fails the run. The file must
stay honest (the OpenID conformance suite's expected-failures file is the model): an expired waiver,
a waiver for a scenario that now passes, and a waiver naming no known scenario are reported as notes.

File format (TOML)::

    [[waiver]]
    scenario = "SP-SIG-04"
    justification = "Key rollover ships in release 4.2 (agreed with Inera, case 1234)"
    expires = 2027-03-31
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from harness.core.findings import Verdict
from harness.core.results import ScenarioResult

__all__ = ["Waiver", "WaiverError", "apply_waivers", "load_waivers"]


class WaiverError(ValueError):
    """The waiver file is missing, unreadable or incomplete (exit status 2)."""


@dataclass(frozen=True, slots=True)
class Waiver:
    scenario: str
    justification: str
    expires: date  # the last day the waiver applies

    def expired_on(self, today: date) -> bool:
        return today > self.expires


def load_waivers(path: Path) -> tuple[Waiver, ...]:
    """Read and validate a waiver file; every waiver needs a scenario, a justification and an expiry."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WaiverError(f"waiver file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WaiverError(f"waiver file {path} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise WaiverError(f"waiver file {path} is not valid TOML: {exc}") from None
    unexpected = sorted(set(raw) - {"waiver"})
    if unexpected:
        raise WaiverError(f"waiver file {path}: unexpected table(s) {unexpected}; use [[waiver]]")
    entries = raw.get("waiver", [])
    if not isinstance(entries, list):
        raise WaiverError(f"waiver file {path}: write each waiver as a [[waiver]] table")
    waivers = tuple(_waiver(entry, f"{path}: waiver {n}") for n, entry in enumerate(entries, start=1))
    seen: set[str] = set()
    for waiver in waivers:
        if waiver.scenario in seen:
            raise WaiverError(f"waiver file {path}: scenario {waiver.scenario} is waived twice")
        seen.add(waiver.scenario)
    return waivers


def _waiver(entry: object, where: str) -> Waiver:
    if not isinstance(entry, dict):
        raise WaiverError(f"{where} is not a table")
    unexpected = sorted(set(entry) - {"scenario", "justification", "expires"})
    if unexpected:
        raise WaiverError(f"{where}: unexpected setting(s) {unexpected}")
    scenario = entry.get("scenario")
    justification = entry.get("justification")
    if not isinstance(scenario, str) or not scenario.strip():
        raise WaiverError(f"{where}: `scenario` (a scenario id such as SP-SIG-04) is required")
    if not isinstance(justification, str) or not justification.strip():
        # An agreed deviation without a written reason is not an agreement anyone can audit.
        raise WaiverError(f"{where} ({scenario}): a written `justification` is required")
    return Waiver(
        scenario.strip(), justification.strip(), _expiry(entry.get("expires"), f"{where} ({scenario})")
    )


def _expiry(value: object, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise WaiverError(f"{where}: `expires` must be a date such as 2027-03-31 (every waiver expires)")


def apply_waivers(
    results: Iterable[ScenarioResult],
    waivers: Iterable[Waiver],
    today: date,
    *,
    known_scenarios: Collection[str] | None = None,
) -> tuple[tuple[ScenarioResult, ...], tuple[str, ...]]:
    """Turn waived failures into ``waived`` and say which waivers are expired, stale or unknown.

    ``known_scenarios`` is every scenario id that exists (the registry); a waiver for a known scenario
    that did not run (deselected with ``-k``, another suite) is left alone. Without it, a waiver is
    "unknown" when its scenario is not among ``results``.
    """
    results = tuple(results)
    by_id = {r.spec.id: r for r in results}
    known = set(by_id) if known_scenarios is None else set(known_scenarios) | set(by_id)
    waived: dict[str, ScenarioResult] = {}
    notes: list[str] = []
    for waiver in waivers:
        if waiver.scenario not in known:
            notes.append(f"waiver for {waiver.scenario}: no such scenario; correct or remove it")
            continue
        result = by_id.get(waiver.scenario)
        if result is None:
            continue
        note = _note(waiver, result, today)
        if note:
            notes.append(note)
        else:
            waived[waiver.scenario] = result.waived(waiver.justification)
    return tuple(waived.get(r.spec.id, r) for r in results), tuple(notes)


def _note(waiver: Waiver, result: ScenarioResult, today: date) -> str:
    """Why ``waiver`` does not apply to ``result``, or "" when it does."""
    if result.verdict is Verdict.PASS:
        return f"stale waiver: {waiver.scenario} now passes; remove it"
    if waiver.expired_on(today):
        return (
            f"waiver for {waiver.scenario} expired on {waiver.expires.isoformat()}; "
            f"its verdict stays {result.verdict.value}"
        )
    if result.verdict is not Verdict.FAIL:
        # Only a rule violation can be an agreed deviation: an error means nothing was judged,
        # and warn/skip never fail the run.
        return f"waiver for {waiver.scenario} not applied: its verdict is {result.verdict.value}, not fail"
    return ""
