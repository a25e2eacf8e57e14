"""The oracle: reading the target's session probe, the one place that says who is logged in.

A verdict rests on the probe and the data pages, never on the ACS's HTTP status (a friendly error
page served with 200 and no session is a correct rejection; a 4xx that still sets a session is not).
The probe answers 200 with the logged-in personnummer, or anything else without a session; the
target file says where the personnummer is, as a JSON pointer (RFC 6901) or a regex.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from harness.browser import Browser
from harness.core.exchange import Exchange
from harness.sp_suite.target import SessionProbe

__all__ = ["Attempt", "Probe", "json_pointer", "read_probe"]


@dataclass(frozen=True, slots=True)
class Probe:
    """What the session probe said after an attempt."""

    status: int | None
    personnummer: str | None  # None: no session
    exchange_id: str = ""

    @property
    def has_session(self) -> bool:
        return self.personnummer is not None


def json_pointer(document: object, pointer: str) -> object:
    """Resolve an RFC 6901 pointer; ``KeyError`` when the path does not exist."""
    if pointer in ("", "/"):
        return document
    value = document
    for raw in pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            raise KeyError(pointer)
    return value


def _personnummer_from(body: str, probe: SessionProbe) -> str | None:
    if probe.personnummer_pointer:
        try:
            value = json_pointer(json.loads(body), probe.personnummer_pointer)
        except (ValueError, KeyError):
            return None
        return str(value) if isinstance(value, str | int) and str(value) else None
    match = re.search(probe.personnummer_regex, body)
    if match is None:
        return None
    found = match.group(1) if match.groups() else match.group(0)
    return found or None


def read_probe(exchange: Exchange, probe: SessionProbe) -> Probe:
    """A session exists only when the probe answers 200 and names a personnummer."""
    personnummer = None
    if exchange.status == 200:
        personnummer = _personnummer_from(exchange.response_body.decode("utf-8", "replace"), probe)
    return Probe(status=exchange.status, personnummer=personnummer, exchange_id=exchange.id)


@dataclass(frozen=True)
class Attempt:
    """One login attempt through the emulated browser, and what the target showed afterwards."""

    personnummer: str  # whom the Response named (the unmutated value)
    flow: str  # "unsolicited" or "sp-initiated"
    hops: tuple[Exchange, ...]  # the login navigation: IdP, ACS, the SP's redirects
    probe: Probe
    pages: Mapping[str, str]  # data URL -> page text
    evidence: tuple[Exchange, ...]  # hops + probe + data pages
    browser: Browser = field(repr=False)
    posted_form: Mapping[str, str] | None = None  # the SAMLResponse form the browser posted to the ACS
    left_for: tuple[str, ...] = ()  # redirects the browser was told to follow away from the SP and the IdP

    @property
    def exchange_ids(self) -> tuple[str, ...]:
        return tuple(x.id for x in self.evidence)

    @property
    def acs_post(self) -> Exchange | None:
        """The browser's POST of the SAMLResponse to the ACS, if it got that far."""
        return next((x for x in self.hops if x.method == "POST" and b"SAMLResponse=" in x.request_body), None)
