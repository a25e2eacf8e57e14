"""Data markers match as whole tokens, so a marker is never found inside a longer word or number."""

from __future__ import annotations

import pytest

from harness.sp_suite.checks import contains_token


@pytest.mark.parametrize(
    ("text", "marker", "found"),
    [
        ("<h1>Program for 196507132758</h1>", "Program for 196507132758", True),
        ("<h1>Program for 1965071327580</h1>", "Program for 196507132758", False),  # a 13-digit value
        ("<td>RSP-MARK-01</td>", "RSP-MARK-01", True),
        ("<td>RSP-MARK-011</td>", "RSP-MARK-01", False),
        ("XRSP-MARK-01", "RSP-MARK-01", False),
        ("Knäprogram &Aring;sa 01.", "Knäprogram Åsa 01", True),  # HTML entities are decoded first
        ("anything", "", False),
    ],
)
def test_a_marker_is_found_only_as_a_whole_token(text: str, marker: str, found: bool) -> None:
    assert contains_token(text, marker) is found
