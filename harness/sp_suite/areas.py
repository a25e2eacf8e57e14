"""The SP suite's report areas and its scenario decorator (``suite="sp"`` and one area per module).

A scenario names the requirements it verifies; its level and sources come from the catalogue
(``harness/requirements/sp.toml``), the one place a rule's sources and level are written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from harness.requirements.declare import catalogue_scenario

__all__ = [
    "CONDITIONS",
    "DATA_ISOLATION",
    "NOTHING_BACK",
    "PERSONNUMMER",
    "RELAY_DTD_ENCRYPTION",
    "REPLAY",
    "SIGNATURES",
    "STATUS_ISSUER_AUTHN",
    "TEST_DATA",
    "TRANSPORT",
    "report_order",
    "sp_scenario",
]

SIGNATURES = "signatures and keys"
CONDITIONS = "destination, recipient, audience and time"
REPLAY = "replay and InResponseTo"
STATUS_ISSUER_AUTHN = "status, issuer and authentication context"
PERSONNUMMER = "personnummer handling and matching"
DATA_ISOLATION = "data isolation"
RELAY_DTD_ENCRYPTION = "RelayState, DTDs and encryption"
TRANSPORT = "transport"
TEST_DATA = "test data"
NOTHING_BACK = "nothing back to 1177"

# The order the report lists the areas in: the SAML processing rules first, nothing-back last.
_ORDER = (
    SIGNATURES,
    CONDITIONS,
    REPLAY,
    STATUS_ISSUER_AUTHN,
    PERSONNUMMER,
    DATA_ISOLATION,
    RELAY_DTD_ENCRYPTION,
    TRANSPORT,
    TEST_DATA,
    NOTHING_BACK,
)


def report_order(area: str) -> int:
    """Where a scenario of ``area`` runs and is reported; unknown areas go before nothing-back."""
    return _ORDER.index(area) if area in _ORDER else len(_ORDER) - 1


F = TypeVar("F", bound=Callable[..., Any])


def sp_scenario(
    *, id: str, title: str, area: str, requirements: Iterable[str], explanation: str
) -> Callable[[F], F]:
    """A conformance scenario of the SP suite: it names its requirements and says in plain words what
    a failure means; level and sources are read from the catalogue."""
    return catalogue_scenario(
        "sp", id=id, title=title, area=area, requirements=requirements, explanation=explanation
    )
