"""The emulated browser: records every hop, keeps cookies, follows redirects and SAML auto-post forms."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from werkzeug.wrappers import Request, Response

from harness.browser import (
    BROWSER_MARKER_HEADER,
    Browser,
    Hop,
    TargetUnreachable,
    find_auto_post_form,
    next_hop,
)
from harness.core.exchange import Recorder
from harness.server import RunningServer, serve_in_thread

AUTO_POST = """<html><body onload="document.forms[0].submit()">
<form method="post" action="/acs"><input type="hidden" name="SAMLResponse" value="PHNhbWw+"/>
<input type="hidden" name="RelayState" value="/programs"/></form></body></html>"""


@Request.application  # type: ignore[misc]
def tiny_site(request: Request) -> Response:
    if request.path == "/start":
        return Response(AUTO_POST, content_type="text/html")
    if request.path == "/away":
        return Response(status=303, headers={"Location": "https://elsewhere.test/landing?pnr=x"})
    if request.path == "/acs":
        response = Response(status=302, headers={"Location": request.form["RelayState"]})
        response.set_cookie("session", request.form["SAMLResponse"])
        return response
    marker = request.headers.get(BROWSER_MARKER_HEADER, "")
    return Response(f"cookie={request.cookies.get('session')} marker={marker}", content_type="text/plain")


@pytest.fixture
def site() -> Iterator[RunningServer]:
    with serve_in_thread(tiny_site) as server:
        yield server


def test_navigate_follows_auto_post_and_redirect_keeping_cookies(site: RunningServer) -> None:
    recorder = Recorder()
    hops = Browser(recorder, marker="run-1").navigate("GET", f"{site.base_url}/start", tags=["login"])
    assert [(h.method, h.status) for h in hops] == [("GET", 200), ("POST", 302), ("GET", 200)]
    assert hops[-1].response_body == b"cookie=PHNhbWw+ marker=run-1"
    assert b"SAMLResponse=PHNhbWw%2B" in hops[1].request_body
    assert recorder.exchanges == tuple(hops) and all(h.tags == ("login",) for h in hops)


def test_find_auto_post_form_ignores_non_saml_forms() -> None:
    assert find_auto_post_form('<form method="post" action="/x"><input name="q"></form>', "http://h/") is None
    form = find_auto_post_form(AUTO_POST, "https://sp.test/page")
    assert form is not None and form.action == "https://sp.test/acs"
    assert form.fields == {"SAMLResponse": "PHNhbWw+", "RelayState": "/programs"}


def test_unreachable_target_raises_and_is_still_recorded() -> None:
    recorder = Recorder()
    with pytest.raises(TargetUnreachable):
        Browser(recorder, marker="m", timeout=2).request("GET", "http://127.0.0.1:9/")
    assert recorder.exchanges[0].status is None and recorder.exchanges[0].note


def test_navigate_stops_before_a_host_it_must_not_visit_and_says_where_it_pointed(
    site: RunningServer,
) -> None:
    hops = Browser(Recorder(), marker="m").navigate(
        "GET", f"{site.base_url}/away", stay_within=lambda url: url.startswith(site.base_url)
    )
    assert [h.status for h in hops] == [303]
    assert next_hop(hops[-1]) == Hop("GET", "https://elsewhere.test/landing?pnr=x")


def test_next_hop_of_an_auto_post_page_is_the_form_post(site: RunningServer) -> None:
    page = Browser(Recorder(), marker="m").request("GET", f"{site.base_url}/start")
    hop = next_hop(page)
    assert hop is not None and (hop.method, hop.url) == ("POST", f"{site.base_url}/acs")
    assert hop.form == {"SAMLResponse": "PHNhbWw+", "RelayState": "/programs"}
