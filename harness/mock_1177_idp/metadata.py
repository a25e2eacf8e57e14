"""The IdP's SAML metadata, and a hardened reader for a Service Provider's metadata.

IdP metadata (SAML Metadata 2.4.3; Swedish eID Deployment Profile §2): entityID independent of
the port, so an SP configured once keeps working; two signing certificates, current and next
(§2.1.1.2, key rollover); an encryption certificate; the assurance-certification entity
attribute (§2.1.3); SingleSignOnService for HTTP-Redirect and HTTP-POST.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from harness.core.xml import NS, UnsafeXmlError, parse_xml
from harness.core.xmldsig import certificate_base64, certificate_pem
from harness.mock_1177_idp.keys import IdpKeys
from harness.mock_1177_idp.spec import LOA2, LOA3, UNCERTIFIED_LOA3

__all__ = [
    "ASSURANCE_CERTIFICATION",
    "BINDING_POST",
    "BINDING_REDIRECT",
    "DEFAULT_IDP_ENTITY_ID",
    "SpInfo",
    "SpMetadataError",
    "idp_metadata",
    "parse_sp_metadata",
    "sso_urls",
]

DEFAULT_IDP_ENTITY_ID = "https://mock-1177.idp.test/samlv2/idp/metadata"
BINDING_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
BINDING_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
ASSURANCE_CERTIFICATION = "urn:oasis:names:tc:SAML:attribute:assurance-certification"
_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
_NAME_FORMAT_URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
_TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"


class SpMetadataError(ValueError):
    """The SP metadata is unsafe, malformed, or lacks what the IdP needs (entityID, a POST ACS)."""


@dataclass(frozen=True)
class SpInfo:
    """What the IdP knows about a Service Provider."""

    entity_id: str
    acs_urls: tuple[str, ...]  # HTTP-POST AssertionConsumerService locations, the default first
    encryption_cert_pem: bytes | None = None
    want_assertions_signed: bool = False

    @property
    def default_acs_url(self) -> str:
        return self.acs_urls[0]


def sso_urls(base_url: str) -> dict[str, str]:
    """SingleSignOnService location per binding."""
    base = base_url.rstrip("/")
    return {BINDING_REDIRECT: f"{base}/sso/redirect", BINDING_POST: f"{base}/sso/post"}


def _md(local: str) -> str:
    return f"{{{NS['md']}}}{local}"


def _key_descriptor(use: str, cert_pem: bytes) -> etree._Element:
    descriptor = etree.Element(_md("KeyDescriptor"), use=use)
    key_info = etree.SubElement(descriptor, f"{{{NS['ds']}}}KeyInfo")
    data = etree.SubElement(key_info, f"{{{NS['ds']}}}X509Data")
    etree.SubElement(data, f"{{{NS['ds']}}}X509Certificate").text = certificate_base64(cert_pem)
    return descriptor


def _entity_attributes() -> etree._Element:
    extensions = etree.Element(_md("Extensions"))
    attributes = etree.SubElement(extensions, f"{{{NS['mdattr']}}}EntityAttributes")
    attribute = etree.SubElement(
        attributes, f"{{{NS['saml']}}}Attribute", Name=ASSURANCE_CERTIFICATION, NameFormat=_NAME_FORMAT_URI
    )
    for loa in (LOA2, LOA3, UNCERTIFIED_LOA3):
        etree.SubElement(attribute, f"{{{NS['saml']}}}AttributeValue").text = loa
    return extensions


def idp_metadata(entity_id: str, base_url: str, keys: IdpKeys) -> bytes:
    """The IdP's EntityDescriptor, UTF-8 with an XML declaration."""
    nsmap = {"md": NS["md"], "mdattr": NS["mdattr"], "saml": NS["saml"], "ds": NS["ds"]}
    root = etree.Element(_md("EntityDescriptor"), nsmap=nsmap, entityID=entity_id)
    root.append(_entity_attributes())
    idp = etree.SubElement(
        root, _md("IDPSSODescriptor"), protocolSupportEnumeration=_PROTOCOL, WantAuthnRequestsSigned="false"
    )
    idp.append(_key_descriptor("signing", keys.signing.cert_pem))
    idp.append(_key_descriptor("signing", keys.next_signing.cert_pem))
    idp.append(_key_descriptor("encryption", keys.encryption.cert_pem))
    etree.SubElement(idp, _md("NameIDFormat")).text = _TRANSIENT
    for binding, location in sso_urls(base_url).items():
        etree.SubElement(idp, _md("SingleSignOnService"), Binding=binding, Location=location)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _pem(body: str) -> bytes:
    try:
        return certificate_pem(body)
    except ValueError:
        raise SpMetadataError("KeyDescriptor holds a certificate that is not base64") from None


def _entity(root: etree._Element) -> etree._Element:
    if root.tag == _md("EntityDescriptor"):
        return root
    entities = [
        e for e in root.iterfind(".//md:EntityDescriptor", NS) if e.find("md:SPSSODescriptor", NS) is not None
    ]
    if root.tag != _md("EntitiesDescriptor") or len(entities) != 1:
        raise SpMetadataError("expected one md:EntityDescriptor with an SPSSODescriptor")
    return entities[0]


def _acs_urls(sp: etree._Element) -> tuple[str, ...]:
    services = [s for s in sp.iterfind("md:AssertionConsumerService", NS) if s.get("Binding") == BINDING_POST]
    # SAML Metadata 2.2.3: the isDefault="true" endpoint first, then by index.
    services.sort(key=lambda s: (s.get("isDefault") not in ("true", "1"), int(s.get("index") or 0)))
    urls = tuple(s.get("Location", "") for s in services if s.get("Location"))
    if not urls:
        raise SpMetadataError("SPSSODescriptor has no HTTP-POST AssertionConsumerService")
    return urls


def _encryption_cert(sp: etree._Element) -> bytes | None:
    for descriptor in sp.iterfind("md:KeyDescriptor", NS):
        if descriptor.get("use") in (None, "encryption"):
            body = descriptor.findtext("ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=NS)
            if body:
                return _pem(body)
    return None


def parse_sp_metadata(xml: bytes) -> SpInfo:
    """Read an SP's metadata with the hardened parser (no DTD, no entities, bounded size)."""
    try:
        root = parse_xml(xml)
    except UnsafeXmlError as exc:
        raise SpMetadataError(f"SP metadata refused: {exc}") from None
    entity = _entity(root)
    entity_id = entity.get("entityID")
    sp = entity.find("md:SPSSODescriptor", NS)
    if not entity_id or sp is None:
        raise SpMetadataError("EntityDescriptor lacks an entityID or an SPSSODescriptor")
    return SpInfo(
        entity_id=entity_id,
        acs_urls=_acs_urls(sp),
        encryption_cert_pem=_encryption_cert(sp),
        want_assertions_signed=sp.get("WantAssertionsSigned") in ("true", "1"),
    )
