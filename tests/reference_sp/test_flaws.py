"""The seams work and the ready-made flaws are real flaws: each lets through what the reference SP
refuses (the SP suite's own tests rely on this to build deliberately broken SPs)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import responses

from harness.mock_1177_idp.persons import Person
from harness.personnummer import century_twin
from harness.reference_sp import ContactRow
from harness.reference_sp import validators as v
from harness.reference_sp.config import Validator
from harness.reference_sp.data import CENTURY_TWIN_CONTACT, NOT_CONTACTS
from harness.reference_sp.flaws import (
    call_idp_after_login,
    ignore_signatures,
    match_by_name,
    match_last_ten_digits,
    replacing,
    trust_keyinfo_certificate,
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
