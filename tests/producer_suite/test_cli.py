"""``conformance init producer`` writes a commented template that loads as a target; ``check-target``
reports what the producer suite checked and what will skip; ``run producer`` takes ``--load``."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli import main
from harness.producer_suite.target_check import PRODUCER_TARGET_TEMPLATE
from harness.runner import load_target
from tests.support.data import PERSONS_DIR

from .test_target import MINIMAL


def test_init_writes_the_commented_template_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "my-producer.toml"
    assert main(["init", "producer", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == PRODUCER_TARGET_TEMPLATE
    assert PRODUCER_TARGET_TEMPLATE.count("\n#") > 30  # every setting explained
    assert main(["init", "producer", "--out", str(out)]) == 2
    assert "exists" in capsys.readouterr().err


def test_the_template_is_a_valid_target(tmp_path: Path) -> None:
    out = tmp_path / "t.toml"
    out.write_text(PRODUCER_TARGET_TEMPLATE, encoding="utf-8")
    target = load_target("producer", out)
    assert [c.key for c in target.producer.contracts] == ["GetCareDocumentation:3.0", "GetDiagnosis:2.0"]
    assert target.platform.vp_port == 19443 and not target.launches_producer


def test_check_target_reports_the_producer_suite_and_its_skips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "t.toml"
    target.write_text(MINIMAL, encoding="utf-8")
    status = main(["check-target", str(target), "--persons", str(PERSONS_DIR)])
    printed = capsys.readouterr().out
    assert status == 2  # the endpoints do not answer
    assert "producer suite:" in printed and "OK      [producer] settings: 2 contract versions" in printed
    assert "ERROR   endpoint GetDiagnosis:2.0" in printed
    assert "PR-ERR-15A, PR-ERR-15L: [producer.test_hooks] technical_error" in printed


def test_run_producer_takes_load(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "producer", "--help"])
    assert "--load" in capsys.readouterr().out
