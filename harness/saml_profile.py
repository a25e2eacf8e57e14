"""Names from the Swedish eID framework that the SP suite, the mock IdP and the reference SP share.

Attribute names: Swedish eID Framework, Attribute Specification §3.1 (personalIdentityNumber,
``urn:oid:1.2.752.29.4.13``); ``Subject_SerialNumber`` is the legacy name Inera's own SPs read.
Signature policies: SAML Profiles 4.1.4.5 [E26] accepts a signed Response or a signed Assertion;
the Swedish eID Deployment Profile §6.1 has the IdP sign the Response. Clock skew: the Deployment
Profile §6.3.5 calls 3 to 5 minutes in either direction reasonable; SPs differ, and some allow a
different skew per time window, so an SP's allowance is a :class:`ClockSkew`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEFAULT_CLOCK_SKEW_SECONDS",
    "MAX_RESPONSE_AGE_SECONDS",
    "PERSONNUMMER_ATTRIBUTE_SETTINGS",
    "PERSONNUMMER_OID",
    "SIGNATURE_POLICIES",
    "SUBJECT_SERIAL_NUMBER",
    "ClockSkew",
]

DEFAULT_CLOCK_SKEW_SECONDS = 180  # Swedish eID Deployment Profile §6.3.5: 3-5 minutes is reasonable
# How old an IssueInstant may be before an SP refuses it (Deployment Profile §6.3.5, SHOULD; the
# Sweden Connect SP library opensaml-addons defaults to 3 minutes).
MAX_RESPONSE_AGE_SECONDS = 180

PERSONNUMMER_OID = "urn:oid:1.2.752.29.4.13"
SUBJECT_SERIAL_NUMBER = "Subject_SerialNumber"
# Which attribute an SP reads the personnummer from: the eID name, the legacy name, or both (the
# IdP then sends both, with the same value, and the SP may read either).
PERSONNUMMER_ATTRIBUTE_SETTINGS = (PERSONNUMMER_OID, SUBJECT_SERIAL_NUMBER, "both")
# Which signature an SP requires before it trusts an Assertion.
SIGNATURE_POLICIES = ("either", "response", "assertion", "both")


@dataclass(frozen=True, slots=True)
class ClockSkew:
    """An SP's clock-skew allowance, in seconds, for each time window it checks."""

    conditions: int = DEFAULT_CLOCK_SKEW_SECONDS  # Conditions NotBefore and NotOnOrAfter
    subject_confirmation: int = DEFAULT_CLOCK_SKEW_SECONDS  # bearer SubjectConfirmationData NotOnOrAfter

    def __post_init__(self) -> None:
        if self.conditions < 0 or self.subject_confirmation < 0:
            raise ValueError("a clock skew is a number of seconds, 0 or more")

    @property
    def largest(self) -> int:
        return max(self.conditions, self.subject_confirmation)
