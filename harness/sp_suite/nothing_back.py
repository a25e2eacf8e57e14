"""Checks over what reached 1177's side: the jump-out is one-way, nothing about the citizen goes back.

They judge two recordings: the mock IdP's traffic log (every request that reached 1177's host) and,
when the SP honours an outbound proxy, every call the SP made through it. One request is allowed: a
GET of the IdP's published metadata that carries no personal data (an SP refreshing 1177's keys),
shown as information. Any other request from the SP to 1177, and any request carrying a personnummer
or a name, fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import unquote_plus, urlsplit

from harness.browser import BROWSER_MARKER_HEADER
from harness.core.exchange import Exchange
from harness.core.findings import Finding, Severity, mismatch
from harness.sp_suite.idp_side import IdpSide, host_and_port, readable_request
from harness.sp_suite.personal_data import PersonalData
from harness.sp_suite.registry import sp_check

__all__ = [
    "idp_metadata_fetched",
    "no_back_channel",
    "no_outbound_call_to_idp",
    "no_personal_data_in_outbound_calls",
    "no_personal_data_sent_to_idp",
    "no_redirect_to_idp_with_personal_data",
]


def _mismatch(element: str, expected: object, actual: object, ids: Sequence[str]) -> Finding:
    return mismatch("", element, expected, actual, exchange_ids=tuple(ids))


@sp_check(requirement="SP-R-BACK-01")
def no_back_channel(traffic: Sequence[Exchange], browser_marker: str, idp: IdpSide) -> list[Finding]:
    """Every request that reached the IdP came from the citizen's browser, but a metadata fetch."""
    return [
        _mismatch(
            f"request to 1177: {x.method} {_path(x.url)}",
            "only the citizen's browser calls 1177 (or a GET of its published metadata)",
            f"a call without the browser's marker (from {x.peer or 'an unknown client'})",
            (x.id,),
        )
        for x in traffic
        if x.request_header(BROWSER_MARKER_HEADER) != browser_marker and not idp.metadata_fetch(x)
    ]


@sp_check(requirement="SP-R-BACK-01", severity=Severity.NOTE)
def idp_metadata_fetched(calls: Sequence[Exchange], browser_marker: str, idp: IdpSide) -> list[Finding]:
    """Information: the SP fetched 1177's published metadata (allowed: it carries nothing back)."""
    return [
        _mismatch(
            f"request to 1177: {x.method} {_path(x.url)}",
            "nothing from the SP to 1177 but, at most, a GET of the published metadata",
            "a GET of the IdP's published metadata with no personal data (allowed)",
            (x.id,),
        )
        for x in calls
        if x.request_header(BROWSER_MARKER_HEADER) != browser_marker and idp.metadata_fetch(x)
    ]


@sp_check(requirement="SP-R-BACK-02")
def no_personal_data_sent_to_idp(traffic: Sequence[Exchange], personal: PersonalData) -> list[Finding]:
    """No request that reached 1177 carries a personnummer or a name: URL, query, body or SAML message."""
    return _personal_data_in(traffic, personal, "request to 1177", "what reaches 1177")


@sp_check(requirement="SP-R-BACK-02")
def no_redirect_to_idp_with_personal_data(hops: Sequence[Exchange], idp: IdpSide) -> list[Finding]:
    """No redirect the SP sends (Location) points at 1177 with personal data in it."""
    findings: list[Finding] = []
    for x in hops:
        location = x.response_header("Location") or ""
        if not location.startswith(idp.origin):
            continue
        kind = idp.personal.found_in(unquote_plus(location))
        if kind is not None:
            findings.append(
                _mismatch(
                    "Location header",
                    "no redirect to 1177 carrying personal data",
                    f"a redirect to 1177 with {kind}",
                    (x.id,),
                )
            )
    return findings


@sp_check(requirement="SP-R-BACK-01")
def no_outbound_call_to_idp(calls: Sequence[Exchange], idp: IdpSide) -> list[Finding]:
    """None of the SP's outbound calls (through its proxy) went to the IdP's host and port, but a GET
    of the published metadata (a tunnelled CONNECT hides its path, so it counts as a call)."""
    return [
        _mismatch(
            f"outbound call: {x.method} {':'.join(map(str, host_and_port(x.url)))}",
            "no call from the SP to 1177's host (or a GET of its published metadata)",
            f"a call to 1177's host (from {x.peer or 'an unknown client'})",
            (x.id,),
        )
        for x in calls
        if idp.is_idp(x.url) and not idp.metadata_fetch(x)
    ]


@sp_check(requirement="SP-R-BACK-01")
def no_personal_data_in_outbound_calls(calls: Sequence[Exchange], personal: PersonalData) -> list[Finding]:
    """No outbound call the proxy saw (URL, query or body; a CONNECT shows only host:port) carries
    a personnummer or a name."""
    return _personal_data_in(calls, personal, "outbound call", "the SP's outbound calls")


def _personal_data_in(
    requests: Sequence[Exchange], personal: PersonalData, label: str, where: str
) -> list[Finding]:
    """One finding per request whose URL, query or body carries a personnummer or a name."""
    findings: list[Finding] = []
    for x in requests:
        kind = personal.found_in(readable_request(x))
        if kind is not None:
            findings.append(
                _mismatch(
                    f"{label}: {x.method} {_path(x.url)}",
                    f"no personal data in {where}",
                    f"{kind} in the URL, query or body",
                    (x.id,),
                )
            )
    return findings


def _path(url: str) -> str:
    """The URL without its query (which may hold the personal data the finding is about)."""
    return urlsplit(url).path
