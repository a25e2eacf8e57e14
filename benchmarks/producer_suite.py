"""Time the producer suite against the reference producer: ``python benchmarks/producer_suite.py [--runs N]``.

Each run is a fresh ``conformance run producer`` process (imports, the mock platform and the reference
producer started on free ports, the journal seeded, every scenario, the three reports), without
``--load``, so the wall time is what a vendor's CI sees. Two series, side by side:

- **warm**: the platform's test CA and certificates already exist in the PKI folder (every run after
  the first, the normal case);
- **cold** (the baseline): an empty PKI folder each time, so the test CA and the VP's, consumer's,
  AGP's and reference producer's certificates are generated first, as on a fresh checkout.

No scenario waits out a timeout on purpose against the reference producer (its Updates arrive at once),
so nothing is subtracted. Prints the scenario count, the median wall time of each series and the median
time per report area. The goal is under 60 s on 2 cores.
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "targets" / "reference-producer.toml"
GOAL_SECONDS = 60.0


@dataclass(frozen=True)
class Run:
    wall_s: float
    scenarios: int
    summary: dict[str, int]
    area_s: dict[str, float]


def one_run(work: Path, cold: bool) -> Run:
    """One ``conformance run producer`` in a subprocess, on a copy of the target with its own PKI folder."""
    pki = work / "pki"
    if cold and pki.exists():
        shutil.rmtree(pki)
    target = work / "reference-producer.toml"
    text = TARGET.read_text(encoding="utf-8").replace('pki_dir = ".state/pki"', f'pki_dir = "{pki}"')
    target.write_text(text, encoding="utf-8")
    out = work / "out"
    started = time.perf_counter()
    cli = "import sys; from harness.cli import main; sys.exit(main())"
    command = [sys.executable, "-c", cli, "run", "producer", "--target", str(target), "--out", str(out)]
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


def series(runs: int, cold: bool) -> list[Run]:
    with tempfile.TemporaryDirectory(prefix="producer-bench-") as folder:
        work = Path(folder)
        if not cold:
            one_run(work, cold=False)  # create the PKI once; not timed
        return [one_run(work, cold) for _ in range(runs)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    warm, cold = series(runs, cold=False), series(runs, cold=True)
    print(
        f"producer suite against the reference producer: {warm[0].scenarios} scenarios, "
        f"{runs} runs per series"
    )
    print(f"summary (last warm run): {warm[-1].summary}")
    print(f"{'':62}{'warm':>10}{'cold':>10}")
    warm_wall, cold_wall = (statistics.median(r.wall_s for r in s) for s in (warm, cold))
    print(f"{'wall time, median (s)':62}{warm_wall:>10.2f}{cold_wall:>10.2f}")
    for area in sorted(warm[0].area_s, key=lambda a: -warm[0].area_s[a]):
        w = statistics.median(r.area_s.get(area, 0.0) for r in warm)
        c = statistics.median(r.area_s.get(area, 0.0) for r in cold)
        print(f"  {area:60}{w:>10.2f}{c:>10.2f}")
    verdict = "meets" if warm_wall < GOAL_SECONDS else "MISSES"
    print(f"warm median {warm_wall:.2f} s {verdict} the {GOAL_SECONDS:.0f} s goal")
    return 0 if warm_wall < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
