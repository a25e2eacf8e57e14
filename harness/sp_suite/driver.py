"""Driving the SP: one login attempt through a fresh emulated browser, then the probe and the data pages.

Two flows (saml-1177.md §1.2; the harness supports both):

- **unsolicited** (IdP-initiated, SAML Profiles 4.1.5): the mock IdP builds the Response and the
  browser posts its auto-submitting form to the ACS;
- **sp-initiated**: the browser starts at the SP's ``login_url``, the SP redirects it to the IdP with
  an AuthnRequest, and the IdP's autopilot answers that request at once with the Response.

The browser only follows redirects and forms to the SP and the IdP; a redirect elsewhere (an open
redirect through RelayState) is recorded in ``Attempt.left_for`` and not followed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pytest

from harness.browser import Browser, next_hop
from harness.core.exchange import Exchange
from harness.core.findings import Finding
from harness.core.scenario import ScenarioRecord
from harness.mock_1177_idp.builder import AttributeProfile, ResponseSpec, build_message
from harness.mock_1177_idp.persons import Person
from harness.sp_suite import checks
from harness.sp_suite.environment import SpEnvironment
from harness.sp_suite.oracle import Attempt, read_probe

__all__ = ["FLOWS", "LoginOptions", "SpDriver"]

FLOWS = ("unsolicited", "sp-initiated")


@dataclass(frozen=True, slots=True)
class LoginOptions:
    """How the Response is shaped, beyond the named mutations."""

    attribute_profile: AttributeProfile | None = None  # None: as the target's personnummer_attribute says
    sign_response: bool = True
    sign_assertion: bool = True
    encrypt: bool = False  # EncryptedAssertion for the SP's published encryption certificate


class SpDriver:
    """Drives logins for one scenario; every exchange lands in the scenario's record."""

    def __init__(self, env: SpEnvironment, record: ScenarioRecord) -> None:
        self.env = env
        self.record = record

    # -- who logs in -------------------------------------------------------------------------

    def contact(self, index: int = 0) -> Person:
        """The target's ``index``-th contact that may log in, as the IdP names them."""
        return self.env.person(self.env.login_contacts[index])

    def stranger(self, index: int = 0) -> Person:
        """A Skatteverket test person the target does not hold as a contact."""
        return self.env.person(self.env.strangers[index])

    @property
    def default_flow(self) -> str:
        """SP-initiated when the target has a login URL, else unsolicited (only if it allows that)."""
        return "sp-initiated" if self.env.sp.login_url else "unsolicited"

    # -- acting ------------------------------------------------------------------------------

    def login(
        self,
        person: Person,
        mutations: Sequence[str] = (),
        *,
        flow: str = "",
        relay_state: str = "",
        options: LoginOptions = LoginOptions(),
        browser: Browser | None = None,
    ) -> Attempt:
        """One login: a fresh browser unless ``browser`` continues a session; then probe and pages."""
        flow = flow or self.default_flow
        if flow not in FLOWS:
            raise ValueError(f"flow must be one of {FLOWS}")
        browser = browser or self.new_browser()
        start = len(self.record.recorder.exchanges)
        if flow == "unsolicited":
            form = self._unsolicited_form(person, mutations, relay_state, options)
            left = self._follow(browser, "POST", self.env.sp.acs_url, form)
        else:
            self.env.idp.answer_next(
                person,
                tuple(mutations),
                attribute_profile=self._profile(options),
                sign_response=options.sign_response,
                sign_assertion=options.sign_assertion,
                encrypt=options.encrypt,
                relay_state=relay_state or None,
                other_person=self.env.other_person_for(person),  # the target's own contact, not a fixed one
            )
            try:
                left = self._follow(browser, "GET", self.env.sp.login_url, None)
            finally:
                self.env.idp.disarm()
        return self._observe(person.personnummer, flow, browser, start, left)

    def replay(self, attempt: Attempt) -> Attempt:
        """Post exactly the same SAMLResponse form again, from a fresh browser (SAML Profiles 4.1.4.5)."""
        if attempt.posted_form is None:
            raise ValueError("the attempt never posted a SAMLResponse to the ACS")
        browser = self.new_browser()
        start = len(self.record.recorder.exchanges)
        left = self._follow(browser, "POST", self.env.sp.acs_url, dict(attempt.posted_form))
        return self._observe(attempt.personnummer, "replay", browser, start, left)

    def revisit(self, attempt: Attempt) -> Attempt:
        """Probe and data pages again in the attempt's browser (nothing posted)."""
        start = len(self.record.recorder.exchanges)
        return self._observe(attempt.personnummer, attempt.flow, attempt.browser, start, ())

    def new_browser(self) -> Browser:
        return Browser(self.record.recorder, marker=self.env.browser_marker, verify=self.env.verify)

    # -- judging helpers every scenario uses --------------------------------------------------

    def accepted(self, attempt: Attempt, person: Person, *, ref: str = checks.REF_LOGIN) -> list[Finding]:
        """Logged in as ``person``, and shown only their data (their marker if they are a contact)."""
        own = self.env.marker_of(person.personnummer)
        others = [m for m in self.env.markers if m != own]
        return [
            *checks.session_for(attempt, person.personnummer, ref=ref),
            *checks.shows_marker(attempt, own),
            *checks.shows_no_marker(attempt, others),
        ]

    def rejected(self, attempt: Attempt, *, ref: str = checks.REF_REJECT) -> list[Finding]:
        """No session and no contact's data: the Response was refused, whatever the HTTP status."""
        return [
            *checks.no_session(attempt, ref=ref),
            *checks.shows_no_marker(attempt, self.env.markers, ref=ref),
        ]

    def positive_control(
        self,
        person: Person | None = None,
        *,
        flow: str = "",
        relay_state: str = "",
        options: LoginOptions = LoginOptions(),
    ) -> Attempt:
        """The unmutated login must work first, or a rejection proves nothing (DESIGN.md)."""
        person = person or self.contact()
        attempt = self.login(person, flow=flow, relay_state=relay_state, options=options)
        self.record.positive_control(f"unmutated {attempt.flow} login", self.accepted(attempt, person))
        return attempt

    def judge(self, findings: Sequence[Finding]) -> None:
        self.record.add(findings)

    def expect_rejected(
        self,
        *mutations: str,
        person: Person | None = None,
        flow: str = "",
        options: LoginOptions = LoginOptions(),
        ref: str = checks.REF_REJECT,
        control_flow: str = "",
    ) -> Attempt:
        """The common negative scenario: positive control, then the mutated login must leave no session."""
        person = person or self.contact()
        self.positive_control(person, flow=control_flow or flow)  # the baseline Response, same person
        attempt = self.login(person, mutations, flow=flow, options=options)
        self.judge(self.rejected(attempt, ref=ref))
        return attempt

    def expect_accepted(
        self,
        *mutations: str,
        person: Person | None = None,
        flow: str = "",
        options: LoginOptions = LoginOptions(),
        ref: str = checks.REF_LOGIN,
    ) -> Attempt:
        """The common positive scenario: the (benignly changed) login must work for the contact."""
        person = person or self.contact()
        attempt = self.login(person, mutations, flow=flow, options=options)
        self.judge(self.accepted(attempt, person, ref=ref))
        return attempt

    def exercise(self) -> tuple[Attempt, ...]:
        """A representative visit of its own, for the rules judged over everything the SP did.

        Every contact that may log in logs in (with the probe and the data pages), and a person who is
        no contact tries to, so that a nothing-back verdict rests on this scenario's own traffic and
        never on what else ran before it (or was deselected with -k).
        """
        attempts = [self.login(self.env.person(number)) for number in self.env.login_contacts]
        attempts.append(self.login(self.stranger()))
        return tuple(attempts)

    def unsolicited_or_skip(self) -> str:
        """The unsolicited flow, or skip: the target does not accept IdP-initiated login (its policy)."""
        if not self.env.sp.allow_unsolicited:
            pytest.skip("the target does not accept unsolicited Responses (allow_unsolicited = false)")
        return "unsolicited"

    def sp_initiated_or_skip(self) -> str:
        if not self.env.sp.login_url:
            pytest.skip("the target declares no login_url, so it has no SP-initiated login to test")
        return "sp-initiated"

    # -- internals ---------------------------------------------------------------------------

    def _profile(self, options: LoginOptions) -> AttributeProfile:
        if options.attribute_profile is not None:
            return options.attribute_profile
        return self.env.attribute_profile

    def _unsolicited_form(
        self, person: Person, mutations: Sequence[str], relay_state: str, options: LoginOptions
    ) -> dict[str, str]:
        spec = ResponseSpec(
            sp_entity_id=self.env.sp.entity_id,
            acs_url=self.env.sp.acs_url,
            person=person,
            attribute_profile=self._profile(options),
            sign_response=options.sign_response,
            sign_assertion=options.sign_assertion,
            encrypt_assertion_for=self.env.sp_encryption_certificate if options.encrypt else None,
            relay_state=relay_state,
            other_person=self.env.other_person_for(person),
        )
        message = build_message(
            spec,
            self.env.idp_identity,
            self.env.clock,
            mutations,
            skew_seconds=self.env.sp.clock_skew_seconds,
        )
        return self.env.post_form_fields(message)

    def _follow(
        self, browser: Browser, method: str, url: str, form: Mapping[str, str] | None
    ) -> tuple[str, ...]:
        """Navigate like a browser, but only to the SP and the IdP; return where else it was sent."""
        hops = browser.navigate(method, url, form=form, tags=("login",), stay_within=self.env.is_ours)
        hop = next_hop(hops[-1]) if hops else None
        return (hop.url,) if hop is not None and not self.env.is_ours(hop.url) else ()

    def _observe(
        self, personnummer: str, flow: str, browser: Browser, start: int, left: Sequence[str]
    ) -> Attempt:
        hops = self.record.recorder.since(start)
        probe_exchange = browser.request("GET", self.env.sp.session_probe.url, tags=("probe",))
        pages: dict[str, str] = {}
        for url in self.env.sp.data_urls:
            page = browser.request("GET", url, tags=("data",))
            pages[url] = page.response_body.decode("utf-8", "replace")
        evidence = self.record.recorder.since(start)
        posted = _posted_form(hops)
        return Attempt(
            personnummer=personnummer,
            flow=flow,
            hops=hops,
            probe=read_probe(probe_exchange, self.env.sp.session_probe),
            pages=pages,
            evidence=evidence,
            browser=browser,
            posted_form=posted,
            left_for=tuple(left),
        )


def _posted_form(hops: Sequence[Exchange]) -> dict[str, str] | None:
    for hop in hops:
        if hop.method == "POST" and b"SAMLResponse=" in hop.request_body:
            return dict(parse_qsl(hop.request_body.decode("ascii", "replace"), keep_blank_values=True))
    return None
