"""What ``benchmarks/sp_suite.py`` and ``benchmarks/producer_suite.py`` share: one timed ``conformance run``
in a fresh process, the warm and cold series, and the table both print.

Each run works on a copy of the suite's reference target in a scratch folder, so the keys it creates
(the target's state or PKI folder) stay there; a cold run empties that folder first.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ROOT", "Prepare", "Run", "measure", "print_table", "runs_option"]

ROOT = Path(__file__).resolve().parents[1]

# The target file's text for a scratch folder, and the folder where that target keeps its keys.
Prepare = Callable[[Path], tuple[str, Path]]


@dataclass(frozen=True)
class Run:
    wall_s: float
    scenarios: int
    summary: dict[str, int]
    area_s: dict[str, float]


def runs_option(doc: str) -> int:
    """``--runs N`` (default 3), with the benchmark's first docstring line as the description."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs: int = parser.parse_args().runs
    return runs


def one_run(suite: str, work: Path, prepare: Prepare, cold: bool) -> Run:
    """One ``conformance run <suite>`` in a subprocess, on a copy of the target with its own key folder."""
    text, state = prepare(work)
    if cold and state.exists():
        shutil.rmtree(state)
    target = work / f"reference-{suite}.toml"
    target.write_text(text, encoding="utf-8")
    out = work / "out"
    started = time.perf_counter()
    cli = "import sys; from harness.cli import main; sys.exit(main())"
    command = [sys.executable, "-c", cli, "run", suite, "--target", str(target), "--out", str(out)]
    finished = subprocess.run(command, cwd=ROOT, check=False, capture_output=True, text=True)
    if not (out / "results.json").exists():
        output = finished.stdout[-2000:] + finished.stderr[-2000:]
        raise SystemExit(f"the run wrote no results.json:\n{output}")
    wall = time.perf_counter() - started
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    areas: dict[str, float] = defaultdict(float)
    for scenario in results["scenarios"]:
        areas[scenario["area"]] += scenario["duration_s"]
    return Run(wall, len(results["scenarios"]), results["summary"], dict(areas))


def series(suite: str, runs: int, prepare: Prepare, cold: bool) -> list[Run]:
    with tempfile.TemporaryDirectory(prefix=f"{suite}-bench-") as folder:
        work = Path(folder)
        if not cold:
            one_run(suite, work, prepare, cold=False)  # create the keys once; not timed
        return [one_run(suite, work, prepare, cold) for _ in range(runs)]


def measure(suite: str, runs: int, prepare: Prepare) -> tuple[list[Run], list[Run]]:
    """The warm series, then the cold one."""
    return series(suite, runs, prepare, cold=False), series(suite, runs, prepare, cold=True)


def print_table(title: str, runs: int, warm: list[Run], cold: list[Run], width: int, goal_s: float) -> int:
    """The scenario count, the median wall time of each series and per report area; 0 if the warm median
    meets ``goal_s``, else 1."""
    print(f"{title}: {warm[0].scenarios} scenarios, {runs} runs per series")
    print(f"summary (last warm run): {warm[-1].summary}")
    print(f"{'':{width}}{'warm':>10}{'cold':>10}")
    warm_wall, cold_wall = (statistics.median(r.wall_s for r in s) for s in (warm, cold))
    print(f"{'wall time, median (s)':{width}}{warm_wall:>10.2f}{cold_wall:>10.2f}")
    for area in sorted(warm[0].area_s, key=lambda a: -warm[0].area_s[a]):
        w = statistics.median(r.area_s.get(area, 0.0) for r in warm)
        c = statistics.median(r.area_s.get(area, 0.0) for r in cold)
        print(f"  {area:{width - 2}}{w:>10.2f}{c:>10.2f}")
    verdict = "meets" if warm_wall < goal_s else "MISSES"
    print(f"warm median {warm_wall:.2f} s {verdict} the {goal_s:.0f} s goal")
    return 0 if warm_wall < goal_s else 1
