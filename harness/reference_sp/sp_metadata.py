"""The SP's metadata: what a 1177 federation operator (or the mock IdP) configures for this SP.

SPSSODescriptor with the ACS (HTTP-POST only: SAML Profiles 4.1.2), WantAssertionsSigned per the
signature policy (SC §6.1), an encryption key so encrypted assertions work (SC §6.1, §8), the
entity category for LoA 3 with personnummer (SC §2.1.2) and the attributes the SP needs.
"""

from __future__ import annotations

from lxml import etree

from harness.core.xml import NS
from harness.core.xmldsig import certificate_base64
from harness.reference_sp.config import ReferenceSpConfig
from harness.reference_sp.identity import personnummer_attribute_names

__all__ = ["sp_metadata"]

_MD, _DS, _SAML = NS["md"], NS["ds"], NS["saml"]
_MDATTR = NS["mdattr"]
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ATTR_URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
_ENTITY_CATEGORY = "http://macedir.org/entity-category"
LOA3_PNR = "http://id.elegnamnden.se/ec/1.0/loa3-pnr"
ACCEPTS_COORDINATION_NUMBER = "http://id.swedenconnect.se/general-ec/1.0/accepts-coordination-number"
_ENCRYPTION_METHODS = (
    "http://www.w3.org/2009/xmlenc11#aes256-gcm",
    "http://www.w3.org/2009/xmlenc11#aes128-gcm",
    "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
    "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
    "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
)


def _extensions(entity: etree._Element, config: ReferenceSpConfig) -> None:
    extensions = etree.SubElement(entity, f"{{{_MD}}}Extensions")
    attributes = etree.SubElement(extensions, f"{{{_MDATTR}}}EntityAttributes")
    categories = [LOA3_PNR] + ([ACCEPTS_COORDINATION_NUMBER] if config.accepts_samordningsnummer else [])
    attribute = etree.SubElement(
        attributes, f"{{{_SAML}}}Attribute", Name=_ENTITY_CATEGORY, NameFormat=_ATTR_URI
    )
    for category in categories:
        etree.SubElement(attribute, f"{{{_SAML}}}AttributeValue").text = category


def _key_descriptor(descriptor: etree._Element, config: ReferenceSpConfig) -> None:
    key = etree.SubElement(descriptor, f"{{{_MD}}}KeyDescriptor", use="encryption")
    x509 = etree.SubElement(etree.SubElement(key, f"{{{_DS}}}KeyInfo"), f"{{{_DS}}}X509Data")
    certificate = certificate_base64(config.encryption_keys.cert_pem)
    etree.SubElement(x509, f"{{{_DS}}}X509Certificate").text = certificate
    for algorithm in _ENCRYPTION_METHODS:
        etree.SubElement(key, f"{{{_MD}}}EncryptionMethod", Algorithm=algorithm)


def sp_metadata(config: ReferenceSpConfig) -> bytes:
    nsmap = {"md": _MD, "mdattr": _MDATTR, "saml": _SAML, "ds": _DS}
    entity = etree.Element(f"{{{_MD}}}EntityDescriptor", nsmap=nsmap, entityID=config.entity_id)
    _extensions(entity, config)
    descriptor = etree.SubElement(
        entity,
        f"{{{_MD}}}SPSSODescriptor",
        AuthnRequestsSigned="false",
        WantAssertionsSigned="true" if config.wants_assertions_signed else "false",
        protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol",
    )
    _key_descriptor(descriptor, config)
    etree.SubElement(
        descriptor,
        f"{{{_MD}}}AssertionConsumerService",
        Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
        Location=config.acs_url,
        index="0",
        isDefault="true",
    )
    service = etree.SubElement(descriptor, f"{{{_MD}}}AttributeConsumingService", index="0")
    etree.SubElement(
        service, f"{{{_MD}}}ServiceName", {_XML_LANG: "sv"}
    ).text = "Träningsprogram (referens-SP)"
    for name in personnummer_attribute_names(config.personnummer_attribute):
        requested = etree.SubElement(service, f"{{{_MD}}}RequestedAttribute", Name=name, isRequired="true")
        if name.startswith("urn:oid:"):
            requested.set("NameFormat", _ATTR_URI)
    return etree.tostring(entity, xml_declaration=True, encoding="UTF-8", pretty_print=True)
