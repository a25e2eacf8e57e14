"""The package's public surface is pinned, so it cannot grow by accident (httpx's test_exported_members)."""

from __future__ import annotations

import importlib.metadata

import harness
import harness.report


def test_harness_exports_only_its_version() -> None:
    assert harness.__all__ == ["__version__"]
    assert harness.__version__ == importlib.metadata.version("harness")


def test_report_package_exports_only_write_reports() -> None:
    assert harness.report.__all__ == ["write_reports"]
