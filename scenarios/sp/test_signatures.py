"""Signatures and keys: what the SP verifies, with which keys, and what it then reads.

The mock IdP signs with python-xmlsec; each mutation breaks one thing after or instead of signing. A
scenario names its requirement (the catalogue holds the rule's level and sources) and judges the
mutated login as the mutation's own expectation says (``sp.check``).
"""

from __future__ import annotations

from harness.sp_suite import checks
from harness.sp_suite.areas import SIGNATURES, sp_scenario
from harness.sp_suite.driver import SpDriver
from harness.sp_suite.preconditions import ENCRYPTION_KEY, requires

XSW_EXPLANATION = (
    "An attacker who holds one genuinely signed assertion can wrap it with an unsigned one naming "
    "somebody else. Your SP used content the signature did not cover: it logged in, or showed the data "
    "of, the person named only in the unsigned Assertion. Rejecting such a Response, or logging in only "
    "the signed Assertion's person, are both correct."
)


@sp_scenario(
    id="SP-SIG-01",
    title="A valid Response posted to the ACS logs in the contact with the same 12-digit personnummer",
    area=SIGNATURES,
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
    requirements=("SP-R-SIG-02",),
    explanation=(
        "Your SP accepted a login ticket nobody signed. Anyone can then write a ticket for any "
        "personnummer and see that person's data."
    ),
)
def test_unsigned_response_is_rejected(sp: SpDriver) -> None:
    sp.check("unsigned")


def _keeps_signature_policy(sp: SpDriver, accepted: bool, sign_response: bool, sign_assertion: bool) -> None:
    options = sp.options(sign_response=sign_response, sign_assertion=sign_assertion)
    if accepted:
        sp.expect_accepted(options=options)
    else:
        sp.expect_rejected(options=options)


@sp_scenario(
    id="SP-SIG-03A",
    title="A Response whose only signature is the Assertion's is handled as the SP's signature policy says",
    area=SIGNATURES,
    requirements=("SP-R-SIG-03",),
    explanation=(
        "1177's tickets have signed only the Assertion. Your SP did not do what its declared "
        "signature policy says for such a ticket: it either refuses real 1177 logins or accepts "
        "tickets its policy says it refuses."
    ),
)
def test_assertion_only_signature_follows_the_policy(sp: SpDriver) -> None:
    accepted = sp.env.sp.signature_policy in ("either", "assertion")
    _keeps_signature_policy(sp, accepted, sign_response=False, sign_assertion=True)


@sp_scenario(
    id="SP-SIG-03B",
    title="A Response whose only signature is the Response's is handled as the SP's signature policy says",
    area=SIGNATURES,
    requirements=("SP-R-SIG-03",),
    explanation=(
        "The Swedish eID profile signs the Response. Your SP did not do what its declared "
        "signature policy says for a Response-signed ticket."
    ),
)
def test_response_only_signature_follows_the_policy(sp: SpDriver) -> None:
    accepted = sp.env.sp.signature_policy in ("either", "response")
    _keeps_signature_policy(sp, accepted, sign_response=True, sign_assertion=False)


@sp_scenario(
    id="SP-SIG-04",
    title="A signature by a key not in the IdP's metadata is rejected, even with a valid KeyInfo certificate",
    area=SIGNATURES,
    requirements=("SP-R-SIG-04",),
    explanation=(
        "Your SP trusted the certificate the ticket carried inside itself. Anyone can make such a "
        "certificate, so anyone could log in as anybody. Only keys in 1177's metadata may be trusted."
    ),
)
def test_signature_by_a_foreign_key_is_rejected(sp: SpDriver) -> None:
    sp.check("foreign_key_with_keyinfo")


@sp_scenario(
    id="SP-SIG-05",
    title="A Response signed with the IdP's next signing key (key rollover) is accepted",
    area=SIGNATURES,
    requirements=("SP-R-SIG-05",),
    explanation=(
        "1177 publishes its next signing key ahead of a key change. Your SP refused a ticket signed "
        "with it, so logins will stop working on the day 1177 rolls its key."
    ),
)
def test_response_signed_with_the_next_key_is_accepted(sp: SpDriver) -> None:
    sp.check("next_key")


@sp_scenario(
    id="SP-SIG-06A",
    title="A Response changed after signing (digest mismatch) is rejected",
    area=SIGNATURES,
    requirements=("SP-R-SIG-06",),
    explanation=(
        "The personnummer in the ticket was changed after 1177 signed it, and your SP still logged "
        "someone in: the signature is not really checked."
    ),
)
def test_tampered_response_is_rejected(sp: SpDriver) -> None:
    sp.check("tampered_after_signing")


@sp_scenario(
    id="SP-SIG-06B",
    title="An unsigned Assertion inserted before the signed one (XSW) is never used",
    area=SIGNATURES,
    requirements=("SP-R-SIG-06",),
    explanation=XSW_EXPLANATION,
)
def test_unsigned_assertion_before_the_signed_one_is_never_used(sp: SpDriver) -> None:
    sp.check("xsw_unsigned_assertion_before")


@sp_scenario(
    id="SP-SIG-06C",
    title="An unsigned Assertion inserted after the signed one (XSW) is never used",
    area=SIGNATURES,
    requirements=("SP-R-SIG-06",),
    explanation=XSW_EXPLANATION,
)
def test_unsigned_assertion_after_the_signed_one_is_never_used(sp: SpDriver) -> None:
    sp.check("xsw_unsigned_assertion_after")


@sp_scenario(
    id="SP-SIG-06D",
    title="An unsigned Assertion carrying the signed Assertion's ID (XSW, duplicate ID) is never used",
    area=SIGNATURES,
    requirements=("SP-R-SIG-06",),
    explanation=XSW_EXPLANATION,
)
def test_duplicate_id_is_never_used(sp: SpDriver) -> None:
    sp.check("xsw_duplicate_id")


@sp_scenario(
    id="SP-SIG-06E",
    title="An unsigned Assertion put where a moved signed one was (XSW) is never used",
    area=SIGNATURES,
    requirements=("SP-R-SIG-06",),
    explanation=XSW_EXPLANATION,
)
def test_moved_signature_is_never_used(sp: SpDriver) -> None:
    sp.check("xsw_signature_moved")


@sp_scenario(
    id="SP-SIG-06F",
    title="A Response whose own signature is broken is rejected, though the Assertion's signature verifies",
    area=SIGNATURES,
    requirements=("SP-R-SIG-ALL",),
    explanation=(
        "The Response's signature did not verify, and your SP logged the citizen in on the strength of "
        "the Assertion's signature alone. Every signature present must verify: a broken one means the "
        "message was changed or forged on its way."
    ),
)
def test_broken_response_signature_is_rejected(sp: SpDriver) -> None:
    sp.check("broken_response_signature")


@sp_scenario(
    id="SP-SIG-07A",
    title="A comment inside the personnummer value is read as the whole signed value, or rejected",
    area=SIGNATURES,
    requirements=("SP-R-SIG-07",),
    explanation=(
        "A comment hidden inside the personnummer does not change the signature, but a careless "
        "XML reader stops at it and reads a different, shorter number: the person could be "
        "matched to someone else."
    ),
)
def test_comment_in_personnummer_does_not_truncate_it(sp: SpDriver) -> None:
    sp.check("comment_in_personnummer")


@sp_scenario(
    id="SP-SIG-07B",
    title="A comment inside the NameID is read as the whole signed value, or rejected",
    area=SIGNATURES,
    requirements=("SP-R-SIG-07",),
    explanation=(
        "A comment inside the NameID does not change the signature; your SP must read the full "
        "value or refuse the ticket, never act on a truncated identifier."
    ),
)
def test_comment_in_nameid_does_not_truncate_it(sp: SpDriver) -> None:
    sp.check("comment_in_nameid")


@sp_scenario(
    id="SP-SIG-07C",
    title="A signed value that a comment makes look like another contact's personnummer never logs that "
    "contact in",
    area=SIGNATURES,
    requirements=("SP-R-SIG-07",),
    explanation=(
        "The signed personnummer value was another contact's number followed by one more digit, with a "
        "comment before that digit. A failure here means your SP logged in, or showed the data of, that "
        "other contact: it read only the text before the comment, so whoever can get such a value "
        "signed can read any contact's data. (Reading the whole 13-digit value is right here; whether "
        "such a value is refused as no personnummer is SP-PNR-21G's question.)"
    ),
)
def test_comment_hiding_a_suffix_does_not_log_in_the_other_contact(sp: SpDriver) -> None:
    person = sp.contact()
    victim = sp.env.other_person_for(person)
    sp.positive_control(person)
    attempt = sp.login(person, sp.options("comment_hides_personnummer_suffix"))
    sp.judge(checks.session_not_for(attempt, victim.personnummer, rule=sp.rule))
    sp.judge(checks.shows_no_marker(attempt, [sp.env.marker_of(victim.personnummer)], rule=sp.rule))
    sp.judge(checks.signed_value_accepted_as_personnummer(attempt, f"{victim.personnummer}0"))


@sp_scenario(
    id="SP-SIG-08A",
    title="A signature with SHA-1 digests is rejected",
    area=SIGNATURES,
    requirements=("SP-R-SIG-08",),
    explanation="SHA-1 is broken; your SP accepted a ticket whose signature relies on it.",
)
def test_sha1_digest_is_rejected(sp: SpDriver) -> None:
    sp.check("sha1_digest")


@sp_scenario(
    id="SP-SIG-08B",
    title="A signature with the RSA-SHA1 method is rejected",
    area=SIGNATURES,
    requirements=("SP-R-SIG-08",),
    explanation="RSA-SHA1 is broken; your SP accepted a ticket signed with it.",
)
def test_rsa_sha1_is_rejected(sp: SpDriver) -> None:
    sp.check("rsa_sha1")


@requires(ENCRYPTION_KEY)
@sp_scenario(
    id="SP-SIG-08C",
    title="An EncryptedAssertion whose key is transported with RSA PKCS#1 v1.5 is rejected",
    area=SIGNATURES,
    requirements=("SP-R-KEY-TRANSPORT",),
    explanation=(
        "RSA PKCS#1 v1.5 key transport is considered broken (padding-oracle attacks can reveal what the "
        "ticket holds); the Swedish eID profile says it should not be accepted. Your SP decrypted and "
        "accepted a ticket whose key was sent that way instead of with RSA-OAEP."
    ),
)
def test_rsa_v15_key_transport_is_rejected(sp: SpDriver) -> None:
    person = sp.contact()
    encrypted = sp.options(encrypt=True)
    sp.positive_control(person, options=encrypted)  # the same Assertion with RSA-OAEP is accepted first
    attempt = sp.login(person, encrypted.with_mutations("rsa_v15_key_transport"))
    sp.judge(sp.rejected(attempt))
