"""results.json: the fixed shape of DESIGN.md, checked against the shipped JSON Schema."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from report_samples import ReportWriter

from harness.report.json_report import results_schema


def load(reports: ReportWriter, *, masked: bool = False) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        reports(mask_personal_data=masked)["results.json"].read_text(encoding="utf-8")
    )
    return document


@pytest.mark.parametrize("masked", [False, True], ids=["plain", "masked"])
def test_results_json_validates_against_its_schema(reports: ReportWriter, masked: bool) -> None:
    jsonschema.Draft202012Validator.check_schema(results_schema())
    jsonschema.Draft202012Validator(results_schema()).validate(load(reports, masked=masked))


def test_schema_rejects_documents_that_break_the_fixed_shape(reports: ReportWriter) -> None:
    validator = jsonschema.Draft202012Validator(results_schema())
    good = load(reports)
    broken = []
    for mutate in (
        lambda d: d["scenarios"][0].update(verdict="passed"),
        lambda d: d["scenarios"][0].pop("refs"),
        lambda d: d["summary"].pop("error"),
        lambda d: d["tool"].pop("version"),
        lambda d: d["scenarios"][0]["evidence"][0].update(status="200"),
    ):
        document = copy.deepcopy(good)
        mutate(document)
        broken.append(validator.is_valid(document))
    assert broken == [False] * 5


def test_results_json_carries_summary_scenarios_and_decoded_evidence(reports: ReportWriter) -> None:
    document = load(reports)
    assert document["tool"] == {"name": "conformance", "version": "0.1.0"}
    assert document["summary"] == {"pass": 3, "fail": 1, "warn": 1, "skip": 1, "error": 1, "waived": 1}
    assert document["exit_status"] == 1
    assert document["notes"] == ["waiver for SP-X-99 expired on 2025-12-31"]
    first = document["scenarios"][0]
    assert (first["id"], first["verdict"], first["level"]) == ("SP-X-01", "fail", "MUST")
    assert first["explanation"].startswith("The service accepted a login")
    assert first["findings"][0]["observed"] == "200 and a session for 195006262546"
    carriers = [s["carrier"] for x in first["evidence"] for s in x["saml"]]
    assert carriers == [
        "response Location header",
        "request query",
        "response HTML form",
        "request form body",
    ]
    passed = document["scenarios"][1]
    assert passed["explanation"] == ""  # explanations are for broken rules only
    waived = document["scenarios"][5]
    assert waived["waiver_justification"] == "agreed with Inera until the next release"
    assert waived["findings"][0]["message"] == "control \\x1b char"
    by_area = {(a["suite"], a["area"]): a["counts"] for a in document["summary_by_area"]}
    assert by_area["sp", "signatures"]["fail"] == 1 and by_area["sp", "signatures"]["pass"] == 1
