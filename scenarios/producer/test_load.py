"""Load (Inera's self-declaration load cases 6.x; TKB §4 SLA krav, Svarstid and Samtidighet) on Locust.

6.1: ten concurrent callers for three minutes, every call answered without error and within the
domain's limit. 6.2: a ramp from 10 to 100 callers and back, after which the producer answers as it
did before the ramp. They run only with ``conformance run producer --load``; ``conformance demo`` runs
a 20-second variant of 6.1. One contract version is loaded: ``[load] contract``, or the first declared.
Before any load, one call must be answered (positive control): a producer that is down is ``error``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from harness.contracts import AGP_WAIT_S
from harness.core.settings import RunSettings
from harness.producer_suite import checks_load
from harness.producer_suite import checks_transport as transport_checks
from harness.producer_suite.areas import LOAD, producer_scenario
from harness.producer_suite.cases import base_params
from harness.producer_suite.driver import ProducerDriver
from harness.producer_suite.load.profile import LoadProfile
from harness.producer_suite.load.recovery import RecoveryRule, assess_recovery
from harness.producer_suite.load.result import LoadResult
from harness.producer_suite.load.run import run_load
from harness.producer_suite.load.settings import LoadSettings
from harness.producer_suite.load.target import LoadRoute, load_contract, load_limits, target_load_request

NEEDS_LOAD = (
    "a load case: runs only with `conformance run producer --load` (Inera 6.1 takes 3 minutes, 6.2 7 minutes)"
)
SHORT_ONLY = (
    "the 20-second variant of Inera 6.1 runs in `conformance demo`; `conformance run producer --load` "
    "runs the full 6.1 (PR-LOAD-61)"
)
Runs = dict[str, LoadResult]


@pytest.fixture(scope="module")
def load_runs() -> Runs:
    """Each profile runs once per run; the scenarios judging the same run share it."""
    return {}


def run_case(
    producer: ProducerDriver,
    runs: Runs,
    name: str,
    profile_of: Callable[[LoadSettings], LoadProfile],
    *,
    measure: bool = True,
) -> LoadResult:
    """One call first (it must be answered), then the load, once per run; with ``measure`` its numbers
    and samples go in the record (a second scenario judging the same run cites them instead)."""
    env = producer.env
    settings: LoadSettings = env.target.load
    contract = load_contract(env.producer, settings)
    control = producer.call(contract, base_params(env.producer))
    producer.positive_control("one call before the load is answered", transport_checks.soap_answer(control))
    if name not in runs:
        pki = env.platform.certificates
        route = LoadRoute(env.platform.vp_url, pki.ca, pki.consumer, pki.vp, env.identities.consumer)
        request = target_load_request(env.producer, contract, route, settings)
        limits = load_limits(env.producer.response_limit_s(contract), contract)
        runs[name] = run_load(request, profile_of(settings), limits=limits)
    result = runs[name]
    if measure:
        producer.record.attach(result.samples)
        producer.record.measure(result.summary)
    return result


def judge_concurrency(producer: ProducerDriver, result: LoadResult, callers: int) -> None:
    contract = load_contract(producer.env.producer, producer.env.target.load)
    producer.judge(checks_load.load_answered_without_errors(result, callers))
    producer.judge(checks_load.load_within_limit(result, producer.env.producer.response_limit_s(contract)))


@producer_scenario(
    id="PR-LOAD-61",
    title="Ten concurrent callers for three minutes: every call answered without error, within the limit",
    area=LOAD,
    requirements=("PR-R-SLA-16C", "PR-R-SLA-16"),
    explanation="1177 journal and NPÖ call on behalf of many patients at once. Under ten concurrent "
    "callers your producer failed calls or answered slower than the TKB allows: patients then see "
    "nothing from your journal.",
)
def test_inera_6_1(producer: ProducerDriver, run_settings: RunSettings, load_runs: Runs) -> None:
    if not run_settings.load:
        pytest.skip(NEEDS_LOAD)
    result = run_case(producer, load_runs, "6.1", LoadSettings.inera_6_1)
    judge_concurrency(producer, result, producer.env.target.load.users)


@producer_scenario(
    id="PR-LOAD-61B",
    title="Under ten concurrent callers, description answers come within the aggregating services' 27 s",
    area=LOAD,
    requirements=("PR-R-SLA-16A",),
    explanation="The description TKB allows 30 s, but the aggregating services stop waiting after 27 s: "
    "under load, some of your answers came too late for 1177 journal.",
)
def test_inera_6_1_agp_wait(producer: ProducerDriver, run_settings: RunSettings, load_runs: Runs) -> None:
    if not run_settings.load:
        pytest.skip(NEEDS_LOAD)
    contract = load_contract(producer.env.producer, producer.env.target.load)
    limit = min(AGP_WAIT_S, producer.env.producer.response_limit_s(contract))
    if contract.domain != "clinicalprocess:healthcond:description" or limit < AGP_WAIT_S:
        pytest.skip(f"{contract.key}: its own limit ({limit:g} s) is judged by PR-LOAD-61; none above 27 s")
    result = run_case(producer, load_runs, "6.1", LoadSettings.inera_6_1, measure=False)
    slowest = result.slowest()
    producer.record.attach([slowest] if slowest is not None else [])
    producer.judge([checks_load.load_numbers(result, "PR-LOAD-61")])
    producer.judge(checks_load.load_within_agp_wait(result, limit))


@producer_scenario(
    id="PR-LOAD-62",
    title="After a ramp from 10 to 100 callers and back, the producer answers as before the ramp",
    area=LOAD,
    requirements=("PR-R-SLA-16R",),
    explanation="Inera's recovery case: after maximal load your producer kept failing calls, or kept "
    "answering much slower, when the load was back to normal. It did not recover by itself.",
)
def test_inera_6_2(producer: ProducerDriver, run_settings: RunSettings, load_runs: Runs) -> None:
    if not run_settings.load:
        pytest.skip(NEEDS_LOAD)
    settings: LoadSettings = producer.env.target.load
    profile = settings.inera_6_2()
    result = run_case(producer, load_runs, "6.2", LoadSettings.inera_6_2)
    assessment = assess_recovery(result, profile, RecoveryRule(settle_s=settings.recovery_settle_s))
    producer.judge(checks_load.load_recovery_windows(assessment))
    producer.judge(checks_load.recovered_after_ramp(assessment))


@producer_scenario(
    id="PR-LOAD-61S",
    title="Ten concurrent callers for 20 seconds: every call answered without error, within the limit",
    area=LOAD,
    requirements=("PR-R-SLA-16C", "PR-R-SLA-16"),
    explanation="Under ten concurrent callers your producer failed calls or answered slower than the "
    "TKB allows (a 20-second sample of Inera's three-minute load case 6.1).",
)
def test_inera_6_1_short(producer: ProducerDriver, run_settings: RunSettings, load_runs: Runs) -> None:
    if not run_settings.short_load or run_settings.load:
        pytest.skip(SHORT_ONLY)
    result = run_case(producer, load_runs, "6.1-short", LoadSettings.short_6_1)
    judge_concurrency(producer, result, producer.env.target.load.users)
