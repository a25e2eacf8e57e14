"""Inera's XSLT 2 schematron, run with Saxon: conformant answers pass, each broken rule is named and
located; the engagement index Update rules, and the unique-posts rule no official file checks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from rivta_samples import SampleValues, sample_response

from harness.contracts import ContractVersion, MessageRole, find_contract
from harness.contracts.ei import EngagementTransaction, build_update, engagement_for
from harness.core.soap import build_envelope
from harness.validation import IssueKind, SchematronSet, Validator
from harness.validation import schematron as schematron_module

DIAGNOSIS = find_contract("GetDiagnosis", "2.0")
UPDATE = find_contract("Update", "1.0")
SOURCE = "TSTNMT2321000156-RP01"


def line_of(data: bytes, text: str) -> int:
    return next(n for n, line in enumerate(data.decode().splitlines(), 1) if text in line)


@pytest.fixture(scope="module")
def schematron(schema_dir: Path) -> SchematronSet:
    return SchematronSet(schema_dir)


@pytest.mark.parametrize(
    "key", ["GetDiagnosis:2.0", "GetCareDocumentation:3.0", "GetLaboratoryOrderOutcome:4.2"]
)
def test_conformant_answers_pass_the_official_schematron(
    key: str, pnr: str, schematron: SchematronSet
) -> None:
    contract = find_contract(*key.split(":"))
    data = sample_response(key, SampleValues(pnr))
    assert schematron.check(contract, data) == ()
    assert schematron.check(contract, build_envelope(etree.fromstring(data))) == ()


def test_get_diagnosis_with_document_title_time_and_an_empty_element_fails_three_asserts(
    pnr: str, schematron: SchematronSet
) -> None:
    """Three failed asserts: the SVRL output holds the string "failed-assert" six times (start and end
    tags), which is where a count of six comes from."""
    data = (
        sample_response(DIAGNOSIS.key, SampleValues(pnr))
        .replace(
            b"<c:patientId>",
            b"<c:documentTitle>Diagnos</c:documentTitle>\n<c:documentTime>20240301101500</c:documentTime>\n<c:patientId>",
        )
        .replace(b"</c:logId>", b"</c:logId><c:message> </c:message>")
    )
    issues = schematron.check(DIAGNOSIS, data)
    assert [(i.kind, i.rule) for i in issues] == [
        (IssueKind.SCHEMATRON, "Verify diagnosisHeader: count(urn1:documentTime) = 0"),
        (IssueKind.SCHEMATRON, "Verify diagnosisHeader: count(urn1:documentTitle) = 0"),
        (IssueKind.SCHEMATRON, "Verify non-empty elements: normalize-space(.)"),
    ]
    assert issues[1].message == "c:diagnosisHeader must not contain documentTitle element."
    assert issues[0].line == issues[1].line == line_of(data, "<c:diagnosisHeader>")
    assert issues[2].line == line_of(data, "<c:message>")
    assert "included but empty" in issues[2].message
    assert issues[2].location.endswith(
        "*[local-name()='message' and namespace-uri()='urn:riv:clinicalprocess:healthcond:description:2']"
    )


def test_a_bare_response_is_checked_inside_an_envelope(pnr: str, schematron: SchematronSet) -> None:
    """The non-empty rule matches soapenv:Body/urn:GetDiagnosisResponse//*: without the wrapper it would
    never fire on a saved bare element."""
    data = sample_response(DIAGNOSIS.key, SampleValues(pnr)).replace(b"</c:logId>", b"</c:logId><c:message/>")
    (issue,) = schematron.check(DIAGNOSIS, data)
    assert "included but empty" in issue.message and issue.line == line_of(data, "<c:message/>")


def test_get_care_documentation_3_rules(pnr: str, schematron: SchematronSet) -> None:
    contract = find_contract("GetCareDocumentation", "3.0")
    values = SampleValues(pnr)
    data = sample_response(contract.key, values).replace(
        f"<c:id><c:root>{values.record_id}</c:root></c:id>".encode(),
        f"<c:id><c:root>{values.record_id}</c:root><c:extension>1</c:extension></c:id>".encode(),
    )
    data = data.replace(
        b"</c:clinicalDocumentNoteText>",
        b"</c:clinicalDocumentNoteText>"
        b"<c:multimediaEntry><c:mediaType>text/plain</c:mediaType><c:value>YQ==</c:value></c:multimediaEntry>",
    )
    rules = {i.rule.split(":")[0] for i in schematron.check(contract, data)}
    assert rules == {"Verify non existing extension", "careDocumentationBody"}


def test_laboratory_order_outcome_4_2_analysis_without_specimen(pnr: str, schematron: SchematronSet) -> None:
    contract = find_contract("GetLaboratoryOrderOutcome", "4.2")
    data = sample_response(contract.key, SampleValues(pnr)).replace(
        b"<c:specimen><c:timestamp>20240304073000</c:timestamp></c:specimen>", b""
    )
    (issue,) = schematron.check(contract, data)
    assert issue.rule == "SpecimenMustExist / rule009: count(urn1:specimen) != 0"
    assert issue.line == line_of(data, "<c:analysis>")


def _update(pnr: str, contract: ContractVersion, count: int = 1, **changes: str) -> etree._Element:
    engagement = replace(engagement_for(contract, pnr, SOURCE, "SE2321000156", "20240301101500"), **changes)
    return build_update([EngagementTransaction(engagement)] * count)


def test_the_general_update_rules_flag_owner_and_our_rule_flags_identical_posts(
    pnr: str, validator: Validator
) -> None:
    update = _update(pnr, DIAGNOSIS, count=2, owner="TSTNMT2321000156-EI01")
    result = validator.validate(UPDATE, update, role=MessageRole.REQUEST)
    by_kind = {(i.kind, i.rule.split(":")[0]) for i in result.issues}
    assert (IssueKind.SCHEMATRON, "No forbidden elements") in by_kind
    assert [i.message for i in result.issues if i.kind is IssueKind.SCHEMATRON] == [
        "owner MUST NOT be given in urn1:engagement",
        "owner MUST NOT be given in urn1:engagement",
    ]
    (duplicate,) = [i for i in result.issues if i.kind is IssueKind.RULE]
    assert "engagementTransaction 2 has the same key as engagementTransaction 1" in duplicate.message
    assert "general_update_constraints.xml" in " ".join(result.checked)
    once = validator.validate(UPDATE, _update(pnr, DIAGNOSIS, count=1), role=MessageRole.REQUEST)
    assert once.valid


def test_the_domain_update_rules_and_the_1000_post_limit(pnr: str, validator: Validator) -> None:
    wrong = _update(pnr, DIAGNOSIS, categorization="und-kkm-ure", logical_address="TSTNMT2321000156-RP02")
    messages = [i.message for i in validator.validate(UPDATE, wrong, role=MessageRole.REQUEST).issues]
    assert any(
        m.startswith("categorization value for riv:clinicalprocess:healthcond:description") for m in messages
    )
    assert "logicalAddress must equal sourceSystem for riv:clinicalprocess:healthcond:description" in messages
    many = build_update(
        [
            EngagementTransaction(engagement_for(DIAGNOSIS, pnr, f"{SOURCE}-{n}", "SE2321000156"))
            for n in range(1001)
        ]
    )
    (limit,) = validator.validate(UPDATE, many, role=MessageRole.REQUEST).issues
    assert "MUST NOT have more than 1000 engagementTransaction" in limit.message


def test_each_schematron_file_is_compiled_once(
    pnr: str, schema_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled: list[str] = []
    original = schematron_module._compile

    def counting(directory: Path, relative: str) -> object:
        compiled.append(relative)
        return original(directory, relative)

    monkeypatch.setattr(schematron_module, "_compile", counting)
    checker = SchematronSet(schema_dir)
    data = sample_response(DIAGNOSIS.key, SampleValues(pnr))
    for _ in range(3):
        assert checker.check(DIAGNOSIS, data) == ()
    assert compiled == list(DIAGNOSIS.schemas.schematron)
