"""What a Response is built for: the SP, the person, the flow and the protection asked for.

Kept apart from the builder so that the mutation modules can read a spec without importing the
builder (which imports them). ``harness.mock_1177_idp.builder`` re-exports every name here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from harness.mock_1177_idp.keys import IdpKeys
from harness.mock_1177_idp.persons import Person

__all__ = [
    "LOA2",
    "LOA3",
    "OTHER_PERSONS",
    "UNCERTIFIED_LOA3",
    "AttributeProfile",
    "IdpIdentity",
    "ResponseSpec",
    "other_person_for",
]

# Level of assurance URIs (Sweden Connect Registry for Identifiers §3.1.1).
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
UNCERTIFIED_LOA3 = "http://id.swedenconnect.se/loa/1.0/uncertified-loa3"  # CGI's BankID/Freja+ default

# The person an attack claims to be when the spec names none: two Skatteverket test personnummer
# (195006262546 is also Sweden Connect's attribute-specification example; 196507132758 is an
# Inera QA account). Both are in Skatteverket's published list (tests check it).
OTHER_PERSONS = (
    Person("195006262546", "Elsa Maria", "Öberg"),
    Person("196507132758", "Kalle", "Ström"),
)


class AttributeProfile(StrEnum):
    """Which attribute names the Response carries."""

    EID = "eid"  # Swedish eID profile: urn:oid names, NameFormat uri (SC Attribute Specification §3)
    LEGACY = "legacy"  # 1177/CGI names without NameFormat (Subject_SerialNumber, ...)
    BOTH = "both"  # both sets, as the Inera citizen IdP publishes them


@dataclass(frozen=True)
class ResponseSpec:
    sp_entity_id: str
    acs_url: str
    person: Person
    in_response_to: str | None = None  # None = unsolicited (IdP-initiated, SAML Profiles 4.1.5)
    attribute_profile: AttributeProfile = AttributeProfile.EID
    loa: str = LOA3
    sign_response: bool = True
    sign_assertion: bool = True
    encrypt_assertion_for: bytes | None = None  # SP encryption cert PEM -> EncryptedAssertion
    relay_state: str = ""
    other_person: Person | None = None  # the person an injected (XSW) assertion claims to be


@dataclass(frozen=True)
class IdpIdentity:
    entity_id: str
    keys: IdpKeys


def other_person_for(spec: ResponseSpec) -> Person:
    """The victim an attack impersonates: the spec's choice, else a fixed test person unlike ``person``."""
    if spec.other_person is not None:
        return spec.other_person
    return next(p for p in OTHER_PERSONS if p.personnummer != spec.person.personnummer)
