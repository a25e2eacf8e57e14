"""``conformance ntp serve``: the mock platform on fixed ports, with everything a vendor configures once.

The CLI resolves the config file and the default state and schema directories and calls :func:`serve`;
this module reads the ``[platform]`` table, starts the platform and prints its addresses, HSA-ids and
certificate paths.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Callable
from pathlib import Path

from harness.contracts import CATALOGUE
from harness.contracts.platform import UPDATE_1_0
from harness.mock_ntp.config import PlatformConfigError, PlatformSettings
from harness.mock_ntp.platform import RunningPlatform, start_platform

__all__ = ["describe", "load_platform_settings", "serve"]


def load_platform_settings(config: Path | None, *, default_state_dir: Path) -> PlatformSettings:
    """The ``[platform]`` table of ``config`` (a target file or a file with only that table)."""
    if config is None:
        return PlatformSettings(state_dir=default_state_dir)
    try:
        document = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PlatformConfigError(f"{config}: cannot read: {exc}") from None
    table = document.get("platform", {})
    if not isinstance(table, dict):
        raise PlatformConfigError(f"{config}: [platform] must be a table")
    return PlatformSettings.from_table(table, config.parent, default_state_dir=default_state_dir)


def describe(platform: RunningPlatform) -> str:
    """What a vendor needs to point a producer (and its EI client) at the platform."""
    ids, certs = platform.settings.identities, platform.certificates
    contracts = ", ".join(f"{c.name} {c.version}" for c in CATALOGUE if c.ei_service_domain)
    lines = [
        "Mock Nationella tjänsteplattformen (test only)",
        f"  VP (https, mutual TLS):   {platform.vp_address('<domain>/<Contract>/<major>/rivtabp21')}",
        f"  VP HSA-id / instance:     {ids.vp} / {ids.vp_instance}",
        f"  EI Update, through VP:    LogicalAddress {ids.ei}, contract {UPDATE_1_0.tak_contract}",
        f"  EI Update, direct (test): {platform.ei_url}/ei/Update/1/rivtabp21",
        f"  EI HSA-id:                {ids.ei}",
        f"  AGP (through the VP):     LogicalAddress {ids.agp}; aggregates {contracts}",
        f"  1177-journal consumer:    {ids.consumer}",
        "Certificates (subject serialNumber = HSA-id):",
        f"  CA for your trust store:  {certs.ca}",
        f"  VP client certificate:    {certs.vp.cert} (the VP presents it to https:// producers)",
        f"  Consumer certificate:     {certs.consumer.cert}, key {certs.consumer.key}",
        f"  Test CA directory:        {platform.settings.pki_dir} (as written by conformance pki init --out)",
        f"TAK: {len(platform.tak.routes)} routes, {len(platform.tak.authorisations)} authorisations"
        + (f" from {', '.join(str(p) for p in platform.settings.tak)}" if platform.settings.tak else ""),
        f"EI database: {platform.settings.ei_database}",
    ]
    return "\n".join(lines)


def serve(
    settings: PlatformSettings,
    *,
    schema_dir: Path | None,
    print_line: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> int:
    """Run until interrupted (or ``stop`` is set); exit status 0."""
    platform = start_platform(settings, schema_dir=schema_dir)
    try:
        print_line(describe(platform))
        print_line("Serving; press Ctrl-C to stop.")
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        platform.stop()
    return 0
