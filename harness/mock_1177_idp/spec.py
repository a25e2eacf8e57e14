"""What a Response is built for (:class:`ResponseSpec`) and how it is shaped (:class:`ResponseOptions`).

``ResponseOptions`` is the one type for the options of one Response: the SP suite's logins, the
autopilot's queued answers, the picker's choice and the builder all take it. ``ResponseSpec`` adds
where the Response goes and for whom, which the IdP fills in from the AuthnRequest (or the caller,
for an unsolicited Response). Kept apart from the builder so that the mutation modules can read a
spec without importing the builder (which imports them); ``builder`` re-exports every name here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from harness.mock_1177_idp.keys import IdpKeys
from harness.mock_1177_idp.persons import Person
from harness.saml_profile import ClockSkew

__all__ = [
    "LOA2",
    "LOA3",
    "OTHER_PERSONS",
    "UNCERTIFIED_LOA3",
    "AttributeProfile",
    "IdpIdentity",
    "ResponseOptions",
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
class ResponseOptions:
    """How one Response is shaped, whoever it is for."""

    mutations: tuple[str, ...] = ()  # names from harness.mock_1177_idp.mutations, applied in order
    attribute_profile: AttributeProfile = AttributeProfile.EID
    loa: str = LOA3
    sign_response: bool = True
    sign_assertion: bool = True
    encrypt: bool = False  # an EncryptedAssertion for the SP's published encryption certificate
    relay_state: str | None = None  # None: the request's RelayState (unsolicited: none)
    other_person: Person | None = None  # whom an attack (XSW, a second value) claims to be; None: fixed
    skew: ClockSkew = field(default_factory=ClockSkew)  # the SP's declared allowance (time mutations)

    def with_mutations(self, *names: str) -> ResponseOptions:
        return replace(self, mutations=(*self.mutations, *names))


@dataclass(frozen=True)
class ResponseSpec:
    """Where a Response goes and for whom, and its options."""

    sp_entity_id: str
    acs_url: str
    person: Person
    in_response_to: str | None = None  # None = unsolicited (IdP-initiated, SAML Profiles 4.1.5)
    options: ResponseOptions = field(default_factory=ResponseOptions)
    encryption_certificate: bytes | None = None  # the SP's published encryption certificate (PEM)

    @property
    def relay_state(self) -> str:
        return self.options.relay_state or ""

    def with_options(self, **changes: Any) -> ResponseSpec:
        """The same spec with some options changed (``spec.with_options(sign_response=False)``)."""
        return replace(self, options=replace(self.options, **changes))


@dataclass(frozen=True)
class IdpIdentity:
    entity_id: str
    keys: IdpKeys


def other_person_for(spec: ResponseSpec) -> Person:
    """The victim an attack impersonates: the spec's choice, else a fixed test person unlike ``person``."""
    if spec.options.other_person is not None:
        return spec.options.other_person
    return next(p for p in OTHER_PERSONS if p.personnummer != spec.person.personnummer)
