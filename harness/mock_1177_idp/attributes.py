"""Attribute statements: the Swedish eID profile and the legacy 1177/CGI names.

Swedish eID: ELN-AP-Pnr-01 (SC Attribute Specification §2): personalIdentityNumber, givenName,
sn, displayName, recommended dateOfBirth; NameFormat uri, values xs:string (§3.1).
Legacy 1177/CGI: plain names without NameFormat, as in the 2017 1177 test ticket Inera published in
sklintyg/minaintyg (web/src/test/resources/saml/SamlResponse1177.xml).
"""

from __future__ import annotations

from lxml import etree

from harness.core.xml import NS
from harness.mock_1177_idp.persons import Person
from harness.mock_1177_idp.spec import LOA2, AttributeProfile

__all__ = [
    "NAME_FORMAT_URI",
    "PERSONNUMMER_ATTRIBUTES",
    "PNR_EID",
    "PNR_LEGACY",
    "PREVIOUS_PNR_EID",
    "attribute_statement",
    "personnummer_attributes",
    "string_attribute",
]

NAME_FORMAT_URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
PNR_EID = "urn:oid:1.2.752.29.4.13"  # personalIdentityNumber
PNR_LEGACY = "Subject_SerialNumber"
PREVIOUS_PNR_EID = "urn:oid:1.2.752.201.3.15"  # previousPersonalIdentityNumber (SC Attribute Spec §3.2.6)
PERSONNUMMER_ATTRIBUTES = (PNR_EID, PNR_LEGACY)

_SAML = f"{{{NS['saml']}}}"
_XSI_TYPE = f"{{{NS['xsi']}}}type"


def _eid(person: Person) -> list[tuple[str, str | None, str]]:
    return [
        (PNR_EID, "personalIdentityNumber", person.personnummer),
        ("urn:oid:2.5.4.42", "givenName", person.given_name),
        ("urn:oid:2.5.4.4", "sn", person.surname),
        ("urn:oid:2.16.840.1.113730.3.1.241", "displayName", person.display_name),
        ("urn:oid:1.3.6.1.5.5.7.9.1", "dateOfBirth", person.date_of_birth),
    ]


def _legacy(person: Person, loa: str) -> list[tuple[str, str | None, str]]:
    # CGI: SecurityLevel "3 == e-leg på fil, 4 == e-leg på kort"; LoginMethod ccp11 = Mobilt BankID
    # (sklintyg/webcert CgiElegAssertion.java, ElegLoginMethod.java). Gender from the födelsenummer.
    gender = "M" if int(person.personnummer[10]) % 2 else "F"
    return [
        (PNR_LEGACY, None, person.personnummer),
        ("Subject_GivenName", None, person.given_name),
        ("Subject_Surname", None, person.surname),
        ("Subject_CommonName", None, person.display_name),
        ("Subject_CountryName", None, "SE"),
        ("dateOfBirth", None, person.date_of_birth.replace("-", "")),  # CGI: YYYYMMDD
        ("Gender", None, gender),
        ("SecurityLevel", None, "2" if loa == LOA2 else "3"),
        ("LoginMethod", None, "ccp11"),
    ]


def string_attribute(name: str, friendly_name: str | None, value: str) -> etree._Element:
    """One single-valued xs:string Attribute; with a FriendlyName it is an eID one (NameFormat uri)."""
    attribute = etree.Element(_SAML + "Attribute", Name=name)
    if friendly_name is not None:
        attribute.set("NameFormat", NAME_FORMAT_URI)
        attribute.set("FriendlyName", friendly_name)
    element = etree.SubElement(attribute, _SAML + "AttributeValue")
    element.set(_XSI_TYPE, "xs:string")
    element.text = value
    return attribute


def attribute_statement(person: Person, profile: AttributeProfile, loa: str) -> etree._Element:
    rows: list[tuple[str, str | None, str]] = []
    if profile in (AttributeProfile.EID, AttributeProfile.BOTH):
        rows += _eid(person)
    if profile in (AttributeProfile.LEGACY, AttributeProfile.BOTH):
        rows += _legacy(person, loa)
    statement = etree.Element(_SAML + "AttributeStatement")
    statement.extend(string_attribute(*row) for row in rows)
    return statement


def personnummer_attributes(assertion: etree._Element) -> list[etree._Element]:
    """The personnummer ``saml:Attribute`` elements the assertion carries (either profile)."""
    return [
        attribute
        for attribute in assertion.iterfind("saml:AttributeStatement/saml:Attribute", NS)
        if attribute.get("Name") in PERSONNUMMER_ATTRIBUTES
    ]
