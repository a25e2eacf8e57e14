"""Nothing goes back to 1177: no call from the SP, and no redirect of the browser to 1177 with
personal data (ExorLive: "ingen information går tillbaka till 1177")."""

from __future__ import annotations

from urllib.parse import unquote

import responses

from harness.reference_sp import ContactRow

from .helpers import IDP_BASE_URL, SpDriver, person_of


def test_a_whole_visit_makes_no_outbound_call_and_sends_no_personal_data_to_1177(
    sp: SpDriver, contacts: tuple[ContactRow, ...], no_outbound_http: responses.RequestsMock
) -> None:
    contact = contacts[0]
    responses_seen = [sp.get("/"), sp.get("/metadata"), sp.login(person_of(contact))]
    responses_seen += [sp.get("/programs"), sp.get("/programs/1"), sp.get("/whoami"), sp.get("/logout")]
    responses_seen.append(sp.login(person_of(contact), "status_cancel_requester"))
    assert sp.get("/programs").status_code == 401
    assert not no_outbound_http.calls
    to_idp = [
        r.headers["Location"]
        for r in responses_seen
        if r.headers.get("Location", "").startswith(IDP_BASE_URL)
    ]
    assert not to_idp  # only /login goes to the IdP, with an AuthnRequest that names no person
    _, relay_state = sp.start_login()
    location = sp.get("/login").headers["Location"]
    assert contact.personnummer not in unquote(location) and contact.surname not in unquote(location)
    assert relay_state == "/programs"


def test_pages_tell_the_browser_not_to_send_referrers(sp: SpDriver, contacts: tuple[ContactRow, ...]) -> None:
    sp.login(person_of(contacts[0]))
    for path in ("/", "/programs", "/programs/1", "/whoami"):
        response = sp.get(path)
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"
