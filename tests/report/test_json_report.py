"""results.json: the fixed shape of DESIGN.md, checked against the shipped JSON Schema."""

from __future__ import annotations

import base64
import copy
import hashlib
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
        lambda d: d["scenarios"][0]["evidence"][0]["request"].update(body_ref="Not An Id"),
        lambda d: d["bodies"].update({"0" * 64: "a hex key is not a body id"}),
        lambda d: d["scenarios"][0]["evidence"][0].pop("decoded"),
    ):
        document = copy.deepcopy(good)
        mutate(document)
        broken.append(validator.is_valid(document))
    assert broken == [False] * 8


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
    decoded = [(s["decoder"], s["where"]) for x in first["evidence"] for s in x["decoded"]]
    assert decoded == [
        ("saml", "response Location header"),
        ("saml", "request query"),
        ("saml", "response HTML form"),
        ("saml", "request form body"),
    ]
    passed = document["scenarios"][1]
    assert passed["explanation"] == ""  # explanations are for broken rules only
    waived = document["scenarios"][5]
    assert waived["waiver_justification"] == "agreed with Inera until the next release"
    assert waived["findings"][0]["message"] == "control \\x1b char"
    by_area = {(a["suite"], a["area"]): a["counts"] for a in document["summary_by_area"]}
    assert by_area["sp", "signatures"]["fail"] == 1 and by_area["sp", "signatures"]["pass"] == 1


def test_every_body_ref_points_into_the_bodies_table_and_every_body_is_used(reports: ReportWriter) -> None:
    document = load(reports)
    refs = [
        ref
        for scenario in document["scenarios"]
        for x in scenario["evidence"]
        for ref in (
            x["request"]["body_ref"],
            x["response"]["body_ref"],
            *(part["body_ref"] for part in x["decoded"]),
        )
        if ref is not None
    ]
    assert set(refs) == set(document["bodies"])
    for ref, text in document["bodies"].items():
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        assert ref == base64.b32encode(digest).decode().rstrip("=").lower()
    empty = document["scenarios"][0]["evidence"][0]["request"]
    assert (empty["length"], empty["kind"], empty["body_ref"]) == (0, "empty", None)


def test_soap_evidence_is_pretty_printed_with_the_fault_apart(reports: ReportWriter) -> None:
    document = load(reports)
    bodies = document["bodies"]
    answer, fault, not_soap = document["scenarios"][7]["evidence"]
    request, response = answer["decoded"]
    assert request["title"] == (
        "SOAP request: GetCareDocumentation "
        "(urn:riv:clinicalprocess:healthcond:description:GetCareDocumentationResponder:2), "
        "logical address TSTNMT2321000156-RP01 (rivtabp21)"
    )
    assert (request["decoder"], request["where"], request["kind"], request["fault"]) == (
        "soap",
        "request body",
        "xml",
        False,
    )
    assert "\n    <GetCareDocumentation xmlns=" in bodies[request["body_ref"]]
    assert "\n            <healthcareProfessionalName>" in bodies[response["body_ref"]]
    # The raw response body pretty-prints to the same text: it is kept once.
    assert answer["response"]["body_ref"] == response["body_ref"]
    assert [(p["title"], p["fault"]) for p in fault["decoded"][1:]] == [
        ("SOAP response: Fault, logical address TSTNMT2321000156-RP01 (rivtabp21)", False),
        ("SOAP Fault soapenv:Server", True),
    ]
    assert bodies[fault["decoded"][2]["body_ref"]].startswith(
        "faultcode: soapenv:Server\nfaultstring: no journal"
    )
    problem = not_soap["decoded"][1]
    assert (problem["title"], problem["body_ref"]) == ("SOAP response expected", None)
    assert problem["problem"].startswith("not a SOAP 1.1 envelope: document is not well-formed XML")
