"""The SP's own metadata, and how it reads the IdP's (several signing keys: key rollover)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from harness.core.xml import NS, parse_xml
from harness.mock_1177_idp.keys import IdpKeys
from harness.mock_1177_idp.metadata import DEFAULT_IDP_ENTITY_ID, parse_sp_metadata
from harness.reference_sp.idp_metadata import IdpMetadataError, read_idp_metadata
from harness.reference_sp.sp_metadata import ACCEPTS_COORDINATION_NUMBER, LOA3_PNR, sp_metadata

from .helpers import IDP_BASE_URL, SpDriver


def test_idp_metadata_yields_every_signing_key_and_the_redirect_sso_endpoint(
    idp_keys: IdpKeys, idp_metadata_xml: bytes
) -> None:
    trust = read_idp_metadata(idp_metadata_xml)
    assert trust.entity_id == DEFAULT_IDP_ENTITY_ID
    assert trust.sso_redirect_url == f"{IDP_BASE_URL}/sso/redirect"
    normalised = {b"".join(pem.split()) for pem in trust.signing_certificates}
    assert normalised == {
        b"".join(p.split()) for p in idp_keys.signing_certificates
    }  # not the encryption key


def test_idp_metadata_inside_an_entities_descriptor_is_read(idp_metadata_xml: bytes) -> None:
    wrapped = (
        b'<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">'
        + idp_metadata_xml.split(b"?>", 1)[1]
        + b"</md:EntitiesDescriptor>"
    )
    assert read_idp_metadata(wrapped).entity_id == DEFAULT_IDP_ENTITY_ID


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("//md:KeyDescriptor", "no KeyDescriptor for signing"),
        ("//md:SingleSignOnService", "no SingleSignOnService"),
        ("//md:IDPSSODescriptor", "no EntityDescriptor with an IDPSSODescriptor"),
    ],
)
def test_unusable_idp_metadata_is_refused_with_the_reason(
    idp_metadata_xml: bytes, change: str, message: str
) -> None:
    root = parse_xml(idp_metadata_xml)
    for element in root.xpath(change, namespaces=NS):
        element.getparent().remove(element)
    with pytest.raises(IdpMetadataError, match=message):
        read_idp_metadata(etree.tostring(root))


def test_a_certificate_that_is_not_base64_is_refused(idp_metadata_xml: bytes) -> None:
    root = parse_xml(idp_metadata_xml)
    root.find(".//ds:X509Certificate", NS).text = "not base64 !"
    with pytest.raises(IdpMetadataError, match="base64"):
        read_idp_metadata(etree.tostring(root))


@pytest.mark.parametrize(
    ("policy", "wanted"), [("either", False), ("response", False), ("assertion", True), ("both", True)]
)
def test_sp_metadata_wants_assertions_signed_per_policy(
    policy: str, wanted: bool, make_sp: Callable[..., SpDriver]
) -> None:
    sp = make_sp(signature_policy=policy)
    info = parse_sp_metadata(sp.get("/metadata").get_data())
    assert info.want_assertions_signed is wanted
    assert info.entity_id == sp.config.entity_id and info.acs_urls == (sp.config.acs_url,)
    assert info.encryption_cert_pem is not None


def test_sp_metadata_declares_coordination_numbers_only_when_accepted(
    make_sp: Callable[..., SpDriver],
) -> None:
    for accepts in (False, True):
        xml = sp_metadata(make_sp(accepts_samordningsnummer=accepts).config)
        categories = parse_xml(xml).xpath(
            "//mdattr:EntityAttributes//saml:AttributeValue/text()", namespaces=NS
        )
        assert LOA3_PNR in categories
        assert (ACCEPTS_COORDINATION_NUMBER in categories) is accepts


@pytest.mark.parametrize(
    ("setting", "names"),
    [
        ("urn:oid:1.2.752.29.4.13", ["urn:oid:1.2.752.29.4.13"]),
        ("Subject_SerialNumber", ["Subject_SerialNumber"]),
        ("both", ["urn:oid:1.2.752.29.4.13", "Subject_SerialNumber"]),
    ],
)
def test_sp_metadata_requests_the_configured_personnummer_attribute(
    setting: str, names: list[str], make_sp: Callable[..., SpDriver]
) -> None:
    xml = sp_metadata(make_sp(personnummer_attribute=setting).config)
    assert parse_xml(xml).xpath("//md:RequestedAttribute/@Name", namespaces=NS) == names


def test_the_sp_keeps_its_encryption_key_across_restarts(
    tmp_path: Path, make_sp: Callable[..., SpDriver]
) -> None:
    first = make_sp().config.encryption_keys.cert_pem
    assert make_sp().config.encryption_keys.cert_pem == first
