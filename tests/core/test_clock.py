from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from harness.core.clock import FixedClock, saml_instant


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(datetime(2026, 1, 15, 9, 30, tzinfo=UTC))
    assert clock.now() == clock.now()
    clock.advance(181)
    assert clock.now() == datetime(2026, 1, 15, 9, 33, 1, tzinfo=UTC)


def test_saml_instant_is_utc_with_z() -> None:
    moment = datetime(2026, 1, 15, 10, 30, 5, 999, tzinfo=timezone(timedelta(hours=1)))
    assert saml_instant(moment) == "2026-01-15T09:30:05Z"
