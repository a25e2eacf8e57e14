"""Time the whole SP suite against the reference SP: ``python benchmarks/sp_suite.py [--runs N]``.

Each run is a fresh ``conformance run sp`` process (imports, start-up, every scenario, the three
reports), so the wall time is what a vendor's CI sees. Two series, side by side:

- **warm**: the IdP's keys and the reference SP's TLS material already exist in the state directory
  (every run after the first in CI, and the normal case);
- **cold** (the baseline): an empty state directory each time, so the IdP's three RSA keys, the
  test CA and the SP's certificates are generated first, as on a fresh checkout.

Prints the scenario count, the median wall time of each series and, from results.json, the median
time per report area. The goal is under 30 s on 2 cores.
"""

from __future__ import annotations

import sys
from pathlib import Path

from _suite_timing import ROOT, measure, print_table, runs_option

TARGET = ROOT / "targets" / "reference-sp.toml"
GOAL_SECONDS = 30.0


def prepare(work: Path) -> tuple[str, Path]:
    """The reference target as it is: its state directory is relative to the file, so in ``work``."""
    return TARGET.read_text(encoding="utf-8"), work / ".state"


def main() -> int:
    runs = runs_option(__doc__ or "")
    warm, cold = measure("sp", runs, prepare)
    return print_table("SP suite against the reference SP", runs, warm, cold, 44, GOAL_SECONDS)


if __name__ == "__main__":
    sys.exit(main())
