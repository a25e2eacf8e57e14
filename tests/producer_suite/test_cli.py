"""``conformance init producer`` writes a commented template that loads as a target; ``check-target``
prints what the producer suite checked and what will skip; ``run producer`` takes ``--load``."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli import main
from harness.producer_suite.target_check import TEMPLATE
from harness.runner import load_target

from .test_target import MINIMAL


def test_init_writes_the_commented_template_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "my-producer.toml"
    assert main(["init", "producer", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == TEMPLATE.read_text(encoding="utf-8")
    assert f"conformance check-target {out}" in capsys.readouterr().out
    assert main(["init", "producer", "--out", str(out)]) == 2
    assert "exists; not overwritten" in capsys.readouterr().err


def test_the_template_is_a_valid_target(tmp_path: Path) -> None:
    out = tmp_path / "t.toml"
    out.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    target = load_target("producer", out)
    assert [c.key for c in target.producer.contracts] == ["GetCareDocumentation:3.0", "GetDiagnosis:2.0"]
    assert target.platform.vp_port == 19443 and not target.launches_producer


def test_init_names_the_suites_with_a_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "nosuchsuite"]) == 2
    assert "suites with one: producer" in capsys.readouterr().err


def test_check_target_prints_the_producer_suite_s_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "t.toml"
    target.write_text(MINIMAL, encoding="utf-8")
    assert main(["check-target", str(target)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("producer: [producer] 2 contract versions")
    assert any(line.startswith("producer: will skip PR-ERR-15A, PR-ERR-15L") for line in printed)


def test_check_target_of_a_file_without_suite_sections_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "t.toml"
    target.write_text('[target]\nname = "nothing"\n', encoding="utf-8")
    assert main(["check-target", str(target)]) == 2
    assert "holds no section of any suite" in capsys.readouterr().err


def test_run_producer_takes_load(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "producer", "--help"])
    assert "--load" in capsys.readouterr().out
