"""IdP metadata (SC Deployment Profile §2) and the hardened SP-metadata reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.core.xml import NS, parse_xml
from harness.core.xmldsig import KeyPair
from harness.mock_1177_idp.keys import IdpKeys, load_idp_keys
from harness.mock_1177_idp.metadata import (
    ASSURANCE_CERTIFICATION,
    BINDING_POST,
    BINDING_REDIRECT,
    DEFAULT_IDP_ENTITY_ID,
    SpMetadataError,
    idp_metadata,
    parse_sp_metadata,
)
from tests.support.pysaml2_adapter import PysamlSp


def _body(pem: bytes) -> str:
    return "".join(line for line in pem.decode().splitlines() if not line.startswith("-----"))


def test_idp_metadata_publishes_both_signing_keys_encryption_key_and_sso_endpoints(idp_keys: IdpKeys) -> None:
    root = parse_xml(idp_metadata(DEFAULT_IDP_ENTITY_ID, "http://127.0.0.1:8443", idp_keys))
    assert root.get("entityID") == DEFAULT_IDP_ENTITY_ID
    idp = root.find("md:IDPSSODescriptor", NS)
    assert idp is not None and idp.get("WantAuthnRequestsSigned") == "false"
    certs = {
        (d.get("use"), d.findtext("ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=NS))
        for d in idp.iterfind("md:KeyDescriptor", NS)
    }
    assert certs == {
        ("signing", _body(idp_keys.signing.cert_pem)),
        ("signing", _body(idp_keys.next_signing.cert_pem)),
        ("encryption", _body(idp_keys.encryption.cert_pem)),
    }
    sso = {s.get("Binding"): s.get("Location") for s in idp.iterfind("md:SingleSignOnService", NS)}
    assert sso == {
        BINDING_REDIRECT: "http://127.0.0.1:8443/sso/redirect",
        BINDING_POST: "http://127.0.0.1:8443/sso/post",
    }
    path = "md:Extensions/mdattr:EntityAttributes/saml:Attribute"
    attribute = root.find(path, NS)
    assert attribute is not None and attribute.get("Name") == ASSURANCE_CERTIFICATION
    assert "http://id.elegnamnden.se/loa/1.0/loa3" in [v.text for v in attribute]


def test_entity_id_does_not_depend_on_the_port(idp_keys: IdpKeys) -> None:
    first = parse_xml(idp_metadata(DEFAULT_IDP_ENTITY_ID, "http://127.0.0.1:1", idp_keys))
    second = parse_xml(idp_metadata(DEFAULT_IDP_ENTITY_ID, "http://127.0.0.1:2", idp_keys))
    assert first.get("entityID") == second.get("entityID") == DEFAULT_IDP_ENTITY_ID


def test_keys_are_created_once_and_reused(tmp_path: Path) -> None:
    first, second = load_idp_keys(tmp_path), load_idp_keys(tmp_path)
    assert first == second
    assert len({first.signing.cert_pem, first.next_signing.cert_pem, first.encryption.cert_pem}) == 3
    assert b"BEGIN" in (tmp_path / "idp-signing-next.crt").read_bytes()


def test_sp_metadata_from_pysaml2_is_read(idp_keys: IdpKeys, sp_keys: KeyPair, tmp_path: Path) -> None:
    metadata = idp_metadata(DEFAULT_IDP_ENTITY_ID, "http://127.0.0.1:1", idp_keys)
    sp = PysamlSp("https://sp.example.test/md", "https://sp.example.test/acs", metadata, sp_keys, tmp_path)
    info = parse_sp_metadata(sp.metadata())
    assert info.entity_id == "https://sp.example.test/md"
    assert info.acs_urls == ("https://sp.example.test/acs",)
    assert info.encryption_cert_pem is not None and _body(info.encryption_cert_pem) == _body(sp_keys.cert_pem)


_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
_ARTIFACT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"
SP = f"""<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp/md">
<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"
 WantAssertionsSigned="true">
<md:AssertionConsumerService Binding="{_POST}" Location="https://sp/b" index="2"/>
<md:AssertionConsumerService Binding="{_ARTIFACT}" Location="https://sp/x" index="0"/>
<md:AssertionConsumerService Binding="{_POST}" Location="https://sp/a" index="1" isDefault="true"/>
</md:SPSSODescriptor></md:EntityDescriptor>""".encode()


def test_sp_metadata_lists_post_acs_urls_default_first() -> None:
    info = parse_sp_metadata(SP)
    assert info.acs_urls == ("https://sp/a", "https://sp/b")
    assert info.want_assertions_signed and info.encryption_cert_pem is None


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (b'<!DOCTYPE x [<!ENTITY e "x">]>' + SP, "DTD"),
        (b"<md:EntityDescriptor", "well-formed"),
        (SP.replace(b"HTTP-POST", b"HTTP-Redirect"), "no HTTP-POST"),
        (
            b'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>',
            "SPSSODescriptor",
        ),
    ],
)
def test_bad_sp_metadata_is_refused_clearly(xml: bytes, reason: str) -> None:
    with pytest.raises(SpMetadataError, match=reason):
        parse_sp_metadata(xml)
