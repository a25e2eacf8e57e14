"""The seams work and the ready-made flaws are real flaws: each lets through what the reference SP
refuses (the SP suite's own tests rely on this to build deliberately broken SPs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import responses

from harness.core.xml import parse_xml
from harness.mock_1177_idp.persons import Person
from harness.personnummer import century_twin
from harness.reference_sp import ContactRow
from harness.reference_sp import validators as v
from harness.reference_sp.acs import single_assertion
from harness.reference_sp.config import Validator
from harness.reference_sp.data import CENTURY_TWIN_CONTACT, NOT_CONTACTS
from harness.reference_sp.identity import full_text
from tests.support.flaws import (
    call_idp_after_login,
    first_assertion_in_document,
    ignore_signatures,
    match_by_name,
    match_last_ten_digits,
    replacing,
    text_before_first_comment,
    trust_keyinfo_certificate,
    verify_signed_elements_anywhere,
    without,
)

from .helpers import IDP_BASE_URL, SpDriver, person_of

# (mutation, validators removed): the reference SP rejects the mutation; without these it accepts.
LOAD_BEARING: list[tuple[str, tuple[Validator, ...]]] = [
    ("unsigned", (v.check_signature,)),
    ("tampered_after_signing", (v.check_signature,)),
    ("wrong_destination", (v.check_destination,)),
    ("missing_destination", (v.check_destination,)),
    ("wrong_recipient", (v.check_recipient,)),
    ("wrong_audience", (v.check_audience,)),
    ("missing_audience", (v.check_audience,)),
    ("bearer_not_before", (v.check_bearer_confirmation,)),
    ("error_status_with_assertion", (v.check_status,)),
    ("wrong_issuer", (v.check_response_issuer, v.check_assertion_issuer)),
    ("wrong_in_response_to", (v.check_in_response_to, v.check_confirmation_in_response_to)),
    ("no_authn_statement", (v.check_authn_statement, v.check_loa)),
    ("unexpected_authn_context", (v.check_loa,)),
    ("conditions_expired", (v.check_time_conditions,)),
    ("subject_confirmation_expired", (v.check_confirmation_expiry,)),
    ("issue_instant_too_old", (v.check_issue_instant,)),
    ("personnummer_multi_valued", (v.check_personnummer,)),
    ("personnummer_samordningsnummer", (v.check_personnummer,)),
    ("oversize_relay_state", (v.check_relay_state,)),
    ("encrypted_id", (v.check_no_encrypted_identifiers,)),
]


@pytest.mark.parametrize(("mutation", "removed"), LOAD_BEARING, ids=[m for m, _ in LOAD_BEARING])
def test_each_validator_is_load_bearing(
    mutation: str,
    removed: tuple[Validator, ...],
    make_sp: Callable[..., SpDriver],
    contacts: tuple[ContactRow, ...],
) -> None:
    reference, flawed = make_sp(), make_sp(validators=without(*removed))
    reference.login(person_of(contacts[2]), mutation)
    flawed.login(person_of(contacts[2]), mutation)
    assert reference.whoami()[0] == 401
    assert flawed.whoami()[0] == 200


def test_without_the_replay_check_a_replayed_response_logs_in_again(
    make_sp: Callable[..., SpDriver], contacts: tuple[ContactRow, ...]
) -> None:
    for validators, replay_accepted in ((v.DEFAULT_VALIDATORS, False), (without(v.check_replay), True)):
        sp = make_sp(validators=validators)
        sp.login(person_of(contacts[0]), solicited=False)
        browser = sp.new_browser()
        browser.post_raw(sp.last_xml)
        assert (browser.whoami()[0] == 200) is replay_accepted


def test_trusting_the_keyinfo_certificate_accepts_a_foreign_key(
    make_sp: Callable[..., SpDriver], contacts: tuple[ContactRow, ...]
) -> None:
    flawed = make_sp(validators=replacing(v.check_signature, trust_keyinfo_certificate))
    flawed.login(person_of(contacts[0]), "foreign_key_with_keyinfo")
    assert flawed.whoami()[0] == 200
    flawed.login(person_of(contacts[0]), "unsigned")  # the policy part still works
    assert flawed.whoami()[0] == 401


def test_ignoring_signatures_accepts_an_unsigned_response(
    make_sp: Callable[..., SpDriver], contacts: tuple[ContactRow, ...]
) -> None:
    flawed = make_sp(validators=replacing(v.check_signature, ignore_signatures))
    flawed.login(person_of(contacts[0]), "unsigned")
    assert flawed.whoami()[0] == 200


def test_replacing_a_validator_that_is_not_there_is_an_error() -> None:
    with pytest.raises(ValueError, match="check_signature"):
        replacing(v.check_signature, ignore_signatures, validators=without(v.check_signature))


def test_matching_the_last_ten_digits_lets_the_century_twin_in(
    make_sp: Callable[..., SpDriver], contacts: tuple[ContactRow, ...]
) -> None:
    contact = next(c for c in contacts if c.personnummer == CENTURY_TWIN_CONTACT)
    twin = Person(century_twin(contact.personnummer), "Tvilling", "Framtid")
    reference, flawed = make_sp(), make_sp(matcher=match_last_ten_digits)
    reference.login(twin)
    flawed.login(twin)
    assert reference.whoami()[0] == 401
    assert flawed.whoami()[1]["contact_id"] == contact.id


def test_matching_by_name_gives_a_stranger_the_contacts_data(
    make_sp: Callable[..., SpDriver], contacts: tuple[ContactRow, ...]
) -> None:
    stranger = Person(NOT_CONTACTS[0], contacts[1].given_name, contacts[1].surname)
    reference, flawed = make_sp(), make_sp(matcher=match_by_name)
    reference.login(stranger)
    flawed.login(stranger)
    assert reference.whoami()[0] == 401
    assert contacts[1].data_marker in flawed.get("/programs").get_data(as_text=True)


def test_an_after_login_hook_calling_the_idp_is_caught_by_the_outbound_guard(
    make_sp: Callable[..., SpDriver],
    contacts: tuple[ContactRow, ...],
    no_outbound_http: responses.RequestsMock,
) -> None:
    flawed = make_sp(after_login=call_idp_after_login)
    response = flawed.login(person_of(contacts[0]))
    calls = [c.request.url or "" for c in no_outbound_http.calls]
    no_outbound_http.calls.reset()  # seen and asserted here; the guard must not fail this test
    assert response.status_code == 500  # the blocked call broke the login ...
    assert flawed.whoami()[0] == 401  # ... and left no session
    assert len(calls) == 1 and calls[0].startswith(IDP_BASE_URL)
    assert contacts[0].personnummer in calls[0]


XSW_VERIFIER = replacing(v.check_signature, verify_signed_elements_anywhere)
XSW_SP = {
    "validators": replacing(
        v.check_signature, verify_signed_elements_anywhere, without(v.check_single_assertion)
    ),
    "assertion_locator": first_assertion_in_document,
}
# (mutation, overrides, who is logged in: "victim" = the unsigned Assertion's person, "signer" = the
# signed one's, None = nobody). The reference SP logs nobody in on any of them.
XSW_OUTCOMES: list[tuple[str, dict[str, Any], str | None]] = [
    ("xsw_unsigned_assertion_before", XSW_SP, "victim"),
    ("xsw_unsigned_assertion_after", XSW_SP, "signer"),  # the signed one comes first
    ("xsw_duplicate_id", XSW_SP, None),  # verify_enveloped refuses an ID that occurs twice
    ("xsw_signature_moved", XSW_SP, "signer"),  # samlp:Extensions precedes the inserted Assertion
    ("xsw_signature_moved", {"validators": XSW_VERIFIER}, "victim"),  # the only Assertion child
    ("xsw_unsigned_assertion_before", {"validators": XSW_VERIFIER}, None),  # check_single_assertion
]


@pytest.mark.parametrize(("mutation", "overrides", "logged_in"), XSW_OUTCOMES)
def test_an_sp_verifying_whatever_is_signed_falls_for_signature_wrapping(
    mutation: str,
    overrides: dict[str, Any],
    logged_in: str | None,
    make_sp: Callable[..., SpDriver],
    contacts: tuple[ContactRow, ...],
) -> None:
    signer, victim = person_of(contacts[0]), person_of(contacts[1])
    reference, flawed = make_sp(), make_sp(**overrides)
    reference.login(signer, mutation, other_person=victim)
    flawed.login(signer, mutation, other_person=victim)
    assert reference.whoami()[0] == 401
    status, body = flawed.whoami()
    expected = {"victim": victim.personnummer, "signer": signer.personnummer}.get(logged_in or "")
    assert (status, body.get("personnummer")) == ((200, expected) if expected else (401, None))


@pytest.mark.parametrize(
    ("mutation", "signer_logged_in"),
    [
        ("xsw_unsigned_assertion_before", False),  # the unsigned one is read, and refused
        ("xsw_signature_moved", True),  # the signed one (in samlp:Extensions) is read, and verified
    ],
)
def test_reading_the_first_assertion_alone_never_logs_in_the_victim(
    mutation: str, signer_logged_in: bool, make_sp: Callable[..., SpDriver], contacts: tuple[ContactRow, ...]
) -> None:
    # The reference signature check verifies the assertion the locator picks, whichever it is.
    flawed = make_sp(
        validators=without(v.check_single_assertion), assertion_locator=first_assertion_in_document
    )
    flawed.login(person_of(contacts[0]), mutation, other_person=person_of(contacts[1]))
    status, body = flawed.whoami()
    assert body.get("personnummer") == (contacts[0].personnummer if signer_logged_in else None)
    assert status == (200 if signer_logged_in else 401)


def test_the_xsw_verifier_still_refuses_unsigned_tampered_and_foreign_key_responses(
    make_sp: Callable[..., SpDriver], contacts: tuple[ContactRow, ...]
) -> None:
    flawed = make_sp(**XSW_SP)
    for mutation in ("unsigned", "tampered_after_signing", "foreign_key_with_keyinfo"):
        flawed.login(person_of(contacts[0]), mutation)
        assert flawed.whoami()[0] == 401, mutation
    flawed.login(person_of(contacts[0]))
    assert flawed.whoami()[0] == 200


def test_reading_text_up_to_the_first_comment_logs_in_the_person_the_comment_hides(
    make_sp: Callable[..., SpDriver], contacts: tuple[ContactRow, ...]
) -> None:
    attacker, victim = person_of(contacts[0]), person_of(contacts[1])
    reference, flawed = make_sp(), make_sp(text_reader=text_before_first_comment)
    reference.login(attacker, "comment_hides_personnummer_suffix", other_person=victim)
    flawed.login(attacker, "comment_hides_personnummer_suffix", other_person=victim)
    assert reference.whoami()[0] == 401
    assert flawed.whoami()[1]["personnummer"] == victim.personnummer


def test_reading_text_up_to_the_first_comment_refuses_a_personnummer_split_by_a_comment(
    make_sp: Callable[..., SpDriver], contacts: tuple[ContactRow, ...]
) -> None:
    # The truncated read (the birth date) is no personnummer: the flawed SP fails safe here, which
    # is why SP-SIG-07A cannot tell it from a correct SP and SP-SIG-07C exists.
    reference, flawed = make_sp(), make_sp(text_reader=text_before_first_comment)
    reference.login(person_of(contacts[0]), "comment_in_personnummer")
    flawed.login(person_of(contacts[0]), "comment_in_personnummer")
    assert reference.whoami()[1]["personnummer"] == contacts[0].personnummer
    assert flawed.whoami()[0] == 401


def test_the_default_text_reader_reads_the_whole_value_and_the_flawed_one_stops_at_a_comment(
    make_sp: Callable[..., SpDriver],
) -> None:
    config = make_sp().config
    assert (config.text_reader, config.assertion_locator) == (full_text, single_assertion)
    value = parse_xml(b"<v>195006262546<!---->0</v>")
    assert full_text(value) == "1950062625460"
    assert text_before_first_comment(value) == "195006262546"
