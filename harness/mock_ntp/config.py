"""The ``[platform]`` section of a target file (or of ``conformance ntp serve --config FILE``).

It fixes where the mock platform listens and who it is, so a vendor configures a producer once:
the VP's address and CA for its trust store, the EI's address and HSA-id for its Update client.
Every key is optional::

    [platform]
    vp_port = 19443                       # the VP: https, mutual TLS
    ei_port = 19080                       # the engagement index: http (loopback), for test producers
    agp_port = 19081                      # aggregating services: http (loopback), reached through the VP
    state_dir = ".state/ntp"              # the EI's database, and by default the PKI (relative to this file)
    pki_dir = ".state/pki"                # test CA and certificates: may be `conformance pki init --out` DIR
    tak = ["tak.toml"]                    # TAK files: TOML or SKLTP XML (harness.mock_ntp.tak_files)
    producer_ca = ["vendor-ca.pem"]       # CAs the VP trusts for producers' server certificates
    ei_check_logical_address = true       # EI003 (rule R7) on the Update's LogicalAddress
    vp_hsa_id = "TSTNMT2321000156-VP01"   # and ei_hsa_id, agp_hsa_id, consumer_hsa_id, vp_instance
    agp_producer_timeout_s = 27.0
    agp_aggregate_timeout_s = 28.0

A misspelt key is an error naming it and listing the valid ones; ports are 1-65535 (0: a free port,
for tests); everything binds 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from harness.mock_ntp.identities import DEFAULT_IDENTITIES, PlatformIdentities

__all__ = ["PlatformConfigError", "PlatformSettings"]

_IDENTITY_KEYS = {
    "vp_hsa_id": "vp",
    "ei_hsa_id": "ei",
    "agp_hsa_id": "agp",
    "consumer_hsa_id": "consumer",
    "vp_instance": "vp_instance",
}


class PlatformConfigError(ValueError):
    """A ``[platform]`` section with an unknown key or a bad value."""


@dataclass(frozen=True, slots=True)
class PlatformSettings:
    state_dir: Path
    pki_dir_setting: Path | None = None  # [platform] pki_dir; default <state_dir>/pki
    vp_port: int = 19443
    ei_port: int = 19080
    agp_port: int = 19081
    tak: tuple[Path, ...] = ()
    producer_ca: tuple[Path, ...] = ()
    ei_check_logical_address: bool = True
    identities: PlatformIdentities = field(default=DEFAULT_IDENTITIES)
    agp_producer_timeout_s: float = 27.0
    agp_aggregate_timeout_s: float = 28.0

    @classmethod
    def from_table(
        cls, table: Mapping[str, Any], base_dir: Path, *, default_state_dir: Path
    ) -> PlatformSettings:
        """Settings from a parsed ``[platform]`` table; relative paths are relative to ``base_dir``."""
        internal = {"identities", "pki_dir_setting"}
        valid = {f.name for f in fields(cls)} - internal | {"pki_dir", *_IDENTITY_KEYS}
        unknown = set(table) - valid
        if unknown:
            raise PlatformConfigError(f"[platform]: unknown key(s) {sorted(unknown)}; valid: {sorted(valid)}")
        settings = cls(state_dir=_path(table.get("state_dir"), base_dir) or default_state_dir)
        values: dict[str, Any] = {"pki_dir_setting": _path(table.get("pki_dir"), base_dir)}
        for key in ("vp_port", "ei_port", "agp_port"):
            if key in table:
                values[key] = _port(table[key], key)
        for key in ("tak", "producer_ca"):
            if key in table:
                values[key] = _paths(table[key], key, base_dir)
        if "ei_check_logical_address" in table:
            values["ei_check_logical_address"] = _bool(table["ei_check_logical_address"])
        for key in ("agp_producer_timeout_s", "agp_aggregate_timeout_s"):
            if key in table:
                values[key] = _seconds(table[key], key)
        identities = DEFAULT_IDENTITIES
        for key, attr in _IDENTITY_KEYS.items():
            if key in table:
                identities = replace(identities, **{attr: _hsa(table[key], key)})  # type: ignore[arg-type]
        values["identities"] = identities
        return settings.validated(replace(settings, **values))

    @staticmethod
    def validated(settings: PlatformSettings) -> PlatformSettings:
        ports = [p for p in (settings.vp_port, settings.ei_port, settings.agp_port) if p]
        if len(ports) != len(set(ports)):
            raise PlatformConfigError("[platform]: vp_port, ei_port and agp_port must differ")
        if settings.agp_producer_timeout_s >= settings.agp_aggregate_timeout_s:
            raise PlatformConfigError(
                "[platform]: agp_producer_timeout_s must be below agp_aggregate_timeout_s"
            )
        return settings

    @property
    def ei_database(self) -> Path:
        return self.state_dir / "ei.sqlite"

    @property
    def pki_dir(self) -> Path:
        return self.pki_dir_setting or self.state_dir / "pki"


def _path(value: object, base_dir: Path) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise PlatformConfigError("[platform]: a path must be a non-empty string")
    path = Path(value).expanduser()
    return path if path.is_absolute() else base_dir / path


def _paths(value: object, key: str, base_dir: Path) -> tuple[Path, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v for v in items):
        raise PlatformConfigError(f"[platform]: {key} must be a path or a list of paths")
    return tuple(p for v in items if (p := _path(v, base_dir)) is not None)


def _port(value: object, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
        raise PlatformConfigError(f"[platform]: {key} must be a port number 1-65535 (0: any free port)")
    return value


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise PlatformConfigError("[platform]: ei_check_logical_address must be true or false")
    return value


def _seconds(value: object, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise PlatformConfigError(f"[platform]: {key} must be a positive number of seconds")
    return float(value)


def _hsa(value: object, key: str) -> str:
    # HSA-id: at most 31 characters, letters, digits and one hyphen-separated local part (HSA format).
    if not isinstance(value, str) or not value or len(value) > 31 or not value.replace("-", "").isalnum():
        raise PlatformConfigError(f"[platform]: {key} must be an HSA-id (letters, digits, '-', at most 31)")
    return value
