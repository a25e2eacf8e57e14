"""Names from the Swedish eID framework that the SP suite, the mock IdP and the reference SP share.

Attribute names: Swedish eID Framework, Attribute Specification §3.1 (personalIdentityNumber,
``urn:oid:1.2.752.29.4.13``); ``Subject_SerialNumber`` is the legacy name Inera's own SPs read.
Signature policies: SAML Profiles 4.1.4.5 [E26] accepts a signed Response or a signed Assertion;
the Swedish eID Deployment Profile §6.1 has the IdP sign the Assertion.
"""

from __future__ import annotations

__all__ = [
    "PERSONNUMMER_ATTRIBUTE_SETTINGS",
    "PERSONNUMMER_OID",
    "SIGNATURE_POLICIES",
    "SUBJECT_SERIAL_NUMBER",
]

PERSONNUMMER_OID = "urn:oid:1.2.752.29.4.13"
SUBJECT_SERIAL_NUMBER = "Subject_SerialNumber"
# Which attribute an SP reads the personnummer from: the eID name, the legacy name, or both (the
# IdP then sends both, with the same value, and the SP may read either).
PERSONNUMMER_ATTRIBUTE_SETTINGS = (PERSONNUMMER_OID, SUBJECT_SERIAL_NUMBER, "both")
# Which signature an SP requires before it trusts an Assertion.
SIGNATURE_POLICIES = ("either", "response", "assertion", "both")
