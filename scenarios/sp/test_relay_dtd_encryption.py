"""RelayState, DTDs and encryption: a RelayState never becomes an open redirect, a DTD is never
processed, encrypted assertions work and encrypted identifiers are refused. The rules on RelayState,
DTDs and encrypted identifiers bind the IdP, so the SP's checks are defence in depth (SHOULD)."""

from __future__ import annotations

from harness.sp_suite import checks
from harness.sp_suite.areas import RELAY_DTD_ENCRYPTION, sp_scenario
from harness.sp_suite.driver import SpDriver
from harness.sp_suite.preconditions import ENCRYPTION_KEY, LOGIN_URL, UNSOLICITED_ALLOWED, requires

FOREIGN_TARGET = "https://attacker.example.test/1177-login"  # never resolved: the browser stops before it


def _rejected_or_safe(
    sp: SpDriver, mutations: tuple[str, ...] = (), flow: str = "", relay_state: str = ""
) -> None:
    person = sp.contact()
    attempt = sp.login(person, sp.options(*mutations, relay_state=relay_state or None), flow=flow)
    if attempt.probe.has_session:  # ignored safely: logged in as the person, kept on the SP
        sp.judge(sp.accepted(attempt, person))
    sp.judge(checks.no_redirect_away(attempt))


@sp_scenario(
    id="SP-RELAY-26A",
    title="A RelayState longer than 80 bytes is rejected or ignored safely",
    area=RELAY_DTD_ENCRYPTION,
    requirements=("SP-R-RELAY-26",),
    explanation=(
        "The SAML binding limits RelayState to 80 bytes. Your SP did something unsafe with an oversized "
        "one, such as sending the browser somewhere else (an open redirect: a warning, as no SAML rule "
        "binds the SP here)."
    ),
)
def test_oversize_relay_state_is_rejected_or_ignored(sp: SpDriver) -> None:
    sp.positive_control()
    _rejected_or_safe(sp, mutations=("oversize_relay_state",))


@requires(UNSOLICITED_ALLOWED)
@sp_scenario(
    id="SP-RELAY-26B",
    title="An unsolicited RelayState naming another site does not redirect the browser there",
    area=RELAY_DTD_ENCRYPTION,
    requirements=("SP-R-RELAY-26",),
    explanation=(
        "Your SP sent the freshly logged-in citizen to whatever address the RelayState named. An "
        "attacker can use that to show a fake page that looks like it came from your service."
    ),
)
def test_unsolicited_relay_state_is_no_open_redirect(sp: SpDriver) -> None:
    sp.positive_control(flow="unsolicited")
    _rejected_or_safe(sp, flow="unsolicited", relay_state=FOREIGN_TARGET)


@requires(LOGIN_URL)
@sp_scenario(
    id="SP-RELAY-26C",
    title="A RelayState other than the one the SP sent is rejected or ignored safely",
    area=RELAY_DTD_ENCRYPTION,
    requirements=("SP-R-RELAY-26",),
    explanation=(
        "The RelayState that came back was not the one your SP sent with its request, and your SP "
        "followed it to another site."
    ),
)
def test_changed_relay_state_is_rejected_or_ignored(sp: SpDriver) -> None:
    sp.positive_control(flow="sp-initiated")
    _rejected_or_safe(sp, flow="sp-initiated", relay_state=FOREIGN_TARGET)


@sp_scenario(
    id="SP-DTD-27",
    title="A SAMLResponse carrying a DTD with an entity is rejected",
    area=RELAY_DTD_ENCRYPTION,
    requirements=("SP-R-DTD-27",),
    explanation=(
        "Your SP processed an XML document type declaration inside the ticket. DTDs open the door to "
        "entity-expansion and XXE attacks. The IdP must never send one, so this is a warning; refuse "
        "DTDs in your XML parser."
    ),
)
def test_dtd_is_rejected(sp: SpDriver) -> None:
    sp.check("dtd_with_entity")


@requires(ENCRYPTION_KEY)
@sp_scenario(
    id="SP-ENC-28A",
    title="An EncryptedAssertion (AES-256-CBC, RSA-OAEP) for the SP's published key is accepted",
    area=RELAY_DTD_ENCRYPTION,
    requirements=("SP-R-ENC-28",),
    explanation=(
        "Your SP publishes an encryption key but could not use an encrypted ticket. The Swedish eID "
        "profile has IdPs encrypt assertions."
    ),
)
def test_aes_cbc_encrypted_assertion_is_accepted(sp: SpDriver) -> None:
    sp.check("encrypted_assertion_aes256_cbc")


@requires(ENCRYPTION_KEY)
@sp_scenario(
    id="SP-ENC-28B",
    title="An EncryptedAssertion (AES-128-GCM, RSA-OAEP) for the SP's published key is accepted",
    area=RELAY_DTD_ENCRYPTION,
    requirements=("SP-R-ENC-GCM",),
    explanation=(
        "Your SP publishes an encryption key but could not use a ticket encrypted with AES-GCM. The "
        "Swedish eID profile lists AES-GCM as optional, so this is a warning."
    ),
)
def test_aes_gcm_encrypted_assertion_is_accepted(sp: SpDriver) -> None:
    sp.check("encrypted_assertion_aes128_gcm")


@sp_scenario(
    id="SP-ENC-28C",
    title="An Assertion carrying EncryptedAttribute is rejected",
    area=RELAY_DTD_ENCRYPTION,
    requirements=("SP-R-ENC-IDENTIFIERS",),
    explanation=(
        "The Swedish eID profile forbids the IdP to use EncryptedAttribute; your SP accepted a ticket "
        "that used it. No rule for the SP requires refusing it, so this is a warning."
    ),
)
def test_encrypted_attribute_is_rejected(sp: SpDriver) -> None:
    sp.check("encrypted_attribute")


@sp_scenario(
    id="SP-ENC-28D",
    title="An Assertion carrying an EncryptedID (for a key the SP does not hold) is rejected",
    area=RELAY_DTD_ENCRYPTION,
    requirements=("SP-R-ENC-IDENTIFIERS",),
    explanation=(
        "The Swedish eID profile forbids the IdP to use EncryptedID; your SP accepted a ticket that "
        "used it. No rule for the SP requires refusing it, so this is a warning."
    ),
)
def test_encrypted_id_is_rejected(sp: SpDriver) -> None:
    sp.check("encrypted_id")


@requires(ENCRYPTION_KEY)
@sp_scenario(
    id="SP-ENC-28E",
    title="An Assertion carrying an EncryptedID for the SP's own published key is rejected",
    area=RELAY_DTD_ENCRYPTION,
    requirements=("SP-R-ENC-IDENTIFIERS",),
    explanation=(
        "The Swedish eID profile forbids the IdP to use EncryptedID, also when it is encrypted for your "
        "SP's key; your SP decrypted it and accepted the ticket. No rule for the SP requires refusing "
        "it, so this is a warning."
    ),
)
def test_encrypted_id_for_the_sp_is_rejected(sp: SpDriver) -> None:
    sp.check("encrypted_id_for_sp")
