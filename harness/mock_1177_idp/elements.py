"""The baseline Response, element by element, and finders for the parts mutations change.

Shape: SAML Profiles 4.1.4.2 and Swedish eID Deployment Profile §6.1/§6.2:
Response (ID, Version, IssueInstant, Destination, InResponseTo when solicited, Issuer of Format
entity, Status Success) with one Assertion (Issuer, transient pseudonymous NameID, bearer
SubjectConfirmation, Conditions with AudienceRestriction, AuthnStatement, AttributeStatement).
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from harness.core.clock import saml_instant
from harness.core.xml import NS
from harness.core.xmldsig import KeyTransport, encrypt_element
from harness.mock_1177_idp.attributes import attribute_statement
from harness.mock_1177_idp.persons import Person
from harness.mock_1177_idp.pipeline import ASSERTION_LIFETIME, BuildContext

__all__ = [
    "BEARER",
    "ISSUER_FORMAT_ENTITY",
    "STATUS_SUCCESS",
    "assertion_element",
    "find",
    "response_element",
    "saml",
    "samlp",
    "encrypt_into",
    "serialise",
]

SAML_VERSION = "2.0"
ISSUER_FORMAT_ENTITY = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
NAMEID_TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
CLIENT_ADDRESS = "127.0.0.1"  # the citizen's browser: everything runs on loopback


def saml(local: str) -> str:
    return f"{{{NS['saml']}}}{local}"


def samlp(local: str) -> str:
    return f"{{{NS['samlp']}}}{local}"


def find(element: etree._Element, path: str) -> etree._Element:
    """The element at ``path`` (prefixes from NS); a missing one is a builder bug, so it raises."""
    found = element.find(path, NS)
    if found is None:
        raise LookupError(f"{path} not found under {etree.QName(element).localname}")
    return found


def _issuer(entity_id: str) -> etree._Element:
    issuer = etree.Element(saml("Issuer"), Format=ISSUER_FORMAT_ENTITY)
    issuer.text = entity_id
    return issuer


def _subject(ctx: BuildContext, in_response_to: str | None) -> etree._Element:
    subject = etree.Element(saml("Subject"))
    # A transient pseudonym, never the personnummer (SC Deployment Profile §6.2).
    name_id = etree.SubElement(subject, saml("NameID"), Format=NAMEID_TRANSIENT)
    name_id.text = ctx.ids.new_id()
    confirmation = etree.SubElement(subject, saml("SubjectConfirmation"), Method=BEARER)
    data = etree.SubElement(confirmation, saml("SubjectConfirmationData"))
    if in_response_to is not None:
        data.set("InResponseTo", in_response_to)
    data.set("NotOnOrAfter", saml_instant(ctx.now + ASSERTION_LIFETIME))
    data.set("Recipient", ctx.spec.acs_url)
    data.set("Address", CLIENT_ADDRESS)
    return subject


def _conditions(ctx: BuildContext) -> etree._Element:
    conditions = etree.Element(
        saml("Conditions"),
        NotBefore=saml_instant(ctx.now),
        NotOnOrAfter=saml_instant(ctx.now + ASSERTION_LIFETIME),
    )
    restriction = etree.SubElement(conditions, saml("AudienceRestriction"))
    etree.SubElement(restriction, saml("Audience")).text = ctx.spec.sp_entity_id
    return conditions


def _authn_statement(ctx: BuildContext, instant: datetime) -> etree._Element:
    statement = etree.Element(
        saml("AuthnStatement"), AuthnInstant=saml_instant(instant), SessionIndex=ctx.ids.new_id()
    )
    context = etree.SubElement(statement, saml("AuthnContext"))
    etree.SubElement(context, saml("AuthnContextClassRef")).text = ctx.spec.options.loa
    return statement


def assertion_element(ctx: BuildContext, person: Person) -> etree._Element:
    """An Assertion for ``person`` (also used for the injected assertions of XSW cases).

    It declares ``xs``/``xsi`` itself, so it stays well-formed when encrypted or moved.
    """
    assertion = etree.Element(
        saml("Assertion"),
        nsmap={"saml": NS["saml"], "xs": NS["xs"], "xsi": NS["xsi"]},
        ID=ctx.ids.new_id(),
        Version=SAML_VERSION,
        IssueInstant=saml_instant(ctx.now),
    )
    assertion.append(_issuer(ctx.idp.entity_id))
    assertion.append(_subject(ctx, ctx.spec.in_response_to))
    assertion.append(_conditions(ctx))
    assertion.append(_authn_statement(ctx, ctx.now))
    options = ctx.spec.options
    assertion.append(attribute_statement(person, options.attribute_profile, options.loa))
    return assertion


def response_element(ctx: BuildContext) -> etree._Element:
    response = etree.Element(
        samlp("Response"),
        nsmap={"samlp": NS["samlp"], "saml": NS["saml"]},
        ID=ctx.ids.new_id(),
        Version=SAML_VERSION,
        IssueInstant=saml_instant(ctx.now),
        Destination=ctx.spec.acs_url,
    )
    if ctx.spec.in_response_to is not None:
        response.set("InResponseTo", ctx.spec.in_response_to)
    response.append(_issuer(ctx.idp.entity_id))
    status = etree.SubElement(response, samlp("Status"))
    etree.SubElement(status, samlp("StatusCode"), Value=STATUS_SUCCESS)
    response.append(assertion_element(ctx, ctx.spec.person))
    return response


def serialise(response: etree._Element) -> bytes:
    """UTF-8 bytes with an XML declaration (SC Attribute Specification §3.1.1: UTF-8)."""
    return XML_DECLARATION + etree.tostring(response, encoding="UTF-8", xml_declaration=False)


def encrypt_into(
    element: etree._Element,
    wrapper: str,
    cert_pem: bytes,
    cipher: str,
    key_transport: str = KeyTransport.RSA_OAEP_MGF1P,
) -> etree._Element:
    """Replace ``element`` by ``<saml:{wrapper}>`` holding its ``xenc:EncryptedData``; return the wrapper.

    The element is encrypted as a document of its own, so the plaintext declares every namespace
    it uses (lxml leaves ``saml:`` declared only on the Response, which would leave the prefix
    unbound for an SP that decrypts the element on its own, as pysaml2 does).
    """
    standalone = etree.fromstring(etree.tostring(element))
    encrypted = encrypt_element(standalone, cert_pem, cipher, key_transport=key_transport)
    container = etree.Element(saml(wrapper))
    container.append(encrypted)
    parent = element.getparent()
    if parent is None:
        raise ValueError("only an element inside the Response can be encrypted in place")
    parent.replace(element, container)
    return container
