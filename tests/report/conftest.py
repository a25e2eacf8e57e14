"""Fixtures for the report tests; the sample run itself is built in report_samples.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_samples import Person, ReportWriter, sample_person, sample_run

from harness.core.results import RunResult
from harness.report import write_reports
from harness.report.decoders import SamlDecoder, SoapDecoder

DECODERS = (SamlDecoder(), SoapDecoder())


@pytest.fixture(scope="session")
def person() -> Person:
    return sample_person()


@pytest.fixture
def run(person: Person) -> RunResult:
    return sample_run(person)


@pytest.fixture
def reports(run: RunResult, tmp_path: Path) -> ReportWriter:
    """Write the sample run's reports; returns {"report.html": path, ...}."""

    def write(*, mask_personal_data: bool = False) -> dict[str, Path]:
        out = tmp_path / ("masked" if mask_personal_data else "plain")
        written = write_reports(run, out, mask_personal_data=mask_personal_data, decoders=DECODERS)
        return {p.name: p for p in written}

    return write
