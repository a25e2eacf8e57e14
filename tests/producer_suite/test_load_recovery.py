"""Inera 6.2 recovery: a producer overwhelmed at the peak either recovers at the baseline or does not."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from harness.producer_suite.load.profile import LoadProfile
from harness.producer_suite.load.recovery import RecoveryRule, assess_recovery
from harness.producer_suite.load.run import run_load
from harness.server import RunningServer, start_server
from tests.producer_suite.load_fakes import LoadFake
from tests.producer_suite.test_load_engine import request_to

pytestmark = pytest.mark.slow

# 2 callers, a ramp to 8 within a second, 8 held, back to 2: a miniature of Inera 6.2 (10 -> 100).
RAMP = LoadProfile.recovery("ramp", base_users=2, peak_users=8, stage_s=(1.5, 1.0, 1.5, 2.5))
RULE = RecoveryRule(settle_s=0.5)


@pytest.fixture
def fake_url() -> Iterator[Callable[[LoadFake], str]]:
    servers: list[RunningServer] = []

    def start(fake: LoadFake) -> str:
        server = start_server(fake.app(), name="load-fake")
        servers.append(server)
        return f"{server.base_url}/producer"

    yield start
    for server in servers:
        server.stop()


def test_a_producer_that_recovers_after_the_peak_is_judged_recovered(
    fake_url: Callable[[LoadFake], str],
) -> None:
    fake = LoadFake(mode="overload", capacity=4, delay_s=0.03)
    result = run_load(request_to(fake_url(fake)), RAMP)
    assessment = assess_recovery(result, RAMP, RULE)
    assert fake.most_in_flight == 8
    assert assessment.peak.errors > 0  # it was overwhelmed at the peak ...
    assert assessment.baseline.errors == 0 and assessment.recovery.errors == 0  # ... and only there
    assert assessment.recovered, assessment.problems
    assert [p.name for p in result.summary.phases] == ["baseline", "ramp", "peak", "recovery"]


def test_a_producer_that_stays_broken_after_the_peak_is_not_recovered(
    fake_url: Callable[[LoadFake], str],
) -> None:
    fake = LoadFake(mode="latch", capacity=4, delay_s=0.03)
    result = run_load(request_to(fake_url(fake)), RAMP)
    assessment = assess_recovery(result, RAMP, RULE)
    assert assessment.baseline.errors == 0 and assessment.recovery.requests > 0
    assert assessment.recovery.error_rate == 1.0
    assert not assessment.recovered
    assert assessment.problems[0].startswith("error rate after the ramp 100.00 %, before it 0.00 %")
