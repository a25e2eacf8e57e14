"""Test data: the target's test contacts are Skatteverket's published test personnummer (never
Faker's or random numbers, which may belong to real people)."""

from __future__ import annotations

from harness.sp_suite import checks
from harness.sp_suite.areas import TEST_DATA, sp_scenario
from harness.sp_suite.driver import SpDriver


@sp_scenario(
    id="SP-TD-30",
    title="Every personnummer the target declares is a Skatteverket test number, and its contacts log in",
    area=TEST_DATA,
    requirements=("SP-R-TD-30",),
    explanation=(
        "The target's test setup names a personnummer that is not on Skatteverket's list of test "
        "numbers. Such a number may belong to a real person: use only Skatteverket's test numbers."
    ),
)
def test_declared_personnummer_are_test_numbers(sp: SpDriver) -> None:
    sp.positive_control()
    sp.judge(checks.declared_test_numbers(sp.env.sp, sp.env.numbers))
