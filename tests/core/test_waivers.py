"""Waivers: a justified, unexpired waiver turns a fail into waived; the rest is reported, never hidden."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from harness.core.findings import Level, Verdict
from harness.core.results import ScenarioResult
from harness.core.scenario import ScenarioSpec
from harness.core.waivers import Waiver, WaiverError, apply_waivers, load_waivers

TODAY = date(2026, 3, 1)


def result(scenario_id: str, verdict: Verdict) -> ScenarioResult:
    spec = ScenarioSpec(scenario_id, "title", "sp", "signatures", Level.MUST, ("SC §6.3.1",))
    return ScenarioResult(spec=spec, verdict=verdict, message=f"{verdict} message")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "waivers.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_waiver_file_loads_into_frozen_waivers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[waiver]]\nscenario = "SP-SIG-04"\njustification = " Rollover in 4.2  "\nexpires = 2027-03-31\n'
        '[[waiver]]\nscenario = "SP-TIM-02"\njustification = "Clock skew agreed"\nexpires = "2026-12-31"\n',
    )
    assert load_waivers(path) == (
        Waiver("SP-SIG-04", "Rollover in 4.2", date(2027, 3, 31)),
        Waiver("SP-TIM-02", "Clock skew agreed", date(2026, 12, 31)),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[waiver]]\nscenario = "SP-SIG-04"\nexpires = 2027-03-31\n', "written `justification` is required"),
        ('[[waiver]]\nscenario = "SP-SIG-04"\njustification = " "\nexpires = 2027-03-31\n', "justification"),
        ('[[waiver]]\nscenario = "SP-SIG-04"\njustification = "ok"\n', "`expires` must be a date"),
        (
            '[[waiver]]\nscenario = "SP-SIG-04"\njustification = "ok"\nexpires = "soon"\n',
            "`expires` must be a date",
        ),
        ('[[waiver]]\njustification = "ok"\nexpires = 2027-03-31\n', "`scenario`"),
        (
            '[[waiver]]\nscenario = "A"\njustification = "ok"\nexpires = 2027-03-31\nowner = "x"\n',
            "unexpected",
        ),
        ('[waiver]\nscenario = "A"\njustification = "ok"\nexpires = 2027-03-31\n', "[[waiver]]"),
        ("[[waiver]\n", "not valid TOML"),
        (
            '[[waiver]]\nscenario = "A"\njustification = "x"\nexpires = 2027-01-01\n'
            '[[waiver]]\nscenario = "A"\njustification = "y"\nexpires = 2027-01-01\n',
            "waived twice",
        ),
    ],
)
def test_an_incomplete_waiver_is_a_configuration_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(WaiverError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load_waivers(write(tmp_path, text))


def test_a_missing_waiver_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(WaiverError, match="does not exist"):
        load_waivers(tmp_path / "nope.toml")


def test_an_unexpired_waiver_turns_a_fail_into_waived_with_its_justification() -> None:
    waiver = Waiver("SP-SIG-04", "Agreed with Inera", TODAY)  # the expiry day itself still counts
    (waived,), notes = apply_waivers([result("SP-SIG-04", Verdict.FAIL)], [waiver], TODAY)
    assert waived.verdict is Verdict.WAIVED
    assert waived.waiver_justification == "Agreed with Inera" and waived.message == "fail message"
    assert notes == ()


def test_an_expired_waiver_leaves_the_fail_and_says_when_it_expired() -> None:
    waiver = Waiver("SP-SIG-04", "Agreed", date(2026, 2, 28))
    (kept,), notes = apply_waivers([result("SP-SIG-04", Verdict.FAIL)], [waiver], TODAY)
    assert kept.verdict is Verdict.FAIL
    assert notes == ("waiver for SP-SIG-04 expired on 2026-02-28; its verdict stays fail",)


def test_a_waiver_for_a_passing_scenario_is_reported_as_stale() -> None:
    (kept,), notes = apply_waivers(
        [result("SP-SIG-04", Verdict.PASS)], [Waiver("SP-SIG-04", "x", TODAY)], TODAY
    )
    assert kept.verdict is Verdict.PASS
    assert notes == ("stale waiver: SP-SIG-04 now passes; remove it",)


@pytest.mark.parametrize("verdict", [Verdict.ERROR, Verdict.WARN, Verdict.SKIP])
def test_a_waiver_never_covers_anything_but_a_fail(verdict: Verdict) -> None:
    (kept,), notes = apply_waivers([result("SP-SIG-04", verdict)], [Waiver("SP-SIG-04", "x", TODAY)], TODAY)
    assert kept.verdict is verdict
    assert notes == (f"waiver for SP-SIG-04 not applied: its verdict is {verdict.value}, not fail",)


def test_a_waiver_for_an_unknown_scenario_is_reported_and_one_for_a_deselected_scenario_is_not() -> None:
    waivers = [Waiver("SP-SIG-99", "typo", TODAY), Waiver("SP-SIG-05", "not run", TODAY)]
    results, notes = apply_waivers(
        [result("SP-SIG-04", Verdict.FAIL)], waivers, TODAY, known_scenarios={"SP-SIG-04", "SP-SIG-05"}
    )
    assert [r.verdict for r in results] == [Verdict.FAIL]
    assert notes == ("waiver for SP-SIG-99: no such scenario; correct or remove it",)


def test_waivers_keep_the_order_of_the_results() -> None:
    results = [result("A", Verdict.FAIL), result("B", Verdict.PASS), result("C", Verdict.FAIL)]
    judged, _ = apply_waivers(results, [Waiver("C", "x", TODAY)], TODAY)
    assert [(r.spec.id, r.verdict) for r in judged] == [
        ("A", Verdict.FAIL),
        ("B", Verdict.PASS),
        ("C", Verdict.WAIVED),
    ]
