"""Rules the mock IdP has no named mutation for: the Response is edited, then signed by the IdP's
key (so only the rule under test breaks). Each test first logs in with the unedited Response."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from lxml import etree

from harness.core.clock import saml_instant
from harness.core.xml import NS
from harness.mock_1177_idp.builder import AttributeProfile, build_message
from harness.reference_sp import ContactRow
from harness.reference_sp.data import NOT_CONTACTS
from harness.reference_sp.validators import check_audience
from tests.support.flaws import without

from .helpers import SpDriver, person_of

Edit = Callable[[etree._Element], None]
_SAML = f"{{{NS['saml']}}}"


def _assertion(root: etree._Element) -> etree._Element:
    found = root.find("saml:Assertion", NS)
    assert found is not None
    return found


def _second_personnummer(root: etree._Element) -> None:
    """Under "both", Subject_SerialNumber names someone else than urn:oid:1.2.752.29.4.13."""
    for attribute in _assertion(root).iterfind(".//saml:Attribute[@Name='Subject_SerialNumber']", NS):
        attribute[0].text = NOT_CONTACTS[0]


def _no_response_issuer(root: etree._Element) -> None:
    issuer = root.find("saml:Issuer", NS)
    assert issuer is not None
    root.remove(issuer)


def _assertion_issuer_only(root: etree._Element) -> None:
    issuer = _assertion(root).find("saml:Issuer", NS)
    assert issuer is not None
    issuer.text = "https://another-idp.example/metadata"


def _second_audience_restriction(root: etree._Element) -> None:
    """Core 2.5.1.4: every AudienceRestriction must name the SP; a second one names someone else."""
    conditions = _assertion(root).find("saml:Conditions", NS)
    assert conditions is not None
    restriction = etree.SubElement(conditions, f"{_SAML}AudienceRestriction")
    etree.SubElement(restriction, f"{_SAML}Audience").text = "https://other-sp.example/metadata"


def _no_conditions(root: etree._Element) -> None:
    conditions = _assertion(root).find("saml:Conditions", NS)
    assert conditions is not None
    _assertion(root).remove(conditions)


def _two_authn_statements(root: etree._Element) -> None:
    statement = _assertion(root).find("saml:AuthnStatement", NS)
    assert statement is not None
    statement.addnext(etree.fromstring(etree.tostring(statement)))


def _version_1_1(root: etree._Element) -> None:
    root.set("Version", "1.1")


def _confirmation_for_another_request(root: etree._Element) -> None:
    data = _assertion(root).find(".//saml:SubjectConfirmationData", NS)
    assert data is not None
    data.set("InResponseTo", "_another_request")


def _unreadable_not_on_or_after(root: etree._Element) -> None:
    data = _assertion(root).find(".//saml:SubjectConfirmationData", NS)
    assert data is not None
    data.set("NotOnOrAfter", "tomorrow")


def _comment_in_issuer(root: etree._Element) -> None:
    """crewjam/saml#140 shape on the Issuer: `.text` would read a prefix of the value."""
    for issuer in (root.find("saml:Issuer", NS), _assertion(root).find("saml:Issuer", NS)):
        assert issuer is not None and issuer.text
        issuer.text += "-evil"
        value, issuer.text = issuer.text, issuer.text[:-5]
        comment = etree.Comment("")
        issuer.append(comment)
        comment.tail = value[-5:]


CASES: dict[str, tuple[Edit, str]] = {
    "personnummer attributes disagree": (_second_personnummer, "check_personnummer"),
    "Response without Issuer": (_no_response_issuer, "check_response_issuer"),
    "Assertion Issuer of another IdP": (_assertion_issuer_only, "check_assertion_issuer"),
    "a second AudienceRestriction for another SP": (_second_audience_restriction, "check_audience"),
    "Assertion without Conditions": (_no_conditions, "check_audience"),  # no AudienceRestriction either
    "two AuthnStatements": (_two_authn_statements, "check_authn_statement"),
    "Version 1.1": (_version_1_1, "check_response_version"),
    "SubjectConfirmationData for another request": (
        _confirmation_for_another_request,
        "check_confirmation_in_response_to",
    ),
    "unreadable NotOnOrAfter": (_unreadable_not_on_or_after, "check_confirmation_expiry"),
    "comment splitting the Issuer": (_comment_in_issuer, "check_response_issuer"),
}


def _rules(caplog: pytest.LogCaptureFixture) -> list[str]:
    messages = [r.getMessage() for r in caplog.records if "ACS rejected" in r.getMessage()]
    return [m.split("ACS rejected, ")[1].split(":")[0] for m in messages]


@pytest.mark.parametrize("case", sorted(CASES))
def test_sp_rejects_edited_response(
    case: str,
    make_sp: Callable[..., SpDriver],
    contacts: tuple[ContactRow, ...],
    sp_log: pytest.LogCaptureFixture,
) -> None:
    edit, rule = CASES[case]
    sp = make_sp(personnummer_attribute="both")
    person = person_of(contacts[0])
    sp.post_edited(sp.spec(person, attribute_profile=AttributeProfile.BOTH), lambda root: None)
    assert sp.whoami()[0] == 200  # positive control: the edit-and-resign path itself is sound
    sp.post_edited(sp.spec(person, attribute_profile=AttributeProfile.BOTH), edit)
    assert sp.whoami()[0] == 401
    assert _rules(sp_log) == [rule]


def test_without_conditions_the_time_check_refuses_too(
    make_sp: Callable[..., SpDriver], contacts: tuple[ContactRow, ...], sp_log: pytest.LogCaptureFixture
) -> None:
    """SC Deployment Profile §6.2: Conditions are required, also when the audience check is gone."""
    sp = make_sp(validators=without(check_audience))
    sp.post_edited(sp.spec(person_of(contacts[0])), _no_conditions)
    assert sp.whoami()[0] == 401
    assert _rules(sp_log) == ["check_time_conditions"]


def test_an_assertion_issued_in_the_future_beyond_the_skew_is_refused(
    sp: SpDriver, contacts: tuple[ContactRow, ...], sp_log: pytest.LogCaptureFixture
) -> None:
    def issued_later(root: etree._Element) -> None:
        _assertion(root).set("IssueInstant", saml_instant(sp.clock.now() + timedelta(seconds=400)))

    sp.post_edited(sp.spec(person_of(contacts[0])), lambda root: None)
    assert sp.whoami()[0] == 200  # positive control
    sp.post_edited(sp.spec(person_of(contacts[0])), issued_later)
    assert sp.whoami()[0] == 401
    assert _rules(sp_log) == ["check_issue_instant"]


def test_an_unsigned_response_without_destination_is_fine_when_its_assertion_is_signed(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    """SAML Bindings 3.5.5.2 requires Destination only on a signed message."""
    spec = sp.spec(person_of(contacts[0]), sign_response=False)
    sp.post(spec, "missing_destination")
    assert sp.whoami()[0] == 200


def test_an_encrypted_assertion_with_rsa_pkcs1_v15_key_transport_is_refused(
    sp: SpDriver, contacts: tuple[ContactRow, ...], sp_log: pytest.LogCaptureFixture
) -> None:
    """SC Deployment Profile §8: RSA PKCS#1 v1.5 key transport is broken and not accepted."""
    assert sp.login(person_of(contacts[0]), encrypt=True).status_code == 303  # control
    spec = sp.spec(person_of(contacts[0]), encrypt=True, sign_response=False)
    root = etree.fromstring(build_message(spec, sp.idp, sp.clock).xml)
    method = root.find(".//xenc:EncryptedKey/xenc:EncryptionMethod", NS)
    assert method is not None
    method.set("Algorithm", "http://www.w3.org/2001/04/xmlenc#rsa-1_5")
    response = sp.post_raw(etree.tostring(root), spec.relay_state)
    assert sp.whoami()[0] == 401 and response.status_code == 400
    assert "not RSA-OAEP" in sp_log.text
