"""The signature check: policy, verification with the IdP's metadata keys only, and the XSW rule.

SAML Profiles 4.1.4.5 [E26]: each assertion MUST be protected by a signature on the Assertion or on
the Response; SC Deployment Profile §6.1 wants the Response's; the SP's ``signature_policy``
decides which it requires. Every signature present must verify (Profiles 4.1.4.3). The key must
come from the IdP's metadata, never from the message's KeyInfo (SC §6.3.1); every metadata signing
key is accepted (key rollover, SC §2.1.1.2). XSW: the assertion the SP reads must be the element
whose signature verified, or a direct child of the verified Response (SAML Core 5.4.2).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lxml import etree

from harness.core.xml import NS
from harness.core.xmldsig import SignatureError, verify_enveloped
from harness.reference_sp.acs import AcsMessage
from harness.reference_sp.rejection import Rejected

__all__ = ["TrustedKeys", "check_signature", "metadata_keys", "verify_signatures"]

# Which certificates may verify the signature on an element (the seam a flawed SP replaces).
TrustedKeys = Callable[[AcsMessage, etree._Element], Sequence[bytes]]


def metadata_keys(message: AcsMessage, element: etree._Element) -> Sequence[bytes]:
    """Every signing certificate in the IdP's metadata, and nothing from the message."""
    return message.config.idp.signing_certificates


def _signed(element: etree._Element) -> bool:
    return element.find("ds:Signature", NS) is not None


def _verify(message: AcsMessage, element: etree._Element, trusted: TrustedKeys) -> None:
    try:
        verify_enveloped(element, trusted(message, element))
    except SignatureError as exc:
        name = etree.QName(element).localname
        raise Rejected("check_signature", f"{name}/Signature: {exc} (SC §6.3.1; SAML Core 5.4.2)") from None


def verify_signatures(message: AcsMessage, trusted: TrustedKeys) -> None:
    """Apply ``signature_policy``, verify every signature present with ``trusted``, bind the assertion."""
    policy = message.config.signature_policy
    response, assertion = message.response, message.assertion
    response_signed, assertion_signed = _signed(response), _signed(assertion)
    if policy in ("response", "both") and not response_signed:
        raise Rejected("check_signature", f"Response is not signed; signature policy '{policy}' (SC §6.1)")
    if policy in ("assertion", "both") and not assertion_signed:
        raise Rejected("check_signature", f"Assertion is not signed; signature policy '{policy}' (SC §6.1)")
    if not (response_signed or assertion_signed):
        raise Rejected("check_signature", "neither Response nor Assertion is signed (SAML Profiles 4.1.4.5)")
    if response_signed:
        _verify(message, response, trusted)
    if assertion_signed:
        _verify(message, assertion, trusted)
    # XSW: the assertion read is covered by what verified (its own signature, or it, or its
    # EncryptedAssertion, is a direct child of the verified Response).
    if not assertion_signed and message.source.getparent() is not response:
        raise Rejected("check_signature", "the Assertion read is not covered by a verified signature")


def check_signature(message: AcsMessage) -> None:
    """Signatures verify with the IdP's metadata keys under the SP's signature policy."""
    verify_signatures(message, metadata_keys)
