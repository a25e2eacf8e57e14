"""The emulated browser: records every hop, keeps cookies, follows redirects and SAML auto-post forms."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

import pytest

from harness.browser import (
    BROWSER_MARKER_HEADER,
    Browser,
    Hop,
    TargetUnreachable,
    find_auto_post_form,
    next_hop,
)
from harness.core.exchange import Recorder

from .loopback import Loopback, Reply, Seen, serve

AUTO_POST = """<html><body onload="document.forms[0].submit()">
<form method="post" action="/acs"><input type="hidden" name="SAMLResponse" value="PHNhbWw+"/>
<input type="hidden" name="RelayState" value="/programs"/></form></body></html>"""


def tiny_site(seen: Seen) -> Reply:
    if seen.path == "/start":
        return Reply(headers=(("Content-Type", "text/html"),), body=AUTO_POST.encode())
    if seen.path == "/gzip":
        coded = (("Content-Type", "text/html"), ("Content-Encoding", "gzip"))
        return Reply(headers=coded, body=gzip.compress(AUTO_POST.encode()))
    if seen.path == "/away":
        return Reply(303, (("Location", "https://elsewhere.test/landing?pnr=x"),), b"")
    if seen.path == "/acs":
        form = {k: v[0] for k, v in parse_qs(seen.body.decode()).items()}
        cookie = ("Set-Cookie", f"session={form['SAMLResponse']}; Path=/")
        return Reply(302, (("Location", form["RelayState"]), cookie), b"")
    cookies = SimpleCookie(seen.header("Cookie") or "")
    session = cookies["session"].value if "session" in cookies else None
    marker = seen.header(BROWSER_MARKER_HEADER) or ""
    return Reply(body=f"cookie={session} marker={marker}".encode())


@pytest.fixture
def site() -> Iterator[Loopback]:
    with serve(tiny_site) as server:
        yield server


def test_navigate_follows_auto_post_and_redirect_keeping_cookies(site: Loopback) -> None:
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
    with pytest.raises(TargetUnreachable) as unreachable:
        Browser(recorder, marker="m", timeout=2).request("GET", "http://127.0.0.1:9/")
    assert recorder.exchanges == (unreachable.value.exchange,)
    assert recorder.exchanges[0].status is None and recorder.exchanges[0].note


def test_each_browser_has_its_own_cookie_jar(site: Loopback) -> None:
    first, second = Browser(Recorder(), marker="a"), Browser(Recorder(), marker="b")
    first.navigate("GET", f"{site.base_url}/start")
    assert [c.name for c in first.cookies] == ["session"] and list(second.cookies) == []
    assert second.request("GET", f"{site.base_url}/page").response_body == b"cookie=None marker=b"
    first.close()
    second.close()


def test_a_form_is_posted_url_encoded(site: Loopback) -> None:
    browser = Browser(Recorder(), marker="m")
    exchange = browser.request(
        "POST", f"{site.base_url}/acs", form={"SAMLResponse": "a+b/=", "RelayState": "/x"}
    )
    browser.close()
    assert site.seen[0].header("Content-Type") == "application/x-www-form-urlencoded"
    assert site.seen[0].body == exchange.request_body == b"SAMLResponse=a%2Bb%2F%3D&RelayState=%2Fx"


def test_navigate_stops_before_a_host_it_must_not_visit_and_says_where_it_pointed(
    site: Loopback,
) -> None:
    hops = Browser(Recorder(), marker="m").navigate(
        "GET", f"{site.base_url}/away", stay_within=lambda url: url.startswith(site.base_url)
    )
    assert [h.status for h in hops] == [303]
    assert next_hop(hops[-1]) == Hop("GET", "https://elsewhere.test/landing?pnr=x")


def test_next_hop_of_an_auto_post_page_is_the_form_post(site: Loopback) -> None:
    page = Browser(Recorder(), marker="m").request("GET", f"{site.base_url}/start")
    hop = next_hop(page)
    assert hop is not None and (hop.method, hop.url) == ("POST", f"{site.base_url}/acs")
    assert hop.form == {"SAMLResponse": "PHNhbWw+", "RelayState": "/programs"}


def test_a_gzip_page_is_asked_for_like_a_browser_and_its_form_is_found(site: Loopback) -> None:
    browser = Browser(Recorder(), marker="m")
    page = browser.request("GET", f"{site.base_url}/gzip")
    browser.close()
    assert "gzip" in (site.seen[0].header("Accept-Encoding") or "")
    assert page.note.startswith("Content-Encoding gzip: body recorded decoded")
    hop = next_hop(page)
    assert hop is not None and (hop.method, hop.url) == ("POST", f"{site.base_url}/acs")
