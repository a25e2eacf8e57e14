"""Interop: the mock IdP's Responses log in to Shibboleth SP 3 (Debian's shibd + Apache mod_shib).

1177 e-tjänster's own SPs are reportedly Shibboleth (ACS ``/Shibboleth.sso/SAML2/POST``), so an
SP we did not write judges the mock's Responses: the IdP metadata, the signature over its keys,
Destination, Audience, Recipient, the times, encryption for the SP's published key, and the
attribute ``urn:oid:1.2.752.29.4.13`` (personalIdentityNumber, SC Attribute Specification §3.1).

Debian's stock security policy is plain SAML, not the 1177 profile: it also accepts (so they are
not tested here) rsa_sha1, sha1_digest, wrong_in_response_to, missing_audience, bearer_not_before,
unexpected_authn_context, encrypted_attribute and encrypted_id, and it does not validate the
personnummer's form. The negative cases below are the ones a stock Shibboleth SP refuses.

Everything runs on loopback from a private directory (tests/support/shibboleth.py); nothing under
/etc is changed. Needs the Debian packages apache2 and libapache2-mod-shib; in CI (``CI`` set) a
missing package fails the test instead of skipping it. The whole SP suite against the same stock
Shibboleth is tests/sp_suite/test_shibboleth_sp.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from harness.browser import Browser
from harness.core.clock import SystemClock
from harness.core.exchange import Exchange, Recorder
from harness.core.xmldsig import KeyPair
from harness.mock_1177_idp.app import IdpConfig, ServedIdp, serve_idp
from harness.mock_1177_idp.builder import ResponseOptions
from harness.mock_1177_idp.keys import IdpKeys
from harness.mock_1177_idp.metadata import parse_sp_metadata
from harness.mock_1177_idp.persons import Person
from tests.support.shibboleth import INSTALLED, PNR_ID, SP_ENTITY_ID, ShibSite, running_shibboleth

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not INSTALLED and not os.environ.get("CI"),
        reason="needs the Debian packages apache2 and libapache2-mod-shib (required when CI is set)",
    ),
]


@pytest.fixture(scope="module")
def shib_idp(idp_keys: IdpKeys, persons: tuple[Person, ...]) -> Iterator[ServedIdp]:
    running = serve_idp(IdpConfig(keys=idp_keys, persons=persons, clock=SystemClock()))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def shib_sp(shib_idp: ServedIdp, sp_keys: KeyPair) -> Iterator[ShibSite]:
    """shibd and Apache with mod_shib from a private directory, known to the IdP; stopped afterwards."""
    with running_shibboleth(shib_idp.idp.metadata(), sp_keys) as site:
        _register_sp(shib_idp, site)
        yield site


def _register_sp(served: ServedIdp, site: ShibSite) -> None:
    """Shibboleth's generated metadata tells the mock IdP the SP's entityID and ACS URL."""
    metadata = requests.get(f"{site.base_url}/Shibboleth.sso/Metadata", timeout=10)
    assert metadata.status_code == 200, metadata.text[:500]
    sp = parse_sp_metadata(metadata.content)
    assert sp.entity_id == SP_ENTITY_ID and site.acs_url in sp.acs_urls
    assert sp.encryption_cert_pem is not None  # so encrypted assertions can be sent to it
    served.idp.register_sp(sp)


@dataclass(frozen=True)
class Login:
    """One SP-initiated login through the mock IdP's autopilot, and what Shibboleth made of it."""

    hops: list[Exchange]
    session_cookies: tuple[str, ...]  # names of Shibboleth session cookies the browser holds
    log: str  # what shibd logged meanwhile (its reason for a refusal)

    @property
    def page(self) -> str:
        return self.hops[-1].response_body.decode("utf-8", "replace") if self.hops[-1].status == 200 else ""


def _login(
    idp: ServedIdp, site: ShibSite, person: Person, mutations: Sequence[str] = (), **answer: Any
) -> Login:
    """GET the protected page in a fresh browser; the IdP answers Shibboleth's AuthnRequest at once."""
    log = site.root / "shibd.log"
    logged_before = log.stat().st_size
    browser = Browser(Recorder(), marker="shibboleth-interop")
    idp.idp.answer_next(person, ResponseOptions(mutations=tuple(mutations), **answer))
    try:
        hops = browser.navigate("GET", site.protected_url)
    finally:
        idp.idp.disarm()
    cookies = tuple(c.name for c in browser.cookies if c.name.startswith("_shibsession_"))
    with log.open("rb") as reader:
        reader.seek(logged_before)
        return Login(hops, cookies, reader.read().decode("utf-8", "replace"))


def _shows(login: Login, person: Person) -> bool:
    return f"{PNR_ID}={person.personnummer}\n" in login.page


def test_good_response_logs_in_to_shibboleth_sp(
    shib_idp: ServedIdp, shib_sp: ShibSite, persons: tuple[Person, ...]
) -> None:
    login = _login(shib_idp, shib_sp, persons[1])
    assert [(hop.method, hop.status) for hop in login.hops] == [
        ("GET", 302),
        ("GET", 200),
        ("POST", 302),
        ("GET", 200),
    ]
    assert login.hops[1].url.startswith(f"{shib_idp.base_url}/sso/redirect?SAMLRequest=")
    assert login.hops[2].url == shib_sp.acs_url
    assert _shows(login, persons[1]) and login.session_cookies
    request = shib_idp.idp.last_authn_request
    assert request is not None and request.issuer == SP_ENTITY_ID and request.binding == "redirect"


@pytest.mark.parametrize(
    ("mutations", "encrypt"),
    [
        pytest.param((), True, id="encrypted_assertion_aes256_gcm"),
        pytest.param(("encrypted_assertion_aes128_gcm",), True, id="encrypted_assertion_aes128_gcm"),
        pytest.param(("encrypted_assertion_aes256_cbc",), True, id="encrypted_assertion_aes256_cbc"),
        pytest.param(("next_key",), False, id="next_key"),
        pytest.param(("conditions_expired_within_skew",), False, id="conditions_expired_within_skew"),
    ],
)
def test_shibboleth_sp_accepts_the_positive_cases(
    shib_idp: ServedIdp,
    shib_sp: ShibSite,
    persons: tuple[Person, ...],
    mutations: tuple[str, ...],
    encrypt: bool,
) -> None:
    login = _login(shib_idp, shib_sp, persons[2], mutations, encrypt=encrypt)
    assert _shows(login, persons[2]), login.log


# Each mutation, and the reason shibd gives in its log (so it is refused for the rule it breaks).
NEGATIVE_CASES = {
    "unsigned": "Unable to establish security of incoming assertion",
    "tampered_after_signing": "signature could not be verified",
    "foreign_key_with_keyinfo": "signature could not be verified",
    "wrong_audience": "unacceptable AudienceRestriction",
    "wrong_destination": "delivered with POST to incorrect server URL",
    "missing_destination": "Signed SAML message missing Destination",
    "wrong_recipient": "bearer confirmation failed with recipient mismatch",
    "not_bearer": "assertion is missing bearer SubjectConfirmation",
    "subject_confirmation_expired": "bearer confirmation has expired",
    "conditions_expired": "Assertion is no longer valid",
    "conditions_not_yet_valid": "Assertion is not yet valid",
    "issue_instant_too_old": "Message expired, was issued too long ago",
    "wrong_issuer": "no metadata found, can't establish identity of issuer",
    "no_authn_statement": "A valid authentication statement was not found",
    "status_cancel_requester": "SAML response reported an IdP error",
    "dtd_with_entity": "XML error(s) during parsing",
    "rsa_v15_key_transport": "xmlenc#rsa-1_5 disallowed",
}


@pytest.mark.parametrize("mutation", sorted(NEGATIVE_CASES))
def test_shibboleth_sp_gives_no_session_for_a_mutated_response(
    shib_idp: ServedIdp, shib_sp: ShibSite, persons: tuple[Person, ...], mutation: str
) -> None:
    refused = _login(shib_idp, shib_sp, persons[3], [mutation], encrypt=mutation == "rsa_v15_key_transport")
    assert refused.hops[-1].method == "POST" and refused.hops[-1].url == shib_sp.acs_url
    assert refused.hops[-1].status == 500 and not refused.session_cookies
    assert NEGATIVE_CASES[mutation] in refused.log
    control = _login(shib_idp, shib_sp, persons[3])  # positive control: the same login, unmutated
    assert _shows(control, persons[3]) and control.session_cookies


@pytest.mark.parametrize("mutation", ["xsw_unsigned_assertion_before", "xsw_unsigned_assertion_after"])
def test_shibboleth_sp_ignores_an_injected_unsigned_assertion(
    shib_idp: ServedIdp, shib_sp: ShibSite, persons: tuple[Person, ...], mutation: str
) -> None:
    """XSW: Shibboleth drops the unsigned assertion and logs in only the signed one's person."""
    login = _login(shib_idp, shib_sp, persons[0], [mutation], other_person=persons[1])
    assert "Unable to establish security of incoming assertion" in login.log
    assert _shows(login, persons[0]) and persons[1].personnummer not in login.page
