"""Target profiles load into frozen dataclasses; a bad file is a clear TargetError."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from harness.core.targets import TargetError, load_target

GOOD = """
[target]
name = "Vendor SP"
[launch]
app = "reference-sp"
[idp]
base_url = "http://127.0.0.1:7443"
[sp]
entity_id = "{base_url}/metadata"
acs_url = "{base_url}/acs"
metadata = "{base_url}/metadata"
data_urls = ["{base_url}/programs"]
not_contacts = ["189001019802"]
century_twin = ["192712077490", "202712077490"]
session_probe = { url = "{base_url}/whoami", personnummer_pointer = "/personnummer" }
[[sp.contacts]]
personnummer = "195006262546"
data_marker = "Program A"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "target.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_target_loads_and_fills_the_base_url(tmp_path: Path) -> None:
    target = load_target(write(tmp_path, GOOD)).with_base_url("https://127.0.0.1:5000")
    assert target.launch == "reference-sp" and target.idp.base_url == "http://127.0.0.1:7443"
    assert target.sp is not None
    assert target.sp.acs_url == "https://127.0.0.1:5000/acs"
    assert target.sp.session_probe.url == "https://127.0.0.1:5000/whoami"
    assert target.sp.data_urls == ("https://127.0.0.1:5000/programs",)
    assert target.sp.century_twin == ("192712077490", "202712077490")
    with pytest.raises(FrozenInstanceError):
        target.sp.acs_url = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('personnummer_pointer = "/personnummer"', 'nothing = "x"'), "unexpected setting"),
        (
            ('[[sp.contacts]]\npersonnummer = "195006262546"\ndata_marker = "Program A"', ""),
            "at least one contact",
        ),
        (("[sp]", '[sp]\nsignature_policy = "sometimes"'), "signature_policy"),
        (("[target]", "[target"), "not valid TOML"),
    ],
)
def test_bad_target_files_are_refused_with_the_reason(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    with pytest.raises(TargetError, match=message):
        load_target(write(tmp_path, GOOD.replace(*change)))


def test_missing_target_file_is_a_target_error(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="does not exist"):
        load_target(tmp_path / "nope.toml")
