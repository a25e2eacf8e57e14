"""Interop: the mock IdP's Responses log in to a stock pysaml2 SP (``Saml2Client``; xmlsec1 verifies)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from harness.browser import find_auto_post_form
from harness.core.clock import FixedClock, SystemClock
from harness.core.xml import NS, parse_xml
from harness.core.xmldsig import KeyPair, verify_enveloped
from harness.mock_1177_idp.app import IdpConfig, ServedIdp, serve_idp
from harness.mock_1177_idp.builder import (
    AttributeProfile,
    IdpIdentity,
    ResponseOptions,
    ResponseSpec,
    build_message,
    build_response,
)
from harness.mock_1177_idp.keys import IdpKeys
from harness.mock_1177_idp.metadata import DEFAULT_IDP_ENTITY_ID, parse_sp_metadata
from harness.mock_1177_idp.persons import Person
from tests.support.pysaml2_adapter import PysamlSigner, PysamlSp, SpRejected
from tests.support.xmldiff import volatile_diff

SP_ID = "https://pysaml2-sp.example.test/metadata"
ACS = "https://pysaml2-sp.example.test/acs"
PNR = "urn:oid:1.2.752.29.4.13"

pytestmark = pytest.mark.skipif(shutil.which("xmlsec1") is None, reason="pysaml2 needs the xmlsec1 program")


@pytest.fixture()
def served(idp_keys: IdpKeys, persons: tuple[Person, ...]) -> Iterator[ServedIdp]:
    running = serve_idp(IdpConfig(keys=idp_keys, persons=persons, clock=SystemClock()))
    yield running
    running.stop()


@pytest.fixture()
def sp(served: ServedIdp, sp_keys: KeyPair, tmp_path: Path) -> PysamlSp:
    client = PysamlSp(SP_ID, ACS, served.idp.metadata(), sp_keys, tmp_path / "sp", allow_unsolicited=True)
    served.idp.register_sp(parse_sp_metadata(client.metadata()))
    return client


def _posted(html: str, base_url: str) -> dict[str, str]:
    form = find_auto_post_form(html, base_url)
    assert form is not None and form.action == ACS
    return form.fields


def test_good_response_logs_in_to_a_pysaml2_sp_by_redirect_flow(
    served: ServedIdp, sp: PysamlSp, persons: tuple[Person, ...]
) -> None:
    request_id, url = sp.redirect_login(relay_state="/programs")
    served.idp.answer_next(persons[1], ResponseOptions(attribute_profile=AttributeProfile.BOTH))
    page = requests.get(url, timeout=10)
    assert page.status_code == 200
    fields = _posted(page.text, url)
    assert fields["RelayState"] == "/programs"
    login = sp.login(fields["SAMLResponse"])
    assert login.in_response_to == request_id
    assert login.attributes[PNR] == (persons[1].personnummer,)
    assert login.attributes["Subject_SerialNumber"] == (persons[1].personnummer,)
    assert login.attributes["urn:oid:2.5.4.42"] == (persons[1].given_name,)
    assert served.idp.last_authn_request is not None and served.idp.last_authn_request.id == request_id


def test_good_response_logs_in_by_post_flow(
    served: ServedIdp, sp: PysamlSp, persons: tuple[Person, ...]
) -> None:
    request_id, form = sp.post_login(f"{served.base_url}/sso/post")
    served.idp.answer_next(persons[2])
    page = requests.post(f"{served.base_url}/sso/post", data=form, timeout=10)
    login = sp.login(_posted(page.text, served.base_url)["SAMLResponse"])
    assert login.in_response_to == request_id and login.attributes[PNR] == (persons[2].personnummer,)


@pytest.mark.parametrize("mutations", [(), ("next_key",), ("encrypted_assertion_aes256_cbc",)])
def test_pysaml2_accepts_the_positive_cases(
    served: ServedIdp, sp: PysamlSp, sp_keys: KeyPair, persons: tuple[Person, ...], mutations: tuple[str, ...]
) -> None:
    spec = ResponseSpec(SP_ID, ACS, persons[0], encryption_certificate=sp_keys.cert_pem)
    # Encrypted for the SP's published key (AES-256-GCM, or the cipher a mutation names), as before.
    options = {"mutations": mutations, "encrypt": True}
    message = build_message(spec.with_options(**options), served.idp.identity, SystemClock())
    login = sp.login(_b64(message.xml))
    assert login.attributes[PNR] == (persons[0].personnummer,) and login.in_response_to is None


@pytest.mark.parametrize(
    "mutation", ["foreign_key_with_keyinfo", "tampered_after_signing", "wrong_audience", "conditions_expired"]
)
def test_pysaml2_rejects_negative_cases(
    served: ServedIdp, sp: PysamlSp, persons: tuple[Person, ...], mutation: str
) -> None:
    spec = ResponseSpec(SP_ID, ACS, persons[0])
    message = build_message(spec.with_options(mutations=(mutation,)), served.idp.identity, SystemClock())
    with pytest.raises(SpRejected):
        sp.login(_b64(message.xml))
    assert sp.login(_b64(build_message(replace(spec), served.idp.identity, SystemClock()).xml))  # control


def _b64(xml: bytes) -> str:
    import base64

    return base64.b64encode(xml).decode("ascii")


def test_pysaml2_signer_used_by_the_benchmark_makes_an_equivalent_response(
    idp_keys: IdpKeys, persons: tuple[Person, ...], tmp_path: Path
) -> None:
    identity = IdpIdentity(DEFAULT_IDP_ENTITY_ID, idp_keys)
    spec = ResponseSpec(SP_ID, ACS, persons[0], in_response_to="_r1")
    clock = FixedClock()
    unsigned = build_response(spec.with_options(sign_response=False, sign_assertion=False), identity, clock)
    signed = parse_xml(PysamlSigner(idp_keys.signing, tmp_path).sign(unsigned))
    ours = parse_xml(build_response(spec, identity, clock))
    assert volatile_diff(ours, signed) == []
    assert verify_enveloped(signed, [idp_keys.signing.cert_pem])
    assert verify_enveloped(signed.find("saml:Assertion", NS), [idp_keys.signing.cert_pem])  # type: ignore[arg-type]
