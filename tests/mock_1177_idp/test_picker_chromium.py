"""The picker page and the auto-post in real headless Chromium, posting to a tiny loopback test ACS."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from werkzeug.wrappers import Request, Response

from harness.core.clock import SystemClock
from harness.core.xml import NS, parse_xml
from harness.core.xmldsig import verify_enveloped
from harness.mock_1177_idp.app import IdpConfig, ServedIdp, serve_idp
from harness.mock_1177_idp.keys import IdpKeys
from harness.mock_1177_idp.metadata import SpInfo
from harness.mock_1177_idp.persons import Person
from harness.server import RunningServer, start_server

from .chromium import CHROMIUM, Chromium
from .test_app import authn_request, deflated

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


class TestAcs:
    """Records what the browser POSTs to it."""

    __test__ = False

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with self._lock:
            self.received.append({"method": request.method, **request.form.to_dict()})
        return Response("<html><body><p id='done'>received</p></body></html>", content_type="text/html")(
            environ, start_response
        )

    def wait(self, timeout: float = 20) -> dict[str, str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self.received:
                    return self.received[0]
            time.sleep(0.05)
        raise TimeoutError("nothing reached the test ACS")


@pytest.fixture()
def acs() -> Iterator[tuple[TestAcs, RunningServer]]:
    app = TestAcs()
    server = start_server(app)
    yield app, server
    server.stop()


@pytest.fixture()
def served(
    idp_keys: IdpKeys, persons: tuple[Person, ...], acs: tuple[TestAcs, RunningServer]
) -> Iterator[ServedIdp]:
    sp = SpInfo("https://chromium-sp.example.test/md", (f"{acs[1].base_url}/acs",))
    running = serve_idp(IdpConfig(keys=idp_keys, persons=persons, sps=(sp,), clock=SystemClock()))
    yield running
    running.stop()


@pytest.fixture()
def chromium(tmp_path: Path) -> Iterator[Chromium]:
    browser = Chromium(tmp_path / "profile")
    yield browser
    browser.close()


def _response(posted: dict[str, str]) -> Any:
    return parse_xml(base64.b64decode(posted["SAMLResponse"]))


def test_picker_in_chromium_shows_names_and_posts_the_chosen_person(
    served: ServedIdp, acs: tuple[TestAcs, RunningServer], chromium: Chromium, persons: tuple[Person, ...]
) -> None:
    query = urlencode({"sp": "https://chromium-sp.example.test/md", "RelayState": "/träning?x=1&y=2"})
    chromium.open(f"{served.base_url}/unsolicited?{query}")
    chromium.wait_for("document.readyState === 'complete' && !!document.getElementById('login')")
    text = chromium.evaluate("document.body.innerText")
    assert all(p.display_name in text for p in persons)  # å/ä/ö and two given names render as UTF-8
    chosen = persons[1]
    script = (
        f"document.querySelector('input[name=person][value=\"{chosen.personnummer}\"]').click();"
        "document.getElementById('profile').value = 'both';"
        "document.getElementById('login').click(); true"
    )
    assert chromium.evaluate(script) is True
    posted = acs[0].wait()
    response = _response(posted)
    assert posted["method"] == "POST" and posted["RelayState"] == "/träning?x=1&y=2"
    assert verify_enveloped(response, [served.idp.identity.keys.signing.cert_pem])
    values = {a.get("Name"): "".join(a.itertext()) for a in response.iterfind(".//saml:Attribute", NS)}
    assert values["urn:oid:1.2.752.29.4.13"] == values["Subject_SerialNumber"] == chosen.personnummer
    assert values["urn:oid:2.16.840.1.113730.3.1.241"] == chosen.display_name
    assert chromium.wait_for("document.getElementById('done') && document.getElementById('done').innerText")


def test_autopilot_auto_post_reaches_the_acs_in_chromium(
    served: ServedIdp, acs: tuple[TestAcs, RunningServer], chromium: Chromium, persons: tuple[Person, ...]
) -> None:
    served.idp.answer_next(persons[3], ["comment_in_personnummer"])
    xml = authn_request(issuer="https://chromium-sp.example.test/md")
    chromium.open(
        f"{served.base_url}/sso/redirect?" + urlencode({"SAMLRequest": deflated(xml), "RelayState": "r"})
    )
    posted = acs[0].wait()
    response = _response(posted)
    assert response.get("InResponseTo") == "_req42" and posted["RelayState"] == "r"
    value = response.find(".//saml:Attribute[@Name='urn:oid:1.2.752.29.4.13']/saml:AttributeValue", NS)
    assert value is not None and value.text == persons[3].personnummer[:8]  # the comment survived the browser
    assert json.dumps(posted)  # plain strings only
