"""The SP suite's [sp] and [idp] sections: validated at load, paths relative to the target file."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from harness.core.targets import TargetError
from harness.runner import load_target

GOOD = """
[target]
name = "Vendor SP"
[launch]
app = "reference-sp"
[idp]
base_url = "http://127.0.0.1:7443"
state_dir = "keys/idp"
[sp]
entity_id = "{base_url}/metadata"
acs_url = "{base_url}/acs"
metadata = "{base_url}/metadata"
ca_bundle = "tls/ca.pem"
data_urls = ["{base_url}/programs"]
not_contacts = ["189001019802"]
century_twin = ["192712077490", "202712077490"]
session_probe = { url = "{base_url}/whoami", personnummer_pointer = "/personnummer" }
[[sp.contacts]]
personnummer = "195006262546"
data_marker = "Program A"
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "targets").mkdir(exist_ok=True)
    path = tmp_path / "targets" / "target.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_target_loads_resolves_paths_and_fills_the_base_url(tmp_path: Path) -> None:
    target = load_target("sp", write(tmp_path, GOOD)).with_base_url("https://127.0.0.1:5000")
    assert target.launch == "reference-sp" and target.idp.base_url == "http://127.0.0.1:7443"
    assert target.idp.state_dir == tmp_path / "targets" / "keys" / "idp"
    assert target.sp.ca_bundle == str(tmp_path / "targets" / "tls" / "ca.pem")
    assert target.sp.acs_url == "https://127.0.0.1:5000/acs"
    assert target.sp.session_probe.url == "https://127.0.0.1:5000/whoami"
    assert target.sp.data_urls == ("https://127.0.0.1:5000/programs",)
    assert target.sp.century_twin == ("192712077490", "202712077490")
    with pytest.raises(FrozenInstanceError):
        target.sp.acs_url = "x"  # type: ignore[misc]


def test_the_default_idp_state_dir_is_beside_the_target_file(tmp_path: Path) -> None:
    target = load_target("sp", write(tmp_path, GOOD.replace('state_dir = "keys/idp"\n', "")))
    assert target.idp.state_dir == tmp_path / "targets" / ".state" / "idp"


def test_a_metadata_file_is_relative_to_the_target_file(tmp_path: Path) -> None:
    target = load_target(
        "sp", write(tmp_path, GOOD.replace('metadata = "{base_url}/metadata"', 'metadata = "sp.xml"'))
    )
    assert target.sp.metadata == str(tmp_path / "targets" / "sp.xml")


CONTACT = '[[sp.contacts]]\npersonnummer = "195006262546"\ndata_marker = "Program A"'
LAUNCH = '[launch]\napp = "reference-sp"'


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('data_urls = ["{base_url}/programs"]', 'data_url = ["{base_url}/programs"]'),
            r"\[sp\] setting 'data_url' is not known \(did you mean 'data_urls'\?\); valid settings: "
            r"accepted_loa, accepts_samordningsnummer, acs_url, allow_unsolicited, ca_bundle, century_twin,",
        ),
        (('personnummer_pointer = "/personnummer"', 'nothing = "x"'), "session_probe setting 'nothing'"),
        ((CONTACT, ""), r"\[sp\] is missing the required setting 'contacts'"),
        (("[sp]", '[sp]\nsignature_policy = "sometimes"'), "signature_policy must be one of"),
        ((LAUNCH, '[launch]\napp = "reference-idp"'), "app 'reference-idp' is not known"),
        (('acs_url = "{base_url}/acs"\n', ""), r"\[sp\] is missing the required setting 'acs_url'"),
        (('name = "Vendor SP"', 'name = "Vendor SP"\n[idpp]'), r"section \[idpp\] is not known"),
    ],
)
def test_bad_target_files_are_refused_with_the_reason(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    with pytest.raises(TargetError, match=message):
        load_target("sp", write(tmp_path, GOOD.replace(*change)))


def test_a_file_without_an_sp_section_is_refused_by_the_sp_suite(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match=r"has no \[sp\] section"):
        load_target("sp", write(tmp_path, '[target]\nname = "x"\n'))


def test_an_empty_contact_list_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace(CONTACT, "").replace("[sp]\n", "[sp]\ncontacts = []\n")
    with pytest.raises(TargetError, match="at least one contact"):
        load_target("sp", write(tmp_path, text))
