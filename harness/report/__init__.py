"""Conformance reports: ``report.html`` for people, ``results.json`` and ``junit.xml`` for CI."""

from harness.report.writer import write_reports

__all__ = ["write_reports"]
