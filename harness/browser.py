"""The citizen's browser, emulated on the recording HTTP transport: navigation only.

Cookies, redirects and SAML auto-submitting forms (HTTP-POST binding, SAML Bindings 3.5.4) are
handled as a browser would, so SP scenarios need no real browser. Every request carries a marker
header, so the mock IdP's traffic log can tell the browser's navigations from anything else
(an SP's back-channel call to 1177, which must never happen). Sending and recording is
:class:`harness.transport.HttpTransport`'s job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin

from requests.cookies import RequestsCookieJar

from harness.core.exchange import Exchange, Recorder
from harness.transport import HttpTransport, TargetUnreachable

__all__ = [
    "BROWSER_MARKER_HEADER",
    "AutoPostForm",
    "Browser",
    "Hop",
    "TargetUnreachable",
    "find_auto_post_form",
    "next_hop",
]

BROWSER_MARKER_HEADER = "X-Conformance-Browser"
_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) 1177-conformance-harness/0.1"
_SAML_FIELDS = frozenset({"SAMLRequest", "SAMLResponse"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass(frozen=True, slots=True)
class AutoPostForm:
    action: str
    fields: dict[str, str]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((values.get("method", "get").lower(), values.get("action", ""), {}))
        elif tag == "input" and self.forms and values.get("name"):
            self.forms[-1][2][values["name"]] = values.get("value", "")


def find_auto_post_form(html: str, base_url: str) -> AutoPostForm | None:
    """The SAML HTTP-POST form on a page (a form carrying SAMLRequest or SAMLResponse), if any."""
    parser = _FormParser()
    parser.feed(html)
    for method, action, fields in parser.forms:
        if method == "post" and _SAML_FIELDS & fields.keys():
            return AutoPostForm(action=urljoin(base_url, action), fields=fields)
    return None


class Browser:
    """One browser profile (its own cookie jar); every exchange goes to ``recorder``."""

    def __init__(
        self, recorder: Recorder, *, marker: str, verify: bool | str | Path = True, timeout: float = 10.0
    ) -> None:
        self.recorder = recorder
        self.cookies = RequestsCookieJar()
        self.transport = HttpTransport(
            recorder,
            verify=Path(verify) if isinstance(verify, str) else verify,
            timeout=timeout,
            headers={
                "User-Agent": _USER_AGENT,
                "Accept-Encoding": "gzip, deflate",  # as browsers do; the note of an exchange says so
                BROWSER_MARKER_HEADER: marker,
            },
            cookies=self.cookies,
        )

    def request(
        self,
        method: str,
        url: str,
        *,
        form: Mapping[str, str] | None = None,
        tags: Iterable[str] = (),
    ) -> Exchange:
        """One request, no redirect following; the exchange is recorded before it is returned."""
        if not form:
            return self.transport.send(method, url, tags=tags)
        body = urlencode(list(form.items())).encode("ascii")
        return self.transport.send(method, url, body=body, headers=_FORM, tags=tags)

    def close(self) -> None:
        self.transport.close()

    def navigate(
        self,
        method: str,
        url: str,
        *,
        form: Mapping[str, str] | None = None,
        tags: Iterable[str] = (),
        max_hops: int = 12,
        stay_within: Callable[[str], bool] | None = None,
    ) -> list[Exchange]:
        """Follow redirects and SAML auto-post forms as a browser would; return every hop.

        With ``stay_within``, stop before a URL it refuses (e.g. a host that is neither the system
        under test nor a mock): :func:`next_hop` of the last exchange then says where it pointed.
        """
        hops: list[Exchange] = []
        for _ in range(max_hops):
            if stay_within is not None and not stay_within(url):
                break
            exchange = self.request(method, url, form=form, tags=tags)
            hops.append(exchange)
            hop = next_hop(exchange)
            if hop is None:
                break
            method, url, form = hop.method, hop.url, form if hop.resends_form else hop.form
        return hops


@dataclass(frozen=True, slots=True)
class Hop:
    """Where a browser goes after a response: a redirect, or a SAML auto-post form."""

    method: str
    url: str
    form: Mapping[str, str] | None = None
    resends_form: bool = False  # 307/308 repeat the request with its body


def next_hop(exchange: Exchange) -> Hop | None:
    location = exchange.response_header("Location")
    if exchange.status in _REDIRECTS and location:
        target = urljoin(exchange.url, location)
        if exchange.status in (307, 308):
            return Hop(exchange.method, target, resends_form=True)
        return Hop("GET", target)
    if "html" not in (exchange.response_header("Content-Type") or ""):
        return None
    form = find_auto_post_form(exchange.response_body.decode("utf-8", "replace"), exchange.url)
    return None if form is None else Hop("POST", form.action, form.fields)
