"""The whole mock platform in-process: VP (https, mutual TLS), engagement index and AGP (http on
loopback), their certificates from the test CA in the state directory, and TAK.

TAK is the one given plus the platform's own entries: the EI's logical address routes
``Update``/``FindContent`` to the EI (every consumer may call ``Update``), and the AGP's logical
address routes every aggregated contract to the AGP (the 1177-journal-like consumer may call it).
:meth:`RunningPlatform.set_tak` swaps the given part while running.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from harness.contracts import CATALOGUE
from harness.contracts.platform import FIND_CONTENT_1_0, UPDATE_1_0
from harness.core.clock import Clock
from harness.core.soap import RIVTABP21
from harness.mock_ntp.agp import AggregatingServices, AgpSettings
from harness.mock_ntp.certificates import PlatformCertificates, platform_certificates
from harness.mock_ntp.config import PlatformSettings
from harness.mock_ntp.ei import EngagementIndex
from harness.mock_ntp.ei_schema import update_xsd_check
from harness.mock_ntp.ei_store import EngagementStore
from harness.mock_ntp.ei_validation import EiRules
from harness.mock_ntp.forward import Forwarder, client_tls_context
from harness.mock_ntp.tak import ANY_CONSUMER, Authorisation, Route, Tak
from harness.mock_ntp.tak_files import load_tak
from harness.mock_ntp.vp import VirtualisationPlatform, VpSettings
from harness.server import RunningServer, ServerLimits, server_tls_context, start_server

__all__ = [
    "DEFAULT_LIMITS",
    "RunningPlatform",
    "running_platform",
    "start_platform",
]

# The server layer's body limit sits above the VP's own, so an oversized call gets VP015, not a bare 413.
DEFAULT_LIMITS = ServerLimits(max_body_bytes=16_000_000)


class RunningPlatform:
    """A started platform: its components (evidence), addresses and certificates."""

    def __init__(
        self,
        settings: PlatformSettings,
        certificates: PlatformCertificates,
        vp: VirtualisationPlatform,
        ei: EngagementIndex,
        servers: dict[str, RunningServer],
    ) -> None:
        self.settings = settings
        self.certificates = certificates
        self.vp = vp
        self.ei = ei
        self.agp: AggregatingServices | None = None
        self._servers = servers
        self._tak = vp.tak or Tak()

    @property
    def vp_url(self) -> str:
        return self._servers["vp"].base_url

    @property
    def ei_url(self) -> str:
        return self._servers["ei"].base_url

    @property
    def agp_url(self) -> str:
        return self._servers["agp"].base_url

    def vp_address(self, path: str = "") -> str:
        """A VP URL in the national pattern, e.g. ``vp_address("clinicalprocess/.../3/rivtabp21")``."""
        return f"{self.vp_url}/vp/{path.lstrip('/')}"

    @property
    def tak(self) -> Tak:
        """The TAK given to the platform (without the platform's own entries)."""
        return self._tak

    def set_tak(self, tak: Tak) -> None:
        """Use ``tak`` (plus the platform's own EI and AGP entries) from the next call on."""
        self._tak = tak
        self.vp.set_tak(tak.merged(self.own_tak()))

    def own_tak(self) -> Tak:
        ids = self.settings.identities
        ei_contracts = (UPDATE_1_0.tak_contract, FIND_CONTENT_1_0.tak_contract)
        routes = [Route(ids.ei, c, RIVTABP21, self.ei_url) for c in ei_contracts]
        authorisations = [Authorisation(ANY_CONSUMER, ids.ei, UPDATE_1_0.tak_contract)]
        authorisations.append(Authorisation(ids.agp, ids.ei, FIND_CONTENT_1_0.tak_contract))
        if "agp" in self._servers:
            for contract in (c for c in CATALOGUE if c.ei_service_domain):
                routes.append(Route(ids.agp, contract.tak_contract, RIVTABP21, self.agp_url))
                authorisations.append(Authorisation(ids.consumer, ids.agp, contract.tak_contract))
        return Tak(routes=tuple(routes), authorisations=tuple(authorisations))

    def stop(self) -> None:
        for server in reversed(list(self._servers.values())):
            server.stop()
        self.ei.store.close()


def start_platform(
    settings: PlatformSettings,
    *,
    tak: Tak | None = None,
    schema_dir: Path | None = None,
    clock: Clock | None = None,
    limits: ServerLimits = DEFAULT_LIMITS,
) -> RunningPlatform:
    """Start VP, EI and AGP on ``settings``' ports; TAK from ``tak`` or else ``settings.tak`` files.

    ``schema_dir`` (the official RIVTA bundles) turns on the EI's XSD check of Updates; ``limits``
    are the server layer's (keep ``max_body_bytes`` above the VP's 15 MB so it answers VP015).
    """
    certs = platform_certificates(settings)
    ids = settings.identities
    given = tak if tak is not None else load_tak(*settings.tak)
    ei = _engagement_index(settings, schema_dir, clock)
    trusted = (certs.ca, *settings.producer_ca)
    vp = VirtualisationPlatform(
        Forwarder(client_tls_context(certs.vp, trusted)),
        given,
        VpSettings(identities=ids, internal_senders=frozenset({ids.agp})),
        clock=clock,
    )
    servers: dict[str, RunningServer] = {}
    try:
        servers["ei"] = start_server(ei.app, port=settings.ei_port, limits=limits, name="ntp-ei")
        tls = server_tls_context(certs.vp.cert, certs.vp.key, client_ca=certs.ca, client_cert="optional")
        servers["vp"] = start_server(vp.app, port=settings.vp_port, tls=tls, limits=limits, name="ntp-vp")
        platform = RunningPlatform(settings, certs, vp, ei, servers)
        agp = _agp(settings, platform, certs, clock)
        servers["agp"] = start_server(agp.app, port=settings.agp_port, limits=limits, name="ntp-agp")
        platform.agp = agp
    except BaseException:
        for server in servers.values():
            server.stop()
        ei.store.close()
        raise
    platform.set_tak(given)
    return platform


def _engagement_index(
    settings: PlatformSettings, schema_dir: Path | None, clock: Clock | None
) -> EngagementIndex:
    ids = settings.identities
    rules = EiRules(
        owner=ids.ei, check_logical_address=settings.ei_check_logical_address, reserved=ids.reserved
    )
    check = update_xsd_check(schema_dir) if schema_dir is not None else None
    store = EngagementStore(settings.ei_database, owner=ids.ei)
    return EngagementIndex(store, rules, vp_instance=ids.vp_instance, clock=clock, schema_check=check)


def _agp(
    settings: PlatformSettings, platform: RunningPlatform, certs: PlatformCertificates, clock: Clock | None
) -> AggregatingServices:
    agp_settings = AgpSettings(
        vp_url=platform.vp_address("aggregated"),
        ei_url=f"{platform.ei_url}/ei/FindContent/1/rivtabp21",
        identities=settings.identities,
        producer_timeout_s=settings.agp_producer_timeout_s,
        aggregate_timeout_s=settings.agp_aggregate_timeout_s,
    )
    return AggregatingServices(
        agp_settings,
        tak=lambda: platform.vp.tak,
        vp_client=Forwarder(client_tls_context(certs.agp, (certs.ca,))),
        ei_client=Forwarder(client_tls_context(None, ())),
        clock=clock,
    )


@contextlib.contextmanager
def running_platform(
    settings: PlatformSettings,
    *,
    tak: Tak | None = None,
    schema_dir: Path | None = None,
    clock: Clock | None = None,
    limits: ServerLimits = DEFAULT_LIMITS,
) -> Iterator[RunningPlatform]:
    """:func:`start_platform` as a context manager that always stops it."""
    platform = start_platform(settings, tak=tak, schema_dir=schema_dir, clock=clock, limits=limits)
    try:
        yield platform
    finally:
        platform.stop()
