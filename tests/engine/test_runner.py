"""run_suite / run_demo: target and waiver checks before the run, waivers after it, and the three reports."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from harness import runner
from harness.core.findings import Verdict
from harness.core.targets import TargetError
from harness.core.waivers import WaiverError
from harness.runner import RunError, RunOptions, run_demo, run_suite
from tests.support.data import settings

REPORT_FILES = ["junit.xml", "report.html", "results.json"]


@pytest.fixture
def sp_suite(suite: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the runner's ``sp`` suite at the throwaway scenarios."""
    monkeypatch.setattr(runner, "suite_dir", lambda name: suite)
    return suite


def options(out: Path, **changes: object) -> RunOptions:
    return RunOptions(settings=settings(), out_dir=out, **changes)  # type: ignore[arg-type]


def waiver_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "waivers.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_run_suite_writes_the_three_reports(sp_suite: Path, target_file: Path, tmp_path: Path) -> None:
    run = run_suite("sp", target_file, options(tmp_path / "out", keyword="ENG-PASS or ENG-FAIL"))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == REPORT_FILES
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert {s["id"]: s["verdict"] for s in results["scenarios"]} == {"ENG-FAIL": "fail", "ENG-PASS": "pass"}
    assert results["summary"]["fail"] == 1 and run.exit_status() == 1
    assert run.target.name == "Throwaway SP" and run.target.suite == "sp"


def test_a_missing_target_stops_the_run_before_any_scenario(sp_suite: Path, tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="does not exist"):
        run_suite("sp", tmp_path / "nope.toml", options(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_selecting_nothing_is_a_usage_error(sp_suite: Path, target_file: Path, tmp_path: Path) -> None:
    with pytest.raises(RunError, match="no scenarios selected by -k 'NO-SUCH-ID'"):
        run_suite("sp", target_file, options(tmp_path / "out", keyword="NO-SUCH-ID"))


def test_a_malformed_k_expression_is_a_usage_error(sp_suite: Path, target_file: Path, tmp_path: Path) -> None:
    with pytest.raises(RunError, match="pytest could not start the run"):
        run_suite("sp", target_file, options(tmp_path / "out", keyword="and and"))


def test_a_scenario_module_that_does_not_import_stops_the_run(
    sp_suite: Path, target_file: Path, tmp_path: Path
) -> None:
    (sp_suite / "test_broken.py").write_text("import no_such_module_here\n", encoding="utf-8")
    with pytest.raises(RunError, match="collection error"):
        run_suite("sp", target_file, options(tmp_path / "out"))


def test_an_unknown_suite_is_a_usage_error(sp_suite: Path, target_file: Path, tmp_path: Path) -> None:
    with pytest.raises(RunError, match="unknown suite 'nope'"):
        run_suite("nope", target_file, options(tmp_path / "out"))


def test_a_waived_failure_is_waived_with_its_justification_and_passes_the_run(
    sp_suite: Path, target_file: Path, tmp_path: Path
) -> None:
    waivers = waiver_file(
        tmp_path,
        '[[waiver]]\nscenario = "ENG-FAIL"\njustification = "Fixed in release 4.2 (Inera case 77)"\n'
        "expires = 2026-06-30\n",
    )
    run = run_suite(
        "sp",
        target_file,
        options(tmp_path / "out", keyword="ENG-FAIL", waivers=waivers, today=date(2026, 6, 30)),
    )
    (result,) = run.scenarios
    assert result.verdict is Verdict.WAIVED
    assert result.waiver_justification == "Fixed in release 4.2 (Inera case 77)"
    assert run.exit_status() == 0 and run.notes == ()
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert results["summary"]["waived"] == 1 and results["scenarios"][0]["verdict"] == "waived"


def test_an_expired_waiver_leaves_the_failure_and_says_so(
    sp_suite: Path, target_file: Path, tmp_path: Path
) -> None:
    waivers = waiver_file(
        tmp_path, '[[waiver]]\nscenario = "ENG-FAIL"\njustification = "agreed"\nexpires = 2026-06-30\n'
    )
    run = run_suite(
        "sp",
        target_file,
        options(tmp_path / "out", keyword="ENG-FAIL", waivers=waivers, today=date(2026, 7, 1)),
    )
    assert [r.verdict for r in run.scenarios] == [Verdict.FAIL]
    assert run.notes == ("waiver for ENG-FAIL expired on 2026-06-30; its verdict stays fail",)
    assert run.exit_status() == 1
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert results["notes"] == list(run.notes)  # the report carries the note too


def test_a_stale_waiver_is_reported_and_the_run_still_passes(
    sp_suite: Path, target_file: Path, tmp_path: Path
) -> None:
    waivers = waiver_file(
        tmp_path,
        '[[waiver]]\nscenario = "ENG-PASS"\njustification = "old"\nexpires = 2030-01-01\n'
        '[[waiver]]\nscenario = "ENG-SKIP"\njustification = "deselected"\nexpires = 2030-01-01\n'
        '[[waiver]]\nscenario = "ENG-TYPO"\njustification = "typo"\nexpires = 2030-01-01\n',
    )
    run = run_suite(
        "sp",
        target_file,
        options(tmp_path / "out", keyword="ENG-PASS", waivers=waivers, today=date(2026, 1, 1)),
    )
    assert run.exit_status() == 0
    # ENG-SKIP exists but did not run: nothing to say about its waiver.
    assert run.notes == (
        "stale waiver: ENG-PASS now passes; remove it",
        "waiver for ENG-TYPO: no such scenario; correct or remove it",
    )


def test_a_waiver_without_justification_stops_the_run(
    sp_suite: Path, target_file: Path, tmp_path: Path
) -> None:
    waivers = waiver_file(tmp_path, '[[waiver]]\nscenario = "ENG-FAIL"\nexpires = 2030-01-01\n')
    with pytest.raises(WaiverError, match="justification"):
        run_suite("sp", target_file, options(tmp_path / "out", waivers=waivers))
    assert not (tmp_path / "out").exists()


def test_demo_runs_every_suite_against_its_demo_target(
    sp_suite: Path, target_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "demo_target", lambda name: target_file)
    monkeypatch.setattr(runner, "SUITES", {"sp": runner.SUITES["sp"]})  # the throwaway suite stands for sp
    run = run_demo(options(tmp_path / "demo"))
    assert run.target.suite == "sp" and len(run.scenarios) == 8
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == REPORT_FILES
    assert run.exit_status() == 1  # the throwaway suite has failures on purpose
