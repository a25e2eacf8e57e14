"""The reference SP's seams: the shapes of what its configuration injects (validators, matcher, ...).

Plain types, so that the modules implementing them and the configuration naming them do not import
each other: ``config`` imports the defaults, the defaults import these shapes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

    from harness.reference_sp.acs import AcsMessage
    from harness.reference_sp.data import ContactRow
    from harness.reference_sp.identity import Identity

__all__ = ["AfterLogin", "AssertionLocator", "LoginEvent", "Matcher", "TextReader", "Validator"]

# A validator checks one condition of a decoded Response and raises ``Rejected`` when it fails.
Validator = Callable[["AcsMessage"], None]
# A matcher picks the contact (kontakt) for a logged-in person, or None.
Matcher = Callable[["Identity", Sequence["ContactRow"]], "ContactRow | None"]
# An assertion locator picks, from a decoded Response, the Assertion every later check and the login
# read (SAML Core 5.4.2: it must be the one the signature covers); it raises ``Rejected`` if there is none.
AssertionLocator = Callable[["AcsMessage"], "etree._Element"]
# A text reader gives an element's value as the SP acts on it (personnummer, names, NameID).
TextReader = Callable[["etree._Element"], str]


@dataclass(frozen=True, slots=True)
class LoginEvent:
    """What an ``after_login`` hook is told: the person, their contact, the IdP's address, and the
    outbound proxy the SP was configured with ("" = none)."""

    identity: Identity
    contact: ContactRow
    idp_entity_id: str
    idp_sso_url: str
    outbound_proxy: str = ""


AfterLogin = Callable[[LoginEvent], None]
