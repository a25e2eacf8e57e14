"""Every rule of the ACS, proven with the mock IdP's mutations: the unmutated Response logs in
(positive control) and, in the same browser, the mutated one leaves no session, rejected by the
check named for that rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from harness.mock_1177_idp.builder import AttributeProfile
from harness.mock_1177_idp.mutations import MUTATIONS, Expect
from harness.reference_sp import ContactRow
from harness.reference_sp.data import SAMORDNINGSNUMMER_CONTACT

from .helpers import SpDriver, person_of

# The check that must reject each mutation (its first line of defence in DEFAULT_VALIDATORS).
REJECTED_BY = {
    "unsigned": "check_signature",
    "foreign_key_with_keyinfo": "check_signature",
    "sha1_digest": "check_signature",
    "rsa_sha1": "check_signature",
    "tampered_after_signing": "check_signature",
    "xsw_unsigned_assertion_before": "check_single_assertion",
    "xsw_unsigned_assertion_after": "check_single_assertion",
    "xsw_duplicate_id": "check_single_assertion",
    "xsw_signature_moved": "check_signature",
    "wrong_destination": "check_destination",
    "missing_destination": "check_destination",
    "wrong_recipient": "check_recipient",
    "wrong_audience": "check_audience",
    "missing_audience": "check_audience",
    "not_bearer": "check_bearer_confirmation",
    "bearer_not_before": "check_bearer_confirmation",
    "wrong_in_response_to": "check_in_response_to",
    "unexpected_in_response_to": "check_in_response_to",
    "status_cancel_requester": "check_status",
    "status_cancel_responder": "check_status",
    "error_status_with_assertion": "check_status",
    "wrong_issuer": "check_response_issuer",
    "wrong_issuer_format": "check_response_issuer",
    "no_authn_statement": "check_authn_statement",
    "unexpected_authn_context": "check_loa",
    "conditions_expired": "check_time_conditions",
    "conditions_not_yet_valid": "check_time_conditions",
    "subject_confirmation_expired": "check_confirmation_expiry",
    "issue_instant_too_old": "check_issue_instant",
    "personnummer_missing": "check_personnummer",
    "personnummer_multi_valued": "check_personnummer",
    "personnummer_bad_check_digit": "check_personnummer",
    "personnummer_10_digit": "check_personnummer",
    "personnummer_hyphenated": "check_personnummer",
    "personnummer_serial_000": "check_personnummer",
    "personnummer_impossible_date": "check_personnummer",
    "personnummer_samordningsnummer": "check_personnummer",  # refused by default (1177 needs a personnummer)
    "comment_hides_personnummer_suffix": "check_personnummer",  # the whole signed value: 13 digits
    "dtd_with_entity": "decode_response",
    "rsa_v15_key_transport": "decode_response",  # SC §8: only RSA-OAEP key transport is decrypted
    "oversize_relay_state": "check_relay_state",
    "encrypted_attribute": "check_no_encrypted_identifiers",
    "encrypted_id": "check_no_encrypted_identifiers",
    "encrypted_id_for_sp": "check_no_encrypted_identifiers",
    "destination_extends_acs": "check_destination",
    "recipient_contains_acs": "check_recipient",
    "missing_recipient": "check_recipient",
    "second_audience_restriction": "check_audience",
    "broken_response_signature": "check_signature",
    "assertion_issuer_differs": "check_assertion_issuer",
}
ACCEPTED = (
    "next_key",
    "conditions_expired_within_skew",
    "conditions_not_yet_valid_within_skew",
    "subject_confirmation_expired_within_skew",
    "encrypted_assertion_aes128_gcm",
    "encrypted_assertion_aes256_cbc",
    "comment_in_personnummer",  # read as the whole signed value, never truncated
    "comment_in_nameid",
    "previous_personnummer",  # matched on personalIdentityNumber, never on the previous number
)
UNSOLICITED_ONLY = {"unexpected_in_response_to"}
ENCRYPTING = {"rsa_v15_key_transport"}  # mutations of an EncryptedAssertion: need the SP's certificate


def test_the_tables_cover_every_mutation_in_the_mock_idps_catalogue() -> None:
    assert set(REJECTED_BY) | set(ACCEPTED) == set(MUTATIONS)
    assert all(MUTATIONS[name].expect is not Expect.ACCEPT for name in REJECTED_BY)


def _rules(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage().split("ACS rejected, ")[1].split(":")[0]
        for r in caplog.records
        if "ACS rejected" in r.getMessage()
    ]


@pytest.mark.parametrize("mutation", sorted(REJECTED_BY))
def test_sp_rejects_mutated_response(
    mutation: str, sp: SpDriver, contacts: tuple[ContactRow, ...], sp_log: pytest.LogCaptureFixture
) -> None:
    person = person_of(contacts[2])
    solicited = mutation not in UNSOLICITED_ONLY
    changes: dict[str, Any] = {"encrypt": True} if mutation in ENCRYPTING else {}
    assert sp.login(person, solicited=solicited, **changes).status_code == 303  # positive control
    assert sp.whoami()[0] == 200
    response = sp.login(person, mutation, solicited=solicited, **changes)
    page = response.get_data(as_text=True)
    assert sp.whoami()[0] == 401
    assert _rules(sp_log) == [REJECTED_BY[mutation]]
    assert person.personnummer not in page and person.surname not in page
    assert REJECTED_BY[mutation] not in page  # generic: which check failed is only in the log
    assert "Inloggningen" in page


@pytest.mark.parametrize("mutation", ACCEPTED)
def test_sp_accepts_the_positive_case_and_reads_the_signed_value(
    mutation: str, sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    changes: dict[str, Any] = {"encrypt": True} if "encrypted" in mutation else {}
    response = sp.login(person_of(contacts[2]), mutation, **changes)
    assert response.status_code == 303
    assert sp.whoami() == (200, {"personnummer": contacts[2].personnummer, "contact_id": contacts[2].id})


def test_a_cancel_at_the_idp_gets_the_login_cancelled_page(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    response = sp.login(person_of(contacts[0]), "status_cancel_requester")
    assert "Inloggningen avbröts" in response.get_data(as_text=True)
    assert sp.whoami()[0] == 401


def test_a_samordningsnummer_contact_logs_in_when_the_sp_accepts_samordningsnummer(
    make_sp: Callable[..., SpDriver], contacts: tuple[ContactRow, ...]
) -> None:
    sp = make_sp(accepts_samordningsnummer=True)
    sp.login(person_of(contacts[0]), "personnummer_samordningsnummer")
    contact = next(c for c in contacts if c.personnummer == SAMORDNINGSNUMMER_CONTACT)
    assert sp.whoami() == (200, {"personnummer": SAMORDNINGSNUMMER_CONTACT, "contact_id": contact.id})


def test_replaying_a_response_is_refused_in_any_browser(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    spec = sp.spec(person_of(contacts[0]), solicited=False)
    message = sp.post(spec)
    assert message.status_code == 303
    xml = sp.last_xml
    for browser in (sp, sp.new_browser()):
        browser.post_raw(xml)
        assert browser.whoami()[0] == 401


def test_a_relay_state_other_than_the_one_sent_is_refused(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    assert sp.login(person_of(contacts[0]), relay_state="/programs").status_code == 303  # positive control
    sp.login(person_of(contacts[0]), relay_state="/programs/1")  # /login sent "/programs"
    assert sp.whoami()[0] == 401


SIGNATURES = {(True, True): "both", (True, False): "response only", (False, True): "assertion only"}
ACCEPTS = {
    "either": {"both", "response only", "assertion only"},
    "response": {"both", "response only"},
    "assertion": {"both", "assertion only"},
    "both": {"both"},
}


@pytest.mark.parametrize("policy", sorted(ACCEPTS))
@pytest.mark.parametrize("signed", sorted(SIGNATURES), ids=lambda s: SIGNATURES[s])
def test_signature_policy_decides_which_signature_is_required(
    policy: str, signed: tuple[bool, bool], make_sp: Callable[..., SpDriver], contacts: tuple[ContactRow, ...]
) -> None:
    sp = make_sp(signature_policy=policy)
    sp.login(person_of(contacts[0]), sign_response=signed[0], sign_assertion=signed[1])
    assert (sp.whoami()[0] == 200) is (SIGNATURES[signed] in ACCEPTS[policy])


def test_an_encrypted_assertion_protected_only_by_the_response_signature_is_accepted(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    sp.login(person_of(contacts[1]), encrypt=True, sign_assertion=False)
    assert sp.whoami()[1]["contact_id"] == contacts[1].id


@pytest.mark.parametrize(
    ("setting", "profile", "accepted"),
    [
        ("urn:oid:1.2.752.29.4.13", AttributeProfile.EID, True),
        ("urn:oid:1.2.752.29.4.13", AttributeProfile.LEGACY, False),
        ("Subject_SerialNumber", AttributeProfile.LEGACY, True),
        ("Subject_SerialNumber", AttributeProfile.EID, False),
        ("both", AttributeProfile.EID, True),
        ("both", AttributeProfile.LEGACY, True),
        ("both", AttributeProfile.BOTH, True),
    ],
)
def test_the_personnummer_is_read_from_the_configured_attribute_only(
    setting: str,
    profile: AttributeProfile,
    accepted: bool,
    make_sp: Callable[..., SpDriver],
    contacts: tuple[ContactRow, ...],
) -> None:
    sp = make_sp(personnummer_attribute=setting)
    sp.login(person_of(contacts[0]), attribute_profile=profile)
    assert (sp.whoami()[0] == 200) is accepted
