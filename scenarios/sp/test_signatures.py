"""Signatures and keys (saml-1177.md checks 1-8): what the SP verifies, with which keys, and what it
then reads. The mock IdP signs with python-xmlsec; each mutation breaks one thing after or instead of
signing, and the SP must not log anyone in on it."""

from __future__ import annotations

import pytest

from harness.core.findings import Level
from harness.sp_suite import checks
from harness.sp_suite.areas import SIGNATURES, sp_scenario
from harness.sp_suite.driver import LoginOptions, SpDriver

XSW = "SAML Core 5.4.2"
XSW_EXPLANATION = (
    "An attacker who holds one genuinely signed assertion can wrap it with an unsigned one naming "
    "somebody else. Your SP logged a person in from content the signature did not cover, so anyone "
    "with a signed ticket could read another contact's training programs."
)


@sp_scenario(
    id="SP-SIG-01",
    title="A valid Response posted to the ACS logs in the contact with the same 12-digit personnummer",
    area=SIGNATURES,
    refs=("SAML Bindings 3.5.4", "SAML Profiles 4.1.4.3", "SC Attribute Specification §3.1"),
    requirements=("SP-R-LOGIN-01",),
    explanation=(
        "A correct, signed login from 1177 did not give the citizen access to their own data. "
        "Every other check depends on this one working first."
    ),
)
def test_valid_response_logs_in_the_matching_contact(sp: SpDriver) -> None:
    for index in range(len(sp.env.login_contacts)):
        sp.expect_accepted(person=sp.contact(index))


@sp_scenario(
    id="SP-SIG-02",
    title="A Response with neither the Response nor the Assertion signed is rejected",
    area=SIGNATURES,
    refs=("SAML Profiles 4.1.4.5 [E26]", "SC Deployment Profile §6.1", "SC Deployment Profile §6.3.1"),
    requirements=("SP-R-SIG-02",),
    explanation=(
        "Your SP accepted a login ticket nobody signed. Anyone can then write a ticket for any "
        "personnummer and see that person's data."
    ),
)
def test_unsigned_response_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("unsigned")


def _keeps_signature_policy(sp: SpDriver, accepted: bool, options: LoginOptions) -> None:
    ref = "SAML Profiles 4.1.4.5 [E26]; SC Deployment Profile §6.1"
    if accepted:
        sp.expect_accepted(options=options, ref=ref)
    else:
        sp.expect_rejected(options=options, ref=ref)


@sp_scenario(
    id="SP-SIG-03A",
    title="A Response whose only signature is the Assertion's is handled as the SP's signature policy says",
    area=SIGNATURES,
    refs=("SAML Profiles 4.1.4.5 [E26]", "SC Deployment Profile §6.1", "saml-1177.md §1.3 (CGI 2017 ticket)"),
    requirements=("SP-R-SIG-03",),
    explanation=(
        "1177/CGI tickets have signed only the Assertion. Your SP did not do what its declared "
        "signature policy says for such a ticket: it either refuses real 1177 logins or accepts "
        "tickets its policy says it refuses."
    ),
)
def test_assertion_only_signature_follows_the_policy(sp: SpDriver) -> None:
    accepted = sp.env.sp.signature_policy in ("either", "assertion")
    _keeps_signature_policy(sp, accepted, LoginOptions(sign_response=False))


@sp_scenario(
    id="SP-SIG-03B",
    title="A Response whose only signature is the Response's is handled as the SP's signature policy says",
    area=SIGNATURES,
    refs=("SAML Profiles 4.1.4.5 [E26]", "SC Deployment Profile §6.1"),
    requirements=("SP-R-SIG-03",),
    explanation=(
        "The Swedish eID profile signs the Response. Your SP did not do what its declared "
        "signature policy says for a Response-signed ticket."
    ),
)
def test_response_only_signature_follows_the_policy(sp: SpDriver) -> None:
    accepted = sp.env.sp.signature_policy in ("either", "response")
    _keeps_signature_policy(sp, accepted, LoginOptions(sign_assertion=False))


@sp_scenario(
    id="SP-SIG-04",
    title="A signature by a key not in the IdP's metadata is rejected, even with a valid KeyInfo certificate",
    area=SIGNATURES,
    refs=("SC Deployment Profile §6.3.1",),
    requirements=("SP-R-SIG-04",),
    explanation=(
        "Your SP trusted the certificate the ticket carried inside itself. Anyone can make such a "
        "certificate, so anyone could log in as anybody. Only keys in 1177's metadata may be trusted."
    ),
)
def test_signature_by_a_foreign_key_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("foreign_key_with_keyinfo")


@sp_scenario(
    id="SP-SIG-05",
    title="A Response signed with the IdP's next signing key (key rollover) is accepted",
    area=SIGNATURES,
    refs=("SC Deployment Profile §2.1.1.2",),
    requirements=("SP-R-SIG-05",),
    explanation=(
        "1177 publishes its next signing key ahead of a key change. Your SP refused a ticket signed "
        "with it, so logins will stop working on the day 1177 rolls its key."
    ),
)
def test_response_signed_with_the_next_key_is_accepted(sp: SpDriver) -> None:
    sp.expect_accepted("next_key", ref="SC Deployment Profile §2.1.1.2")


@sp_scenario(
    id="SP-SIG-06A",
    title="A Response changed after signing (digest mismatch) is rejected",
    area=SIGNATURES,
    refs=("SAML Core 5.4.2", "SC Deployment Profile §6.3.1"),
    requirements=("SP-R-SIG-06",),
    explanation=(
        "The personnummer in the ticket was changed after 1177 signed it, and your SP still logged "
        "someone in: the signature is not really checked."
    ),
)
def test_tampered_response_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("tampered_after_signing")


def _xsw(sp: SpDriver, mutation: str) -> None:
    victim = sp.env.other_person_for(sp.contact())
    attempt = sp.expect_rejected(mutation, ref=XSW)
    sp.judge(checks.session_not_for(attempt, victim.personnummer, ref=XSW))


@sp_scenario(
    id="SP-SIG-06B",
    title="An unsigned Assertion inserted before the signed one (XSW) is rejected",
    area=SIGNATURES,
    refs=(XSW, "SC Deployment Profile §6.2"),
    requirements=("SP-R-SIG-06",),
    explanation=XSW_EXPLANATION,
)
def test_unsigned_assertion_before_the_signed_one_is_rejected(sp: SpDriver) -> None:
    _xsw(sp, "xsw_unsigned_assertion_before")


@sp_scenario(
    id="SP-SIG-06C",
    title="An unsigned Assertion inserted after the signed one (XSW) is rejected",
    area=SIGNATURES,
    refs=(XSW, "SC Deployment Profile §6.2"),
    requirements=("SP-R-SIG-06",),
    explanation=XSW_EXPLANATION,
)
def test_unsigned_assertion_after_the_signed_one_is_rejected(sp: SpDriver) -> None:
    _xsw(sp, "xsw_unsigned_assertion_after")


@sp_scenario(
    id="SP-SIG-06D",
    title="Two elements with the signed Assertion's ID (XSW, duplicate ID) are rejected",
    area=SIGNATURES,
    refs=(XSW, "SAML Core 1.3.4"),
    requirements=("SP-R-SIG-06",),
    explanation=XSW_EXPLANATION,
)
def test_duplicate_id_is_rejected(sp: SpDriver) -> None:
    _xsw(sp, "xsw_duplicate_id")


@sp_scenario(
    id="SP-SIG-06E",
    title="A signature moved away from the element it signs (XSW) is rejected",
    area=SIGNATURES,
    refs=(XSW,),
    requirements=("SP-R-SIG-06",),
    explanation=XSW_EXPLANATION,
)
def test_moved_signature_is_rejected(sp: SpDriver) -> None:
    _xsw(sp, "xsw_signature_moved")


def _comment(sp: SpDriver, mutation: str) -> None:
    ref = "CVE-2017-11427 (crewjam/saml#140)"
    person = sp.contact()
    sp.positive_control(person)
    attempt = sp.login(person, (mutation,))
    if attempt.probe.has_session:  # accepted: then only as the signed value says
        sp.judge(sp.accepted(attempt, person, ref=ref))
    else:
        sp.judge(sp.rejected(attempt, ref=ref))


@sp_scenario(
    id="SP-SIG-07A",
    title="A comment inside the personnummer value is read as the whole signed value, or rejected",
    area=SIGNATURES,
    refs=("CVE-2017-11427", "SAML Core 5.4 (exclusive canonicalisation drops comments)"),
    requirements=("SP-R-SIG-07",),
    explanation=(
        "A comment hidden inside the personnummer does not change the signature, but a careless "
        "XML reader stops at it and reads a different, shorter number: the person could be "
        "matched to someone else."
    ),
)
def test_comment_in_personnummer_does_not_truncate_it(sp: SpDriver) -> None:
    _comment(sp, "comment_in_personnummer")


@sp_scenario(
    id="SP-SIG-07B",
    title="A comment inside the NameID is read as the whole signed value, or rejected",
    area=SIGNATURES,
    refs=("CVE-2017-11427", "SAML Core 5.4 (exclusive canonicalisation drops comments)"),
    requirements=("SP-R-SIG-07",),
    explanation=(
        "A comment inside the NameID does not change the signature; your SP must read the full "
        "value or refuse the ticket, never act on a truncated identifier."
    ),
)
def test_comment_in_nameid_does_not_truncate_it(sp: SpDriver) -> None:
    _comment(sp, "comment_in_nameid")


@sp_scenario(
    id="SP-SIG-07C",
    title="A signed value that only a comment makes look like another person's personnummer is rejected",
    area=SIGNATURES,
    refs=(
        "CVE-2017-11427",
        "SAML Core 5.4 (exclusive canonicalisation drops comments)",
        "SC Attr. Spec §3.1",
    ),
    requirements=("SP-R-SIG-07",),
    explanation=(
        "The signed personnummer value was another person's number followed by one more digit, with a "
        "comment before that digit. Your SP read only the text before the comment and logged in the "
        "other person: whoever can get such a value signed can read any contact's data."
    ),
)
def test_comment_hiding_a_suffix_does_not_log_in_the_other_person(sp: SpDriver) -> None:
    ref = "CVE-2017-11427 (crewjam/saml#140); SC Attribute Specification §3.1"
    victim = sp.env.other_person_for(sp.contact())
    attempt = sp.expect_rejected("comment_hides_personnummer_suffix", ref=ref)
    sp.judge(checks.session_not_for(attempt, victim.personnummer, ref=ref))


@sp_scenario(
    id="SP-SIG-08A",
    title="A signature with SHA-1 digests is rejected",
    area=SIGNATURES,
    refs=("SC Deployment Profile §8",),
    requirements=("SP-R-SIG-08",),
    level=Level.SHOULD,
    explanation="SHA-1 is broken; your SP accepted a ticket whose signature relies on it.",
)
def test_sha1_digest_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("sha1_digest", ref="SC Deployment Profile §8")


@sp_scenario(
    id="SP-SIG-08B",
    title="A signature with the RSA-SHA1 method is rejected",
    area=SIGNATURES,
    refs=("SC Deployment Profile §8",),
    requirements=("SP-R-SIG-08",),
    level=Level.SHOULD,
    explanation="RSA-SHA1 is broken; your SP accepted a ticket signed with it.",
)
def test_rsa_sha1_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("rsa_sha1", ref="SC Deployment Profile §8")


@sp_scenario(
    id="SP-SIG-08C",
    title="An EncryptedAssertion whose key is transported with RSA PKCS#1 v1.5 is rejected",
    area=SIGNATURES,
    refs=("SC Deployment Profile §8 (RSA PKCS#1 v1.5 key transport SHOULD not be accepted)",),
    requirements=("SP-R-KEY-TRANSPORT",),
    level=Level.SHOULD,
    explanation=(
        "RSA PKCS#1 v1.5 key transport is considered broken (padding-oracle attacks can reveal what the "
        "ticket holds); the Swedish eID profile says it should not be accepted. Your SP decrypted and "
        "accepted a ticket whose key was sent that way instead of with RSA-OAEP."
    ),
)
def test_rsa_v15_key_transport_is_rejected(sp: SpDriver) -> None:
    if sp.env.sp_encryption_certificate is None:
        pytest.skip("the SP's metadata publishes no encryption key, so 1177 cannot encrypt to it")
    options = LoginOptions(encrypt=True)
    person = sp.contact()
    sp.positive_control(person, options=options)  # the same Assertion with RSA-OAEP is accepted first
    attempt = sp.login(person, ("rsa_v15_key_transport",), options=options)
    sp.judge(sp.rejected(attempt, ref="SC Deployment Profile §8"))
