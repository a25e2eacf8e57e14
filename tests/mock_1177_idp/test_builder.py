"""The baseline Response: shape (SAML Profiles 4.1.4.2, SC Deployment Profile §6.1/6.2) and signatures."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.core.clock import FixedClock
from harness.core.xml import NS, parse_xml
from harness.core.xmldsig import SignatureError, verify_enveloped
from harness.mock_1177_idp.builder import (
    AttributeProfile,
    IdpIdentity,
    ResponseSpec,
    build_message,
    build_response,
)
from harness.mock_1177_idp.ids import SeededIds
from harness.mock_1177_idp.mutations import UnknownMutation

from .helpers import ACS_URL, REQUEST_ID, SP_ENTITY_ID, assertion, build, texts

SCD = "saml:Assertion/saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData"


def test_baseline_addresses_the_sp_and_answers_the_request(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    response = build(spec, idp, clock)
    assert response.get("Version") == "2.0"
    assert response.get("Destination") == ACS_URL
    assert response.get("InResponseTo") == REQUEST_ID
    assert response.get("IssueInstant") == "2026-01-15T09:30:00Z"
    assert response.find("saml:Issuer", NS).get("Format").endswith(":entity")  # type: ignore[union-attr]
    assert response.find("samlp:Status/samlp:StatusCode", NS).get("Value").endswith(":Success")  # type: ignore[union-attr]
    data = response.find(SCD, NS)
    assert data is not None
    assert dict(data.attrib) == {
        "InResponseTo": REQUEST_ID,
        "NotOnOrAfter": "2026-01-15T09:35:00Z",
        "Recipient": ACS_URL,
        "Address": "127.0.0.1",
    }
    conditions = response.find("saml:Assertion/saml:Conditions", NS)
    assert conditions is not None and conditions.get("NotBefore") == "2026-01-15T09:30:00Z"
    assert conditions.get("NotOnOrAfter") == "2026-01-15T09:35:00Z"
    assert texts(response, "saml:Assertion/saml:Conditions/saml:AudienceRestriction/saml:Audience") == [
        SP_ENTITY_ID
    ]
    loa = "saml:Assertion/saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef"
    assert texts(response, loa) == ["http://id.elegnamnden.se/loa/1.0/loa3"]


def test_baseline_name_id_is_a_transient_pseudonym_not_the_personnummer(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    first, second = build(spec, idp, clock), build(spec, idp, clock)
    name_id = assertion(first).find("saml:Subject/saml:NameID", NS)
    assert name_id is not None and name_id.get("Format", "").endswith(":transient")
    assert spec.person.personnummer not in (name_id.text or "")
    assert name_id.text != texts(second, "saml:Assertion/saml:Subject/saml:NameID")[0]


def test_baseline_is_signed_twice_with_the_current_metadata_key(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    response = build(spec, idp, clock)
    current = [idp.keys.signing.cert_pem]
    assert verify_enveloped(response, current).endswith("rsa-sha256")
    assert verify_enveloped(assertion(response), current).endswith("rsa-sha256")
    with pytest.raises(SignatureError):
        verify_enveloped(response, [idp.keys.next_signing.cert_pem])


@pytest.mark.parametrize(("sign_response", "sign_assertion"), [(True, False), (False, True), (False, False)])
def test_signing_options_sign_exactly_what_the_spec_asks(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock, sign_response: bool, sign_assertion: bool
) -> None:
    response = build(
        spec.with_options(sign_response=sign_response, sign_assertion=sign_assertion), idp, clock
    )
    assert (response.find("ds:Signature", NS) is not None) is sign_response
    assert (assertion(response).find("ds:Signature", NS) is not None) is sign_assertion


def test_unsolicited_response_carries_no_in_response_to(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    response = build(replace(spec, in_response_to=None), idp, clock)
    assert "InResponseTo" not in response.attrib
    assert "InResponseTo" not in response.find(SCD, NS).attrib  # type: ignore[union-attr]


def test_eid_profile_uses_oid_names_with_name_format_uri(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    response = build(spec.with_options(attribute_profile=AttributeProfile.EID), idp, clock)
    attributes = {a.get("Name"): a for a in response.iterfind(".//saml:Attribute", NS)}
    person = spec.person
    expected = {
        "urn:oid:1.2.752.29.4.13": person.personnummer,
        "urn:oid:2.5.4.42": person.given_name,
        "urn:oid:2.5.4.4": person.surname,
        "urn:oid:2.16.840.1.113730.3.1.241": person.display_name,
        "urn:oid:1.3.6.1.5.5.7.9.1": person.date_of_birth,
    }
    assert {name: "".join(a.itertext()) for name, a in attributes.items()} == expected
    assert {a.get("NameFormat") for a in attributes.values()} == {
        "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
    }
    values = response.iterfind(".//saml:AttributeValue", NS)
    assert {v.get(f"{{{NS['xsi']}}}type") for v in values} == {"xs:string"}


def test_legacy_profile_uses_cgi_names_without_name_format(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    response = build(spec.with_options(attribute_profile=AttributeProfile.LEGACY), idp, clock)
    attributes = {a.get("Name"): a for a in response.iterfind(".//saml:Attribute", NS)}
    assert "".join(attributes["Subject_SerialNumber"].itertext()) == spec.person.personnummer
    assert "".join(attributes["Subject_GivenName"].itertext()) == spec.person.given_name
    assert "".join(attributes["dateOfBirth"].itertext()) == spec.person.date_of_birth.replace("-", "")
    assert {"SecurityLevel", "LoginMethod", "Subject_Surname"} <= attributes.keys()
    assert not any(a.get("NameFormat") for a in attributes.values())
    assert "urn:oid:1.2.752.29.4.13" not in attributes


def test_seeded_ids_and_a_fixed_clock_reproduce_the_response_byte_for_byte(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    first = build_response(spec, idp, clock, ids=SeededIds(7))
    assert first == build_response(spec, idp, clock, ids=SeededIds(7))
    assert first != build_response(spec, idp, clock, ids=SeededIds(8))


def test_message_carries_the_relay_state_and_acs(
    spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock
) -> None:
    message = build_message(spec, idp, clock)
    assert (message.relay_state, message.acs_url) == ("/programs", ACS_URL)
    assert parse_xml(message.xml).get("ID", "").startswith("_")


def test_unknown_mutation_names_are_refused(spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock) -> None:
    with pytest.raises(UnknownMutation, match="no_such_fault"):
        build_response(spec.with_options(mutations=("no_such_fault",)), idp, clock)
    with pytest.raises(ValueError, match="given twice"):
        build_response(spec.with_options(mutations=("unsigned", "unsigned")), idp, clock)


def test_mutations_combine(spec: ResponseSpec, idp: IdpIdentity, clock: FixedClock) -> None:
    response = build(spec, idp, clock, "wrong_audience", "next_key")
    assert texts(response, ".//saml:Audience") == ["https://other-sp.example.test/saml/metadata"]
    assert verify_enveloped(response, [idp.keys.next_signing.cert_pem])
