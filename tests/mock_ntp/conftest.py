"""Fixtures for the mock platform's tests: the official schema directory and Skatteverket's test numbers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.personnummer import load_test_numbers

_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    configured = os.environ.get("RIVTA_SCHEMAS")
    path = Path(configured) if configured else _ROOT.parent / "shared" / "rivta"
    if not path.is_dir():
        pytest.skip(f"no RIVTA schema directory at {path}")
    return path


@pytest.fixture(scope="session")
def personnummer() -> tuple[str, ...]:
    """Skatteverket's test personnummer (loaded, never copied in)."""
    return load_test_numbers().personnummer
