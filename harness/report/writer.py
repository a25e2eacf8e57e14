"""Write the three report files of a run into one directory."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from harness.core.results import RunResult
from harness.report.decoding import EvidenceDecoder, personal_data_of
from harness.report.html import render_html
from harness.report.json_report import render_json
from harness.report.junit import render_junit
from harness.report.masking import mask_model
from harness.report.model import build_model

__all__ = ["HTML_NAME", "JSON_NAME", "JUNIT_NAME", "write_reports"]

HTML_NAME, JSON_NAME, JUNIT_NAME = (
    "report.html",
    "results.json",
    "junit.xml",
)  # fixed names: CI jobs look for them


def write_reports(
    run: RunResult,
    out_dir: Path,
    *,
    mask_personal_data: bool = False,
    decoders: Sequence[EvidenceDecoder],
) -> list[Path]:
    """Write report.html, results.json and junit.xml into ``out_dir``; return their paths in that order.

    ``decoders`` are the suites' evidence decoders (harness.report.decoders): what they find in
    each exchange is shown decoded, and with ``mask_personal_data`` the names and identifiers they
    find are masked. All three files are written from one model, masked once, so no output can
    leak what another hides.
    """
    model = build_model(run, decoders)
    if mask_personal_data:
        exchanges = (x for scenario in run.scenarios for x in scenario.evidence)
        model = mask_model(model, personal_data_of(exchanges, decoders), decoders)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path, json_path, junit_path = out_dir / HTML_NAME, out_dir / JSON_NAME, out_dir / JUNIT_NAME
    html_path.write_text(render_html(model), encoding="utf-8")
    json_path.write_text(render_json(model), encoding="utf-8")
    junit_path.write_bytes(render_junit(model))
    return [html_path, json_path, junit_path]
