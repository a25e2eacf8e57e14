"""Run the producer suite against the reference producer, intact or with one flaw injected, each run in
its own child process (as many at a time as there are cores), on its own free ports."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from harness.core.findings import Verdict
from harness.runner import demo_target

CHECKOUT = Path(__file__).resolve().parents[2]

# Runs the suite in a child process and prints {scenario id: [verdict, message]} as JSON.
_CHILD = """
import json, sys
from dataclasses import replace
from functools import partial
from pathlib import Path
from harness.producer_suite.launcher import launch_reference_producer
from harness.runner import load_target, run_scenarios, suite_dir
from tests.producer_suite.flaws import FLAWS
from tests.support.data import settings
target = load_target("producer", Path(sys.argv[1]))
if sys.argv[2]:
    target = replace(target, launcher=partial(launch_reference_producer, **FLAWS[sys.argv[2]]()))
results, _ = run_scenarios([suite_dir("producer")], target, settings(), keyword=sys.argv[3])
print("@@" + json.dumps({r.spec.id: [r.verdict.value, r.message] for r in results}))
"""


@dataclass(frozen=True)
class SuiteRun:
    verdicts: Mapping[str, Verdict]
    messages: Mapping[str, str]

    def ids(self, *verdicts: Verdict) -> set[str]:
        return {i for i, v in self.verdicts.items() if v in verdicts}

    def explain(self, ids: set[str]) -> str:
        return "; ".join(f"{i}={self.verdicts.get(i)}: {self.messages.get(i, '')[:300]}" for i in sorted(ids))


def test_target(folder: Path, pki_dir: Path, *, random_intervals: int = 30, **settings: object) -> Path:
    """The reference producer's target file with the run's own PKI folder and quicker waits (tests)."""
    text = demo_target("producer").read_text(encoding="utf-8")
    text = text.replace('pki_dir = ".state/pki"', f'pki_dir = "{pki_dir}"')
    text = text.replace("random_intervals = 30", f"random_intervals = {random_intervals}")
    extra = {"ei_wait_s": 2.0, "max_response_time_s": 1.5, **settings}
    lines = "".join(f"{key} = {json.dumps(value)}\n" for key, value in extra.items())
    text = re.sub(r"(\[producer\]\n)", lambda m: m.group(1) + lines, text, count=1)
    path = folder / "target.toml"
    path.write_text(text, encoding="utf-8")
    return path


test_target.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def run_suite(target: Path, flaw: str = "", keyword: str = "") -> SuiteRun:
    """The whole suite (or ``keyword``'s scenarios) in a child process."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(target), flaw, keyword],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
        cwd=CHECKOUT,  # `tests.support` is importable from the checkout
    )
    marked = [line for line in done.stdout.splitlines() if line.startswith("@@")]
    assert marked, f"the suite run for {flaw or 'the target'} printed no verdicts: {done.stderr[-3000:]}"
    raw = json.loads(marked[-1][2:])
    return SuiteRun({i: Verdict(v) for i, (v, _) in raw.items()}, {i: m for i, (_, m) in raw.items()})


def run_suites_in_parallel(runs: Sequence[tuple[Path, str]]) -> list[SuiteRun]:
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(lambda run: run_suite(*run), runs))
