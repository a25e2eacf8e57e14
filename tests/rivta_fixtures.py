"""Fixtures shared by tests/contracts and tests/validation (imported by their conftest.py): the official
schema bundles (loaded from ``$RIVTA_SCHEMAS`` or ``../shared/rivta``, never copied), one Validator for
the session (each schema compiled once), and a Skatteverket test personnummer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.personnummer import load_test_numbers
from harness.validation import Validator

_REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    configured = os.environ.get("RIVTA_SCHEMAS")
    path = Path(configured) if configured else _REPO.parent / "shared" / "rivta"
    if not path.is_dir():
        if configured:
            pytest.fail(f"RIVTA_SCHEMAS={configured} is not a folder")
        pytest.skip(f"no RIVTA schema bundle at {path}")
    return path


@pytest.fixture(scope="session")
def validator(schema_dir: Path) -> Validator:
    return Validator(schema_dir)


@pytest.fixture(scope="session")
def pnr() -> str:
    """A Skatteverket test personnummer, from the list in ../shared (TESTPERSONNUMMER_DIR)."""
    configured = os.environ.get("TESTPERSONNUMMER_DIR")
    directory = Path(configured) if configured else _REPO.parent / "shared" / "data" / "testpersonnummer"
    return load_test_numbers(directory).personnummer[100]
