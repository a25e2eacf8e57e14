"""Content mutations: each diff against the baseline is exactly the named change."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.core.clock import FixedClock
from harness.core.xml import NS
from harness.core.xmldsig import verify_enveloped
from harness.mock_1177_idp.builder import LOA2, IdpIdentity, ResponseSpec
from harness.mock_1177_idp.mut_content import (
    EXTENDED_PATH,
    OTHER_ACS_URL,
    OTHER_ENTITY_ID,
    OTHER_IDP_ENTITY_ID,
    STATUS_CANCEL,
    WRONG_ISSUER_FORMAT,
)
from harness.mock_1177_idp.mutations import MutationNotApplicable
from tests.support.xmldiff import volatile_diff

from .helpers import ACS_URL, REQUEST_ID, SP_ENTITY_ID, build

R = "/samlp:Response"
A = f"{R}/saml:Assertion"
SUBJECT_CONFIRMATION = f"{A}/saml:Subject/saml:SubjectConfirmation"
SCD = f"{SUBJECT_CONFIRMATION}/saml:SubjectConfirmationData"
AUDIENCE = f"{A}/saml:Conditions/saml:AudienceRestriction/saml:Audience"
ISSUER_ENTITY = "https://mock-1177.idp.test/samlv2/idp/metadata"
FORMAT_ENTITY = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"


def _changes(*triples: tuple[str, str | None, str | None]) -> list[str]:
    removed = sorted(f"- {path}={old}" for path, old, _ in triples if old is not None)
    added = sorted(f"+ {path}={new}" for path, _, new in triples if new is not None)
    return removed + added


EXACT = {
    "wrong_destination": _changes((f"{R}@Destination", ACS_URL, OTHER_ACS_URL)),
    "missing_destination": _changes((f"{R}@Destination", ACS_URL, None)),
    "wrong_recipient": _changes((f"{SCD}@Recipient", ACS_URL, OTHER_ACS_URL)),
    "wrong_audience": _changes((f"{AUDIENCE}/text()[0]", SP_ENTITY_ID, OTHER_ENTITY_ID)),
    "not_bearer": _changes(
        (
            f"{SUBJECT_CONFIRMATION}@Method",
            "urn:oasis:names:tc:SAML:2.0:cm:bearer",
            "urn:oasis:names:tc:SAML:2.0:cm:sender-vouches",
        )
    ),
    "wrong_issuer": _changes(
        (f"{R}/saml:Issuer/text()[0]", ISSUER_ENTITY, OTHER_IDP_ENTITY_ID),
        (f"{A}/saml:Issuer/text()[0]", ISSUER_ENTITY, OTHER_IDP_ENTITY_ID),
    ),
    "wrong_issuer_format": _changes(
        (f"{R}/saml:Issuer@Format", FORMAT_ENTITY, WRONG_ISSUER_FORMAT),
        (f"{A}/saml:Issuer@Format", FORMAT_ENTITY, WRONG_ISSUER_FORMAT),
    ),
    "unexpected_authn_context": _changes(
        (f"{A}/saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef/text()[0]", LOA3, LOA2)
    ),
    "error_status_with_assertion": [
        f"- {R}/samlp:Status/samlp:StatusCode@Value={SUCCESS}",
        f"+ {R}/samlp:Status/samlp:StatusCode/samlp:StatusCode",
        f"+ {R}/samlp:Status/samlp:StatusCode/samlp:StatusCode@Value="
        "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed",
        f"+ {R}/samlp:Status/samlp:StatusCode@Value=urn:oasis:names:tc:SAML:2.0:status:Responder",
    ],
    "missing_audience": [
        f"- {A}/saml:Conditions/saml:AudienceRestriction",
        f"- {AUDIENCE}",
        f"- {AUDIENCE}/text()[0]={SP_ENTITY_ID}",
    ],
    "destination_extends_acs": _changes((f"{R}@Destination", ACS_URL, ACS_URL + EXTENDED_PATH)),
    "recipient_contains_acs": _changes((f"{SCD}@Recipient", ACS_URL, f"{OTHER_ACS_URL}?next={ACS_URL}")),
    "missing_recipient": _changes((f"{SCD}@Recipient", ACS_URL, None)),
    "second_audience_restriction": [
        f"+ {A}/saml:Conditions/saml:AudienceRestriction",
        f"+ {AUDIENCE}",
        f"+ {AUDIENCE}/text()[0]={OTHER_ENTITY_ID}",
    ],
    "assertion_issuer_differs": _changes((f"{A}/saml:Issuer/text()[0]", ISSUER_ENTITY, OTHER_IDP_ENTITY_ID)),
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_content_mutation_changes_exactly_the_named_value(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, name: str
) -> None:
    baseline, mutated = build(spec, idp, clock), build(spec, idp, clock, name)
    assert volatile_diff(baseline, mutated) == EXACT[name]
    assert verify_enveloped(mutated, [idp.keys.signing.cert_pem]), "content changes are signed as usual"


def test_wrong_in_response_to_names_a_request_never_sent(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    baseline, mutated = build(spec, idp, clock), build(spec, idp, clock, "wrong_in_response_to")
    diff = volatile_diff(baseline, mutated)
    assert sorted(diff[:2]) == sorted(
        [f"- {R}@InResponseTo={REQUEST_ID}", f"- {SCD}@InResponseTo={REQUEST_ID}"]
    )
    new_values = {line.split("=", 1)[1] for line in diff[2:]}
    assert len(diff) == 4 and len(new_values) == 1 and REQUEST_ID not in new_values
    with pytest.raises(MutationNotApplicable):
        build(replace(spec, in_response_to=None), idp, clock, "wrong_in_response_to")


def test_unexpected_in_response_to_adds_in_response_to_to_an_unsolicited_response(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    unsolicited = replace(spec, in_response_to=None)
    diff = volatile_diff(
        build(unsolicited, idp, clock), build(unsolicited, idp, clock, "unexpected_in_response_to")
    )
    assert sorted(line.split("=")[0] for line in diff) == sorted(
        [f"+ {R}@InResponseTo", f"+ {SCD}@InResponseTo"]
    )
    with pytest.raises(MutationNotApplicable):
        build(spec, idp, clock, "unexpected_in_response_to")


@pytest.mark.parametrize(
    ("name", "top"),
    [("status_cancel_requester", "Requester"), ("status_cancel_responder", "Responder")],
)
def test_status_cancel_sends_the_cancel_status_and_no_assertion(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, name: str, top: str
) -> None:
    baseline, mutated = build(spec, idp, clock), build(spec, idp, clock, name)
    assert mutated.find("saml:Assertion", NS) is None
    assert verify_enveloped(mutated, [idp.keys.signing.cert_pem])
    diff = volatile_diff(baseline, mutated)
    added = [line for line in diff if line.startswith("+ ")]
    removed = [line for line in diff if line.startswith("- ")]
    assert added == [
        f"+ {R}/samlp:Status/samlp:StatusCode/samlp:StatusCode",
        f"+ {R}/samlp:Status/samlp:StatusCode/samlp:StatusCode@Value={STATUS_CANCEL}",
        f"+ {R}/samlp:Status/samlp:StatusCode@Value=urn:oasis:names:tc:SAML:2.0:status:{top}",
    ]
    assert f"- {R}/samlp:Status/samlp:StatusCode@Value={SUCCESS}" in removed
    # Apart from the status, only the whole Assertion (and the Response signature's digest) went.
    others = [line for line in removed if "StatusCode" not in line]
    assert all(line.startswith(f"- {A}") for line in others)


def test_no_authn_statement_removes_only_the_authn_statement(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    diff = volatile_diff(build(spec, idp, clock), build(spec, idp, clock, "no_authn_statement"))
    assert diff and all(line.startswith(f"- {A}/saml:AuthnStatement") for line in diff)
    assert f"- {A}/saml:AuthnStatement" in diff


def test_unexpected_authn_context_needs_a_spec_above_loa2(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    with pytest.raises(MutationNotApplicable):
        build(spec.with_options(loa=LOA2), idp, clock, "unexpected_authn_context")
