"""TAK (tjänsteadresseringskatalogen): routing (vägval) and call authorisation (anropsbehörighet).

The SKLTP VP asks TAK two questions per call (``vagval/VagvalProcessor.java``,
``vagval/BehorighetProcessor.java``):

- **vägval**: which producer address serves this logical address (receiverId) and service contract
  (the responder namespace, e.g.
  ``urn:riv:clinicalprocess:healthcond:description:GetCareDocumentationResponder:3``) today, and
  with which RIV profile? None gives VP004, more than one VP006, an empty address VP010.
- **anropsbehörighet**: may this consumer (the HSA-id of its certificate) call this logical address
  through this contract today? No gives VP007. A logical address ``*`` authorises every address
  (the "default behörighet" in SKLTP's ``takdata/tak-behorigheter-test.xml``).

Lookups return the :class:`VpFault` to raise instead of raising, so callers (the VP, the AGP's
TAK filter) decide. Files are read by :mod:`harness.mock_ntp.tak_files`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from harness.core.soap import RIVTABP20, RIVTABP21
from harness.mock_ntp.faults import VpCode, VpFault

__all__ = [
    "ALWAYS_FROM",
    "ALWAYS_TO",
    "ANY_ADDRESS",
    "ANY_CONSUMER",
    "SUPPORTED_PROFILES",
    "Authorisation",
    "Route",
    "Tak",
    "Timeouts",
    "profile_fault",
]

ALWAYS_FROM = datetime(1970, 1, 1, tzinfo=UTC)
ALWAYS_TO = datetime(9999, 12, 31, tzinfo=UTC)
ANY_ADDRESS = "*"
ANY_CONSUMER = "*"  # the mock's own convenience (e.g. every producer may call the EI's Update)
SUPPORTED_PROFILES = (RIVTABP20, RIVTABP21)


@dataclass(frozen=True, slots=True)
class Route:
    """One vägval (SKLTP ``virtualiseringsInfo``): where a logical address is served for a contract."""

    logical_address: str
    contract: str
    rivta_profile: str  # "rivtabp21" or "rivtabp20" (anything else: VP005)
    address: str  # the producer's URL, https:// (mutual TLS) or http:// (a test producer without SITHS)
    valid_from: datetime = ALWAYS_FROM
    valid_to: datetime = ALWAYS_TO

    def valid_at(self, now: datetime) -> bool:
        return self.valid_from <= now <= self.valid_to


@dataclass(frozen=True, slots=True)
class Authorisation:
    """One anropsbehörighet (SKLTP ``anropsBehorighetsInfo``): consumer may call address via contract."""

    consumer: str  # or ANY_CONSUMER
    logical_address: str  # or ANY_ADDRESS
    contract: str
    valid_from: datetime = ALWAYS_FROM
    valid_to: datetime = ALWAYS_TO

    def allows(self, consumer: str, contract: str, logical_address: str, now: datetime) -> bool:
        return (
            self.consumer in (consumer, ANY_CONSUMER)
            and self.contract == contract
            and self.logical_address in (logical_address, ANY_ADDRESS)
            and self.valid_from <= now <= self.valid_to
        )


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Producer timeouts (SKLTP ``producer.https.connect.timeout`` 2000 ms,
    ``timeoutconfig.json`` producertimeout 29000 ms)."""

    connect_s: float = 2.0
    producer_s: float = 29.0


@dataclass(frozen=True, slots=True)
class Tak:
    routes: tuple[Route, ...] = ()
    authorisations: tuple[Authorisation, ...] = ()
    contract_timeouts: tuple[tuple[str, Timeouts], ...] = ()  # per contract, like timeoutconfig.json
    default_timeouts: Timeouts = field(default_factory=Timeouts)

    def route(self, contract: str, logical_address: str, now: datetime) -> Route | VpFault:
        """The one valid route, or VP004 (none), VP006 (several) or VP010 (empty address)."""
        summary = f"serviceNamespace: {contract}, receiverId: {logical_address}"
        found = [
            r
            for r in self.routes
            if r.contract == contract and r.logical_address == logical_address and r.valid_at(now)
        ]
        if not found:
            hint = ". Whitespace detected in incoming request!" if " " in logical_address else ""
            return VpFault(VpCode.VP004, summary + hint)
        if len(found) > 1:
            return VpFault(VpCode.VP006, summary)
        if not found[0].address.strip():
            return VpFault(VpCode.VP010, summary)
        return found[0]

    def authorise(self, consumer: str, contract: str, logical_address: str, now: datetime) -> VpFault | None:
        """None when ``consumer`` may call; VP007 otherwise (BehorighetProcessor.java)."""
        if self.is_authorised(consumer, contract, logical_address, now):
            return None
        summary = f"serviceNamespace: {contract}, receiverId: {logical_address}, senderId: {consumer}"
        return VpFault(VpCode.VP007, summary)

    def is_authorised(self, consumer: str, contract: str, logical_address: str, now: datetime) -> bool:
        return any(a.allows(consumer, contract, logical_address, now) for a in self.authorisations)

    def timeouts_for(self, contract: str) -> Timeouts:
        return next((t for c, t in self.contract_timeouts if c == contract), self.default_timeouts)

    def merged(self, other: Tak) -> Tak:
        """Both TAKs' entries; ``other``'s per-contract timeouts win."""
        return Tak(
            routes=self.routes + other.routes,
            authorisations=self.authorisations + other.authorisations,
            contract_timeouts=other.contract_timeouts + self.contract_timeouts,
            default_timeouts=self.default_timeouts,
        )

    def with_entries(self, routes: Iterable[Route] = (), authorisations: Iterable[Authorisation] = ()) -> Tak:
        """A copy with more entries (tests and the platform's own EI/AGP routes)."""
        return Tak(
            routes=self.routes + tuple(routes),
            authorisations=self.authorisations + tuple(authorisations),
            contract_timeouts=self.contract_timeouts,
            default_timeouts=self.default_timeouts,
        )


def profile_fault(route: Route, incoming_profile: str) -> VpFault | None:
    """VP005 when the producer's profile is neither 2.0 nor 2.1 (RivTaProfilProcessor.java)."""
    if route.rivta_profile in SUPPORTED_PROFILES:
        return None
    return VpFault(VpCode.VP005, incoming_profile)
