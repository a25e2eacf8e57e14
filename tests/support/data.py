"""Where the tests find the data the project loads and never copies: the environment tox sets, or
the ``../shared`` folder beside the checkout (tests may read the environment; library code may not)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from harness.core.settings import RunSettings
from harness.personnummer import TestNumbers, load_test_numbers

__all__ = ["PERSONS_DIR", "SCHEMAS_DIR", "settings", "test_numbers"]

_SHARED = Path(__file__).resolve().parents[3] / "shared"
PERSONS_DIR = Path(os.environ.get("TESTPERSONNUMMER_DIR") or _SHARED / "data" / "testpersonnummer")
SCHEMAS_DIR = Path(os.environ.get("RIVTA_SCHEMAS") or _SHARED / "rivta")


@cache
def test_numbers() -> TestNumbers:
    return load_test_numbers(PERSONS_DIR)


test_numbers.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def settings() -> RunSettings:
    return RunSettings(persons_dir=PERSONS_DIR, schemas_dir=SCHEMAS_DIR)
