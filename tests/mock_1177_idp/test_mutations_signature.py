"""Signature mutations: each does what it says and changes nothing else (xmldiff ignores volatiles)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from harness.core.clock import FixedClock
from harness.core.xml import NS
from harness.core.xmldsig import RSA_SHA1, SignatureError, verify_enveloped
from harness.mock_1177_idp.builder import IdpIdentity, ResponseSpec, build_response
from harness.mock_1177_idp.mutations import MutationNotApplicable
from tests.support.xmldiff import volatile_diff

from .helpers import assertion, build, embedded_certificate_pem, texts

PNR_VALUES = [
    "/samlp:Response/saml:Assertion/saml:AttributeStatement/saml:Attribute[@Name='Subject_SerialNumber']"
    "/saml:AttributeValue/text()[0]",
    "/samlp:Response/saml:Assertion/saml:AttributeStatement/saml:Attribute[@Name='urn:oid:1.2.752.29.4.13']"
    "/saml:AttributeValue/text()[0]",
]


def _only_changed(diff: list[str], fragment: str) -> bool:
    return bool(diff) and all(fragment in line for line in diff)


def test_unsigned_removes_every_signature_and_nothing_else(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    baseline, mutated = build(spec, idp, clock), build(spec, idp, clock, "unsigned")
    assert mutated.find(".//ds:Signature", NS) is None
    diff = volatile_diff(baseline, mutated)
    assert _only_changed(diff, "/ds:Signature") and all(line.startswith("- ") for line in diff)


def test_foreign_key_with_keyinfo_verifies_only_with_the_embedded_foreign_certificate(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    baseline, mutated = build(spec, idp, clock), build(spec, idp, clock, "foreign_key_with_keyinfo")
    metadata_certs = [idp.keys.signing.cert_pem, idp.keys.next_signing.cert_pem]
    for element in (mutated, assertion(mutated)):
        with pytest.raises(SignatureError):
            verify_enveloped(element, metadata_certs)
        assert verify_enveloped(element, [embedded_certificate_pem(element)])
    assert _only_changed(volatile_diff(baseline, mutated), "/ds:X509Certificate/text()")


def test_next_key_signs_with_the_next_metadata_key(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    baseline, mutated = build(spec, idp, clock), build(spec, idp, clock, "next_key")
    for element in (mutated, assertion(mutated)):
        assert verify_enveloped(element, [idp.keys.next_signing.cert_pem])
        with pytest.raises(SignatureError):
            verify_enveloped(element, [idp.keys.signing.cert_pem])
    assert _only_changed(volatile_diff(baseline, mutated), "/ds:X509Certificate/text()")


def _xmlsec1_verifies(xml: bytes, cert_pem: bytes, tmp_path: Path) -> bool:
    """Cryptographic check with the xmlsec1 program, which (unlike our verifier) accepts SHA-1."""
    (tmp_path / "r.xml").write_bytes(xml)
    (tmp_path / "c.pem").write_bytes(cert_pem)
    command = ["xmlsec1", "--verify", "--pubkey-cert-pem", str(tmp_path / "c.pem")]
    command += ["--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response", str(tmp_path / "r.xml")]
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


@pytest.mark.parametrize(
    ("name", "changed"),
    [
        ("sha1_digest", "ds:DigestMethod@Algorithm=http://www.w3.org/2000/09/xmldsig#sha1"),
        ("rsa_sha1", f"ds:SignatureMethod@Algorithm={RSA_SHA1}"),
    ],
)
def test_sha1_mutations_use_sha1_with_a_genuine_signature(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, tmp_path: Path, name: str, changed: str
) -> None:
    xml = build_response(spec.with_options(mutations=(name,)), idp, clock)
    baseline, mutated = build(spec, idp, clock), build(spec, idp, clock, name)
    diff = volatile_diff(baseline, mutated)
    assert len(diff) == 4 and sum(line.endswith(changed) for line in diff) == 2  # two signatures
    with pytest.raises(SignatureError, match="not accepted"):
        verify_enveloped(mutated, [idp.keys.signing.cert_pem])
    assert _xmlsec1_verifies(xml, idp.keys.signing.cert_pem, tmp_path)


def test_tampered_after_signing_breaks_both_digests_and_changes_only_the_personnummer(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    baseline, mutated = build(spec, idp, clock), build(spec, idp, clock, "tampered_after_signing")
    for element in (mutated, assertion(mutated)):
        with pytest.raises(SignatureError):
            verify_enveloped(element, [idp.keys.signing.cert_pem])
    other = "195006262546"
    assert volatile_diff(baseline, mutated) == sorted(
        f"- {p}={spec.person.personnummer}" for p in PNR_VALUES
    ) + sorted(f"+ {p}={other}" for p in PNR_VALUES)
    assert texts(mutated, ".//saml:Attribute[@Name='Subject_SerialNumber']/saml:AttributeValue") == [other]


def test_broken_response_signature_breaks_only_the_responses_signature_value(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    baseline, mutated = build(spec, idp, clock), build(spec, idp, clock, "broken_response_signature")
    with pytest.raises(SignatureError):
        verify_enveloped(mutated, [idp.keys.signing.cert_pem])
    assert verify_enveloped(assertion(mutated), [idp.keys.signing.cert_pem])  # the Assertion's still verifies
    assert volatile_diff(baseline, mutated) == []  # only a (volatile) signature value differs
    with pytest.raises(MutationNotApplicable):
        build(spec.with_options(sign_assertion=False), idp, clock, "broken_response_signature")
