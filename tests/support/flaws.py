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
from urllib.parse import urlsplit

import requests
from lxml import etree

from harness.core.xml import NS
from harness.core.xmldsig import SignatureError, verify_enveloped
from harness.reference_sp.acs import AcsMessage, saml_time
from harness.reference_sp.config import LoginEvent, Validator
from harness.reference_sp.data import ContactRow
from harness.reference_sp.identity import Identity
from harness.reference_sp.idp_metadata import certificate_pem
from harness.reference_sp.rejection import Rejected
from harness.reference_sp.signature import verify_signatures
from harness.reference_sp.validators import DEFAULT_VALIDATORS, check_in_response_to

__all__ = [
    "accept_unsolicited_beside_a_pending_request",
    "call_idp_after_login",
    "check_audience_in_any_restriction",
    "check_confirmation_expiry_without_skew",
    "check_destination_prefix",
    "check_recipient_contains",
    "check_recipient_if_present",
    "fetch_idp_metadata_after_login",
    "fetch_idp_metadata_with_personnummer",
    "first_assertion_in_document",
    "ignore_signatures",
    "match_by_name",
    "match_last_ten_digits",
    "replacing",
    "text_before_first_comment",
    "trust_keyinfo_certificate",
    "verify_assertion_signature_only",
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
    """FLAW (Skatteverket, Rättslig vägledning: Personnummer): matches on the 10-digit form, which hides
    the century."""
    short = identity.personnummer[-10:]
    return next((c for c in contacts if short and c.personnummer[-10:] == short), None)


def match_by_name(identity: Identity, contacts: Sequence[ContactRow]) -> ContactRow | None:
    """FLAW (names are not unique): matches on the name instead of the personnummer."""
    wanted = (identity.given_name.casefold(), identity.surname.casefold())
    return next((c for c in contacts if (c.given_name.casefold(), c.surname.casefold()) == wanted), None)


def call_idp_after_login(event: LoginEvent) -> None:
    """FLAW (nothing back to 1177): reports the login to the IdP's host, personnummer included,
    through the SP's outbound proxy when it has one (as an SP honouring HTTP(S)_PROXY would)."""
    _get(event, event.idp_sso_url, {"loggedIn": event.identity.personnummer})


def check_destination_prefix(message: AcsMessage) -> None:
    """FLAW (SAML Core 3.2.2; python3-saml): Destination need only start with the ACS URL (a signed
    Response still needs one)."""
    destination = message.response.get("Destination")
    if destination is None and message.response.find("ds:Signature", NS) is not None:
        raise Rejected("check_destination", "a signed Response has no Destination")
    if destination is not None and not destination.startswith(message.config.acs_url):
        raise Rejected("check_destination", "Response/@Destination does not start with the ACS URL")


def _recipient(message: AcsMessage) -> str | None:
    data = message.assertion.find("saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", NS)
    return None if data is None else data.get("Recipient")


def check_recipient_contains(message: AcsMessage) -> None:
    """FLAW (SAML Profiles 4.1.4.3; python3-saml): Recipient need only contain the ACS URL."""
    recipient = _recipient(message)
    if recipient is None or message.config.acs_url not in recipient:
        raise Rejected("check_recipient", "SubjectConfirmationData/@Recipient does not contain the ACS URL")


def check_recipient_if_present(message: AcsMessage) -> None:
    """FLAW (SC Deployment Profile §6.3.2; python3-saml): a missing Recipient is not checked at all."""
    recipient = _recipient(message)
    if recipient is not None and recipient != message.config.acs_url:
        raise Rejected("check_recipient", "SubjectConfirmationData/@Recipient is not the ACS URL")


def check_audience_in_any_restriction(message: AcsMessage) -> None:
    """FLAW (SAML Core 2.5.1.4; python3-saml): one AudienceRestriction naming the SP is enough."""
    path = "saml:Conditions/saml:AudienceRestriction/saml:Audience"
    audiences = [str(a.xpath("string()")) for a in message.assertion.findall(path, NS)]
    if message.config.entity_id not in audiences:
        raise Rejected("check_audience", "no Audience names the SP")


def verify_assertion_signature_only(message: AcsMessage) -> None:
    """FLAW (SC Deployment Profile §6.3.1; SimpleSAMLphp): when the Assertion is signed, only its
    signature is verified; a broken Response signature goes unnoticed."""
    if message.assertion.find("ds:Signature", NS) is None:
        verify_signatures(message, lambda m, e: m.config.idp.signing_certificates)
        return
    try:
        verify_enveloped(message.assertion, message.config.idp.signing_certificates)
    except SignatureError as exc:
        raise Rejected("check_signature", f"Assertion/Signature: {exc}") from None


def accept_unsolicited_beside_a_pending_request(message: AcsMessage) -> None:
    """FLAW (SC Deployment Profile §6.3.2; python3-saml): a Response without InResponseTo passes when this
    browser has any request outstanding, although the SP refuses unsolicited Responses."""
    if message.in_response_to is None and message.browser_has_pending:
        return
    check_in_response_to(message)


def _idp_metadata_url(event: LoginEvent) -> str:
    parts = urlsplit(event.idp_sso_url)
    return f"{parts.scheme}://{parts.netloc}/metadata"


def _get(event: LoginEvent, url: str, params: dict[str, str] | None = None) -> None:
    proxies = {"http": event.outbound_proxy, "https": event.outbound_proxy} if event.outbound_proxy else None
    requests.get(url, params=params, proxies=proxies, timeout=5)


def fetch_idp_metadata_after_login(event: LoginEvent) -> None:
    """NOT A FLAW (allowed, shown as information): refreshes 1177's published IdP metadata after a
    login, a GET carrying no personal data."""
    _get(event, _idp_metadata_url(event))


def fetch_idp_metadata_with_personnummer(event: LoginEvent) -> None:
    """FLAW (nothing back to 1177): fetches 1177's metadata, but with the personnummer in the query."""
    _get(event, _idp_metadata_url(event), {"for": event.identity.personnummer})


def check_confirmation_expiry_without_skew(message: AcsMessage) -> None:
    """NOT A FLAW, a stricter SP (python3-saml's): no clock skew on SubjectConfirmationData NotOnOrAfter,
    the configured skew on Conditions only."""
    data = message.assertion.find("saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", NS)
    until = saml_time(None if data is None else data.get("NotOnOrAfter"))
    if until is None or message.now >= until:
        raise Rejected(
            "check_confirmation_expiry", "SubjectConfirmationData/@NotOnOrAfter has passed (no skew)"
        )
