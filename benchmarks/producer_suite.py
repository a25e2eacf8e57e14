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

import sys
from pathlib import Path

from _suite_timing import ROOT, measure, print_table, runs_option

TARGET = ROOT / "targets" / "reference-producer.toml"
GOAL_SECONDS = 60.0


def prepare(work: Path) -> tuple[str, Path]:
    """The reference target with its PKI folder in ``work``."""
    pki = work / "pki"
    text = TARGET.read_text(encoding="utf-8").replace('pki_dir = ".state/pki"', f'pki_dir = "{pki}"')
    return text, pki


def main() -> int:
    runs = runs_option(__doc__ or "")
    warm, cold = measure("producer", runs, prepare)
    title = "producer suite against the reference producer"
    return print_table(title, runs, warm, cold, 62, GOAL_SECONDS)


if __name__ == "__main__":
    sys.exit(main())
