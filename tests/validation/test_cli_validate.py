"""``conformance validate`` and ``conformance contracts``: what they print and their exit status."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from rivta_samples import SampleValues, sample_response

from harness.cli import main
from harness.cli.contracts import contract_lines
from harness.cli.defaults import schemas_dir
from harness.contracts import CATALOGUE, find_contract
from harness.contracts.ei import EngagementTransaction, build_update, engagement_for
from harness.core.soap import build_envelope


@pytest.fixture
def saved(tmp_path: Path, pnr: str) -> Path:
    data = sample_response("GetDiagnosis:2.0", SampleValues(pnr))
    path = tmp_path / "answer.xml"
    path.write_bytes(build_envelope(etree.fromstring(data), logical_address="TSTNMT2321000156-RP01"))
    return path


def test_a_valid_answer_exits_0(saved: Path, schema_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(saved), "--contract", "GetDiagnosis:2.0", "--schemas", str(schema_dir)]) == 0
    out = capsys.readouterr().out
    assert "GetDiagnosis 2.0 response: valid" in out
    assert "xsd GetDiagnosisResponder_2.0.xsd, schematron GetDiagnosis/constraints.xml" in out


def test_an_invalid_answer_prints_each_issue_and_exits_1(
    saved: Path, schema_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = saved.read_text(encoding="utf-8").replace(
        "<c:patientId>", "<c:documentTitle>T</c:documentTitle><c:patientId>"
    )
    saved.write_text(text.replace("</c:logId>", "</c:logId><c:message></c:message>"), encoding="utf-8")
    assert main(["validate", str(saved), "--contract", "GetDiagnosis:2.0", "--schemas", str(schema_dir)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].endswith(
        "invalid (xsd GetDiagnosisResponder_2.0.xsd, schematron GetDiagnosis/constraints.xml)"
    )
    issues = lines[:-1]
    assert len(issues) == 2
    assert issues[0].startswith("schematron line ") and "must not contain documentTitle" in issues[0]
    assert issues[0].endswith("at /Envelope/Body/GetDiagnosisResponse/diagnosis/diagnosisHeader")
    assert "message is included but empty" in issues[1]


def test_an_update_request_is_checked_as_a_request(
    tmp_path: Path, pnr: str, schema_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engagement = engagement_for(
        find_contract("GetDiagnosis", "2.0"), pnr, "TSTNMT2321000156-RP01", "SE2321000156"
    )
    path = tmp_path / "update.xml"
    path.write_bytes(etree.tostring(build_update([EngagementTransaction(engagement)] * 2)))
    assert main(["validate", str(path), "--contract", "Update:1.0", "--schemas", str(schema_dir)]) == 1
    out = capsys.readouterr().out
    assert "Update 1.0 request: invalid" in out and "has the same key" in out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--contract", "GetDiagnosis:3.0"], "unknown contract version GetDiagnosis:3.0"),
        (["--contract", "GetDiagnosis"], "expected NAME:VERSION"),
        (
            ["--contract", "GetDiagnosis:2.0", "--schemas", "/nonexistent/rivta"],
            "no schema bundle at /nonexistent",
        ),
    ],
)
def test_usage_errors_exit_2(
    saved: Path, arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(saved), *arguments]) == 2
    assert message in capsys.readouterr().err


def test_an_unreadable_file_exits_2(
    tmp_path: Path, schema_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.xml"
    assert (
        main(["validate", str(missing), "--contract", "GetDiagnosis:2.0", "--schemas", str(schema_dir)]) == 2
    )
    assert "missing.xml" in capsys.readouterr().err


def test_the_schema_directory_comes_from_the_option_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIVTA_SCHEMAS", str(tmp_path / "from-env"))
    assert schemas_dir(tmp_path / "given") == tmp_path / "given"
    assert schemas_dir(None) == tmp_path / "from-env"
    monkeypatch.delenv("RIVTA_SCHEMAS")
    assert schemas_dir(None).parts[-2:] == ("shared", "rivta")


def test_contracts_lists_each_version_with_whether_the_reference_producer_serves_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["contracts"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(CATALOGUE) + 2
    first = lines[0].split()
    assert first[:3] == ["GetCareDocumentation", "2.1", CATALOGUE[0].namespace]
    assert all(line.endswith("reference producer: yes") for line in lines[: len(CATALOGUE)])
    assert all(line.endswith("platform contract (engagement index)") for line in lines[len(CATALOGUE) :])
    only_diagnosis = contract_lines({("GetDiagnosis", "2.0")})
    assert [line.split()[0] for line in only_diagnosis if line.endswith("producer: yes")] == ["GetDiagnosis"]
    assert sum(line.endswith("reference producer: no") for line in only_diagnosis) == len(CATALOGUE) - 1
