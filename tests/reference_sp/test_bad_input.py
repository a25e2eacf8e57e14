"""Bad input to every endpoint: a generic page, no session, no personal data in logs, and the SP
keeps serving."""

from __future__ import annotations

import base64
import logging

import pytest

from harness.mock_1177_idp.mutations import MUTATIONS
from harness.reference_sp import ContactRow

from .helpers import SpDriver, person_of

_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


BAD_ACS_FORMS: dict[str, dict[str, str]] = {
    "no fields": {},
    "empty SAMLResponse": {"SAMLResponse": ""},
    "not base64": {"SAMLResponse": "%%%not*base64%%%"},
    "base64 of binary": {"SAMLResponse": _b64(bytes(range(256)))},
    "not XML": {"SAMLResponse": _b64(b"hello, 1177")},
    "entity expansion": {"SAMLResponse": _b64(_LAUGHS)},
    "external entity": {
        "SAMLResponse": _b64(b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')
    },
    "an AuthnRequest instead": {
        "SAMLResponse": _b64(b'<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>')
    },
    "an empty Response": {
        "SAMLResponse": _b64(b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>')
    },
    "Response with garbage times": {
        "SAMLResponse": _b64(
            b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a" Version="2.0" '
            b'IssueInstant="yesterday"><samlp:Status><samlp:StatusCode '
            b'Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>'
        )
    },
    "RelayState of 200 bytes": {"SAMLResponse": _b64(b"<x/>"), "RelayState": "/" + "x" * 199},
}


def _assert_generic_failure(sp: SpDriver, body: str) -> None:
    assert "Inloggningen kunde inte genomföras" in body or "Sidan finns inte" in body
    assert "Traceback" not in body and "RSP-MARK" not in body
    assert sp.whoami()[0] == 401
    assert sp.get("/").status_code == 200  # still serving


@pytest.mark.parametrize("case", sorted(BAD_ACS_FORMS))
def test_bad_acs_input_gets_a_generic_page_and_no_session(
    case: str, sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    assert sp.login(person_of(contacts[0])).status_code == 303  # a session that bad input must end
    response = sp.client.post("/acs", data=BAD_ACS_FORMS[case], base_url=sp.config.base_url)
    assert response.status_code in (200, 400)
    _assert_generic_failure(sp, response.get_data(as_text=True))


def test_a_huge_acs_body_is_refused_without_reading_it(sp: SpDriver) -> None:
    response = sp.client.post("/acs", data={"SAMLResponse": "A" * 2_000_000}, base_url=sp.config.base_url)
    assert response.status_code == 413
    _assert_generic_failure(sp, response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"SAMLResponse": "x"}'),
        ("text/xml", b"<samlp:Response/>"),
        ("multipart/form-data", b"--"),
    ],
)
def test_the_acs_with_a_wrong_content_type_gets_a_generic_page(
    sp: SpDriver, content_type: str, body: bytes
) -> None:
    response = sp.client.post("/acs", data=body, content_type=content_type, base_url=sp.config.base_url)
    assert response.status_code in (200, 400)
    _assert_generic_failure(sp, response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/acs"),
        ("POST", "/whoami"),
        ("POST", "/login"),
        ("PUT", "/programs"),
        ("GET", "/programs/abc"),
        ("GET", "/programs/99999999999999999999999"),
        ("GET", "/programs/-1"),
        ("GET", "/no/such/page"),
        ("GET", "/metadata/../../etc/passwd"),
    ],
)
def test_wrong_methods_and_unknown_paths_get_a_generic_page(sp: SpDriver, method: str, path: str) -> None:
    response = sp.client.open(path, method=method, base_url=sp.config.base_url)
    assert response.status_code in (404, 405)
    _assert_generic_failure(sp, response.get_data(as_text=True))


@pytest.mark.parametrize(
    "target", ["\r\nSet-Cookie: x=1", "javascript:alert(1)", "/ok\u00e5", "/%0d%0aLocation:%20https://evil"]
)
def test_login_with_a_hostile_target_still_sends_a_clean_authn_request(sp: SpDriver, target: str) -> None:
    response = sp.get("/login", query_string={"target": target})
    assert response.status_code == 302
    assert "\r" not in response.headers["Location"] and "\n" not in response.headers["Location"]
    assert "x=1" not in "".join(response.headers.getlist("Set-Cookie"))


def test_forged_or_garbage_session_cookies_are_not_a_session(sp: SpDriver) -> None:
    for value in ("", "x", "a" * 4000, "../../", "\u00e5"):
        browser = sp.new_browser()
        browser.client.set_cookie("rsp_session", value, domain="127.0.0.1")
        assert browser.whoami()[0] == 401
        assert browser.get("/programs").status_code == 401


def test_logs_and_pages_never_carry_personal_data(
    sp: SpDriver, contacts: tuple[ContactRow, ...], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    person = person_of(contacts[0])
    for mutation in sorted(MUTATIONS):
        encrypting = "encrypted_a" in mutation or "key_transport" in mutation  # EncryptedAssertion cases
        changes = {"encrypt": True} if encrypting else {}
        try:
            sp.login(person, mutation, solicited=mutation != "unexpected_in_response_to", **changes)
        except Exception as exc:  # pragma: no cover - a mutation that does not fit the spec
            pytest.fail(f"{mutation}: {exc}")
    for form in BAD_ACS_FORMS.values():
        sp.client.post("/acs", data=form, base_url=sp.config.base_url)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "ACS rejected" in text  # the log does say what happened
    personal = [
        contacts[0].personnummer,
        contacts[0].personnummer[2:],
        *person.given_name.split(),
        person.surname,
    ]
    assert not [p for p in personal if p in text]
