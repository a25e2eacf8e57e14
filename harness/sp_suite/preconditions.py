"""When a scenario applies: preconditions declared on the scenario, read at run time and before a run.

A precondition names the target setting that would make the scenario applicable, so a skip's reason
in the report says what to set, and ``conformance check-target`` lists every scenario that will skip,
with that setting, before anything runs. Both read the same declarations (schemathesis keeps a check's
preconditions in decorators beside it, not as ``if``s inside its body)::

    @requires(LOGIN_URL)
    @sp_scenario(id="SP-IRT-16A", ...)
    def test_wrong_in_response_to_is_rejected(sp: SpDriver) -> None: ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from harness.mock_1177_idp.spec import LOA2
from harness.personnummer import is_samordningsnummer
from harness.sp_suite.target import SpTarget

__all__ = [
    "CENTURY_TWIN",
    "CONDITIONS_SKEW",
    "DATA_PAGES",
    "ENCRYPTION_KEY",
    "LOA2_REFUSED",
    "LOGIN_URL",
    "NAMED_CONTACT",
    "ONE_ATTRIBUTE_NAME",
    "PERSONNUMMER_CONTACT",
    "PROXY",
    "SUBJECT_CONFIRMATION_SKEW",
    "TWO_CONTACTS",
    "UNSOLICITED_ALLOWED",
    "UNSOLICITED_REFUSED",
    "Facts",
    "Precondition",
    "preconditions_of",
    "requires",
    "unmet",
]

F = TypeVar("F", bound=Callable[..., Any])
_ATTRIBUTE = "__sp_preconditions__"


@dataclass(frozen=True, slots=True)
class Facts:
    """What decides whether a scenario applies: the target's [sp] section and the SP's metadata."""

    sp: SpTarget
    publishes_encryption_key: bool | None  # None: the SP's metadata was not read (check-target only)


@dataclass(frozen=True, slots=True)
class Precondition:
    """Something a scenario needs from the target; ``setting`` says what enables it."""

    setting: str
    reason: str  # why the scenario cannot run without it
    holds: Callable[[Facts], bool]

    @property
    def skip_reason(self) -> str:
        return f"{self.reason}; to run it, set {self.setting}"


def requires(*conditions: Precondition) -> Callable[[F], F]:
    """Declare what the decorated scenario needs; unmet, it is skipped with the setting to change."""

    def attach(function: F) -> F:
        setattr(function, _ATTRIBUTE, (*preconditions_of(function), *conditions))
        return function

    return attach


def preconditions_of(function: object) -> tuple[Precondition, ...]:
    found = getattr(function, _ATTRIBUTE, ())
    return tuple(found) if isinstance(found, tuple) else ()


def unmet(function: object, facts: Facts) -> tuple[Precondition, ...]:
    return tuple(p for p in preconditions_of(function) if not p.holds(facts))


def _markers(sp: SpTarget) -> int:
    return sum(1 for c in sp.contacts if c.data_marker)


def _login_contacts(sp: SpTarget) -> list[str]:
    return [
        c.personnummer
        for c in sp.contacts
        if sp.accepts_samordningsnummer or not is_samordningsnummer(c.personnummer)
    ]


LOGIN_URL = Precondition(
    'login_url = "<the URL that starts your SP\'s own login>"',
    "the target declares no login_url, so it has no SP-initiated login to test",
    lambda f: bool(f.sp.login_url),
)
UNSOLICITED_ALLOWED = Precondition(
    "allow_unsolicited = true (if your SP accepts IdP-initiated login)",
    "the target does not accept unsolicited Responses (allow_unsolicited = false)",
    lambda f: f.sp.allow_unsolicited,
)
UNSOLICITED_REFUSED = Precondition(
    "allow_unsolicited = false and login_url (if your SP accepts only Responses to its own requests)",
    "the target accepts unsolicited Responses, or has no login_url to start a request with",
    lambda f: not f.sp.allow_unsolicited and bool(f.sp.login_url),
)
ENCRYPTION_KEY = Precondition(
    "an encryption KeyDescriptor in your SP's metadata (if your SP decrypts assertions)",
    "the SP's metadata publishes no encryption key, so 1177 cannot encrypt to it",
    lambda f: f.publishes_encryption_key is not False,
)
DATA_PAGES = Precondition(
    "data_urls and a data_marker on at least two [[sp.contacts]] (the session probe can be a data page)",
    "the target declares fewer than two contacts with a data_marker, or no data_urls",
    lambda f: _markers(f.sp) >= 2 and bool(f.sp.data_urls),
)
TWO_CONTACTS = Precondition(
    "a second [[sp.contacts]] entry that may log in",
    "the target declares fewer than two contacts that may log in",
    lambda f: len(_login_contacts(f.sp)) >= 2,
)
CENTURY_TWIN = Precondition(
    'century_twin = ["<a contact born 19YY>", "<the 20YY number with the same last 10 digits>"]',
    "the target declares no century_twin pair",
    lambda f: f.sp.century_twin is not None,
)
NAMED_CONTACT = Precondition(
    "given_name, surname and data_marker on a [[sp.contacts]] entry (the name your SP holds)",
    "the target declares no contact's name (given_name, surname) with a data_marker",
    lambda f: any(c.given_name and c.surname and c.data_marker for c in f.sp.contacts),
)
ONE_ATTRIBUTE_NAME = Precondition(
    'personnummer_attribute = "urn:oid:1.2.752.29.4.13" or "Subject_SerialNumber" (not "both")',
    "the target reads both attribute names, so no name is undeclared",
    lambda f: f.sp.personnummer_attribute != "both",
)
PERSONNUMMER_CONTACT = Precondition(
    "a [[sp.contacts]] entry holding a personnummer (not a samordningsnummer)",
    "the target declares no contact with a personnummer that may log in",
    lambda f: any(not is_samordningsnummer(n) for n in _login_contacts(f.sp)),
)
PROXY = Precondition(
    "honours_proxy = true and proxy_port = <the port your SP's HTTP(S)_PROXY names>",
    "the target does not declare honours_proxy = true, so its outbound calls cannot be watched",
    lambda f: f.sp.honours_proxy,
)
LOA2_REFUSED = Precondition(
    "accepted_loa without http://id.elegnamnden.se/loa/1.0/loa2",
    "the target declares loa2 among its accepted levels of assurance",
    lambda f: LOA2 not in f.sp.accepted_loa,
)
CONDITIONS_SKEW = Precondition(
    "clock_skew_seconds (or conditions_skew_seconds) of 2 or more: your SP's allowance",
    "the target declares no clock skew for Conditions (0 s), so nothing lies within it",
    lambda f: f.sp.skew.conditions >= 2,
)
SUBJECT_CONFIRMATION_SKEW = Precondition(
    "clock_skew_seconds (or subject_confirmation_skew_seconds) of 2 or more: your SP's allowance",
    "the target declares no clock skew for SubjectConfirmationData (0 s), so nothing lies within it",
    lambda f: f.sp.skew.subject_confirmation >= 2,
)
