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
    vp_hsa_id = "TSTNMT2321000156-VP01"   # also ei_hsa_id, agp_hsa_id, consumer_hsa_id, vp_instance
    agp_producer_timeout_s = 27.0
    agp_aggregate_timeout_s = 28.0

Keys are the dataclass's fields one to one (so the target reader's generic section loader reads
it too); values are checked in ``__post_init__``. Ports are 1-65535 (0: a free port, for tests);
everything binds 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.core.targets import TargetError, load_section
from harness.mock_ntp.identities import DEFAULT_IDENTITIES, PlatformIdentities

__all__ = ["PlatformConfigError", "PlatformSettings"]


class PlatformConfigError(ValueError):
    """A ``[platform]`` section with an unknown key or a bad value."""


@dataclass(frozen=True, slots=True)
class PlatformSettings:
    state_dir: Path | None = None  # None: the caller's default (the CLI's .state/ntp)
    pki_dir: Path | None = None  # None: <state_dir>/pki
    vp_port: int = 19443
    ei_port: int = 19080
    agp_port: int = 19081
    tak: tuple[Path, ...] = ()
    producer_ca: tuple[Path, ...] = ()
    ei_check_logical_address: bool = True
    vp_hsa_id: str = DEFAULT_IDENTITIES.vp
    ei_hsa_id: str = DEFAULT_IDENTITIES.ei
    agp_hsa_id: str = DEFAULT_IDENTITIES.agp
    consumer_hsa_id: str = DEFAULT_IDENTITIES.consumer
    vp_instance: str = DEFAULT_IDENTITIES.vp_instance
    agp_producer_timeout_s: float = 27.0
    agp_aggregate_timeout_s: float = 28.0

    def __post_init__(self) -> None:
        for name in ("vp_port", "ei_port", "agp_port"):
            port = getattr(self, name)
            if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
                raise PlatformConfigError(f"{name} must be a port number 1-65535 (0: any free port)")
        ports = [p for p in (self.vp_port, self.ei_port, self.agp_port) if p]
        if len(ports) != len(set(ports)):
            raise PlatformConfigError("vp_port, ei_port and agp_port must differ")
        for name in ("vp_hsa_id", "ei_hsa_id", "agp_hsa_id", "consumer_hsa_id", "vp_instance"):
            _check_hsa_id(name, getattr(self, name))
        for name in ("agp_producer_timeout_s", "agp_aggregate_timeout_s"):
            if not isinstance(getattr(self, name), int | float) or getattr(self, name) <= 0:
                raise PlatformConfigError(f"{name} must be a positive number of seconds")
        if self.agp_producer_timeout_s >= self.agp_aggregate_timeout_s:
            raise PlatformConfigError("agp_producer_timeout_s must be below agp_aggregate_timeout_s")

    @classmethod
    def from_table(
        cls, table: Mapping[str, Any], base_dir: Path, *, default_state_dir: Path
    ) -> PlatformSettings:
        """Settings from a parsed ``[platform]`` table; relative paths are relative to ``base_dir``."""
        try:
            settings = load_section(cls, table, where="[platform]", folder=base_dir)
        except TargetError as exc:
            raise PlatformConfigError(str(exc)) from None
        return settings.with_state_dir(default_state_dir)

    def with_state_dir(self, default: Path) -> PlatformSettings:
        """These settings with ``default`` as the state directory when none was given."""
        return self if self.state_dir is not None else dataclasses.replace(self, state_dir=default)

    @property
    def identities(self) -> PlatformIdentities:
        return dataclasses.replace(
            DEFAULT_IDENTITIES,
            vp=self.vp_hsa_id,
            ei=self.ei_hsa_id,
            agp=self.agp_hsa_id,
            consumer=self.consumer_hsa_id,
            vp_instance=self.vp_instance,
        )

    @property
    def state_directory(self) -> Path:
        if self.state_dir is None:
            raise PlatformConfigError("no state directory: give state_dir (the CLI's default is .state/ntp)")
        return self.state_dir

    @property
    def ei_database(self) -> Path:
        return self.state_directory / "ei.sqlite"

    @property
    def pki_directory(self) -> Path:
        return self.pki_dir or self.state_directory / "pki"


def _check_hsa_id(name: str, value: object) -> None:
    # HSA-id: letters and digits with hyphens, at most 31 characters (Inera's HSA-id format).
    if not isinstance(value, str) or not value or len(value) > 31 or not value.replace("-", "").isalnum():
        raise PlatformConfigError(f"{name} must be an HSA-id (letters, digits, '-', at most 31 characters)")
