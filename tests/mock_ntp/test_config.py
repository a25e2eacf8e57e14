"""The [platform] section: defaults, relative paths, HSA-ids, and misspelt keys named."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.mock_ntp.config import PlatformConfigError, PlatformSettings
from harness.mock_ntp.identities import DEFAULT_IDENTITIES
from harness.mock_ntp.serve import load_platform_settings


def test_defaults_and_relative_paths(tmp_path: Path) -> None:
    settings = PlatformSettings.from_table(
        {
            "tak": ["tak.toml"],
            "producer_ca": ["/abs/ca.pem"],
            "ei_hsa_id": "TSTNMT2321000156-EI09",
            "vp_port": 0,
        },
        tmp_path,
        default_state_dir=tmp_path / "state",
    )
    assert settings.state_dir == tmp_path / "state"
    assert settings.tak == (tmp_path / "tak.toml",)
    assert settings.producer_ca == (Path("/abs/ca.pem"),)
    assert settings.identities.ei == "TSTNMT2321000156-EI09"
    assert settings.identities.vp == DEFAULT_IDENTITIES.vp
    assert (settings.vp_port, settings.ei_port, settings.agp_port) == (0, 19080, 19081)
    assert settings.ei_database == tmp_path / "state" / "ei.sqlite"
    assert settings.pki_directory == tmp_path / "state" / "pki"


def test_a_config_file_with_only_a_platform_table(tmp_path: Path) -> None:
    config = tmp_path / "platform.toml"
    config.write_text('[platform]\nvp_port = 20443\npki_dir = "pki"\n', encoding="utf-8")
    settings = load_platform_settings(config, default_state_dir=tmp_path / "default")
    assert (settings.vp_port, settings.pki_directory, settings.state_dir) == (
        20443,
        tmp_path / "pki",
        tmp_path / "default",
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"vp_prot": 1},
            "[platform] setting 'vp_prot' is not known (did you mean 'vp_port'?); valid settings:",
        ),
        ({"vp_port": 70000}, "vp_port must be a port number"),
        ({"vp_port": 5, "ei_port": 5}, "must differ"),
        ({"vp_hsa_id": "TSTNMT2321000156 VP"}, "vp_hsa_id must be an HSA-id"),
        ({"agp_producer_timeout_s": 30}, "below agp_aggregate_timeout_s"),
        ({"tak": "tak.toml"}, "[platform] tak must be a list"),
    ],
)
def test_mistakes_are_named(tmp_path: Path, table: dict[str, object], message: str) -> None:
    with pytest.raises(PlatformConfigError) as caught:
        PlatformSettings.from_table(table, tmp_path, default_state_dir=tmp_path)
    assert message in str(caught.value)
