"""The reference SP as `conformance demo` and `conformance serve reference-sp` run it: HTTPS on
loopback, a real threaded server, driven by the harness's browser."""

from __future__ import annotations

import base64
import logging
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from harness.browser import Browser
from harness.core.clock import SystemClock
from harness.core.exchange import Recorder
from harness.core.xml import parse_xml
from harness.mock_1177_idp.builder import AttributeProfile, IdpIdentity, ResponseSpec, build_message
from harness.mock_1177_idp.metadata import parse_sp_metadata
from harness.reference_sp import ContactRow, reference_sp_ca_bundle, start_reference_sp
from harness.reference_sp.idp_metadata import IdpMetadataError
from harness.server import RunningServer
from tests.support.data import test_numbers

from .helpers import person_of


@pytest.fixture()
def live_sp(
    tmp_path: Path, idp_metadata_xml: bytes, no_outbound_http: responses.RequestsMock
) -> Iterator[RunningServer]:
    server = start_reference_sp(idp_metadata_xml, tmp_path / "reference-sp", test_numbers())
    no_outbound_http.add_passthru(server.base_url)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def browser(tmp_path: Path, live_sp: RunningServer) -> Browser:
    return Browser(Recorder(), marker="test", verify=str(reference_sp_ca_bundle(tmp_path / "reference-sp")))


def _login(browser: Browser, base_url: str, idp: IdpIdentity, contact: ContactRow, *mutations: str) -> int:
    location = browser.request("GET", f"{base_url}/login").response_header("Location") or ""
    query = parse_qs(urlsplit(location).query)
    request_id = parse_xml(zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15)).get("ID")
    spec = ResponseSpec(
        sp_entity_id=f"{base_url}/metadata",
        acs_url=f"{base_url}/acs",
        person=person_of(contact),
        in_response_to=request_id,
        attribute_profile=AttributeProfile.EID,
        relay_state=query["RelayState"][0],
    )
    message = build_message(spec, idp, SystemClock(), mutations)
    form = {"SAMLResponse": base64.b64encode(message.xml).decode(), "RelayState": message.relay_state}
    browser.request("POST", f"{base_url}/acs", form=form)
    return browser.request("GET", f"{base_url}/whoami").status or 0


def test_the_sp_serves_https_on_loopback_with_its_metadata(live_sp: RunningServer, browser: Browser) -> None:
    assert live_sp.base_url.startswith("https://127.0.0.1:")
    exchange = browser.request("GET", f"{live_sp.base_url}/metadata")
    info = parse_sp_metadata(exchange.response_body)
    assert exchange.status == 200
    assert info.entity_id == f"{live_sp.base_url}/metadata"
    assert info.acs_urls == (f"{live_sp.base_url}/acs",)
    assert info.encryption_cert_pem is not None and not info.want_assertions_signed


def test_a_whole_login_over_tls_with_the_harness_browser(
    live_sp: RunningServer, browser: Browser, idp: IdpIdentity, contacts: tuple[ContactRow, ...]
) -> None:
    assert _login(browser, live_sp.base_url, idp, contacts[0]) == 200
    programs = browser.request("GET", f"{live_sp.base_url}/programs")
    assert contacts[0].data_marker in programs.response_body.decode()


def test_the_server_keeps_serving_after_bad_input_and_logs_no_personal_data(
    live_sp: RunningServer,
    browser: Browser,
    idp: IdpIdentity,
    contacts: tuple[ContactRow, ...],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    acs = f"{live_sp.base_url}/acs"
    for form in (
        {},
        {"SAMLResponse": "!!"},
        {"SAMLResponse": base64.b64encode(b"<!DOCTYPE x><x/>").decode()},
    ):
        assert browser.request("POST", acs, form=form).status == 400
    assert browser.request("POST", acs, form={"SAMLResponse": "A" * 1_000_000}).status == 413
    assert _login(browser, live_sp.base_url, idp, contacts[1], "wrong_audience") == 401
    assert _login(browser, live_sp.base_url, idp, contacts[1]) == 200  # still serving, still correct
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "ACS rejected" in text
    assert contacts[1].personnummer not in text and contacts[1].surname not in text


def test_the_sp_runs_over_plain_http_only_when_asked(
    tmp_path: Path, idp_metadata_xml: bytes, no_outbound_http: responses.RequestsMock
) -> None:
    server = start_reference_sp(
        idp_metadata_xml, tmp_path / "sp", test_numbers(), tls=False, signature_policy="both"
    )
    no_outbound_http.add_passthru(server.base_url)
    try:
        exchange = Browser(Recorder(), marker="test").request("GET", f"{server.base_url}/metadata")
        info = parse_sp_metadata(exchange.response_body)
    finally:
        server.stop()
    assert server.base_url.startswith("http://127.0.0.1:")
    assert info.acs_urls == (f"{server.base_url}/acs",) and info.want_assertions_signed


def test_bad_idp_metadata_or_settings_fail_before_anything_listens(
    tmp_path: Path, idp_metadata_xml: bytes
) -> None:
    with pytest.raises(IdpMetadataError):
        start_reference_sp(
            b"<md:EntityDescriptor xmlns:md='urn:oasis:names:tc:SAML:2.0:metadata'/>",
            tmp_path,
            test_numbers(),
        )
    with pytest.raises(IdpMetadataError):
        start_reference_sp(b"<!DOCTYPE x><x/>", tmp_path, test_numbers())
    with pytest.raises(TypeError, match="no_such_setting"):
        start_reference_sp(idp_metadata_xml, tmp_path, test_numbers(), no_such_setting=1)
    with pytest.raises(ValueError, match="signature_policy"):
        start_reference_sp(idp_metadata_xml, tmp_path, test_numbers(), signature_policy="sometimes")
