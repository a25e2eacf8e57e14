"""The IdP's metadata as the SP trusts it: entityID, every signing certificate, the SSO endpoint.

Certificates in metadata are only key containers (SC Deployment Profile §2): no chain or expiry
check. Every signing certificate is trusted, so a key rollover (two keys published, SC §2.1.1.2)
needs no reconfiguration.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from harness.core import xmldsig
from harness.core.xml import NS, UnsafeXmlError, parse_xml

__all__ = [
    "HTTP_POST",
    "HTTP_REDIRECT",
    "IdpMetadataError",
    "IdpTrust",
    "certificate_pem",
    "read_idp_metadata",
]

HTTP_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"


class IdpMetadataError(ValueError):
    """The IdP metadata is not usable: no IdP role, no signing key or no Redirect SSO endpoint."""


@dataclass(frozen=True, slots=True)
class IdpTrust:
    entity_id: str
    signing_certificates: tuple[bytes, ...]  # PEM, every key with use="signing" or no use
    sso_redirect_url: str


def read_idp_metadata(data: bytes) -> IdpTrust:
    try:
        root = parse_xml(data)
    except UnsafeXmlError as exc:
        raise IdpMetadataError(f"IdP metadata is not safe XML: {exc}") from None
    entity = _idp_entity(root)
    descriptor = entity.find("md:IDPSSODescriptor", NS)
    assert descriptor is not None  # _idp_entity only returns entities with the role
    certificates = tuple(
        certificate_pem(text)
        for key in descriptor.findall("md:KeyDescriptor", NS)
        if key.get("use", "signing") == "signing"
        for text in (str(c.xpath("string()")) for c in key.findall(".//ds:X509Certificate", NS))
    )
    if not certificates:
        raise IdpMetadataError("IDPSSODescriptor has no KeyDescriptor for signing")
    redirect = [
        sso.get("Location", "")
        for sso in descriptor.findall("md:SingleSignOnService", NS)
        if sso.get("Binding") == HTTP_REDIRECT
    ]
    if not redirect or not redirect[0]:
        raise IdpMetadataError("IDPSSODescriptor has no SingleSignOnService with the HTTP-Redirect binding")
    return IdpTrust(entity.get("entityID", ""), certificates, redirect[0])


def _idp_entity(root: etree._Element) -> etree._Element:
    candidates = [root] if etree.QName(root).localname == "EntityDescriptor" else []
    candidates += root.findall(".//md:EntityDescriptor", NS)
    for entity in candidates:
        if entity.find("md:IDPSSODescriptor", NS) is not None and entity.get("entityID"):
            return entity
    raise IdpMetadataError("metadata holds no EntityDescriptor with an IDPSSODescriptor")


def certificate_pem(text: object) -> bytes:
    """PEM of a ``ds:X509Certificate``'s text, or :class:`IdpMetadataError`."""
    try:
        return xmldsig.certificate_pem(str(text))
    except ValueError as exc:
        raise IdpMetadataError(str(exc)) from None
