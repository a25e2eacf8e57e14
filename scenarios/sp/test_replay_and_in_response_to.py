"""Replay and InResponseTo: a ticket is used once, and a solicited one answers a request this browser
really made. Whether unsolicited (IdP-initiated) login is allowed is the SP's declared policy; the
scenarios check the SP keeps it, also while the same browser has a request of its own outstanding."""

from __future__ import annotations

from harness.sp_suite.areas import REPLAY, sp_scenario
from harness.sp_suite.driver import SpDriver
from harness.sp_suite.preconditions import LOGIN_URL, UNSOLICITED_ALLOWED, UNSOLICITED_REFUSED, requires


@sp_scenario(
    id="SP-RPL-15",
    title="The same Response posted a second time is rejected",
    area=REPLAY,
    requirements=("SP-R-RPL-15",),
    explanation=(
        "A ticket that already logged someone in was accepted again. Anyone who captures a ticket "
        "(browser history, a proxy log) can log in as that citizen until it expires."
    ),
)
def test_replayed_response_is_rejected(sp: SpDriver) -> None:
    # Unsolicited where allowed: then only a replay cache, not InResponseTo bookkeeping, can stop it.
    flow = "unsolicited" if sp.env.sp.allow_unsolicited else sp.default_flow
    person = sp.contact()
    first = sp.login(person, flow=flow)
    sp.record.positive_control("first use of the Response", sp.accepted(first, person))
    second = sp.replay(first)
    sp.judge(sp.rejected(second))


@requires(LOGIN_URL)
@sp_scenario(
    id="SP-IRT-16A",
    title="A solicited Response whose InResponseTo names no outstanding request is rejected",
    area=REPLAY,
    requirements=("SP-R-IRT-16",),
    explanation=(
        "The ticket claimed to answer a login request your SP never sent in this browser; accepting "
        "it lets a ticket obtained elsewhere be injected into a citizen's browser."
    ),
)
def test_wrong_in_response_to_is_rejected(sp: SpDriver) -> None:
    sp.check("wrong_in_response_to", flow="sp-initiated")


@requires(UNSOLICITED_ALLOWED)
@sp_scenario(
    id="SP-IRT-16B",
    title="An unsolicited Response carrying InResponseTo is rejected",
    area=REPLAY,
    requirements=("SP-R-IRT-16",),
    explanation=(
        "An IdP-initiated ticket must not claim to answer a request; your SP accepted one that "
        "answers a request it never made."
    ),
)
def test_unsolicited_response_with_in_response_to_is_rejected(sp: SpDriver) -> None:
    sp.check("unexpected_in_response_to", flow="unsolicited")


@sp_scenario(
    id="SP-IRT-16C",
    title="An unsolicited Response is accepted only if the SP's policy allows IdP-initiated login",
    area=REPLAY,
    requirements=("SP-R-IRT-16C",),
    explanation=(
        "Your SP did not do what its declared policy says for a login that starts at 1177 "
        "(unsolicited): it either refuses 1177's jump-out or accepts tickets it says it refuses."
    ),
)
def test_unsolicited_response_follows_the_policy(sp: SpDriver) -> None:
    if sp.env.sp.allow_unsolicited:
        sp.expect_accepted(flow="unsolicited")
    else:
        sp.expect_rejected(flow="unsolicited", control_flow=sp.default_flow)


@requires(UNSOLICITED_REFUSED)
@sp_scenario(
    id="SP-IRT-16D",
    title="An SP that refuses unsolicited Responses also refuses one posted while its own request is "
    "outstanding in the browser, and the same Response in a second browser",
    area=REPLAY,
    requirements=("SP-R-IRT-16C",),
    explanation=(
        "Your SP does not accept unsolicited Responses, yet it accepted a Response without "
        "InResponseTo because the same browser had just started a login of its own: a ticket that "
        "answers no request is unsolicited whatever else is pending. Anyone who can make a citizen's "
        "browser start your login can then inject a ticket obtained elsewhere."
    ),
)
def test_unsolicited_response_beside_a_pending_request_is_rejected(sp: SpDriver) -> None:
    person = sp.contact()
    sp.positive_control(person, flow="sp-initiated")
    attempt = sp.login_beside_pending_request(person)
    sp.judge(sp.rejected(attempt))
    sp.judge(sp.rejected(sp.replay(attempt)))
