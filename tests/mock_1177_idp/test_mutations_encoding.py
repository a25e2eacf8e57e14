"""DTD, RelayState and encryption mutations."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lxml import etree

from harness.core.clock import FixedClock
from harness.core.xml import NS, UnsafeXmlError, parse_xml
from harness.core.xmldsig import KeyPair, verify_enveloped
from harness.mock_1177_idp.builder import IdpIdentity, ResponseSpec, build_message, build_response
from harness.mock_1177_idp.mutations import MutationNotApplicable
from tests.support.xmldiff import volatile_diff

from .helpers import build, decrypt_all, with_mutations

XENC = "http://www.w3.org/2001/04/xmlenc#"


def test_dtd_with_entity_expands_to_the_signed_baseline(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    xml = build_response(with_mutations(spec, "dtd_with_entity"), idp, clock)
    assert b'<!ENTITY pnr "196506232880">' in xml and xml.count(b">&pnr;<") == 2
    with pytest.raises(UnsafeXmlError, match="DTD"):
        parse_xml(xml)
    expanding = etree.XMLParser(resolve_entities=True, no_network=True, load_dtd=False)
    expanded = etree.fromstring(xml, parser=expanding)
    assert volatile_diff(build(spec, idp, clock), expanded) == []
    assert verify_enveloped(expanded, [idp.keys.signing.cert_pem]), "a DTD-processing SP would accept it"


def test_oversize_relay_state_changes_only_the_relay_state(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    baseline, mutated = (
        build_message(spec, idp, clock),
        build_message(with_mutations(spec, "oversize_relay_state"), idp, clock),
    )
    assert len(mutated.relay_state.encode()) > 80 and mutated.relay_state.startswith(spec.relay_state)
    assert baseline.relay_state == spec.relay_state
    assert volatile_diff(parse_xml(baseline.xml), parse_xml(mutated.xml)) == []


@pytest.mark.parametrize(
    ("name", "algorithm"),
    [
        ("encrypted_assertion_aes128_gcm", "http://www.w3.org/2009/xmlenc11#aes128-gcm"),
        ("encrypted_assertion_aes256_cbc", f"{XENC}aes256-cbc"),
    ],
)
def test_encrypted_assertion_uses_the_named_cipher_and_decrypts_to_the_signed_baseline(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, sp_keys: KeyPair, name: str, algorithm: str
) -> None:
    encrypting = replace(spec, encryption_certificate=sp_keys.cert_pem)
    mutated = build(encrypting, idp, clock, name)
    assert mutated.find("saml:Assertion", NS) is None
    data = mutated.find("saml:EncryptedAssertion/xenc:EncryptedData", NS)
    assert data is not None
    assert data.find("xenc:EncryptionMethod", NS).get("Algorithm") == algorithm  # type: ignore[union-attr]
    key_transport = data.find("ds:KeyInfo/xenc:EncryptedKey/xenc:EncryptionMethod", NS)
    assert key_transport is not None and key_transport.get("Algorithm", "").endswith("rsa-oaep-mgf1p")
    assert verify_enveloped(mutated, [idp.keys.signing.cert_pem]), "the Response signs the ciphertext"
    decrypted = decrypt_all(mutated, sp_keys)
    plain_assertion = decrypted.find("saml:Assertion", NS)
    assert plain_assertion is not None and verify_enveloped(plain_assertion, [idp.keys.signing.cert_pem])
    baseline = decrypt_all(build(encrypting, idp, clock), sp_keys)
    assert volatile_diff(baseline, decrypted) == []
    assert volatile_diff(build(spec, idp, clock), decrypted) == []


def test_rsa_v15_key_transport_changes_only_the_key_transport_algorithm(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, sp_keys: KeyPair
) -> None:
    encrypting = replace(spec, encryption_certificate=sp_keys.cert_pem).with_options(encrypt=True)
    baseline, mutated = build(encrypting, idp, clock), build(encrypting, idp, clock, "rsa_v15_key_transport")
    transport = "saml:EncryptedAssertion//xenc:EncryptedKey/xenc:EncryptionMethod"
    diff = volatile_diff(baseline, mutated)
    assert [line.rsplit("=", 1)[1] for line in diff] == [f"{XENC}rsa-oaep-mgf1p", f"{XENC}rsa-1_5"]
    assert all("EncryptedKey/xenc:EncryptionMethod@Algorithm" in line for line in diff)
    assert mutated.find(transport, NS).get("Algorithm") == f"{XENC}rsa-1_5"  # type: ignore[union-attr]
    assert verify_enveloped(mutated, [idp.keys.signing.cert_pem]), "the Response signs the ciphertext"
    # Decrypted with the SP's key it is the signed baseline Assertion: only the key transport differs.
    decrypted = decrypt_all(mutated, sp_keys)
    assert volatile_diff(build(spec, idp, clock), decrypted) == []
    assert verify_enveloped(decrypted.find("saml:Assertion", NS), [idp.keys.signing.cert_pem])  # type: ignore[arg-type]


def test_rsa_v15_key_transport_needs_the_sps_certificate(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    with pytest.raises(MutationNotApplicable, match="encryption certificate"):
        build(spec, idp, clock, "rsa_v15_key_transport")


def test_encrypted_assertion_needs_the_sps_certificate(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    with pytest.raises(MutationNotApplicable, match="encryption certificate"):
        build(spec, idp, clock, "encrypted_assertion_aes128_gcm")


def test_encrypted_attribute_hides_the_personnummer_attributes(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, sp_keys: KeyPair
) -> None:
    mutated = build(spec, idp, clock, "encrypted_attribute")  # no SP certificate: the IdP's own key
    wrappers = mutated.findall("saml:Assertion/saml:AttributeStatement/saml:EncryptedAttribute", NS)
    assert len(wrappers) == 2 and spec.person.personnummer.encode() not in etree.tostring(mutated)
    assert verify_enveloped(mutated.find("saml:Assertion", NS), [idp.keys.signing.cert_pem])  # type: ignore[arg-type]
    assert volatile_diff(build(spec, idp, clock), decrypt_all(mutated, idp.keys.encryption)) == []
    # With an SP certificate the attributes are encrypted for the SP; asked to, inside the EncryptedAssertion.
    for_sp = replace(spec, encryption_certificate=sp_keys.cert_pem)
    assert (
        volatile_diff(
            build(spec, idp, clock), decrypt_all(build(for_sp, idp, clock, "encrypted_attribute"), sp_keys)
        )
        == []
    )
    nested = build(for_sp.with_options(encrypt=True), idp, clock, "encrypted_attribute")
    assert nested.find("saml:EncryptedAssertion", NS) is not None
    assert volatile_diff(build(spec, idp, clock), decrypt_all(nested, sp_keys)) == []


def test_encrypted_id_hides_the_name_id_with_the_idps_own_key(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, sp_keys: KeyPair
) -> None:
    with_sp_key = replace(spec, encryption_certificate=sp_keys.cert_pem)
    mutated = build(with_sp_key, idp, clock, "encrypted_id")  # never for the SP's key: it cannot read it
    assert mutated.find("saml:Assertion/saml:Subject/saml:NameID", NS) is None
    assert mutated.find("saml:Assertion/saml:Subject/saml:EncryptedID/xenc:EncryptedData", NS) is not None
    assert verify_enveloped(mutated, [idp.keys.signing.cert_pem])
    assert volatile_diff(build(spec, idp, clock), decrypt_all(mutated, idp.keys.encryption)) == []


def test_encrypted_id_for_sp_uses_the_sps_published_key(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, sp_keys: KeyPair
) -> None:
    with pytest.raises(MutationNotApplicable, match="encryption certificate"):
        build(spec, idp, clock, "encrypted_id_for_sp")
    with_sp_key = replace(spec, encryption_certificate=sp_keys.cert_pem)
    mutated = build(with_sp_key, idp, clock, "encrypted_id_for_sp")
    assert mutated.find("saml:Assertion/saml:Subject/saml:EncryptedID/xenc:EncryptedData", NS) is not None
    assert verify_enveloped(mutated, [idp.keys.signing.cert_pem])
    assert volatile_diff(build(spec, idp, clock), decrypt_all(mutated, sp_keys)) == []
