"""Load measurements in the report: a table and an inline SVG plot in report.html, numbers in results.json."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lxml import etree
from lxml import html as lxml_html

from harness.core.findings import Level, Verdict
from harness.core.measurements import LoadInterval, LoadPhase, LoadSummary, Percentiles, ReferenceLine
from harness.core.results import RunResult, ScenarioResult, TargetSummary
from harness.core.scenario import ScenarioSpec
from harness.report import write_reports
from harness.report.json_report import results_schema
from harness.report.plot import latency_plot

PERSONNUMMER = "195006262546"  # Skatteverket test personnummer (testpersonnummer.csv)
HOSTILE = '<script>alert("x")</script>'
STARTED = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def summary(label: str = "GetCareDocumentation 3.0 through the VP") -> LoadSummary:
    intervals = tuple(
        LoadInterval(
            float(s),
            10,
            20,
            1 if s == 7 else 0,
            Percentiles(40.0 + s, 60.0 + s, 70.0 + s, 90.0 + s, 120.0 + s),
        )
        for s in range(20)
    ) + (LoadInterval(20.0, 10, 0, 0, None),)
    return LoadSummary(
        label=label,
        profile="Inera 6.1, 20-second variant: 10 concurrent callers for 20 s",
        duration_s=20.4,
        requests=400,
        errors=1,
        error_kinds=(("HTTP 500 with a SOAP Fault", 1),),
        latency=Percentiles(45.0, 70.0, 78.0, 101.0, 139.5),
        throughput_rps=19.6,
        intervals=intervals,
        phases=(LoadPhase("steady", 0.0, 20.0, 10),),
        reference_lines=(ReferenceLine("warning", 27_000.0), ReferenceLine("limit", 30_000.0)),
        notes=("a note",),
    )


def run_with(*measurements: LoadSummary) -> RunResult:
    spec = ScenarioSpec(
        id="PR-LOAD-03",
        title="Answers 10 concurrent callers without errors (20-second variant)",
        suite="producer",
        area="load",
        level=Level.MUST,
        refs=("TKB clinicalprocess:healthcond:description §4 SLA krav",),
    )
    result = ScenarioResult(spec, Verdict.FAIL, "1 error under load", measurements=measurements)
    target = TargetSummary("reference producer", "producer", "targets/reference-producer.toml")
    return RunResult("conformance", "0.1.0", target, STARTED, STARTED + timedelta(seconds=25), (result,))


def write(run: RunResult, out: Path, *, masked: bool = False) -> dict[str, Path]:
    return {p.name: p for p in write_reports(run, out, mask_personal_data=masked, decoders=())}


def test_the_report_shows_a_load_table_and_an_inline_svg_plot(tmp_path: Path) -> None:
    page = write(run_with(summary()), tmp_path)["report.html"].read_bytes()
    tree = lxml_html.fromstring(page)
    (block,) = tree.xpath("//tbody[@id='PR-LOAD-03']//div[@class='load']")
    cells = [c.text_content().strip() for c in block.xpath(".//table[@class='load-table']//td")]
    assert cells == ["400", "1 (0.25 %)", "45 ms", "78 ms", "101 ms", "140 ms", "19.6 requests/s", "20 s"]
    assert "HTTP 500 with a SOAP Fault: 1" in block.text_content()
    assert "limit 30 s" in block.text_content()
    (svg,) = block.xpath(".//*[local-name()='svg']")
    assert svg.get("class") == "load-plot" and svg.get("role") == "img"
    assert len(svg.xpath(".//*[local-name()='polyline']")) == 4  # p50, p95, p99 and the users
    assert len(svg.xpath(".//*[local-name()='rect'][@class='errors']")) == 2  # second 7, and the legend
    # The reference lines at 27 and 30 s would squash ~100 ms latencies flat: named, not drawn.
    assert not svg.xpath(".//*[local-name()='line'][@class='limit']")


def test_the_plot_is_csp_safe_svg_with_every_text_escaped(tmp_path: Path) -> None:
    svg_text = latency_plot(summary(label=HOSTILE))
    root = etree.fromstring(svg_text.encode())  # well-formed XML on its own
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert not root.xpath("//@style | //*[local-name()='script'] | //*[local-name()='foreignObject']")
    assert not [a for a in root.xpath("//@*") if a.attrname.startswith("on") or "javascript:" in a]
    assert HOSTILE not in svg_text and "&lt;script&gt;" in svg_text
    page = write(run_with(summary(label=HOSTILE)), tmp_path)["report.html"].read_text(encoding="utf-8")
    assert HOSTILE not in page
    # Still exactly one script and one style, both pinned by the policy: the SVG adds neither.
    assert len(re.findall(r"<script>", page)) == 1 and len(re.findall(r"<style>", page)) == 1
    assert " style=" not in page


def test_limits_near_the_measurements_are_drawn() -> None:
    close = replace(summary(), reference_lines=(ReferenceLine("limit", 150.0),))
    root = etree.fromstring(latency_plot(close).encode())
    (line,) = root.xpath("//*[local-name()='line'][@class='limit']")
    assert "limit (150 ms)" in "".join(root.itertext())
    assert float(line.get("y1")) > 16  # inside the plot area, below its top


def test_a_run_without_series_draws_no_plot() -> None:
    assert latency_plot(replace(summary(), intervals=())) == ""


def load_json(files: dict[str, Path]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(files["results.json"].read_text(encoding="utf-8"))
    return document


@pytest.mark.parametrize("masked", [False, True], ids=["plain", "masked"])
def test_results_json_carries_the_numbers_and_validates(tmp_path: Path, masked: bool) -> None:
    label = f"GetCareDocumentation 3.0 for {PERSONNUMMER}"
    document = load_json(write(run_with(summary(label)), tmp_path, masked=masked))
    jsonschema.Draft202012Validator(results_schema()).validate(document)
    (load,) = document["scenarios"][0]["measurements"]
    assert (load["kind"], load["requests"], load["errors"], load["error_rate"]) == ("load", 400, 1, 0.0025)
    assert load["latency_ms"] == {"p50": 45.0, "p90": 70.0, "p95": 78.0, "p99": 101.0, "max": 139.5}
    assert load["throughput_rps"] == 19.6 and len(load["intervals"]) == 21
    assert load["intervals"][7]["errors"] == 1 and load["intervals"][20]["latency_ms"] is None
    assert load["phases"] == [{"name": "steady", "start_s": 0.0, "end_s": 20.0, "users": 10}]
    assert (PERSONNUMMER in load["label"]) is not masked


def test_the_schema_rejects_a_broken_measurement(tmp_path: Path) -> None:
    document = load_json(write(run_with(summary()), tmp_path))
    validator = jsonschema.Draft202012Validator(results_schema())
    for mutate in (
        lambda load: load.update(requests=-1),
        lambda load: load["latency_ms"].pop("p95"),
        lambda load: load.update(error_rate=2),
        lambda load: load["intervals"][0].update(users="ten"),
    ):
        broken = json.loads(json.dumps(document))
        mutate(broken["scenarios"][0]["measurements"][0])
        assert not validator.is_valid(broken)


@pytest.mark.browser
def test_the_plot_renders_styled_under_the_content_security_policy(tmp_path: Path) -> None:
    """In Chromium the page's CSP lets the plot's classes take report.css's colours (no inline style)."""
    from test_report_browser import visible_text

    report = write(run_with(summary()), tmp_path / "out")["report.html"]
    probe = (
        "var svg = doc.querySelector('svg.load-plot'), line = svg.querySelector('polyline.p50');"
        "var width = Math.round(svg.getBoundingClientRect().width);"
        "doc.title = 'PLOT ' + getComputedStyle(line).stroke + ' ' + width;"
    )
    text = visible_text(report, "PR-LOAD-03", tmp_path / "profile", action=probe)
    first = text.splitlines()[0]
    assert first.startswith("PLOT rgb(9, 105, 218) "), first  # #0969da, from report.css
    assert int(first.rsplit(" ", 1)[1]) >= 600
