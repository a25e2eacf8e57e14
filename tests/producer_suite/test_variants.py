"""Scenarios run once per declared contract version, at each version's level; a rule no declared version
has is one skip with the reason; and a scenario's verdict does not depend on what else ran."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.core.findings import Level, Verdict
from harness.core.results import ScenarioResult
from harness.runner import demo_target, load_target, run_scenarios, suite_dir
from tests.support.data import settings

from .helpers import run_suite, test_target


def run(target: Path, keyword: str) -> dict[str, ScenarioResult]:
    results, _ = run_scenarios(
        [suite_dir("producer")], load_target("producer", target), settings(), keyword=keyword
    )
    return {r.spec.id: r for r in results}


def test_a_rule_bound_per_version_runs_per_version_at_its_level() -> None:
    results = run(demo_target("producer"), "PR-INV-04A")
    assert set(results) == {"PR-INV-04A[GetDiagnosis:2.0]", "PR-INV-04A[GetCareContacts:3.0]"}
    assert results["PR-INV-04A[GetDiagnosis:2.0]"].spec.level is Level.MUST
    assert results["PR-INV-04A[GetCareContacts:3.0]"].spec.level is Level.SHOULD
    assert {r.verdict for r in results.values()} == {Verdict.PASS}
    assert results["PR-INV-04A[GetDiagnosis:2.0]"].spec.requirements == ("PR-R-INV-04",)
    assert any(
        "TKB clinicalprocess:healthcond:description §7 GetDiagnosis" in ref
        for ref in results["PR-INV-04A[GetDiagnosis:2.0]"].spec.refs
    )


def only_care_documentation_3(tmp_path: Path) -> Path:
    text = demo_target("producer").read_text(encoding="utf-8")
    text = re.sub(r"contracts = \[[^\]]*\]", 'contracts = ["GetCareDocumentation:3.0"]', text)
    tables = text.split('[producer.test_data.per_contract."')
    kept = [tables[0], *(t for t in tables[1:] if t.startswith("GetCareDocumentation:3.0"))]
    text = '[producer.test_data.per_contract."'.join(kept).replace('pki_dir = ".state/pki"', "")
    path = tmp_path / "gcd3.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_rule_no_declared_version_has_is_one_skip_with_the_reason(tmp_path: Path) -> None:
    results = run(only_care_documentation_3(tmp_path), "PR-INV-04A or PR-TRN-01 or PR-FRB-12")
    assert set(results) == {
        "PR-INV-04A",
        "PR-TRN-01[GetCareDocumentation:3.0]",
        "PR-FRB-12[GetCareDocumentation:3.0]",
    }
    skipped = results["PR-INV-04A"]
    assert skipped.verdict is Verdict.SKIP and "GetDiagnosis 2.0" in skipped.message
    assert results["PR-TRN-01[GetCareDocumentation:3.0]"].verdict is Verdict.PASS


@pytest.mark.slow
@pytest.mark.parametrize(
    ("flaw", "keyword", "scenario"),
    [
        ("EI posts with owner", "PR-EI-20F", "PR-EI-20F"),
        ("no EI update on create or delete", "PR-EIT-21 and GetDiagnosis", "PR-EIT-21[GetDiagnosis:2.0]"),
        ("unstable record ids", "PR-ID-13A and GetDiagnosis", "PR-ID-13A[GetDiagnosis:2.0]"),
    ],
)
def test_a_scenario_alone_judges_as_in_the_whole_run(
    tmp_path: Path, flaw: str, keyword: str, scenario: str
) -> None:
    """Each scenario causes what it judges (or judges what the run's start fixed): run alone, same verdict."""
    target = test_target(tmp_path, tmp_path / "pki")
    alone = run_suite(target, flaw, keyword)
    assert alone.verdicts == {scenario: Verdict.FAIL}, alone.explain({scenario})


def test_direct_calls_and_direct_updates_are_judged_as_through_the_platform(tmp_path: Path) -> None:
    """A test environment may be called directly and post Updates straight to the mock EI: the same
    verdicts, and the evidence says which way each call went."""
    text = demo_target("producer").read_text(encoding="utf-8")
    text = text.replace('route = "vp"', 'route = "direct"').replace(
        'ei_updates = "vp"', 'ei_updates = "direct"'
    )
    path = tmp_path / "direct.toml"
    path.write_text(
        text.replace('pki_dir = ".state/pki"', f'pki_dir = "{tmp_path / "pki"}"'), encoding="utf-8"
    )
    keyword = "GetDiagnosis and (PR-TRN-01 or PR-EI-20P or PR-EIT-21 or PR-E2E-22A)"
    results = run(path, keyword) | run(path, "PR-EI-20M")
    assert {i: r.verdict for i, r in results.items() if r.verdict is not Verdict.PASS} == {}
    assert len(results) == 5
    call = results["PR-TRN-01[GetDiagnosis:2.0]"].evidence
    assert [x.tags[:2] for x in call] == [("producer-call", "direct")]
    updates = [x for x in results["PR-EIT-21[GetDiagnosis:2.0]"].evidence if "ei-update" in x.tags]
    assert updates and all("via-direct" in x.tags for x in updates)
