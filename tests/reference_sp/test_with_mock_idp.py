"""End to end with the running mock 1177 IdP: SP-initiated login through the IdP's autopilot, and
the IdP's traffic log as the witness that nothing comes back from the SP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import responses

from harness.browser import BROWSER_MARKER_HEADER, Browser
from harness.core.exchange import Recorder
from harness.mock_1177_idp.app import IdpConfig, MockIdp, default_persons, serve_idp
from harness.mock_1177_idp.keys import IdpKeys
from harness.mock_1177_idp.metadata import parse_sp_metadata
from harness.reference_sp import ContactRow, reference_sp_ca_bundle, start_reference_sp
from harness.reference_sp.flaws import call_idp_after_login
from harness.server import RunningServer
from harness.sp_suite.proxy import start_proxy
from tests.support.data import test_numbers

from .helpers import person_of


@dataclass
class Stack:
    idp: MockIdp
    idp_url: str
    sp: RunningServer
    browser: Browser


@pytest.fixture()
def start_stack(tmp_path: Path, idp_keys: IdpKeys, no_outbound_http: responses.RequestsMock) -> Iterator[Any]:
    stops: list[Any] = []

    def start(**sp_overrides: Any) -> Stack:
        idp, idp_server = serve_idp(IdpConfig(keys=idp_keys, persons=default_persons(test_numbers())))
        stops.append(idp_server.stop)
        sp = start_reference_sp(idp.metadata(), tmp_path / "reference-sp", test_numbers(), **sp_overrides)
        stops.append(sp.stop)
        no_outbound_http.add_passthru(sp.base_url)
        no_outbound_http.add_passthru(idp_server.base_url)  # the IdP's traffic log is the witness here
        browser = Browser(
            Recorder(), marker="citizen", verify=str(reference_sp_ca_bundle(tmp_path / "reference-sp"))
        )
        idp.register_sp(parse_sp_metadata(browser.request("GET", f"{sp.base_url}/metadata").response_body))
        return Stack(idp, idp_server.base_url, sp, browser)

    yield start
    for stop in reversed(stops):
        stop()


def _unmarked(idp: MockIdp) -> list[str]:
    return [x.url for x in idp.traffic.exchanges if x.request_header(BROWSER_MARKER_HEADER) is None]


def test_sp_initiated_login_through_the_mock_idp_reaches_the_programs_page(
    start_stack: Any, contacts: tuple[ContactRow, ...]
) -> None:
    stack: Stack = start_stack()
    stack.idp.answer_next(person_of(contacts[0]))
    hops = stack.browser.navigate("GET", f"{stack.sp.base_url}/login?target=/programs")
    assert hops[-1].url == f"{stack.sp.base_url}/programs"
    assert contacts[0].data_marker in hops[-1].response_body.decode()
    assert stack.browser.request("GET", f"{stack.sp.base_url}/whoami").status == 200
    assert stack.idp.last_authn_request is not None
    assert [x.url.split("?")[0] for x in stack.idp.traffic.exchanges] == [f"{stack.idp_url}/sso/redirect"]
    assert not _unmarked(stack.idp)  # only the citizen's browser ever reached the IdP


def test_the_traffic_log_catches_an_sp_that_calls_1177_after_login(
    start_stack: Any, contacts: tuple[ContactRow, ...]
) -> None:
    stack: Stack = start_stack(after_login=call_idp_after_login)
    stack.idp.answer_next(person_of(contacts[0]))
    stack.browser.navigate("GET", f"{stack.sp.base_url}/login")
    calls = _unmarked(stack.idp)
    assert len(calls) == 1 and contacts[0].personnummer in calls[0]


def test_with_an_outbound_proxy_the_flawed_call_goes_through_it_and_still_reaches_1177(
    start_stack: Any, contacts: tuple[ContactRow, ...]
) -> None:
    proxy = start_proxy()
    try:
        stack: Stack = start_stack(after_login=call_idp_after_login, outbound_proxy=proxy.url)
        stack.idp.answer_next(person_of(contacts[0]))
        stack.browser.navigate("GET", f"{stack.sp.base_url}/login")
    finally:
        proxy.stop()
    (call,) = proxy.exchanges
    assert call.method == "GET" and call.url.startswith(f"{stack.idp_url}/sso/redirect?")
    assert contacts[0].personnummer in call.url and call.status == 400  # the IdP answered it
    assert _unmarked(stack.idp) == [call.url]  # forwarded: the IdP's own log sees the same call
