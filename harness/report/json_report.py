"""``results.json``: the machine-readable report (a fixed top-level shape; schema beside this module)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from harness.report.document import report_document
from harness.report.model import ReportModel

__all__ = ["SCHEMA_FILE", "render_json", "results_schema"]

SCHEMA_FILE = "results.schema.json"


def render_json(model: ReportModel) -> str:
    # ensure_ascii=False keeps å/ä/ö readable; JSON is UTF-8 (RFC 8259 §8.1).
    return json.dumps(report_document(model), indent=2, ensure_ascii=False) + "\n"


def results_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every ``results.json`` validates against."""
    text = resources.files("harness.report").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
