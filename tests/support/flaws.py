"""Deliberately flawed variants of the reference SP's seams: test fixtures of the harness (never shipped).

Never used by the reference SP itself. The SP conformance suite's own tests build broken SPs
from these (``ReferenceSpConfig(validators=..., matcher=..., after_login=..., assertion_locator=...,
text_reader=...)``) and check that the matching scenario fails. Each is named for its flaw.

The classic signature-wrapping (XSW) SP verifies whatever element carries a signature
(``verify_signed_elements_anywhere``) and reads an assertion picked by position. Left with the
reference reader (the one Assertion child), that is fooled by a signed Assertion moved out of the
way; with ``first_assertion_in_document`` and no ``check_single_assertion`` also by one inserted
before it. The reader alone never lets an attacker in: the reference signature check verifies the
assertion it reads.
"""

from __future__ import annotations

from collections.abc import Sequence

import requests
from lxml import etree

from harness.core.xml import NS
from harness.core.xmldsig import SignatureError, verify_enveloped
from harness.reference_sp.acs import AcsMessage
from harness.reference_sp.config import LoginEvent, Validator
from harness.reference_sp.data import ContactRow
from harness.reference_sp.identity import Identity
from harness.reference_sp.idp_metadata import certificate_pem
from harness.reference_sp.rejection import Rejected
from harness.reference_sp.signature import verify_signatures
from harness.reference_sp.validators import DEFAULT_VALIDATORS

__all__ = [
    "call_idp_after_login",
    "first_assertion_in_document",
    "ignore_signatures",
    "match_by_name",
    "match_last_ten_digits",
    "replacing",
    "text_before_first_comment",
    "trust_keyinfo_certificate",
    "verify_signed_elements_anywhere",
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


def _signed_elements(message: AcsMessage) -> list[etree._Element]:
    received = [s.getparent() for s in message.response.iter(f"{{{NS['ds']}}}Signature")]
    decrypted = [a for a in message.assertions if a.getroottree().getroot() is not message.response]
    inside = [s.getparent() for a in decrypted for s in a.iter(f"{{{NS['ds']}}}Signature")]
    return [e for e in (*received, *inside) if e is not None]


def verify_signed_elements_anywhere(message: AcsMessage) -> None:
    """FLAW (SAML Core 5.4.2, XSW): verifies every ``ds:Signature`` wherever it sits (``//ds:Signature``)
    with the metadata keys and the strict xmldsig rules, but never ties a verified element to the
    assertion the SP then reads: the signature module and the business logic each find "the" assertion
    their own way (Somorovsky et al., "On Breaking SAML", USENIX Security 2012)."""
    signed = _signed_elements(message)
    if not signed:
        raise Rejected("check_signature", "neither Response nor Assertion is signed (SAML Profiles 4.1.4.5)")
    for element in signed:
        try:
            verify_enveloped(element, message.config.idp.signing_certificates)
        except SignatureError as exc:
            name = etree.QName(element).localname
            raise Rejected("check_signature", f"{name}/Signature: {exc}") from None


def first_assertion_in_document(message: AcsMessage) -> etree._Element:
    """FLAW (SAML Core 5.4.2, XSW): reads the first ``saml:Assertion`` in document order, anywhere in
    the Response (``(//saml:Assertion)[1]``), or else the first decrypted one."""
    found = message.response.find(".//saml:Assertion", NS)
    if found is not None:
        return found
    if not message.assertions:
        raise Rejected("check_single_assertion", "Response carries no Assertion")
    return message.assertions[0]


def text_before_first_comment(element: etree._Element) -> str:
    """FLAW (CVE-2017-11427, crewjam/saml#140): lxml's ``.text``, which ends at the first child node,
    so ``195006262546<!---->0`` reads as ``195006262546`` although the signed value is 13 digits."""
    return element.text or ""


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
