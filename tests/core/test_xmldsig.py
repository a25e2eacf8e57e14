"""Signatures: real xmlsec, trusted keys only, XSW-safe, SHA-1 refused, encryption round trip."""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from harness.core.xml import NS, parse_xml
from harness.core.xmldsig import (
    DIGEST_SHA1,
    RSA_SHA1,
    BlockCipher,
    KeyPair,
    SignatureError,
    certificate_base64,
    certificate_pem,
    decrypt_element,
    encrypt_element,
    sign_enveloped,
    verify_enveloped,
)
from harness.pki import new_keypair

DOC = (
    b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
    b'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1">'
    b"<saml:Issuer>https://idp.test</saml:Issuer>"
    b'<saml:Assertion ID="_a1"><saml:Issuer>https://idp.test</saml:Issuer>'
    b"<saml:Subject><saml:NameID>abc</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>"
)


@pytest.fixture(scope="module")
def idp_key() -> KeyPair:
    return new_keypair("idp")


@pytest.fixture(scope="module")
def other_key() -> KeyPair:
    return new_keypair("attacker")


def signed_assertion(keys: KeyPair, **options: str) -> bytes:
    root = parse_xml(DOC)
    sign_enveloped(root.find("saml:Assertion", NS), keys, **options)  # type: ignore[arg-type]
    return etree.tostring(root)


def assertion_of(data: bytes) -> etree._Element:
    found = parse_xml(data).find("saml:Assertion", NS)
    assert found is not None
    return found


def test_signature_verifies_with_the_metadata_key_among_several(idp_key: KeyPair, other_key: KeyPair) -> None:
    data = signed_assertion(idp_key)
    assert verify_enveloped(assertion_of(data), [other_key.cert_pem, idp_key.cert_pem]).endswith("rsa-sha256")


def test_signature_is_placed_after_the_issuer(idp_key: KeyPair) -> None:
    children = [etree.QName(c).localname for c in assertion_of(signed_assertion(idp_key))]
    assert children[:2] == ["Issuer", "Signature"]


def test_key_in_keyinfo_is_not_trusted(idp_key: KeyPair, other_key: KeyPair) -> None:
    with pytest.raises(SignatureError, match="any signing key"):
        verify_enveloped(assertion_of(signed_assertion(other_key)), [idp_key.cert_pem])


def test_content_changed_after_signing_is_refused(idp_key: KeyPair) -> None:
    data = signed_assertion(idp_key).replace(b">abc<", b">abd<")
    with pytest.raises(SignatureError):
        verify_enveloped(assertion_of(data), [idp_key.cert_pem])


def test_unsigned_element_is_refused(idp_key: KeyPair) -> None:
    with pytest.raises(SignatureError, match="not signed"):
        verify_enveloped(assertion_of(DOC), [idp_key.cert_pem])


def test_sha1_algorithms_are_refused_even_when_valid(idp_key: KeyPair) -> None:
    with pytest.raises(SignatureError, match="SignatureMethod"):
        verify_enveloped(
            assertion_of(signed_assertion(idp_key, signature_method=RSA_SHA1)), [idp_key.cert_pem]
        )
    with pytest.raises(SignatureError, match="DigestMethod"):
        verify_enveloped(
            assertion_of(signed_assertion(idp_key, digest_method=DIGEST_SHA1)), [idp_key.cert_pem]
        )


def test_duplicate_id_is_refused(idp_key: KeyPair) -> None:
    root = parse_xml(signed_assertion(idp_key))
    signed = root.find("saml:Assertion", NS)
    assert signed is not None
    evil = copy.deepcopy(signed)
    evil.remove(evil.find("ds:Signature", NS))  # type: ignore[arg-type]
    root.insert(1, evil)
    with pytest.raises(SignatureError, match="more than once"):
        verify_enveloped(signed, [idp_key.cert_pem])


def test_reference_to_another_element_is_refused(idp_key: KeyPair) -> None:
    root = parse_xml(signed_assertion(idp_key))
    signed = root.find("saml:Assertion", NS)
    assert signed is not None
    signed.set("ID", "_other")
    with pytest.raises(SignatureError, match="own ID"):
        verify_enveloped(signed, [idp_key.cert_pem])


def test_comment_inside_a_signed_value_keeps_the_signature_valid(idp_key: KeyPair) -> None:
    # Exclusive c14n without comments drops comments: why readers must join all text nodes.
    data = signed_assertion(idp_key).replace(b">abc<", b">ab<!---->c<")
    assert verify_enveloped(assertion_of(data), [idp_key.cert_pem])


@pytest.mark.parametrize("cipher", [BlockCipher.AES128_GCM, BlockCipher.AES256_CBC])
def test_encrypted_element_decrypts_with_the_recipient_key(idp_key: KeyPair, cipher: str) -> None:
    root = parse_xml(DOC)
    encrypted = encrypt_element(root.find("saml:Assertion", NS), idp_key.cert_pem, cipher)  # type: ignore[arg-type]
    assert b"abc" not in etree.tostring(root)
    plain = decrypt_element(encrypted, idp_key)
    assert plain.findtext("saml:Subject/saml:NameID", namespaces=NS) == "abc"


def test_decryption_with_the_wrong_key_fails(idp_key: KeyPair, other_key: KeyPair) -> None:
    root = parse_xml(DOC)
    encrypted = encrypt_element(root.find("saml:Assertion", NS), idp_key.cert_pem, BlockCipher.AES128_CBC)  # type: ignore[arg-type]
    with pytest.raises(SignatureError, match="decrypted"):
        decrypt_element(encrypted, other_key)


def test_encrypted_assertion_carries_the_namespaces_declared_on_its_ancestors(idp_key: KeyPair) -> None:
    # The recipient may decrypt the EncryptedData on its own: saml, xsi and xs (used only in xsi:type)
    # must be declared inside the ciphertext, and the signature inside must still verify.
    document = DOC.replace(b"<saml:NameID>abc", b'<saml:NameID xsi:type="xs:string">abc').replace(
        b'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"',
        b'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    )
    root = parse_xml(document)
    sign_enveloped(root.find("saml:Assertion", NS), idp_key)  # type: ignore[arg-type]
    encrypt_element(root.find("saml:Assertion", NS), idp_key.cert_pem, BlockCipher.AES128_GCM)  # type: ignore[arg-type]
    alone = parse_xml(etree.tostring(parse_xml(etree.tostring(root))[1]))
    plain = parse_xml(etree.tostring(decrypt_element(alone, idp_key)))
    assert verify_enveloped(plain, [idp_key.cert_pem])
    assert plain.findtext("saml:Subject/saml:NameID", namespaces=NS) == "abc"


def test_certificate_round_trips_through_its_x509certificate_text(idp_key: KeyPair) -> None:
    body = certificate_base64(idp_key.cert_pem)
    assert "-----" not in body and "\n" not in body
    spread = " \n ".join(body[i : i + 50] for i in range(0, len(body), 50))  # metadata may wrap it
    assert certificate_pem(spread) == idp_key.cert_pem
    data = signed_assertion(idp_key)
    assert verify_enveloped(assertion_of(data), [certificate_pem(body)])


def test_x509certificate_text_that_is_not_base64_is_refused() -> None:
    with pytest.raises(ValueError, match="not base64"):
        certificate_pem("MII*not-base64*")
