"""Checks over what an attempt showed and what reached 1177's side: small, named, pure.

Each check reads recorded evidence only (an :class:`Attempt`, the IdP's traffic log) and returns
findings; none touches the network (STYLE.md lesson 5). A check's name is its id in findings, every
finding names the element, cites the rule and points at the exchanges it rests on. Whether a login
happened is read from the session probe and the data pages, never from the ACS's HTTP status.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from urllib.parse import unquote_plus, urlsplit

from harness.browser import BROWSER_MARKER_HEADER
from harness.core.exchange import Exchange
from harness.core.findings import Finding, mismatch
from harness.personnummer import TestNumbers, century_twin
from harness.saml_bindings import find_saml
from harness.sp_suite.oracle import Attempt
from harness.sp_suite.target import SpTarget

__all__ = [
    "PersonalData",
    "acs_served_over_tls",
    "declared_test_numbers",
    "names_not_garbled",
    "no_back_channel",
    "no_http_error_for_saml_error",
    "no_outbound_call_to_idp",
    "no_personal_data_in_outbound_calls",
    "no_personal_data_sent_to_idp",
    "no_redirect_away",
    "no_session",
    "session_for",
    "session_not_for",
    "shows_marker",
    "shows_no_marker",
]

REF_LOGIN = "SAML Profiles 4.1.4.3; SAML Bindings 3.5.4"
REF_REJECT = "SC Deployment Profile §6.3 (any failed check MUST lead to rejection)"
REF_ISOLATION = "DESIGN.md (the SP shows only the matched contact's data)"
REF_NOTHING_BACK = "DESIGN.md (no information goes back to 1177); ExorLive 1177 integration"


def session_for(attempt: Attempt, personnummer: str, *, ref: str = REF_LOGIN) -> list[Finding]:
    """The session probe names exactly ``personnummer`` (12 digits, as the Assertion carried it)."""
    if attempt.probe.personnummer == personnummer:
        return []
    actual = f"a session for {attempt.probe.personnummer}" if attempt.probe.has_session else "no session"
    return [
        mismatch(
            "session_for",
            "session probe",
            f"a session for {personnummer}",
            f"{actual} (HTTP {attempt.probe.status})",
            ref=ref,
            exchange_ids=attempt.exchange_ids,
        )
    ]


def no_session(attempt: Attempt, *, ref: str = REF_REJECT) -> list[Finding]:
    """The session probe shows no session: the Response was rejected, whatever the HTTP status."""
    if not attempt.probe.has_session:
        return []
    return [
        mismatch(
            "no_session",
            "session probe",
            "no session (the Response rejected)",
            f"a session for {attempt.probe.personnummer}",
            ref=ref,
            exchange_ids=attempt.exchange_ids,
        )
    ]


def session_not_for(attempt: Attempt, personnummer: str, *, ref: str) -> list[Finding]:
    """The session, if any, is not for ``personnummer`` (e.g. a century twin's contact)."""
    if attempt.probe.personnummer != personnummer:
        return []
    return [
        mismatch(
            "session_not_for",
            "session probe",
            f"no session for {personnummer}",
            f"a session for {personnummer}",
            ref=ref,
            exchange_ids=attempt.exchange_ids,
        )
    ]


def shows_marker(attempt: Attempt, marker: str, *, ref: str = REF_ISOLATION) -> list[Finding]:
    """Some data page shows the contact's own data marker (the SP matched the contact)."""
    if not marker or any(marker in text for text in attempt.pages.values()):
        return []
    return [
        mismatch(
            "shows_marker",
            "data pages",
            f"the contact's data ({marker!r})",
            "none of it",
            ref=ref,
            exchange_ids=attempt.exchange_ids,
        )
    ]


def shows_no_marker(attempt: Attempt, markers: Iterable[str], *, ref: str = REF_ISOLATION) -> list[Finding]:
    """No data page shows any of ``markers`` (other contacts' data)."""
    return [
        mismatch(
            "shows_no_marker",
            f"data page {url}",
            f"no {marker!r} (data this browser's session may not see)",
            f"{marker!r} shown",
            ref=ref,
            exchange_ids=attempt.exchange_ids,
        )
        for url, text in attempt.pages.items()
        for marker in markers
        if marker and marker in text
    ]


def names_not_garbled(
    attempt: Attempt, names: Sequence[str], *, ref: str = "SC Attribute Specification §3.1.1 (UTF-8)"
) -> list[Finding]:
    """No data page shows a name as UTF-8 bytes read as Latin-1 ("Ã–berg" for "Öberg")."""
    garbled = [n.encode("utf-8").decode("latin-1") for n in names if n != n.encode("utf-8").decode("latin-1")]
    return [
        mismatch(
            "names_not_garbled",
            f"data page {url}",
            "the names as sent (UTF-8)",
            "a name garbled (UTF-8 read as Latin-1)",
            ref=ref,
            exchange_ids=attempt.exchange_ids,
        )
        for url, text in attempt.pages.items()
        if any(g in html.unescape(text) for g in garbled)
    ]


def no_redirect_away(
    attempt: Attempt, *, ref: str = "SAML Bindings 3.5.3; OWASP open redirect"
) -> list[Finding]:
    """The SP never sent the browser to a host other than itself and the IdP (RelayState open redirect)."""
    return [
        mismatch(
            "no_redirect_away",
            "Location after login",
            "the SP's own pages",
            url,
            ref=ref,
            exchange_ids=attempt.exchange_ids,
        )
        for url in attempt.left_for
    ]


def no_http_error_for_saml_error(attempt: Attempt, *, ref: str = "SAML Bindings 3.5.6") -> list[Finding]:
    """The ACS answers a refused or failed SAML Response with a page, not an HTTP error status."""
    post = attempt.acs_post
    if post is None or post.status is None or post.status < 400:
        return []
    return [
        mismatch(
            "no_http_error_for_saml_error",
            "ACS HTTP status",
            "a page (2xx/3xx) telling the user the login failed",
            f"HTTP {post.status}",
            ref=ref,
            exchange_ids=(post.id,),
        )
    ]


def acs_served_over_tls(acs_urls: Sequence[str], *, ref: str = "SC Deployment Profile §6.1") -> list[Finding]:
    """Every AssertionConsumerService location (target file and SP metadata) is https."""
    return [
        mismatch("acs_served_over_tls", "AssertionConsumerService/@Location", "an https:// URL", url, ref=ref)
        for url in acs_urls
        if urlsplit(url).scheme != "https"
    ]


def declared_test_numbers(sp: SpTarget, numbers: TestNumbers) -> list[Finding]:
    """Contacts and not_contacts are Skatteverket test numbers; a century twin is the 20YY twin of one,
    born in the future, so no real person has it (DESIGN.md, personnummer rules)."""
    ref = "Skatteverket open data: testpersonnummer; DESIGN.md"
    declared = [*(c.personnummer for c in sp.contacts), *sp.not_contacts]
    if sp.century_twin:
        declared.append(sp.century_twin[0])
    findings = [
        mismatch(
            "declared_test_numbers", "target personnummer", "a Skatteverket test number", number, ref=ref
        )
        for number in dict.fromkeys(declared)
        if not numbers.contains(number)
    ]
    if sp.century_twin and sp.century_twin[1] != century_twin(sp.century_twin[0]):
        twin = sp.century_twin
        findings.append(
            mismatch("declared_test_numbers", "century_twin", f"the 20YY twin of {twin[0]}", twin[1], ref=ref)
        )
    return findings


def no_back_channel(traffic: Sequence[Exchange], browser_marker: str) -> list[Finding]:
    """Every request that reached the IdP came from the citizen's browser, none from the SP itself."""
    return [
        mismatch(
            "no_back_channel",
            f"request to 1177: {x.method} {_path(x.url)}",
            "only the citizen's browser calls 1177",
            f"a call without the browser's marker (from {x.peer or 'an unknown client'})",
            ref=REF_NOTHING_BACK,
            exchange_ids=(x.id,),
        )
        for x in traffic
        if x.request_header(BROWSER_MARKER_HEADER) != browser_marker
    ]


class PersonalData:
    """The strings that would reveal a test person to 1177: personnummer forms and names."""

    def __init__(self, personnummer: Iterable[str], names: Iterable[str]) -> None:
        forms: set[str] = set()
        for number in personnummer:
            forms |= {number, number[2:], f"{number[:8]}-{number[8:]}", f"{number[2:8]}-{number[8:]}"}
        self._forms = frozenset(forms)
        # Whole words only: a surname like "Sten" must not be found inside "persistent".
        self._names = tuple(re.compile(rf"\b{re.escape(n)}\b", re.IGNORECASE) for n in names if len(n) >= 3)

    def found_in(self, text: str) -> str | None:
        """The kind of personal data in ``text`` (never the value itself, which is evidence only)."""
        digits = re.sub(r"(?<=\d)[-+ ](?=\d)", "", text)
        if any(form.replace("-", "") in digits for form in self._forms):
            return "a personnummer"
        if any(name.search(text) for name in self._names):
            return "a name"
        return None


def no_personal_data_sent_to_idp(traffic: Sequence[Exchange], personal: PersonalData) -> list[Finding]:
    """No request that reached 1177 carries a personnummer or a name: URL, query, body or SAML message."""
    return _personal_data_in(
        traffic, personal, "no_personal_data_sent_to_idp", "request to 1177", "what reaches 1177"
    )


def _personal_data_in(
    requests: Sequence[Exchange], personal: PersonalData, check: str, label: str, where: str
) -> list[Finding]:
    """One finding per request whose URL, query or body carries a personnummer or a name."""
    findings: list[Finding] = []
    for x in requests:
        kind = personal.found_in(_readable_request(x))
        if kind is not None:
            findings.append(
                mismatch(
                    check,
                    f"{label}: {x.method} {_path(x.url)}",
                    f"no personal data in {where}",
                    f"{kind} in the URL, query or body",
                    ref=REF_NOTHING_BACK,
                    exchange_ids=(x.id,),
                )
            )
    return findings


def no_redirect_to_idp_with_personal_data(
    hops: Sequence[Exchange], idp_origin: str, personal: PersonalData
) -> list[Finding]:
    """No redirect the SP sends (Location) points at 1177 with personal data in it."""
    findings: list[Finding] = []
    for x in hops:
        location = x.response_header("Location") or ""
        if not location.startswith(idp_origin):
            continue
        kind = personal.found_in(unquote_plus(location))
        if kind is not None:
            findings.append(
                mismatch(
                    "no_redirect_to_idp_with_personal_data",
                    "Location header",
                    "no redirect to 1177 carrying personal data",
                    f"a redirect to 1177 with {kind}",
                    ref=REF_NOTHING_BACK,
                    exchange_ids=(x.id,),
                )
            )
    return findings


def _host_and_port(url: str) -> tuple[str, int]:
    """(host, port) of a URL, ``localhost`` as 127.0.0.1 (both reach the same loopback service)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    default = 443 if parts.scheme == "https" else 80
    try:
        port = parts.port or default
    except ValueError:
        port = default
    return ("127.0.0.1" if host == "localhost" else host), port


def no_outbound_call_to_idp(calls: Sequence[Exchange], idp_base_url: str) -> list[Finding]:
    """None of the SP's outbound calls (through its proxy) went to the IdP's host and port."""
    idp = _host_and_port(idp_base_url)
    return [
        mismatch(
            "no_outbound_call_to_idp",
            f"outbound call: {x.method} {_host_and_port(x.url)[0]}:{_host_and_port(x.url)[1]}",
            "no call from the SP to 1177's host",
            f"a call to 1177's host (from {x.peer or 'an unknown client'})",
            ref=REF_NOTHING_BACK,
            exchange_ids=(x.id,),
        )
        for x in calls
        if _host_and_port(x.url) == idp
    ]


def no_personal_data_in_outbound_calls(calls: Sequence[Exchange], personal: PersonalData) -> list[Finding]:
    """No outbound call the proxy saw (URL, query or body; a CONNECT shows only host:port) carries
    a personnummer or a name."""
    return _personal_data_in(
        calls, personal, "no_personal_data_in_outbound_calls", "outbound call", "the SP's outbound calls"
    )


def _readable_request(x: Exchange) -> str:
    """URL, query and body as a person would read them: percent-decoding and SAML messages decoded."""
    body = x.request_body.decode("utf-8", "replace")
    decoded = find_saml(x.url, body, x.request_header("Content-Type") or "", "", "")
    return "\n".join([unquote_plus(x.url), unquote_plus(body), *(d.xml for d in decoded)])


def _path(url: str) -> str:
    """The URL without its query (which may hold the personal data the finding is about)."""
    return urlsplit(url).path
