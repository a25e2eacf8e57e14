"""The load scenarios (PR-LOAD-*) through the runner against the reference producer behind the mock
platform: skipped without ``--load``, the 20-second variant in the demo's settings, passed by the
reference producer, failed by a producer that breaks under load. Short [load] settings throughout."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import pytest
from lxml import etree

from harness.contracts import ContractVersion
from harness.core.findings import Verdict
from harness.core.results import ScenarioResult
from harness.core.settings import RunSettings
from harness.producer_suite.launcher import launch_reference_producer
from harness.reference_producer import ProducerRules
from harness.runner import demo_target, load_target, run_scenarios, suite_dir
from tests.support.data import PERSONS_DIR

pytestmark = pytest.mark.slow

SHORT_LOAD = """[load]
contract = "GetCareDocumentation:3.0"
users = 4
duration_s = 3
short_duration_s = 2
pause_s = [0.05, 0.1]
recovery_users = [1, 6]
recovery_stages_s = [3, 2, 2, 4]
recovery_settle_s = 1
"""


@pytest.fixture(scope="module")
def target_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("load-target")
    text = demo_target("producer").read_text(encoding="utf-8")
    text = text.replace('pki_dir = ".state/pki"', f'pki_dir = "{folder / "pki"}"')
    text = re.sub(r"\n\[load\]\n.*", "\n", text, flags=re.DOTALL) + "\n" + SHORT_LOAD
    path = folder / "target.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(
    target_file: Path, *, keyword: str = "LOAD", rules: ProducerRules | None = None, **settings: bool
) -> dict[str, ScenarioResult]:
    target = load_target("producer", target_file)
    if rules is not None:
        target = replace(target, launcher=partial(launch_reference_producer, rules=rules))
    results, _ = run_scenarios(
        [suite_dir("producer")], target, RunSettings(persons_dir=PERSONS_DIR, **settings), keyword=keyword
    )
    return {r.spec.id: r for r in results}


def test_without_load_every_load_case_skips_naming_load_and_the_demo_runs_the_short_one(
    target_file: Path,
) -> None:
    results = run(target_file, short_load=True)
    assert {i: r.verdict for i, r in results.items()} == {
        "PR-LOAD-61": Verdict.SKIP,
        "PR-LOAD-61B": Verdict.SKIP,
        "PR-LOAD-62": Verdict.SKIP,
        "PR-LOAD-61S": Verdict.PASS,
    }
    assert all("--load" in r.message for i, r in results.items() if r.verdict is Verdict.SKIP)
    short = results["PR-LOAD-61S"]
    (summary,) = short.measurements
    assert summary.requests > 10 and summary.errors == 0 and len(summary.intervals) >= 2
    assert (
        summary.label == "GetCareDocumentation 3.0 through the VP"
        and "4 concurrent callers" in summary.profile
    )
    assert [r.label for r in summary.reference_lines] == ["AGP wait", "limit"]
    assert any(x.id.startswith("load-") and x.status == 200 for x in short.evidence)


def test_the_reference_producer_passes_the_load_cases(target_file: Path) -> None:
    results = run(target_file, load=True)
    verdicts = {i: r.verdict for i, r in results.items()}
    assert verdicts == {
        "PR-LOAD-61": Verdict.PASS,
        "PR-LOAD-61B": Verdict.PASS,
        "PR-LOAD-62": Verdict.PASS,
        "PR-LOAD-61S": Verdict.SKIP,
    }, {i: r.message for i, r in results.items()}
    assert len(results["PR-LOAD-61"].measurements) == 1 and not results["PR-LOAD-61B"].measurements
    assert "the run shown with PR-LOAD-61" in results["PR-LOAD-61B"].findings[0].message
    (ramp,) = results["PR-LOAD-62"].measurements
    assert [p.name for p in ramp.phases] == ["baseline", "ramp", "peak", "recovery"]
    assert max(i.users for i in ramp.intervals) == 6


@dataclass
class Overload:
    """FLAW: the producer fails calls while more than ``capacity`` are in flight; with ``latch`` it
    stays broken afterwards (a pool that never recovers)."""

    capacity: int
    latch: bool = False
    in_flight: int = 0
    broken: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, contract: ContractVersion, element: etree._Element) -> None:
        with self.lock:
            self.in_flight += 1
            self.broken = (self.broken and self.latch) or self.in_flight > self.capacity
            failing = self.broken
        try:
            time.sleep(0.05)
        finally:
            with self.lock:
                self.in_flight -= 1
        if failing:
            raise RuntimeError("connection pool exhausted")


def test_a_producer_that_fails_under_load_fails_the_concurrency_case(target_file: Path) -> None:
    rules = ProducerRules(response_transforms=(Overload(capacity=2),))
    results = run(target_file, keyword="PR-LOAD-61 and not 61S", rules=rules, load=True)
    case = results["PR-LOAD-61"]
    assert case.verdict is Verdict.FAIL, case.message
    assert "errors (HTTP 500 with a SOAP Fault:" in case.message
    failure = next(f for f in case.findings if f.check == "load_answered_without_errors")
    failed = [x for x in case.evidence if x.id in failure.exchange_ids]
    assert failed and all(x.status == 500 for x in failed)
    assert results["PR-LOAD-61B"].verdict is Verdict.PASS  # slow is another rule: these failed fast


def test_a_producer_that_stays_broken_after_the_ramp_does_not_recover(target_file: Path) -> None:
    rules = ProducerRules(response_transforms=(Overload(capacity=3, latch=True),))
    results = run(target_file, keyword="PR-LOAD-62", rules=rules, load=True)
    case = results["PR-LOAD-62"]
    assert case.verdict is Verdict.WARN, case.message
    assert "error rate after the ramp 100.00 %, before it 0.00 %" in case.message
