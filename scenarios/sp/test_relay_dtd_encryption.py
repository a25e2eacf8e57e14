"""RelayState, DTDs and encryption (saml-1177.md checks 26-28): a RelayState never becomes an open
redirect, a DTD is never processed, encrypted assertions work and encrypted identifiers are refused."""

from __future__ import annotations

import pytest

from harness.sp_suite import checks
from harness.sp_suite.areas import RELAY_DTD_ENCRYPTION, sp_scenario
from harness.sp_suite.driver import LoginOptions, SpDriver

RELAY = "SAML Bindings 3.5.3"
FOREIGN_TARGET = "https://attacker.example.test/1177-login"  # never resolved: the browser stops before it


def _rejected_or_safe(
    sp: SpDriver, mutations: tuple[str, ...] = (), flow: str = "", relay_state: str = ""
) -> None:
    person = sp.contact()
    attempt = sp.login(person, mutations, flow=flow, relay_state=relay_state)
    if attempt.probe.has_session:  # ignored safely: logged in as the person, kept on the SP
        sp.judge(sp.accepted(attempt, person, ref=RELAY))
    sp.judge(checks.no_redirect_away(attempt))


@sp_scenario(
    id="SP-RELAY-26A",
    title="A RelayState longer than 80 bytes is rejected or ignored safely",
    area=RELAY_DTD_ENCRYPTION,
    refs=(RELAY,),
    requirements=("SP-R-RELAY-26",),
    explanation=(
        "The SAML binding limits RelayState to 80 bytes. Your SP did something unsafe with an oversized "
        "one, such as sending the browser somewhere else."
    ),
)
def test_oversize_relay_state_is_rejected_or_ignored(sp: SpDriver) -> None:
    sp.positive_control()
    _rejected_or_safe(sp, mutations=("oversize_relay_state",))


@sp_scenario(
    id="SP-RELAY-26B",
    title="An unsolicited RelayState naming another site does not redirect the browser there",
    area=RELAY_DTD_ENCRYPTION,
    refs=(RELAY, "SAML Profiles 4.1.5 (RelayState MAY carry the target)", "OWASP: unvalidated redirects"),
    requirements=("SP-R-RELAY-26",),
    explanation=(
        "Your SP sent the freshly logged-in citizen to whatever address the RelayState named. An "
        "attacker can use that to show a fake page that looks like it came from your service."
    ),
)
def test_unsolicited_relay_state_is_no_open_redirect(sp: SpDriver) -> None:
    flow = sp.unsolicited_or_skip()
    sp.positive_control(flow=flow)
    _rejected_or_safe(sp, flow=flow, relay_state=FOREIGN_TARGET)


@sp_scenario(
    id="SP-RELAY-26C",
    title="A RelayState other than the one the SP sent is rejected or ignored safely",
    area=RELAY_DTD_ENCRYPTION,
    refs=(RELAY, "opensaml-addons validateRelayState"),
    requirements=("SP-R-RELAY-26",),
    explanation=(
        "The RelayState that came back was not the one your SP sent with its request, and your SP "
        "followed it to another site."
    ),
)
def test_changed_relay_state_is_rejected_or_ignored(sp: SpDriver) -> None:
    flow = sp.sp_initiated_or_skip()
    sp.positive_control(flow=flow)
    _rejected_or_safe(sp, flow=flow, relay_state=FOREIGN_TARGET)


@sp_scenario(
    id="SP-DTD-27",
    title="A SAMLResponse carrying a DTD with an entity is rejected",
    area=RELAY_DTD_ENCRYPTION,
    refs=("SC Deployment Profile §6.2",),
    requirements=("SP-R-DTD-27",),
    explanation=(
        "Your SP processed an XML document type declaration inside the ticket. DTDs open the door to "
        "entity-expansion and XXE attacks; a ticket with one must be refused."
    ),
)
def test_dtd_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("dtd_with_entity", ref="SC Deployment Profile §6.2")


def _encryption_key_or_skip(sp: SpDriver) -> None:
    if sp.env.sp_encryption_certificate is None:
        pytest.skip("the SP's metadata publishes no encryption key, so 1177 cannot encrypt to it")


@sp_scenario(
    id="SP-ENC-28A",
    title="An EncryptedAssertion (AES-256-CBC, RSA-OAEP) for the SP's published key is accepted",
    area=RELAY_DTD_ENCRYPTION,
    refs=("SC Deployment Profile §6.1", "SC Deployment Profile §8"),
    requirements=("SP-R-ENC-28",),
    explanation=(
        "Your SP publishes an encryption key but could not use an encrypted ticket. The Swedish eID "
        "profile has IdPs encrypt assertions."
    ),
)
def test_aes_cbc_encrypted_assertion_is_accepted(sp: SpDriver) -> None:
    _encryption_key_or_skip(sp)
    options = LoginOptions(encrypt=True)
    sp.expect_accepted("encrypted_assertion_aes256_cbc", options=options, ref="SC Deployment Profile §6.1")


@sp_scenario(
    id="SP-ENC-28B",
    title="An EncryptedAssertion (AES-128-GCM, RSA-OAEP) for the SP's published key is accepted",
    area=RELAY_DTD_ENCRYPTION,
    refs=("SC Deployment Profile §6.1", "SC Deployment Profile §8"),
    requirements=("SP-R-ENC-28",),
    explanation=("Your SP publishes an encryption key but could not use a ticket encrypted with AES-GCM."),
)
def test_aes_gcm_encrypted_assertion_is_accepted(sp: SpDriver) -> None:
    _encryption_key_or_skip(sp)
    options = LoginOptions(encrypt=True)
    sp.expect_accepted("encrypted_assertion_aes128_gcm", options=options, ref="SC Deployment Profile §8")


@sp_scenario(
    id="SP-ENC-28C",
    title="An Assertion carrying EncryptedAttribute is rejected",
    area=RELAY_DTD_ENCRYPTION,
    refs=("SC Deployment Profile §6.1",),
    requirements=("SP-R-ENC-28B",),
    explanation="The Swedish eID profile forbids EncryptedAttribute; your SP accepted a ticket that used it.",
)
def test_encrypted_attribute_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("encrypted_attribute", ref="SC Deployment Profile §6.1")


@sp_scenario(
    id="SP-ENC-28D",
    title="An Assertion carrying EncryptedID is rejected",
    area=RELAY_DTD_ENCRYPTION,
    refs=("SC Deployment Profile §6.1",),
    requirements=("SP-R-ENC-28B",),
    explanation="The Swedish eID profile forbids EncryptedID; your SP accepted a ticket that used it.",
)
def test_encrypted_id_is_rejected(sp: SpDriver) -> None:
    sp.expect_rejected("encrypted_id", ref="SC Deployment Profile §6.1")
