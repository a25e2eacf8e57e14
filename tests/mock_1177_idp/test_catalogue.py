"""The mutation catalogue: complete, documented, immutable, and every entry tested."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.mock_1177_idp.mutations import MUTATIONS, Expect
from harness.requirements import suite_catalogue

REQUIRED = """unsigned foreign_key_with_keyinfo next_key tampered_after_signing xsw_unsigned_assertion_before
xsw_unsigned_assertion_after xsw_duplicate_id xsw_signature_moved comment_in_personnummer comment_in_nameid
comment_hides_personnummer_suffix
sha1_digest rsa_sha1 wrong_destination missing_destination wrong_recipient wrong_audience missing_audience
conditions_expired conditions_expired_within_skew conditions_not_yet_valid
conditions_not_yet_valid_within_skew
subject_confirmation_expired subject_confirmation_expired_within_skew bearer_not_before not_bearer
issue_instant_too_old wrong_in_response_to unexpected_in_response_to status_cancel_requester
status_cancel_responder error_status_with_assertion wrong_issuer wrong_issuer_format no_authn_statement
unexpected_authn_context personnummer_missing personnummer_multi_valued personnummer_bad_check_digit
personnummer_10_digit personnummer_hyphenated personnummer_serial_000 personnummer_impossible_date
personnummer_samordningsnummer dtd_with_entity oversize_relay_state encrypted_assertion_aes128_gcm
encrypted_assertion_aes256_cbc encrypted_attribute encrypted_id rsa_v15_key_transport
previous_personnummer destination_extends_acs recipient_contains_acs missing_recipient
second_audience_restriction broken_response_signature assertion_issuer_differs encrypted_id_for_sp""".split()
POSITIVE = {
    "next_key",
    "conditions_expired_within_skew",
    "conditions_not_yet_valid_within_skew",
    "subject_confirmation_expired_within_skew",
    "encrypted_assertion_aes128_gcm",
    "encrypted_assertion_aes256_cbc",
    "previous_personnummer",
}


def test_catalogue_holds_exactly_the_agreed_names() -> None:
    assert sorted(MUTATIONS) == sorted(REQUIRED)


def test_catalogue_is_immutable() -> None:
    with pytest.raises(TypeError):
        MUTATIONS["extra"] = MUTATIONS["unsigned"]  # type: ignore[index]


def test_positive_cases_are_marked_accept_and_the_rest_not() -> None:
    assert {name for name, m in MUTATIONS.items() if m.expect is Expect.ACCEPT} == POSITIVE


@pytest.mark.parametrize("name", REQUIRED)
def test_every_mutation_is_documented_and_names_a_requirement_of_the_catalogue(name: str) -> None:
    entry = MUTATIONS[name]
    assert entry.name == name and len(entry.description) > 30
    assert suite_catalogue("sp").get(entry.requirement).sources  # its sources live only there


@pytest.mark.parametrize("name", REQUIRED)
def test_every_mutation_has_its_own_test(name: str) -> None:
    sources = "".join(p.read_text() for p in Path(__file__).parent.glob("test_mutations_*.py"))
    assert f'"{name}"' in sources or f"test_{name}_" in sources
