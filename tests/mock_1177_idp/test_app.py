"""The IdP app: flows (picker, autopilot, unsolicited), bad input on every endpoint, the traffic log."""

from __future__ import annotations

import base64
import zlib
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlencode

import pytest
import requests

from harness.browser import find_auto_post_form
from harness.core.clock import FixedClock
from harness.core.exchange import Direction
from harness.core.xml import NS, parse_xml
from harness.core.xmldsig import verify_enveloped
from harness.mock_1177_idp.app import IdpConfig, ServedIdp, serve_idp
from harness.mock_1177_idp.builder import ResponseOptions
from harness.mock_1177_idp.keys import IdpKeys
from harness.mock_1177_idp.metadata import SpInfo
from harness.mock_1177_idp.persons import Person

SP = SpInfo("https://sp.example.test/md", ("https://sp.example.test/acs", "https://sp.example.test/acs2"))
CANCEL = "http://id.elegnamnden.se/status/1.0/cancel"


def authn_request(issuer: str = SP.entity_id, acs: str | None = None, version: str = "2.0") -> bytes:
    acs_attr = f' AssertionConsumerServiceURL="{acs}"' if acs else ""
    return (
        '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_req42" '
        f'Version="{version}" IssueInstant="2026-01-15T09:29:58Z"{acs_attr}>'
        f"<saml:Issuer>{issuer}</saml:Issuer></samlp:AuthnRequest>"
    ).encode()


def deflated(xml: bytes) -> str:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return base64.b64encode(compressor.compress(xml) + compressor.flush()).decode()


@pytest.fixture(scope="module")
def served(idp_keys: IdpKeys, persons: tuple[Person, ...]) -> Iterator[ServedIdp]:
    # One server for the module: the tests also show it keeps serving after each bad request.
    running = serve_idp(IdpConfig(keys=idp_keys, persons=persons, sps=(SP,), clock=FixedClock()))
    yield running
    running.stop()


def _redirect(served: ServedIdp, xml: bytes, relay: str = "/start") -> requests.Response:
    query = urlencode({"SAMLRequest": deflated(xml), "RelayState": relay})
    return requests.get(f"{served.base_url}/sso/redirect?{query}", timeout=10)


def _posted(page: requests.Response) -> tuple[str, dict[str, str]]:
    form = find_auto_post_form(page.text, page.url)
    assert form is not None, page.text[:300]
    return form.action, form.fields


def _status(fields: dict[str, str]) -> list[str]:
    response = parse_xml(base64.b64decode(fields["SAMLResponse"]))
    return [code.get("Value", "") for code in response.iter(f"{{{NS['samlp']}}}StatusCode")]


def test_autopilot_answers_a_redirect_request_with_in_response_to(
    served: ServedIdp, persons: tuple[Person, ...]
) -> None:
    served.idp.answer_next(persons[1], ResponseOptions(mutations=("wrong_audience",)))
    action, fields = _posted(_redirect(served, authn_request(acs="https://sp.example.test/acs2")))
    response = parse_xml(base64.b64decode(fields["SAMLResponse"]))
    assert action == "https://sp.example.test/acs2" and fields["RelayState"] == "/start"
    assert response.get("InResponseTo") == "_req42"
    assert (
        response.findtext(".//saml:Audience", namespaces=NS) == "https://other-sp.example.test/saml/metadata"
    )
    assert verify_enveloped(response, [served.idp.identity.keys.signing.cert_pem])
    last = served.idp.last_authn_request
    assert last is not None and (last.id, last.issuer, last.acs_url, last.relay_state) == (
        "_req42",
        SP.entity_id,
        "https://sp.example.test/acs2",
        "/start",
    )


def _claimed_personnummer(fields: dict[str, str]) -> list[str]:
    response = parse_xml(base64.b64decode(fields["SAMLResponse"]))
    path = "saml:Assertion/saml:AttributeStatement/saml:Attribute/saml:AttributeValue"
    return [value.text or "" for value in response.iterfind(path, NS) if (value.text or "").isdigit()]


def test_autopilot_attack_claims_the_other_person_it_is_given(
    served: ServedIdp, persons: tuple[Person, ...]
) -> None:
    # xsw_unsigned_assertion_before: the injected (first) assertion names the attacker's chosen victim.
    xsw = ResponseOptions(mutations=("xsw_unsigned_assertion_before",))
    served.idp.answer_next(persons[0], replace(xsw, other_person=persons[2]))
    _, chosen = _posted(_redirect(served, authn_request()))
    served.idp.answer_next(persons[0], xsw)
    _, default = _posted(_redirect(served, authn_request()))
    assert _claimed_personnummer(chosen)[0] == persons[2].personnummer
    assert _claimed_personnummer(chosen)[-1] == persons[0].personnummer  # the signed one is the person's
    assert _claimed_personnummer(default)[0] not in (persons[2].personnummer, persons[0].personnummer)


def test_without_an_answer_queued_the_picker_logs_in_the_chosen_person(
    served: ServedIdp, persons: tuple[Person, ...]
) -> None:
    page = _redirect(served, authn_request())
    assert page.status_code == 200 and persons[2].display_name in page.text
    token = page.text.split('name="pending" value="')[1].split('"')[0]
    form = {
        "pending": token,
        "person": persons[2].personnummer,
        "loa": "http://id.elegnamnden.se/loa/1.0/loa2",
        "profile": "legacy",
        "action": "login",
    }
    action, fields = _posted(requests.post(f"{served.base_url}/login", data=form, timeout=10))
    response = parse_xml(base64.b64decode(fields["SAMLResponse"]))
    assert action == SP.default_acs_url and response.get("InResponseTo") == "_req42"
    values = {a.get("Name"): "".join(a.itertext()) for a in response.iterfind(".//saml:Attribute", NS)}
    assert values["Subject_SerialNumber"] == persons[2].personnummer
    assert response.findtext(".//saml:AuthnContextClassRef", namespaces=NS).endswith("loa2")  # type: ignore[union-attr]
    reused = requests.post(f"{served.base_url}/login", data=form, timeout=10)
    assert reused.status_code == 400 and "already used" in reused.text


@pytest.mark.parametrize(("action", "top"), [("cancel", "Requester"), ("error", "Responder")])
def test_picker_cancel_and_error_send_a_status_without_assertion(
    served: ServedIdp, action: str, top: str
) -> None:
    page = requests.get(f"{served.base_url}/unsolicited", params={"sp": SP.entity_id}, timeout=10)
    token = page.text.split('name="pending" value="')[1].split('"')[0]
    _, fields = _posted(
        requests.post(f"{served.base_url}/login", data={"pending": token, "action": action}, timeout=10)
    )
    assert _status(fields)[0].endswith(top)
    assert (CANCEL in _status(fields)) is (action == "cancel")
    assert b"Assertion" not in base64.b64decode(fields["SAMLResponse"])


def test_unsolicited_login_has_no_in_response_to(served: ServedIdp, persons: tuple[Person, ...]) -> None:
    page = requests.get(
        f"{served.base_url}/unsolicited", params={"sp": SP.entity_id, "RelayState": "/p"}, timeout=10
    )
    token = page.text.split('name="pending" value="')[1].split('"')[0]
    form = {"pending": token, "person": persons[0].personnummer, "action": "login"}
    action, fields = _posted(requests.post(f"{served.base_url}/login", data=form, timeout=10))
    response = parse_xml(base64.b64decode(fields["SAMLResponse"]))
    assert (
        action == SP.default_acs_url
        and fields["RelayState"] == "/p"
        and "InResponseTo" not in response.attrib
    )


def test_foreign_acs_url_gets_a_requester_error_at_the_registered_acs(served: ServedIdp) -> None:
    action, fields = _posted(_redirect(served, authn_request(acs="https://evil.example.test/acs")))
    assert action == SP.default_acs_url
    assert _status(fields) == [
        "urn:oasis:names:tc:SAML:2.0:status:Requester",
        "urn:oasis:names:tc:SAML:2.0:status:RequestDenied",
    ]


def test_wrong_version_gets_version_mismatch(served: ServedIdp) -> None:
    _, fields = _posted(_redirect(served, authn_request(version="1.1")))
    assert _status(fields) == ["urn:oasis:names:tc:SAML:2.0:status:VersionMismatch"]


DTD = b'<!DOCTYPE r [<!ENTITY x "y">]>' + authn_request()
BAD_REDIRECTS = {
    "bad base64": {"SAMLRequest": "***"},
    "bad deflate": {"SAMLRequest": base64.b64encode(b"not deflate").decode()},
    "malformed XML": {"SAMLRequest": deflated(b"<samlp:AuthnRequest")},
    "DTD": {"SAMLRequest": deflated(DTD)},
    "unknown SP": {"SAMLRequest": deflated(authn_request(issuer="https://unknown.example.test"))},
    "not an AuthnRequest": {"SAMLRequest": deflated(b"<a/>")},
    "no SAMLRequest": {},
}
REASONS = {
    "bad base64": "base64",
    "bad deflate": "DEFLATE",
    "malformed XML": "well-formed",
    "DTD": "DTD",
    "unknown SP": "not a Service Provider known",
    "not an AuthnRequest": "not a samlp:AuthnRequest",
    "no SAMLRequest": "no SAMLRequest",
}


@pytest.mark.parametrize("case", sorted(BAD_REDIRECTS))
def test_bad_input_gets_a_clear_400_and_the_server_keeps_serving(served: ServedIdp, case: str) -> None:
    page = requests.get(f"{served.base_url}/sso/redirect", params=BAD_REDIRECTS[case], timeout=10)
    assert page.status_code == 400 and REASONS[case] in page.text
    posted = dict(BAD_REDIRECTS[case])
    if "SAMLRequest" in posted and case not in ("bad base64", "bad deflate"):
        posted["SAMLRequest"] = base64.b64encode(base64.b64decode(posted["SAMLRequest"])).decode()
    assert requests.post(f"{served.base_url}/sso/post", data=posted, timeout=10).status_code == 400
    assert requests.get(f"{served.base_url}/healthz", timeout=10).text == "ok\n"


@pytest.mark.parametrize(
    ("method", "path", "data", "status"),
    [
        ("GET", "/unsolicited?sp=https://unknown", None, 400),
        ("POST", "/login", {"pending": "nope"}, 400),
        ("GET", "/login", None, 405),
        ("GET", "/no/such/page", None, 404),
        ("POST", "/sso/post", b"x" * 1_500_000, 413),
        ("POST", "/sso/post", "SAMLRequest=%ZZ", 400),
    ],
)
def test_other_endpoints_refuse_bad_requests_without_crashing(
    served: ServedIdp, method: str, path: str, data: object, status: int
) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    answer = requests.request(method, served.base_url + path, data=data, headers=headers, timeout=10)  # type: ignore[arg-type]
    assert answer.status_code == status
    assert requests.get(f"{served.base_url}/healthz", timeout=10).status_code == 200


def test_bad_picker_choices_are_refused(served: ServedIdp, persons: tuple[Person, ...]) -> None:
    for bad in (
        {"person": "191212121212"},
        {"person": persons[0].personnummer, "loa": "x"},
        {"action": "boom"},
    ):
        page = requests.get(f"{served.base_url}/unsolicited", params={"sp": SP.entity_id}, timeout=10)
        token = page.text.split('name="pending" value="')[1].split('"')[0]
        answer = requests.post(f"{served.base_url}/login", data={"pending": token, **bad}, timeout=10)
        assert answer.status_code == 400 and "191212121212" not in answer.text


def test_not_applicable_queued_mutation_is_a_clear_400(
    served: ServedIdp, persons: tuple[Person, ...]
) -> None:
    served.idp.answer_next(persons[0], ResponseOptions(mutations=("unexpected_in_response_to",)))
    page = _redirect(served, authn_request())
    assert page.status_code == 400 and "unexpected_in_response_to" in page.text


def test_traffic_log_records_every_request_as_incoming(served: ServedIdp) -> None:
    requests.get(f"{served.base_url}/metadata?probe=1", timeout=10)
    requests.post(
        f"{served.base_url}/sso/post", data={"SAMLRequest": "***"}, headers={"X-Probe": "yes"}, timeout=10
    )
    metadata, bad = served.idp.traffic.exchanges[-2:]
    assert metadata.direction is Direction.INCOMING and metadata.method == "GET"
    assert metadata.url == f"{served.base_url}/metadata?probe=1" and metadata.status == 200
    assert metadata.response_body == served.idp.metadata() and metadata.peer == "127.0.0.1"
    assert bad.method == "POST" and bad.request_body == b"SAMLRequest=%2A%2A%2A" and bad.status == 400
    assert bad.request_header("X-Probe") == "yes" and b"base64" in bad.response_body


def test_metadata_uses_the_served_address(served: ServedIdp) -> None:
    root = parse_xml(requests.get(f"{served.base_url}/metadata", timeout=10).content)
    locations = [s.get("Location") for s in root.iterfind(".//md:SingleSignOnService", NS)]
    assert locations == [f"{served.base_url}/sso/redirect", f"{served.base_url}/sso/post"]
