"""Deliberately flawed variants of the reference SP's seams: test fixtures of the harness.

Never used by the reference SP itself. The SP conformance suite's own tests build broken SPs
from these (``ReferenceSpConfig(validators=..., matcher=..., after_login=...)``) and check that
the matching scenario fails. Each is named for its flaw.
"""

from __future__ import annotations

from collections.abc import Sequence

import requests
from lxml import etree

from harness.core.xml import NS
from harness.reference_sp.acs import AcsMessage
from harness.reference_sp.config import LoginEvent, Validator
from harness.reference_sp.data import ContactRow
from harness.reference_sp.identity import Identity
from harness.reference_sp.idp_metadata import certificate_pem
from harness.reference_sp.signature import verify_signatures
from harness.reference_sp.validators import DEFAULT_VALIDATORS

__all__ = [
    "ignore_signatures",
    "call_idp_after_login",
    "match_by_name",
    "match_last_ten_digits",
    "replacing",
    "trust_keyinfo_certificate",
    "without",
]


def without(
    *removed: Validator, validators: Sequence[Validator] = DEFAULT_VALIDATORS
) -> tuple[Validator, ...]:
    """The validator tuple with some checks left out (e.g. ``without(check_audience)``)."""
    return tuple(v for v in validators if v not in removed)


def replacing(
    old: Validator, new: Validator, validators: Sequence[Validator] = DEFAULT_VALIDATORS
) -> tuple[Validator, ...]:
    """The validator tuple with ``old`` swapped for ``new`` in the same place."""
    if old not in validators:
        raise ValueError(f"{getattr(old, '__name__', old)} is not among the validators")
    return tuple(new if v is old else v for v in validators)


def _keyinfo_and_metadata_keys(message: AcsMessage, element: etree._Element) -> Sequence[bytes]:
    path = "ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate"
    embedded = [str(c.xpath("string()")) for c in element.findall(path, NS)]
    return (*(certificate_pem(text) for text in embedded), *message.config.idp.signing_certificates)


def trust_keyinfo_certificate(message: AcsMessage) -> None:
    """FLAW (SC §6.3.1): also trusts the certificate the message carries in its own KeyInfo."""
    verify_signatures(message, _keyinfo_and_metadata_keys)


def ignore_signatures(message: AcsMessage) -> None:
    """FLAW (SAML Profiles 4.1.4.5): never looks at signatures at all."""


def match_last_ten_digits(identity: Identity, contacts: Sequence[ContactRow]) -> ContactRow | None:
    """FLAW (saml-1177.md §2.3): matches on the 10-digit form, which hides the century."""
    short = identity.personnummer[-10:]
    return next((c for c in contacts if short and c.personnummer[-10:] == short), None)


def match_by_name(identity: Identity, contacts: Sequence[ContactRow]) -> ContactRow | None:
    """FLAW (saml-1177.md §2.3 pitfall 6): matches on the name instead of the personnummer."""
    wanted = (identity.given_name.casefold(), identity.surname.casefold())
    return next((c for c in contacts if (c.given_name.casefold(), c.surname.casefold()) == wanted), None)


def call_idp_after_login(event: LoginEvent) -> None:
    """FLAW (nothing back to 1177): reports the login to the IdP's host, personnummer included,
    through the SP's outbound proxy when it has one (as an SP honouring HTTP(S)_PROXY would)."""
    proxies = {"http": event.outbound_proxy, "https": event.outbound_proxy} if event.outbound_proxy else None
    requests.get(
        event.idp_sso_url, params={"loggedIn": event.identity.personnummer}, proxies=proxies, timeout=5
    )
