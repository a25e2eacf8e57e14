"""junit.xml: one testcase per scenario, fail/error/skip mapped, valid against the shipped XSD."""

from __future__ import annotations

from importlib import resources

import pytest
from lxml import etree
from report_samples import ReportWriter


def junit_schema() -> etree.XMLSchema:
    xsd = resources.files("harness.report").joinpath("junit.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(xsd))


def prop(case: etree._Element, name: str) -> list[str]:
    return [p.get("value", "") for p in case.iterfind(f"properties/property[@name='{name}']")]


def parse(reports: ReportWriter, *, masked: bool = False) -> etree._Element:
    return etree.parse(str(reports(mask_personal_data=masked)["junit.xml"])).getroot()


@pytest.mark.parametrize("masked", [False, True], ids=["plain", "masked"])
def test_junit_xml_validates_against_the_xsd(reports: ReportWriter, masked: bool) -> None:
    schema = junit_schema()
    root = parse(reports, masked=masked)
    assert schema.validate(root), schema.error_log


def test_xsd_rejects_what_ci_systems_cannot_read(reports: ReportWriter) -> None:
    schema = junit_schema()
    root = parse(reports)
    case = root.find("testsuite/testcase")
    assert case is not None
    etree.SubElement(case, "verdict").text = "warn"
    assert not schema.validate(root)
    root = parse(reports)
    del root.find("testsuite").attrib["tests"]  # type: ignore[union-attr]
    assert not schema.validate(root)


def test_one_testcase_per_scenario_with_verdicts_mapped(reports: ReportWriter) -> None:
    root = parse(reports)
    cases = {prop(c, "id")[0]: c for c in root.iter("testcase")}
    assert len(cases) == 8 == int(root.get("tests", "0"))
    assert (root.get("failures"), root.get("errors"), root.get("skipped")) == ("1", "1", "2")
    outcome = {
        sid: [child.tag for child in case if child.tag not in ("properties", "system-out")]
        for sid, case in cases.items()
    }
    assert outcome == {
        "SP-X-01": ["failure"],
        "SP-X-02": [],
        "SP-X-03": [],  # warn: a SHOULD not met does not fail CI, as with the exit status
        "SP-X-04": ["skipped"],
        "SP-X-05": [],
        "SP-X-06": ["skipped"],
        "PR-X-01": ["error"],
        "PR-X-02": [],
    }
    failed = cases["SP-X-01"]
    assert failed.get("name") == "SP-X-01: Scenario SP-X-01 in signatures"
    assert failed.get("classname") == "conformance.sp.signatures"
    assert prop(failed, "ref") == [
        "SAML2 Profiles 4.1.4.5",
        "SC Deployment Profile §6.3.1",
    ]
    assert prop(failed, "level") == ["MUST"]
    assert "expected: a rejection (4xx or an error page); observed: 200 and a session" in (
        failed.findtext("failure") or ""
    )
    system_out = failed.findtext("system-out") or ""
    assert "What this means: The service accepted" in system_out
    assert "- [note] note_check: the SP set a session cookie" in system_out
    waived = cases["SP-X-06"].find("skipped")
    assert waived is not None and waived.get("message", "").startswith("waived: agreed with Inera")
    assert prop(cases["SP-X-03"], "verdict") == ["warn"]
