"""Checks over what a login attempt showed: small, named, pure, registered with their rule.

Each check reads recorded evidence only (an :class:`Attempt`: the session probe, the data pages, the
navigation) and returns findings; none touches the network. Registration (:mod:`.registry`) states
the requirement a check verifies, or that it verifies its caller's rule (``rule=``); the registry
stamps every finding with the check's name, its weight and the rule's sources from the catalogue.
Whether a login happened is read from the session probe and the data pages, never from the ACS's
HTTP status. Data markers match as whole tokens: ``Program 12`` is not found in ``Program 123``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from harness.core.findings import Finding, Severity, mismatch
from harness.personnummer import TestNumbers, century_twin
from harness.sp_suite.oracle import Attempt
from harness.sp_suite.registry import sp_check
from harness.sp_suite.target import SpTarget

__all__ = [
    "acs_served_over_tls",
    "contains_token",
    "declared_skew_probably_too_large",
    "declared_test_numbers",
    "names_not_garbled",
    "no_http_error_for_saml_error",
    "no_redirect_away",
    "no_session",
    "session_for",
    "session_not_for",
    "shows_marker",
    "shows_no_marker",
    "signed_value_accepted_as_personnummer",
]


def _mismatch(element: str, expected: object, actual: object, ids: Sequence[str] = ()) -> Finding:
    """A finding; the registry fills in the check's name, weight and rule."""
    return mismatch("", element, expected, actual, exchange_ids=tuple(ids))


def contains_token(text: str, marker: str) -> bool:
    """``marker`` occurs in ``text`` (HTML entities decoded) as a whole token: not preceded or followed
    by a letter or digit, so a marker is never found inside a longer word or number."""
    if not marker:
        return False
    pattern = rf"(?<![^\W_]){re.escape(marker)}(?![^\W_])"
    return re.search(pattern, html.unescape(text)) is not None


@sp_check()
def session_for(attempt: Attempt, personnummer: str, *, rule: str) -> list[Finding]:
    """The session probe names exactly ``personnummer`` (12 digits, as the Assertion carried it)."""
    if attempt.probe.personnummer == personnummer:
        return []
    actual = f"a session for {attempt.probe.personnummer}" if attempt.probe.has_session else "no session"
    return [
        _mismatch(
            "session probe",
            f"a session for {personnummer}",
            f"{actual} (HTTP {attempt.probe.status})",
            attempt.exchange_ids,
        )
    ]


@sp_check()
def no_session(attempt: Attempt, *, rule: str) -> list[Finding]:
    """The session probe shows no session: the Response was rejected, whatever the HTTP status."""
    if not attempt.probe.has_session:
        return []
    return [
        _mismatch(
            "session probe",
            "no session (the Response rejected)",
            f"a session for {attempt.probe.personnummer}",
            attempt.exchange_ids,
        )
    ]


@sp_check()
def session_not_for(attempt: Attempt, personnummer: str, *, rule: str) -> list[Finding]:
    """The session, if any, is not for ``personnummer`` (e.g. a century twin's contact)."""
    if attempt.probe.personnummer != personnummer:
        return []
    return [
        _mismatch(
            "session probe",
            f"no session for {personnummer}",
            f"a session for {personnummer}",
            attempt.exchange_ids,
        )
    ]


@sp_check()
def shows_marker(attempt: Attempt, marker: str, *, rule: str) -> list[Finding]:
    """Some data page shows the contact's own data marker (the SP matched the contact). Without a
    marker or without data pages there is nothing to judge."""
    if not marker or not attempt.pages or any(contains_token(t, marker) for t in attempt.pages.values()):
        return []
    return [_mismatch("data pages", f"the contact's data ({marker!r})", "none of it", attempt.exchange_ids)]


@sp_check()
def shows_no_marker(attempt: Attempt, markers: Iterable[str], *, rule: str) -> list[Finding]:
    """No data page shows any of ``markers`` (other contacts' data) as a whole token."""
    return [
        _mismatch(
            f"data page {url}",
            f"no {marker!r} (data this browser's session may not see)",
            f"{marker!r} shown",
            attempt.exchange_ids,
        )
        for url, text in attempt.pages.items()
        for marker in markers
        if contains_token(text, marker)
    ]


@sp_check(requirement="SP-R-NAMES-SHOWN")
def names_not_garbled(attempt: Attempt, names: Sequence[str]) -> list[Finding]:
    """No data page shows a name as UTF-8 bytes read as Latin-1 ("Ã–berg" for "Öberg")."""
    garbled = [n.encode("utf-8").decode("latin-1") for n in names if n != n.encode("utf-8").decode("latin-1")]
    return [
        _mismatch(
            f"data page {url}",
            "the names as sent (UTF-8)",
            "a name garbled (UTF-8 read as Latin-1)",
            attempt.exchange_ids,
        )
        for url, text in attempt.pages.items()
        if any(g in html.unescape(text) for g in garbled)
    ]


@sp_check(requirement="SP-R-RELAY-26")
def no_redirect_away(attempt: Attempt) -> list[Finding]:
    """The SP never sent the browser to a host other than itself and the IdP (RelayState open redirect)."""
    return [
        _mismatch("Location after login", "the SP's own pages", url, attempt.exchange_ids)
        for url in attempt.left_for
    ]


@sp_check(requirement="SP-R-TLS-29B")
def no_http_error_for_saml_error(attempt: Attempt) -> list[Finding]:
    """The ACS answers a refused or failed SAML Response with a page, not an HTTP error status."""
    post = attempt.acs_post
    if post is None or post.status is None or post.status < 400:
        return []
    return [
        _mismatch(
            "ACS HTTP status",
            "a page (2xx/3xx) telling the user the login failed",
            f"HTTP {post.status}",
            (post.id,),
        )
    ]


@sp_check(requirement="SP-R-TLS-29")
def acs_served_over_tls(acs_urls: Sequence[str]) -> list[Finding]:
    """Every AssertionConsumerService location (target file and SP metadata) is https."""
    return [
        _mismatch("AssertionConsumerService/@Location", "an https:// URL", url)
        for url in acs_urls
        if urlsplit(url).scheme != "https"
    ]


@sp_check(requirement="SP-R-TD-30")
def declared_test_numbers(sp: SpTarget, numbers: TestNumbers) -> list[Finding]:
    """Contacts and not_contacts are Skatteverket test numbers; a century twin is the 20YY twin of one,
    born in the future, so no real person has it."""
    declared = [*(c.personnummer for c in sp.contacts), *sp.not_contacts]
    if sp.century_twin:
        declared.append(sp.century_twin[0])
    findings = [
        _mismatch("target personnummer", "a Skatteverket test number", number)
        for number in dict.fromkeys(declared)
        if not numbers.contains(number)
    ]
    if sp.century_twin and sp.century_twin[1] != century_twin(sp.century_twin[0]):
        twin = sp.century_twin
        findings.append(_mismatch("century_twin", f"the 20YY twin of {twin[0]}", twin[1]))
    return findings


@sp_check(requirement="SP-R-PNR-21", severity=Severity.NOTE)
def signed_value_accepted_as_personnummer(attempt: Attempt, signed_value: str) -> list[Finding]:
    """Context for a comment scenario: the SP read the whole signed value (correct for the comment),
    but took a value that is no personnummer as one (a form rule, judged by its own scenario)."""
    if attempt.probe.personnummer != signed_value:
        return []
    return [
        _mismatch(
            "personnummer read",
            "the whole signed value refused, as it is no 12-digit personnummer (see SP-PNR-21G)",
            f"a session for the {len(signed_value)}-digit value {signed_value}: read whole, accepted",
            attempt.exchange_ids,
        )
    ]


@sp_check(requirement="SP-R-TIME-TOLERANCE", severity=Severity.NOTE)
def declared_skew_probably_too_large(
    refused: Attempt, control: Attempt, setting: str, seconds: int
) -> list[Finding]:
    """A within-skew login was refused while the same login without any time shift worked: the skew
    the target declares for this window probably exceeds the SP's own allowance."""
    if refused.probe.has_session or not control.probe.has_session:
        return []
    return [
        _mismatch(
            f"{setting} = {seconds}",
            "your SP's own clock-skew allowance for this window",
            f"probably more than your SP allows: a login shifted by {seconds // 2} s was refused, "
            "the same login unshifted was accepted; set it to your SP's allowance",
            (*refused.exchange_ids, *control.exchange_ids),
        )
    ]
