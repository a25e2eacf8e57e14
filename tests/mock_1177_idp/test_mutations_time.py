"""Time mutations are exact under a fixed clock (09:30:00Z) and skew 180 s (beyond 240 s, within 90 s)."""

from __future__ import annotations

import pytest

from harness.core.clock import FixedClock
from harness.core.xml import parse_xml
from harness.mock_1177_idp.builder import IdpIdentity, ResponseSpec, build_response
from harness.saml_profile import ClockSkew
from tests.support.xmldiff import volatile_diff

from .helpers import build

A = "/samlp:Response/saml:Assertion"
COND = f"{A}/saml:Conditions"
SCD = f"{A}/saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData"
DAY = "2026-01-15T"


def _moved(path: str, attribute: str, old: str | None, new: str) -> list[str]:
    return ([f"- {path}@{attribute}={DAY}{old}Z"] if old else []) + [f"+ {path}@{attribute}={DAY}{new}Z"]


def _window(not_before: str, not_on_or_after: str) -> list[str]:
    removed = [f"- {COND}@NotBefore={DAY}09:30:00Z", f"- {COND}@NotOnOrAfter={DAY}09:35:00Z"]
    return removed + [
        f"+ {COND}@NotBefore={DAY}{not_before}Z",
        f"+ {COND}@NotOnOrAfter={DAY}{not_on_or_after}Z",
    ]


EXACT = {
    "conditions_expired": _window("09:21:00", "09:26:00"),
    "conditions_expired_within_skew": _window("09:23:30", "09:28:30"),
    "conditions_not_yet_valid": _window("09:34:00", "09:39:00"),
    "conditions_not_yet_valid_within_skew": _window("09:31:30", "09:36:30"),
    "subject_confirmation_expired": _moved(SCD, "NotOnOrAfter", "09:35:00", "09:26:00"),
    "subject_confirmation_expired_within_skew": _moved(SCD, "NotOnOrAfter", "09:35:00", "09:28:30"),
    "bearer_not_before": _moved(SCD, "NotBefore", None, "09:30:00"),
    "issue_instant_too_old": sorted(
        [
            f"- /samlp:Response@IssueInstant={DAY}09:30:00Z",
            f"- {A}@IssueInstant={DAY}09:30:00Z",
            f"- {A}/saml:AuthnStatement@AuthnInstant={DAY}09:30:00Z",
        ]
    )
    + sorted(
        [
            f"+ /samlp:Response@IssueInstant={DAY}09:23:00Z",
            f"+ {A}@IssueInstant={DAY}09:23:00Z",
            f"+ {A}/saml:AuthnStatement@AuthnInstant={DAY}09:23:00Z",
        ]
    ),
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_time_mutation_moves_exactly_the_named_instants(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, name: str
) -> None:
    baseline, mutated = build(spec, idp, clock), build(spec, idp, clock, name)
    added_attribute = [f"+ {SCD}@NotBefore=<volatile>"] if name == "bearer_not_before" else []
    assert volatile_diff(baseline, mutated) == added_attribute, "nothing but instants changes"
    assert sorted(volatile_diff(baseline, mutated, ignore_instants=False)) == sorted(EXACT[name])


def test_beyond_and_within_follow_the_declared_skew(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    def not_on_or_after(name: str, skew: int) -> str:
        options = {"mutations": (name,), "skew": ClockSkew(skew, skew)}
        response = parse_xml(build_response(spec.with_options(**options), idp, clock))
        return response.findall(".//{*}Conditions")[0].get("NotOnOrAfter", "")

    assert not_on_or_after("conditions_expired", 60) == f"{DAY}09:28:00Z"  # 60 + 60 s ago
    assert not_on_or_after("conditions_expired_within_skew", 60) == f"{DAY}09:29:30Z"  # 30 s ago
    assert not_on_or_after("conditions_expired", 300) == f"{DAY}09:24:00Z"  # 300 + 60 s ago
