"""The requirements catalogue loads strictly, and coverage shows what is verified, what is not, and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.core.findings import Level
from harness.core.scenario import ScenarioSpec
from harness.requirements import CatalogueError, Requirement, coverage, load_catalogue
from harness.requirements.render import render_coverage

CATALOGUE = """
[[requirement]]
id = "T-R-SIG-1"
rule = "The SP accepts a Response only when it is signed by a key from the configured 1177 IdP metadata."
level = "MUST"
sources = ["SC Deployment Profile §6.3.1", "SAML Profiles 4.1.4.5"]

[[requirement]]
id = "T-R-AUD-1"
rule = "The SP rejects an assertion whose Audience is not its own entityID."
level = "MUST"
sources = ["SAML Core 2.5.1.4"]

[[requirement]]
id = "T-R-ENC-1"
rule = "The SP accepts an encrypted assertion when it has published an encryption key."
level = "SHOULD"
sources = ["SC Deployment Profile §6.1"]
untested_reason = "Unconfirmed whether 1177 encrypts toward SPs"
"""


def spec(scenario_id: str, *requirements: str) -> ScenarioSpec:
    return ScenarioSpec(scenario_id, "t", "test", "signatures", Level.MUST, ("ref",), tuple(requirements))


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    (tmp_path / "test.toml").write_text(CATALOGUE, encoding="utf-8")
    return tmp_path


def test_catalogue_loads_in_file_order(catalogue_dir: Path) -> None:
    requirements = load_catalogue("test", catalogue_dir)
    assert [r.id for r in requirements] == ["T-R-SIG-1", "T-R-AUD-1", "T-R-ENC-1"]
    assert requirements[0].sources == ("SC Deployment Profile §6.3.1", "SAML Profiles 4.1.4.5")
    assert requirements[2] == Requirement(
        "T-R-ENC-1",
        "The SP accepts an encrypted assertion when it has published an encryption key.",
        Level.SHOULD,
        ("SC Deployment Profile §6.1",),
        "test",
        "Unconfirmed whether 1177 encrypts toward SPs",
    )


def test_a_suite_without_a_catalogue_file_has_no_requirements(tmp_path: Path) -> None:
    assert load_catalogue("producer", tmp_path) == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('level = "SHOULD"', 'level = "MAY"'), "must be MUST or SHOULD"),
        (('sources = ["SAML Core 2.5.1.4"]', "sources = []"), "at least one source"),
        (('id = "T-R-AUD-1"', 'id = "T-R-SIG-1"'), "appears twice"),
        (('id = "T-R-AUD-1"', 'id = "T-R-AUD-1"\nowner = "me"'), "unexpected setting"),
        (('rule = "The SP rejects', 'rules = "The SP rejects'), "unexpected setting"),
        (("[[requirement]]", "[[requirement]"), "not valid TOML"),
    ],
)
def test_a_malformed_catalogue_is_an_error(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    (tmp_path / "test.toml").write_text(CATALOGUE.replace(*change, 1), encoding="utf-8")
    with pytest.raises(CatalogueError, match=message):
        load_catalogue("test", tmp_path)


def test_a_suite_name_cannot_leave_the_catalogue_folder() -> None:
    with pytest.raises(CatalogueError, match="not a suite name"):
        load_catalogue("../secrets")


def test_coverage_lists_verifying_scenarios_gaps_and_broken_references(catalogue_dir: Path) -> None:
    scenarios = [
        spec("T-SIG-02", "T-R-SIG-1"),
        spec("T-SIG-01", "T-R-SIG-1"),
        spec("T-X-01", "T-R-NOPE"),
        spec("T-Y"),
    ]
    result = coverage(scenarios, load_catalogue("test", catalogue_dir))
    assert [(e.requirement.id, e.scenarios) for e in result.entries] == [
        ("T-R-SIG-1", ("T-SIG-01", "T-SIG-02")),
        ("T-R-AUD-1", ()),
        ("T-R-ENC-1", ()),
    ]
    assert [e.requirement.id for e in result.gaps] == ["T-R-AUD-1", "T-R-ENC-1"]
    assert result.unknown_references == (("T-X-01", "T-R-NOPE"),)
    assert result.unlinked_scenarios == ("T-Y",)


def test_coverage_text_shows_each_gap_with_its_reason(catalogue_dir: Path) -> None:
    result = coverage([spec("T-SIG-01", "T-R-SIG-1", "T-R-ENC-1")], load_catalogue("test", catalogue_dir))
    text = render_coverage("test", result)
    assert text.splitlines()[0] == "test: 3 requirements, 2 verified by scenarios, 1 not verified yet"
    assert "-> T-SIG-01" in text
    assert "T-R-AUD-1  NOT VERIFIED: (no reason recorded in the catalogue)" in text
    # T-R-ENC-1 is verified now, so its untested_reason is stale and must be called out.
    assert "still carrying an untested_reason (remove it):\n  T-R-ENC-1" in text


def test_conformance_coverage_exits_2_on_a_broken_reference(
    catalogue_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from harness.cli import main
    from harness.core import scenario as scenario_module
    from harness.core.scenario import ScenarioRegistry
    from harness.requirements import catalogue as catalogue_module

    monkeypatch.setattr(catalogue_module, "CATALOGUE_DIR", catalogue_dir)
    registry = ScenarioRegistry((ScenarioSpec("T-X-01", "t", "sp", "a", Level.MUST, ("r",), ("T-R-NOPE",)),))
    monkeypatch.setattr(scenario_module, "discover_package", lambda package="scenarios": registry)
    assert main(["coverage", "sp"]) == 2
    assert "BROKEN: scenarios naming requirements the catalogue does not hold:\n  T-X-01 -> T-R-NOPE" in (
        capsys.readouterr().out
    )


def test_conformance_coverage_of_a_suite_with_no_catalogue_yet_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from harness.cli import main
    from harness.core import scenario as scenario_module
    from harness.core.scenario import ScenarioRegistry
    from harness.requirements import catalogue as catalogue_module

    monkeypatch.setattr(catalogue_module, "CATALOGUE_DIR", tmp_path)
    monkeypatch.setattr(scenario_module, "discover_package", lambda package="scenarios": ScenarioRegistry(()))
    assert main(["coverage", "producer"]) == 0
    assert "producer: 0 requirements" in capsys.readouterr().out
