"""Driving the SP: one login attempt through a fresh emulated browser, then the probe and the data pages.

Two flows (the harness supports both; whether 1177's jump-out is IdP- or SP-initiated is not public):

- **unsolicited** (IdP-initiated, SAML Profiles 4.1.5): the mock IdP builds the Response and the
  browser posts its auto-submitting form to the ACS;
- **sp-initiated**: the browser starts at the SP's ``login_url``, the SP redirects it to the IdP with
  an AuthnRequest, and the IdP's autopilot answers that request at once with the Response.

How the Response is shaped is one :class:`ResponseOptions` (mutations included). The browser only
follows redirects and forms to the SP and the IdP; a redirect elsewhere (an open redirect through
RelayState) is recorded in ``Attempt.left_for`` and not followed.

Judging: a scenario verifies its first requirement unless it names another (``rule=``); a mutated
login is judged by the mutation's own expectation (:meth:`SpDriver.check`), which the mutation
catalogue records once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl

from harness.browser import Browser, next_hop
from harness.core.exchange import Exchange
from harness.core.findings import Finding
from harness.core.scenario import ScenarioRecord
from harness.mock_1177_idp.builder import ResponseOptions, ResponseSpec, build_message
from harness.mock_1177_idp.mutations import MUTATIONS, Expect
from harness.mock_1177_idp.persons import Person
from harness.sp_suite import checks
from harness.sp_suite.environment import SpEnvironment
from harness.sp_suite.oracle import Attempt, read_probe

__all__ = ["FLOWS", "SpDriver"]

FLOWS = ("unsolicited", "sp-initiated")


class SpDriver:
    """Drives logins for one scenario; every exchange lands in the scenario's record."""

    def __init__(self, env: SpEnvironment, record: ScenarioRecord) -> None:
        self.env = env
        self.record = record

    # -- who logs in, and how ------------------------------------------------------------------

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

    def options(self, *mutations: str, **changes: Any) -> ResponseOptions:
        """The Response as this target agreed it (attribute names, clock skew), with ``mutations``."""
        baseline = ResponseOptions(attribute_profile=self.env.attribute_profile, skew=self.env.sp.skew)
        return replace(baseline, mutations=mutations, **changes)

    # -- acting ------------------------------------------------------------------------------

    def login(
        self,
        person: Person,
        options: ResponseOptions | None = None,
        *,
        flow: str = "",
        browser: Browser | None = None,
    ) -> Attempt:
        """One login: a fresh browser unless ``browser`` continues a session; then probe and pages."""
        flow = flow or self.default_flow
        if flow not in FLOWS:
            raise ValueError(f"flow must be one of {FLOWS}")
        options = self._for(person, options or self.options())
        browser = browser or self.new_browser()
        start = len(self.record.recorder.exchanges)
        if flow == "unsolicited":
            left = self._follow(browser, "POST", self.env.sp.acs_url, self._unsolicited_form(person, options))
        else:
            self.env.idp.answer_next(person, options)
            try:
                left = self._follow(browser, "GET", self.env.sp.login_url, None)
            finally:
                self.env.idp.disarm()
        return self._observe(person.personnummer, flow, browser, start, left)

    def login_beside_pending_request(self, person: Person, options: ResponseOptions | None = None) -> Attempt:
        """An unsolicited Response posted in a browser that has just started the SP's own login: the
        SP's AuthnRequest reaches the IdP and waits there (nobody answers it)."""
        options = self._for(person, options or self.options())
        browser = self.new_browser()
        start = len(self.record.recorder.exchanges)
        self._follow(browser, "GET", self.env.sp.login_url, None)
        left = self._follow(browser, "POST", self.env.sp.acs_url, self._unsolicited_form(person, options))
        return self._observe(person.personnummer, "unsolicited", browser, start, left)

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

    def exercise(self) -> tuple[Attempt, ...]:
        """A representative visit of its own, for the rules judged over everything the SP did.

        Every contact that may log in logs in (with the probe and the data pages), and a person who is
        no contact tries to, so that a nothing-back verdict rests on this scenario's own traffic and
        never on what else ran before it (or was deselected with -k).
        """
        attempts = [self.login(self.env.person(number)) for number in self.env.login_contacts]
        attempts.append(self.login(self.stranger()))
        return tuple(attempts)

    def new_browser(self) -> Browser:
        return Browser(self.record.recorder, marker=self.env.browser_marker, verify=self.env.verify)

    # -- judging -----------------------------------------------------------------------------

    @property
    def rule(self) -> str:
        """The requirement this scenario verifies first: the rule its findings cite by default."""
        return self.record.spec.requirements[0]

    def judge(self, findings: Sequence[Finding]) -> None:
        self.record.add(findings)

    def accepted(self, attempt: Attempt, person: Person, *, rule: str = "") -> list[Finding]:
        """Logged in as ``person``, and shown only their data (their marker if they are a contact)."""
        rule = rule or self.rule
        own = self.env.marker_of(person.personnummer)
        others = [m for m in self.env.markers if m != own]
        return [
            *checks.session_for(attempt, person.personnummer, rule=rule),
            *checks.shows_marker(attempt, own, rule=rule),
            *checks.shows_no_marker(attempt, others, rule=rule),
        ]

    def rejected(self, attempt: Attempt, *, rule: str = "") -> list[Finding]:
        """No session and no contact's data: the Response was refused, whatever the HTTP status."""
        rule = rule or self.rule
        return [
            *checks.no_session(attempt, rule=rule),
            *checks.shows_no_marker(attempt, self.env.markers, rule=rule),
        ]

    def signed_only(self, attempt: Attempt, signed: Person, *, rule: str = "") -> list[Finding]:
        """Only signed content used: rejected, or a session for the signed person alone, showing none
        of any other contact's data (an injected Assertion's person included)."""
        if not attempt.probe.has_session:
            return self.rejected(attempt, rule=rule)
        rule = rule or self.rule
        others = [m for m in self.env.markers if m != self.env.marker_of(signed.personnummer)]
        return [
            *checks.session_for(attempt, signed.personnummer, rule=rule),
            *checks.shows_no_marker(attempt, others, rule=rule),
        ]

    def positive_control(
        self, person: Person | None = None, *, flow: str = "", options: ResponseOptions | None = None
    ) -> Attempt:
        """The unmutated login must work first, or a rejection proves nothing."""
        person = person or self.contact()
        options = replace(options or self.options(), mutations=())
        attempt = self.login(person, options, flow=flow)
        self.record.positive_control(f"unmutated {attempt.flow} login", self.accepted(attempt, person))
        return attempt

    def expect_rejected(
        self,
        *mutations: str,
        person: Person | None = None,
        flow: str = "",
        options: ResponseOptions | None = None,
        control_flow: str = "",
    ) -> Attempt:
        """The common negative scenario: positive control, then the mutated login must leave no session."""
        person = person or self.contact()
        self.positive_control(person, flow=control_flow or flow)  # the baseline Response, same person
        attempt = self.login(person, (options or self.options()).with_mutations(*mutations), flow=flow)
        self.judge(self.rejected(attempt))
        return attempt

    def expect_accepted(
        self,
        *mutations: str,
        person: Person | None = None,
        flow: str = "",
        options: ResponseOptions | None = None,
    ) -> Attempt:
        """The common positive scenario: the (benignly changed) login must work for the contact."""
        person = person or self.contact()
        attempt = self.login(person, (options or self.options()).with_mutations(*mutations), flow=flow)
        self.judge(self.accepted(attempt, person))
        return attempt

    def check(
        self,
        mutation: str,
        *,
        person: Person | None = None,
        flow: str = "",
        options: ResponseOptions | None = None,
    ) -> Attempt:
        """The mutated login, judged as the mutation's own expectation says (the catalogue's ``expect``)."""
        expect = MUTATIONS[mutation].expect
        if expect is Expect.REJECT:
            return self.expect_rejected(mutation, person=person, flow=flow, options=options)
        if expect is Expect.ACCEPT:
            return self.expect_accepted(mutation, person=person, flow=flow, options=options)
        if expect is Expect.POLICY:
            raise ValueError(f"{mutation}: the scenario decides by the target's declared policy")
        person = person or self.contact()
        self.positive_control(person, flow=flow)
        attempt = self.login(person, (options or self.options()).with_mutations(mutation), flow=flow)
        if expect is Expect.SIGNED_ONLY:
            self.judge(self.signed_only(attempt, person))
        elif attempt.probe.has_session:  # SIGNED_VALUE_OR_REJECT: accepted only as the signed value says
            self.judge(self.accepted(attempt, person))
        else:
            self.judge(self.rejected(attempt))
        return attempt

    def expect_within_skew(self, mutation: str, *, window: str) -> Attempt:
        """A positive time case within the skew the target declares for ``window`` ("conditions" or
        "subject_confirmation"); refused, an unshifted login tells whether that skew is the cause."""
        seconds = int(getattr(self.env.sp.skew, window))
        per_window = f"{window}_skew_seconds"
        setting = per_window if getattr(self.env.sp, per_window) is not None else "clock_skew_seconds"
        attempt = self.expect_accepted(mutation)
        if not attempt.probe.has_session:
            control = self.login(self.contact())
            self.judge(checks.declared_skew_probably_too_large(attempt, control, setting, seconds))
        return attempt

    # -- internals ---------------------------------------------------------------------------

    def _for(self, person: Person, options: ResponseOptions) -> ResponseOptions:
        """Whom an attack claims to be: the target's own other contact, so a flaw shows as data."""
        if options.other_person is not None:
            return options
        return replace(options, other_person=self.env.other_person_for(person))

    def _unsolicited_form(self, person: Person, options: ResponseOptions) -> dict[str, str]:
        spec = ResponseSpec(
            sp_entity_id=self.env.sp.entity_id,
            acs_url=self.env.sp.acs_url,
            person=person,
            options=options,
            encryption_certificate=self.env.sp_encryption_certificate,
        )
        return self.env.post_form_fields(build_message(spec, self.env.idp_identity, self.env.clock))

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
        return Attempt(
            personnummer=personnummer,
            flow=flow,
            hops=hops,
            probe=read_probe(probe_exchange, self.env.sp.session_probe),
            pages=pages,
            evidence=self.record.recorder.since(start),
            browser=browser,
            posted_form=_posted_form(hops),
            left_for=tuple(left),
        )


def _posted_form(hops: Sequence[Exchange]) -> dict[str, str] | None:
    for hop in hops:
        if hop.method == "POST" and b"SAMLResponse=" in hop.request_body:
            return dict(parse_qsl(hop.request_body.decode("ascii", "replace"), keep_blank_values=True))
    return None
