"""SP-initiated and unsolicited login, the pages, the session probe, and data isolation."""

from __future__ import annotations

import base64
import zlib
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from harness.core.xml import NS, parse_xml
from harness.mock_1177_idp.persons import Person
from harness.personnummer import century_twin
from harness.reference_sp import ContactRow
from harness.reference_sp.app import AUTHN_COOKIE, SESSION_COOKIE
from harness.reference_sp.data import NOT_CONTACTS

from .helpers import IDP_BASE_URL, SpDriver, person_of


def test_login_sends_an_authn_request_by_redirect_to_the_idps_sso_endpoint(sp: SpDriver) -> None:
    response = sp.get("/login", query_string={"target": "/programs/2"})
    location = urlsplit(response.headers["Location"])
    query = parse_qs(location.query)
    request = parse_xml(zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15))
    assert response.status_code == 302
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{IDP_BASE_URL}/sso/redirect"
    assert query["RelayState"] == ["/programs/2"]
    assert request.get("AssertionConsumerServiceURL") == sp.config.acs_url
    assert request.get("Destination") == f"{IDP_BASE_URL}/sso/redirect"
    assert request.get("ProtocolBinding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    assert request.findtext("saml:Issuer", namespaces=NS) == sp.config.entity_id
    requested = [
        e.text for e in request.iterfind("samlp:RequestedAuthnContext/saml:AuthnContextClassRef", NS)
    ]
    assert requested == list(sp.config.accepted_loa)


def test_login_cookie_for_the_cross_site_acs_post_is_httponly_secure_and_samesite_none(sp: SpDriver) -> None:
    response = sp.get("/login")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(AUTHN_COOKIE))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=None" in cookie


def test_login_never_puts_a_foreign_target_in_relay_state(sp: SpDriver) -> None:
    for target in ("https://evil.example/x", "//evil.example", "/\\evil.example", "/" + "a" * 100):
        _, relay_state = sp.start_login(target)
        assert relay_state == "/programs", target


def test_solicited_login_redirects_to_relay_state_and_the_probe_names_the_contact(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    request_id, _ = sp.start_login("/programs/1")
    spec = sp.spec(person_of(contacts[0]), in_response_to=request_id, relay_state="/programs/1")
    response = sp.post(spec)
    assert response.status_code == 303
    assert response.headers["Location"] == "/programs/1"
    assert sp.whoami() == (200, {"personnummer": contacts[0].personnummer, "contact_id": contacts[0].id})


def test_session_cookie_is_httponly_secure_and_samesite_lax(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    response = sp.login(person_of(contacts[0]))
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


def test_unsolicited_login_is_accepted_when_configured(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    response = sp.login(person_of(contacts[1]), solicited=False, relay_state="/programs")
    assert response.status_code == 303
    assert sp.whoami()[1]["contact_id"] == contacts[1].id


def test_unsolicited_login_is_refused_when_not_configured(
    make_sp: Callable[..., SpDriver], contacts: tuple[ContactRow, ...]
) -> None:
    sp = make_sp(allow_unsolicited=False)
    assert sp.login(person_of(contacts[1])).status_code == 303  # positive control: solicited works
    sp.login(person_of(contacts[1]), solicited=False)
    assert sp.whoami()[0] == 401


def test_unsolicited_relay_state_to_another_site_is_not_followed(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    for relay_state in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = sp.login(person_of(contacts[0]), solicited=False, relay_state=relay_state)
        assert response.headers["Location"] == "/programs", relay_state


def test_an_answer_to_another_browsers_request_is_refused(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    other = sp.new_browser()
    request_id, relay_state = other.start_login()
    spec = sp.spec(person_of(contacts[0]), in_response_to=request_id, relay_state=relay_state)
    sp.post(spec)
    assert sp.whoami()[0] == 401
    other.post(spec)  # the same answer in the browser that asked: still outstanding there, accepted
    assert other.whoami()[1]["contact_id"] == contacts[0].id


def test_an_outstanding_request_is_answered_once(sp: SpDriver, contacts: tuple[ContactRow, ...]) -> None:
    spec = sp.spec(person_of(contacts[0]))
    assert sp.post(spec).status_code == 303
    sp.post(spec)  # a fresh Response (new IDs) for the same, already answered request
    assert sp.whoami()[0] == 401


def test_programs_page_shows_only_the_logged_in_contacts_programs(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    for contact in contacts[:3]:
        browser = sp.new_browser()
        browser.login(person_of(contact))
        page = browser.get("/programs").get_data(as_text=True)
        assert contact.data_marker in page
        assert contact.given_name in page
        others = [c.data_marker for c in contacts if c.id != contact.id]
        assert not [m for m in others if m in page]


def test_a_program_page_lists_its_exercises_and_the_care_givers_comment(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    sp.login(person_of(contacts[0]))
    listing = sp.get("/programs").get_data(as_text=True)
    first = listing.split('href="/programs/')[1].split('"')[0]
    page = sp.get(f"/programs/{first}").get_data(as_text=True)
    assert contacts[0].data_marker in page
    assert "Kommentar från din vårdgivare" in page
    assert page.count("<tr>") == 5  # header + four exercises


def test_another_contacts_program_is_not_found(sp: SpDriver, contacts: tuple[ContactRow, ...]) -> None:
    sp.login(person_of(contacts[1]))
    response = sp.get("/programs/1")  # contact 1's first program
    assert response.status_code == 404
    assert contacts[0].data_marker not in response.get_data(as_text=True)


def test_pages_without_a_session_show_no_data(sp: SpDriver, contacts: tuple[ContactRow, ...]) -> None:
    for path in ("/programs", "/programs/1"):
        response = sp.get(path)
        assert response.status_code == 401
        assert not [c for c in contacts if c.data_marker in response.get_data(as_text=True)]
    assert sp.whoami() == (401, {"error": "not logged in"})


def test_a_person_without_a_contact_gets_no_programs_page_and_no_session(sp: SpDriver) -> None:
    response = sp.login(Person(NOT_CONTACTS[0], "Nils", "Karlsson"))
    assert response.status_code == 200
    assert "Det finns inga träningsprogram för dig här" in response.get_data(as_text=True)
    assert "RSP-MARK" not in response.get_data(as_text=True)
    assert sp.whoami()[0] == 401


def test_the_century_twin_of_a_contact_is_never_matched_to_it(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    contact = next(c for c in contacts if c.personnummer.startswith("19") and c.personnummer[2:4] >= "27")
    twin = century_twin(contact.personnummer)
    assert sp.login(person_of(contact)).status_code == 303  # positive control
    response = sp.login(Person(twin, contact.given_name, contact.surname))
    assert "Det finns inga träningsprogram" in response.get_data(as_text=True)
    assert sp.whoami()[0] == 401


def test_a_login_as_another_person_resets_the_session(sp: SpDriver, contacts: tuple[ContactRow, ...]) -> None:
    sp.login(person_of(contacts[0]))
    first_cookie = sp.client.get_cookie(SESSION_COOKIE, domain="127.0.0.1")
    assert first_cookie is not None
    sp.login(person_of(contacts[1]))
    assert sp.whoami()[1]["personnummer"] == contacts[1].personnummer
    stale = sp.new_browser()
    stale.client.set_cookie(SESSION_COOKIE, first_cookie.value, domain="127.0.0.1")
    assert stale.whoami()[0] == 401  # A's session is gone, not merely replaced in this browser


def test_logout_ends_the_session_locally_and_never_sends_the_browser_to_1177(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    sp.login(person_of(contacts[0]))
    response = sp.get("/logout")
    assert response.headers["Location"] == "/"
    assert sp.whoami()[0] == 401


def test_names_from_the_idp_are_shown_escaped_and_in_utf8(
    sp: SpDriver, contacts: tuple[ContactRow, ...]
) -> None:
    person = Person(contacts[0].personnummer, "Åsa <b>Märta</b>", "Öberg-Écuyer")
    sp.login(person)
    page = sp.get("/programs").get_data(as_text=True)
    assert "Åsa &lt;b&gt;Märta&lt;/b&gt; Öberg-Écuyer" in page
