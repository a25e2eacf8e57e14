"""The settings of one run that are not about the target: where the loaded-never-copied data lives.

Resolved once by the CLI (``--persons``, ``--schemas`` and their defaults) and passed down; no
library code reads an environment variable or the working directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["RunSettings"]


@dataclass(frozen=True, slots=True)
class RunSettings:
    persons_dir: Path  # Skatteverket's test personnummer and samordningsnummer lists
    schemas_dir: Path | None = None  # the official RIVTA schema bundles; None: schema checks skip
    load: bool = False  # run the long load scenarios (producer suite, --load)
    short_load: bool = False  # run the 20-second load variant instead (conformance demo)
